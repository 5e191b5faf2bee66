// Roster worker: boots Pyodide, unpacks the engine bundle the wizard also uses
// (assets/engine/decision.zip) and runs decision.roster over a file.  Progress comes back through
// a callback every ~1% of the rows.  The file's bytes and the results stay in this worker's
// memory: the page gets a summary, then asks for the few dozen rows its tables show ("page"
// messages); the results CSV is built only when the user exports it.
//
// A large file is split (docs/arch/0009-roster-split-across-workers.md): the page starts helper
// workers from this same script (restored from the same snapshot) and gives each helper and the
// primary the two ends of a MessageChannel.  Every worker reads the same bytes; the primary
// decides the first range, each helper ("part" messages) decides one range and sends its rows
// as JSON through its port; the primary merges them in row order and sums up once.  A helper
// that fails (the page says so: "helper-failed"), or whose answer does not fit, has its range
// decided by the primary: the same result, later.
import { classify, fail, onFailure } from "./worker-guard.mjs"; // first: it watches what the others load
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";
import { loadFromSnapshot } from "./engine-snapshot.mjs";

// The wizard's directory: the build's memory snapshot (engine and roster modules imported) was
// made with the bundle unpacked there (build_scripts/plumbing/engine_snapshot.py ENGINE_DIR).
const ENGINE_DIR = "/home/pyodide/wizard-engine";
let pyodide = null;
let startRun = null;
let decidePart = null;
let mergePart = null;
let finishRun = null;
let helperRun = null;
let exportCsv = null;
let pageRows = null;
let currentJob = null; // the primary's latest file: an older one still waiting for helpers gives up
const waiting = new Map(); // helper index -> resolve(its answer text, or null when it failed)

