// Roster worker: boots Pyodide, unpacks the engine bundle the wizard also uses
// (assets/engine/decision.zip) and runs decision.roster over a whole file in ONE Python call.
// Progress comes back through a callback every ~1% of the rows.  The file's bytes and the
// results stay in this worker's memory: the page gets a summary, then asks for the few dozen
// rows its tables show ("page" messages); the results CSV is built only when the user exports it,
// and sent in pieces ("csv-piece" messages, each a Blob of about 0.8 MB).
import { classify, fail, onFailure } from "./worker-guard.mjs"; // first: it watches what the others load
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";
import { loadFromSnapshot } from "./engine-snapshot.mjs";

// The wizard's directory: the build's memory snapshot (engine and roster modules imported) was
// made with the bundle unpacked there (build_scripts/plumbing/engine_snapshot.py ENGINE_DIR).
const ENGINE_DIR = "/home/pyodide/wizard-engine";
let pyodide = null;
let run = null;
let exportStart = null;
let exportNext = null;
let pageRows = null;

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

def _run(path, filename, as_of, progress, mapping):
    with open(path, "rb") as f:
        data = f.read()
    return roster.process_json(data, filename, as_of or None, progress, mapping=mapping or None)

(_run, roster.page_json, roster.export_start, roster.export_next)
`);
  [run, pageRows, exportStart, exportNext] = functions.toJs();
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

function process({ id, buffer, filename, asOf, mapping }) {
  const started = performance.now();
  const path = "/tmp/roster-input";
  pyodide.FS.writeFile(path, new Uint8Array(buffer));
  const progress = (done, total) => postMessage({ type: "progress", id, done, total });
  try {
    const json = run(path, filename, asOf, progress, mapping || "");
    postMessage({ type: "result", id, json, ms: performance.now() - started, wasmBytes: wasmHeapBytes() });
  } finally {
    pyodide.FS.unlink(path);
  }
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
    }
    else process(event.data);
  } catch (error) {
    postMessage({ type: "error", message: String(error && error.message ? error.message : error) });
  }
};
