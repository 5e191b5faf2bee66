// The roster's per-row cost under Pyodide (the browser's Python), run by Node: used by
// benchmarks/roster_rows.py.  argv: pyodide index directory, decision package directory, the
// register (CSV), assessment date, runs.  Prints one JSON line: per-run CPU-ish seconds as
// Python's process_time sees them inside the wasm runtime, rows, Python version.
import fs from "node:fs";
import path from "node:path";

const [indexDir, packageDir, csvPath, asOf, runs] = process.argv.slice(2);
const { loadPyodide } = await import(path.join(path.resolve(indexDir), "pyodide.mjs"));
const py = await loadPyodide({ indexURL: path.resolve(indexDir) + path.sep });

function copyTree(from, to) {
  py.FS.mkdirTree(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory() && entry.name !== "__pycache__") {
      copyTree(source, `${to}/${entry.name}`);
    } else if (entry.isFile() && (entry.name.endsWith(".py") || entry.name.endsWith(".json"))) {
      py.FS.writeFile(`${to}/${entry.name}`, fs.readFileSync(source));
    }
  }
}
copyTree(path.resolve(packageDir), "/engine/decision");
py.FS.writeFile("/roster.csv", fs.readFileSync(csvPath));
py.globals.set("as_of", asOf);
py.globals.set("runs", Number(runs));
const out = py.runPython(`
import json, sys, time
sys.path.insert(0, "/engine")
from decision.roster.decode import read_table
from decision.roster.evaluate import process_rows
from decision.roster.tables import paragraph_labels

labels = paragraph_labels()
rows, _, _ = read_table(open("/roster.csv", "rb").read(), "roster.csv")
process_rows(rows[:200], as_of=as_of, labels=labels)  # warm: tables built, modules compiled
seconds = []
for _ in range(runs):
    start = time.perf_counter()
    result = process_rows(rows, as_of=as_of, labels=labels)
    seconds.append(time.perf_counter() - start)
json.dumps({"seconds": seconds, "rows": result["total"], "python": sys.version.split()[0]})
`);
process.stdout.write(out + "\n");