async function init({ bundle: bundleUrl, snapshot: snapshotUrl }) {
  const started = performance.now();
  // The bundle downloads while Pyodide boots or restores: both are on the critical path.
  const bundle = fetch(bundleUrl).then((response) => {
    if (!response.ok) throw new Error(`engine bundle: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  bundle.catch(() => {}); // reported below, once awaited
  const options = { indexURL: new URL("../vendor/pyodide/", import.meta.url).href };
  const restored = snapshotUrl ? await loadFromSnapshot(loadPyodide, options, snapshotUrl) : null;
  pyodide = restored || (await loadPyodide(options));
  postMessage({ type: "loading" }); // a step of loading: the page's watchdog sees it move
  pyodide.unpackArchive(await bundle, "zip", { extractDir: ENGINE_DIR });
  const functions = pyodide.runPython(`
import sys
if ${JSON.stringify(ENGINE_DIR)} not in sys.path: sys.path.insert(0, ${JSON.stringify(ENGINE_DIR)})
from decision import roster, rules_digest

roster.config()  # build the header/value tables now, not during the first file

from decision.roster import worker as _worker

def _read(path):
    with open(path, "rb") as f:
        return f.read()

def _start(path, filename, as_of, mapping, parts):
    return _worker.start_json(_read(path), filename, as_of or None, mapping=mapping or None, parts=parts)

def _part(path, filename, as_of, mapping, index, parts, progress):
    return _worker.part_json(
        _read(path), filename, as_of or None, index, parts, progress, mapping=mapping or None
    )

(_start, _worker.decide_part, _worker.merge_part_json, _worker.finish_json, _part,
 roster.last_results_csv, roster.page_json)
`);
  [startRun, decidePart, mergePart, finishRun, helperRun, exportCsv, pageRows] = functions.toJs();
  functions.destroy();
  const digest = pyodide.runPython("rules_digest()");
  return { seconds: (performance.now() - started) / 1000, digest, boot: restored ? "snapshot" : "plain" };
}

// Size of the WebAssembly memory (Python's heap): a diagnostic for the benchmark only.
function wasmHeapBytes() {
  try {
    return pyodide._module.HEAPU8.byteLength;
  } catch {
    return null;
  }
}

// The primary: `ports` are its ends of the helpers' channels (none for a small file).
async function process({ id, buffer, filename, asOf, mapping, ports = [] }) {
  const started = performance.now();
  currentJob = id;
  for (const resolve of waiting.values()) resolve(null); // an older file's helpers: not waited for
  waiting.clear();
  const path = "/tmp/roster-input";
  pyodide.FS.writeFile(path, new Uint8Array(buffer));
  let plan;
  try {
    plan = JSON.parse(startRun(path, filename, asOf, mapping || "", ports.length + 1));
  } finally {
    pyodide.FS.unlink(path);
  }
  const fallbacks = []; // helpers' ranges decided here
  const done = (json) =>
    postMessage({
      type: "result",
      id,
      json,
      ms: performance.now() - started,
      wasmBytes: wasmHeapBytes(),
      parts: plan.ok ? plan.ranges.length : 1,
      fallbacks: fallbacks.length,
    });
  if (!plan.ok) {
    done(JSON.stringify(plan));
    return;
  }
  const parts = plan.ranges.length;
  // The page stops the helpers a small file does not need, and sums the progress per range.
  postMessage({ type: "split", id, total: plan.total, ranges: plan.ranges });
  const answers = ports.slice(0, parts - 1).map((port, i) => {
    const index = i + 1;
    return new Promise((resolve) => {
      waiting.set(index, resolve);
      port.onmessage = (event) => resolve(event.data && event.data.id === id ? event.data.text : null);
    }).finally(() => port.close());
  });
  ports.slice(parts - 1).forEach((port) => port.close());
  const progress = (index) => (count, total) => postMessage({ type: "progress", id, part: index, done: count, total });
  let failed = decidePart(0, progress(0));
  for (let index = 1; index < parts && !failed; index += 1) {
    // A helper's range is decided here when it has no helper, or its helper failed.
    const text = index <= answers.length ? await answers[index - 1] : null;
    if (currentJob !== id) return; // another file was chosen meanwhile
    waiting.delete(index);
    if (text === null || !mergePart(index, text)) {
      fallbacks.push(index);
      failed = decidePart(index, progress(index));
    }
  }
  if (fallbacks.length) console.warn("roster: ranges decided by the primary worker:", fallbacks.join(", "));
  done(failed || finishRun());
}

// A helper: decide range `index` of `parts` of the same file; the rows go to the primary.
function part({ id, buffer, filename, asOf, mapping, index, parts, port }) {
  const path = "/tmp/roster-input";
  pyodide.FS.writeFile(path, new Uint8Array(buffer));
  const progress = (count, total) => postMessage({ type: "progress", id, part: index, done: count, total });
  let text;
  try {
    text = helperRun(path, filename, asOf, mapping || "", index, parts, progress);
  } finally {
    pyodide.FS.unlink(path);
  }
  port.postMessage({ id, text });
  port.close();
  postMessage({ type: "part-done", id, index, wasmBytes: wasmHeapBytes() });
}

onFailure((kind, message) => postMessage({ type: "fatal", message, kind }));

// The page names the bundle and the snapshot (versioned URLs) in the worker's name.
function urls() {
  let named = {};
  try {
    named = JSON.parse(self.name || "{}");
  } catch {
    // an unversioned default below
  }
  return {
    bundle: new URL(named.bundle || "../engine/decision.zip", import.meta.url).href,
    snapshot: named.snapshot ? new URL(named.snapshot, import.meta.url).href : null,
  };
}

const ready = init(urls()).then(
  (info) => {
    postMessage({ type: "ready", ...info });
    return true;
  },
  (error) => {
    fail(classify(error), error);
    return false;
  },
);

onmessage = async (event) => {
  if (!(await ready)) return;
  try {
    const { type } = event.data;
    if (type === "export") postMessage({ type: "csv", text: exportCsv() });
    else if (type === "page") {
      const { table, filter, soon, offset, count, request } = event.data;
      postMessage({ type: "page", request, json: pageRows(table, filter, soon, offset, count) });
    } else if (type === "helper-failed") {
      const resolve = event.data.id === currentJob && waiting.get(event.data.index);
      if (resolve) resolve(null);
    } else if (type === "part") part(event.data);
    else await process(event.data);
  } catch (error) {
    postMessage({ type: "error", message: String(error && error.message ? error.message : error) });
  }
};
