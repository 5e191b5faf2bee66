// Roster worker: boots Pyodide, unpacks the engine bundle the wizard also uses
// (assets/engine/decision.zip) and runs decision.roster over a file.  Progress comes back through
// a callback every ~1% of the rows.  The file's bytes and the results stay in this worker's
// memory: the page gets a summary, then asks for the few dozen rows its tables show ("page"
// messages); the results CSV is built only when the user exports it, and sent in pieces
// ("csv-piece" messages, each a Blob of about 0.8 MB).
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
let partDone = null;
let dropPart = null;
let mergePart = null;
let finishRun = null;
let helperRun = null;
let exportStart = null;
let exportNext = null;
let pageRows = null;
let currentJob = null; // the primary's latest file: an older one still waiting for helpers gives up
const helperState = new Map(); // helper index -> { failed, done } for the current file
let wake = () => {}; // the primary waiting for its helpers: a chunk came, or a helper failed
// The primary decides its own range this many rows at a time, and merges the helpers' chunks
// (decision.roster.worker.PART_CHUNK_ROWS rows each) in between, as they come.
const OWN_CHUNK_ROWS = 1000;

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

def _part(path, filename, as_of, mapping, index, parts, progress, send):
    chunks = _worker.part_chunks(
        _read(path), filename, as_of or None, index, parts, progress, mapping=mapping or None
    )
    for text in chunks:
        send(text)

(_start, _worker.decide_part, _worker.part_done, _worker.drop_part, _worker.merge_part_json,
 _worker.finish_json, _part, roster.page_json, roster.export_start, roster.export_next)
