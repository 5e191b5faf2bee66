// Build step (run by build_scripts/plumbing/engine_snapshot.py): boot the vendored Pyodide in Node, do what
// the wizard's worker does before it is ready -- unpack the engine bundle, import decision.wizard_bridge,
// load the notice's paragraph texts, make one warm-up decision -- and what the roster's worker does
// (import decision.roster and build its header tables), then write Pyodide's memory snapshot of
// that state.  Both pages' workers restore it.  The worker restores it (docs/assets/js/engine-snapshot.mjs) instead of
// booting Python and importing the engine, and boots normally if the snapshot does not load.
//
//   node build_scripts/plumbing/engine_snapshot.mjs PYODIDE_DIR ENGINE_ZIP ENGINE_DIR OUT
//
// ENGINE_DIR must be the directory the worker unpacks the bundle into: the restored interpreter's
// sys.path and module __file__s point there.
import fs from "node:fs";
import path from "node:path";

const [pyodideDir, zipPath, engineDir, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error("usage: node engine_snapshot.mjs PYODIDE_DIR ENGINE_ZIP ENGINE_DIR OUT");
  process.exit(2);
}
const { loadPyodide } = await import(path.resolve(pyodideDir, "pyodide.mjs"));
const pyodide = await loadPyodide({ indexURL: path.resolve(pyodideDir) + path.sep, _makeSnapshot: true });
// A Uint8Array, not a Node Buffer: Pyodide's converter does not know Buffer.
pyodide.unpackArchive(new Uint8Array(fs.readFileSync(zipPath)), "zip", { extractDir: engineDir });
pyodide.runPython(`
import json, sys
sys.path.insert(0, ${JSON.stringify(engineDir)})
from decision import wizard_bridge
wizard_bridge.paragraphs()  # read the texts now: they are in memory after the restore
wizard_bridge.view_json(json.dumps({}))  # compiled rules, first decision
from decision import roster
roster.config()  # the roster's header and value tables
del json, sys, wizard_bridge, roster
`);
const snapshot = pyodide.makeMemorySnapshot();
fs.writeFileSync(outPath, snapshot);
