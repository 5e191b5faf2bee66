// The wizard's engine: Pyodide in a module worker, running the `decision` package unchanged.
//
// Messages in:  {id, request: {op?, ...}}               (decision.wizard_bridge.view_json: op view | preview)
// Messages out: {type: "progress", stage, of}            while loading
//               {type: "ready", ms, boot, unpack, times}  once `decision` is imported (boot: "snapshot"
//                                                        if restored from the build's memory snapshot, else "plain";
//                                                        unpack: "js" or "pyodide"; times: worker-clock stage times)
//               {type: "failed", error, kind}            if loading fails (kind: worker-guard.mjs)
//               {id, type: "view", json}                 the bridge's answer (a JSON string)
//               {id, type: "error", error, fatal}        if the bridge itself raised (fatal: Pyodide is dead)
// Requests that arrive while loading are answered once the engine is ready.
import { classify, fail, onFailure } from "./worker-guard.mjs"; // first: it watches what the others load
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";
import { loadFromSnapshot, readBundle, writeBundle } from "./engine-snapshot.mjs";

const params = new URL(import.meta.url).searchParams;
const bundleURL = new URL(`../engine/decision.zip?v=${params.get("v") || ""}`, import.meta.url);
const snapshotURL = new URL(`../engine/decision.snapshot?v=${params.get("s") || ""}`, import.meta.url);
const started = performance.now();
const STAGES = 4;
const ENGINE_DIR = "/home/pyodide/wizard-engine"; // build_scripts/plumbing/engine_snapshot.py ENGINE_DIR

function progress(stage) {
  postMessage({ type: "progress", stage, of: STAGES });
}

let handle = null; // decision.wizard_bridge.view_json, once loaded
const waiting = [];

async function boot() {
  progress(1);
  const times = { origin: performance.timeOrigin, start: performance.now() }; // worker-side stage times, sent with "ready" (benchmarks/wizard_load.py)
  // Fetch the engine while Pyodide boots, and read it (inflate its files) meanwhile: both are on
  // the critical path.  `files` is null where this browser cannot read the zip in JavaScript.
  const bundle = fetch(bundleURL).then((response) => {
    if (!response.ok) throw new Error(`decision.zip: HTTP ${response.status}`);
    return response.arrayBuffer();
  });
  const files = bundle.then((buffer) => readBundle(buffer).catch(() => null), () => null);
  files.then(() => { times.bundleRead = performance.now(); });
  bundle.catch(() => {}); // reported below, once awaited
  const options = { indexURL: new URL("../vendor/pyodide/", import.meta.url).href };
  const restored = await loadFromSnapshot(loadPyodide, options, snapshotURL, times);
  const pyodide = restored || (await loadPyodide(options));
  times.booted = performance.now();
  progress(2);
  // Its own directory on sys.path: `decision` (unchanged, the bridge included), the notice's paragraph texts.
  const read = await files;
  if (read) writeBundle(pyodide, ENGINE_DIR, read);
  else pyodide.unpackArchive(await bundle, "zip", { extractDir: ENGINE_DIR });
  // (No importlib.invalidate_caches(): it imports importlib.metadata, 300 ms.  The restored import
  // system's directory caches list these very files; a plain boot has none yet.)
  pyodide.runPython(`import sys\nif ${JSON.stringify(ENGINE_DIR)} not in sys.path: sys.path.insert(0, ${JSON.stringify(ENGINE_DIR)})`);
  times.unpacked = performance.now();
  progress(3);
  const bridge = pyodide.pyimport("decision.wizard_bridge");
  handle = bridge.view_json;
  progress(4);
  if (!restored) handle(JSON.stringify({})); // warm up: compiled rules, first decision (in the snapshot)
  times.ready = performance.now();
  postMessage({ type: "ready", ms: performance.now() - started, boot: restored ? "snapshot" : "plain", unpack: read ? "js" : "pyodide", times });
  for (const message of waiting.splice(0)) answer(message);
}

function answer({ id, request }) {
  try {
    postMessage({ id, type: "view", json: handle(JSON.stringify(request)) });
  } catch (error) {
    // After a fatal error (a WebAssembly stack overflow ...) Pyodide never answers again.
    const fatal = /fatal/i.test(String(error && error.message ? error.message : error));
    postMessage({ id, type: "error", error: String(error), fatal });
  }
}

onmessage = (event) => {
  if (handle) answer(event.data);
  else waiting.push(event.data);
};

onFailure((kind, error) => postMessage({ type: "failed", error, kind }));
boot().catch((error) => fail(classify(error), error));