`);
  [startRun, decidePart, partDone, dropPart, mergePart, finishRun, helperRun, pageRows, exportStart, exportNext] =
    functions.toJs();
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

// A turn of the event loop (the helpers' chunks arrive meanwhile); faster than setTimeout.
const turn = (() => {
  const channel = new MessageChannel();
  const queue = [];
  channel.port1.onmessage = () => queue.shift()();
  return () =>
    new Promise((resolve) => {
      queue.push(resolve);
      channel.port2.postMessage(null);
    });
})();

// The primary: `ports` are its ends of the helpers' channels (none for a small file).
async function process({ id, buffer, filename, asOf, mapping, ports = [] }) {
  const started = performance.now();
  currentJob = id;
  helperState.clear();
  wake(); // an older file still waiting for its helpers gives up
  const path = "/tmp/roster-input";
  pyodide.FS.writeFile(path, new Uint8Array(buffer));
  let plan;
  try {
    plan = JSON.parse(startRun(path, filename, asOf, mapping || "", ports.length + 1));
  } finally {
    pyodide.FS.unlink(path);
  }
  const fallbacks = []; // helpers' ranges decided here
  let waitedMs = 0; // after its own range, waiting for the helpers (or deciding a failed one's)
  const done = (json) =>
    postMessage({
      type: "result",
      id,
      json,
      ms: performance.now() - started,
      wasmBytes: wasmHeapBytes(),
      parts: plan.ok ? plan.ranges.length : 1,
      fallbacks: fallbacks.length,
      waitedMs,
    });
  if (!plan.ok) {
    ports.forEach((port) => port.close());
    done(JSON.stringify(plan));
    return;
  }
  const parts = plan.ranges.length;
  // The page stops the helpers a small file does not need, and sums the progress per range.
  postMessage({ type: "split", id, total: plan.total, ranges: plan.ranges });
  ports.slice(parts - 1).forEach((port) => port.close());
  for (let index = 1; index < parts; index += 1) {
    const state = { failed: index > ports.length, done: false };
    helperState.set(index, state);
    const port = ports[index - 1];
    if (!port) continue;
    port.onmessage = (event) => {
      if (currentJob !== id || state.failed || state.done || !event.data || event.data.id !== id) return;
      if (!mergePart(index, event.data.text)) state.failed = true;
      else state.done = partDone(index);
      if (state.failed || state.done) port.close();
      wake();
    };
  }
  const progress = (index) => (count, total) => postMessage({ type: "progress", id, part: index, done: count, total });
  let failed = null;
  while (!failed && !partDone(0)) {
    failed = decidePart(0, progress(0), OWN_CHUNK_ROWS);
    if (parts > 1) await turn(); // merge what the helpers sent meanwhile
    if (currentJob !== id) return; // another file was chosen meanwhile
  }
  const ownDone = performance.now();
  for (let index = 1; index < parts && !failed; index += 1) {
    const state = helperState.get(index);
    while (!state.failed && !state.done) {
      await new Promise((resolve) => (wake = resolve));
      if (currentJob !== id) return;
    }
    if (state.failed) {
      // The helper failed (or sent what does not fit): its range is decided here.
      fallbacks.push(index);
      dropPart(index);
      failed = decidePart(index, progress(index));
    }
  }
  if (fallbacks.length) console.warn("roster: ranges decided by the primary worker:", fallbacks.join(", "));
  waitedMs = parts > 1 ? performance.now() - ownDone : 0;
  done(failed || finishRun());
}

// A helper: decide range `index` of `parts` of the same file; the rows go to the primary in chunks.
function part({ id, buffer, filename, asOf, mapping, index, parts, port }) {
  const path = "/tmp/roster-input";
  pyodide.FS.writeFile(path, new Uint8Array(buffer));
  const progress = (count, total) => postMessage({ type: "progress", id, part: index, done: count, total });
  try {
    helperRun(path, filename, asOf, mapping || "", index, parts, progress, (text) => port.postMessage({ id, text }));
  } finally {
    port.close();
  }
  postMessage({ type: "part-done", id, index, wasmBytes: wasmHeapBytes() });
}

// Rows of the results CSV in one piece: about 0.8 MB of UTF-8 (the header line counts as a row).
const EXPORT_PIECE_ROWS = 2000;

// 导出结果: the CSV's pieces, each copied once, out of the wasm heap into a Blob, which the page
// keeps as a part of the file.  (Copying into an ArrayBuffer transferred to the page, then into a
// Blob there, was measured on 100,000 rows: renderer peak +43 MiB for the export, against +16 MiB
// this way; benchmarks/roster_10k.py.)
function exportPieces(request) {
  const total = exportStart(EXPORT_PIECE_ROWS);
  let pieces = 0;
  for (;;) {
    const piece = exportNext();
    if (piece === undefined || piece === null) break; // Python's None: the end
    let part;
    try {
      const view = piece.getBuffer("u8");
      try {
        part = new Blob([view.data]); // the one copy: straight from the wasm heap into the Blob
      } finally {
        view.release();
      }
    } finally {
      piece.destroy();
    }
    pieces += 1;
    const done = Math.min(total, pieces * EXPORT_PIECE_ROWS - 1);
    postMessage({ type: "csv-piece", request, part, done, total }); // a Blob crosses as a handle
  }
  postMessage({ type: "csv-end", request, total, wasmBytes: wasmHeapBytes() });
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
    if (type === "export") {
      try {
        exportPieces(event.data.request);
      } catch (error) {
        const message = String(error && error.message ? error.message : error);
        postMessage({ type: "csv-failed", request: event.data.request, message }); // the page says so
      }
    }
    else if (type === "page") {
      const { table, filter, soon, offset, count, request } = event.data;
      postMessage({ type: "page", request, json: pageRows(table, filter, soon, offset, count) });
    } else if (type === "helper-failed") {
      const state = event.data.id === currentJob && helperState.get(event.data.index);
      if (state && !state.done) {
        state.failed = true;
        wake();
      }
    } else if (type === "part") part(event.data);
    else await process(event.data);
  } catch (error) {
    postMessage({ type: "error", message: String(error && error.message ? error.message : error) });
  }
};
