// Module worker (required since Pyodide 314) that boots Pyodide from the site's own copy.
// Messages out: {progress: true} once started; {ok: true, version} or {ok: false, error, kind}.
import { classify, fail, onFailure } from "./worker-guard.mjs"; // first: it watches what the others load
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

onFailure((kind, error) => postMessage({ ok: false, error, kind }));
postMessage({ progress: true });
try {
  const pyodide = await loadPyodide({ indexURL: new URL("../vendor/pyodide/", import.meta.url).href });
  const version = pyodide.runPython("import sys; '.'.join(map(str, sys.version_info[:3]))");
  postMessage({ ok: true, version });
} catch (error) {
  fail(classify(error), error);
}
