// Roster worker: boots Pyodide, unpacks the engine bundle the wizard also uses
// (assets/engine/decision.zip, built by build_scripts/pages/wizard.py) and runs
// decision.roster over a whole file in ONE Python call.  Progress comes back through a
// callback every ~1% of the rows.  The file's bytes and the results stay in this worker's
// memory; the results CSV is built only when the user exports it.
import { classify, fail, onFailure } from "./worker-guard.mjs"; // first: it watches what the others load
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

const ENGINE_DIR = "/home/pyodide/engine";
let pyodide = null;
let run = null;
let exportCsv = null;

async function init(bundleUrl) {
  const started = performance.now();
  pyodide = await loadPyodide({ indexURL: new URL("../vendor/pyodide/", import.meta.url).href });
  postMessage({ type: "loading" }); // a step of loading: the page's watchdog sees it move
  const response = await fetch(bundleUrl);
  if (!response.ok) throw new Error(`engine bundle: HTTP ${response.status}`);
  pyodide.unpackArchive(await response.arrayBuffer(), "zip", { extractDir: ENGINE_DIR });
  const functions = pyodide.runPython(`
import sys
sys.path.insert(0, ${JSON.stringify(ENGINE_DIR)})
from decision import roster, rules_digest

roster.config()  # build the header/value tables now, not during the first file

def _run(path, filename, as_of, progress):
    with open(path, "rb") as f:
        data = f.read()
    return roster.process_json(data, filename, as_of or None, progress)

(_run, roster.last_results_csv)
`);
  [run, exportCsv] = functions.toJs();
  functions.destroy();
  const digest = pyodide.runPython("rules_digest()");
  return { seconds: (performance.now() - started) / 1000, digest };
}

// Size of the WebAssembly memory (Python's heap): a diagnostic for the benchmark only.
function wasmHeapBytes() {
  try {
    return pyodide._module.HEAPU8.byteLength;
  } catch {
    return null;
  }
}

function process({ id, buffer, filename, asOf }) {
  const started = performance.now();
  const path = "/tmp/roster-input";
  pyodide.FS.writeFile(path, new Uint8Array(buffer));
  const progress = (done, total) => postMessage({ type: "progress", id, done, total });
  try {
    const json = run(path, filename, asOf, progress);
    postMessage({ type: "result", id, json, ms: performance.now() - started, wasmBytes: wasmHeapBytes() });
  } finally {
    pyodide.FS.unlink(path);
  }
}

onFailure((kind, message) => postMessage({ type: "fatal", message, kind }));
const ready = init(new URL(self.name || "../engine/decision.zip", import.meta.url).href).then(
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
    if (event.data.type === "export") postMessage({ type: "csv", text: exportCsv() });
    else process(event.data);
  } catch (error) {
    postMessage({ type: "error", message: String(error && error.message ? error.message : error) });
  }
};
