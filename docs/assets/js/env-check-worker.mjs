// Module worker (required since Pyodide 314) that boots Pyodide from the site's own copy.
import { loadPyodide } from "../vendor/pyodide/pyodide.mjs";

try {
  const pyodide = await loadPyodide({ indexURL: new URL("../vendor/pyodide/", import.meta.url).href });
  const version = pyodide.runPython("import sys; '.'.join(map(str, sys.version_info[:3]))");
  postMessage({ ok: true, version });
} catch (error) {
  postMessage({ ok: false, error: String(error) });
}
