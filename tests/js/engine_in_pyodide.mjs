// Runs the engine package, unchanged, in Pyodide under Node, on the cases in argv[2] (a JSON file:
// a list of fact objects); prints the list of outcomes (or {"invalid": key}) as JSON on stdout.
// Used by tests/test_engine_pyodide.py.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const { loadPyodide } = await import(path.join(root, "node_modules", "pyodide", "pyodide.mjs"));
const py = await loadPyodide({ indexURL: path.join(root, "node_modules", "pyodide") + path.sep });
py.FS.mkdirTree("/engine/decision");
for (const name of fs.readdirSync(path.join(root, "decision"))) {
  if (name.endsWith(".py") || name === "rules.json") {
    py.FS.writeFile(`/engine/decision/${name}`, fs.readFileSync(path.join(root, "decision", name)));
  }
}
py.globals.set("cases_json", fs.readFileSync(process.argv[2], "utf-8"));
const out = py.runPython(`
import json, sys
sys.path.insert(0, "/engine")
import decision
results = []
for facts in json.loads(cases_json):
    try:
        results.append(decision.decide(facts))
    except decision.InvalidCase as exc:
        results.append({"invalid": exc.key})
json.dumps({"python": sys.version.split()[0], "digest": decision.rules_digest(), "results": results},
           ensure_ascii=False)
`);
process.stdout.write(out);
