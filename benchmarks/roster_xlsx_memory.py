"""Benchmark: memory of reading a roster as CSV and as XLSX, and of writing its results CSV.

Prints figures, asserts nothing.  Each figure comes from a child process of its own (a fresh
heap), so one measurement never inherits another's peak:

- `read`: decision.roster.decode.read_table on the file's bytes; the peak resident set (ru_maxrss)
  above the child's own before the call, and, with --tracemalloc, Python's traced peak and what
  the rows keep (slow: about 5 times the CPU time);
- `export`: the whole results CSV as one string (`results_csv`, the command line's output before
  it streamed) against the streamed pieces (`results_csv_pieces`, what 导出结果 and the command line
  now write): Python's traced peak above the result held.

    .venv/bin/python benchmarks/roster_xlsx_memory.py --csv roster.csv [--code OTHER_CHECKOUT] [--tracemalloc]

`--code` measures another checkout's engine with the same files (before/after, interleaved by
running the script twice in turn).  Goal (issue 26): the browser's renderer peak <= 600 MB for
100,000 rows, which benchmarks/roster_10k.py --xlsx measures; this script says where the Python
heap's share of it goes.  Goal for the reader's speed: the XLSX read's CPU time at most twice the
CSV read's for the same register (median of `--runs` interleaved pairs), recorded with
benchmarks/figures.py.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AS_OF = "2026-11-01"

READ = """
import json, resource, sys, time, tracemalloc
sys.path.insert(0, sys.argv[1])
from decision.roster.decode import read_table
data = open(sys.argv[2], "rb").read()
traced = sys.argv[3] == "1"
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if traced:
    tracemalloc.start()
cpu = time.process_time()
rows, fmt, _ = read_table(data, sys.argv[2])
cpu = time.process_time() - cpu
out = {"rows": len(rows), "cpu": cpu, "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before}
if traced:
    out["kept"], out["peak"] = tracemalloc.get_traced_memory()
print(json.dumps(out))
"""

EXPORT = """
import json, sys, tracemalloc
sys.path.insert(0, sys.argv[1])
from decision import roster
from decision.roster import report
result = roster.process(open(sys.argv[2], "rb").read(), sys.argv[2], as_of=sys.argv[3])
out = {}
tracemalloc.start()
size = len(report.results_csv(result).encode("utf-8"))
out["whole"] = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
if hasattr(report, "results_csv_pieces"):
    tracemalloc.start()
    size_pieces = sum(len(piece) for piece in report.results_csv_pieces(result))
    out["pieces"] = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert size_pieces == size
out["bytes"] = size
print(json.dumps(out))
"""


# Goal: reading a register as XLSX costs at most twice its reading as CSV.
GOAL_XLSX_OVER_CSV = 2.0


def cpu_rows(path: Path) -> int:
    """Data rows of the CSV (lines after the header; the benchmark's registers have no line breaks
    inside cells)."""
    with path.open("rb") as data:
        return sum(1 for _ in data) - 1


def child(script: str, *args: str) -> dict:
    proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=False)
    if proc.returncode:
        raise SystemExit(proc.stderr[-2000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def load() -> str:
    return "load " + " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--csv", type=Path, required=True, help="a roster CSV (benchmarks/roster_10k.py makes one)"
    )
    parser.add_argument("--code", type=Path, default=ROOT, help="the checkout whose decision/ is measured")
    parser.add_argument("--tracemalloc", action="store_true", help="also Python's traced peak of the reads")
    parser.add_argument("--no-export", action="store_true")
    parser.add_argument(
        "--runs", type=int, default=3, help="interleaved CSV/XLSX read pairs (the ratio is their medians')"
    )
    args = parser.parse_args()
    from figures import record
    from roster_10k import to_xlsx

    code = str(args.code.resolve())
    print(f"engine from {code}; {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        xlsx_path = Path(tmp) / "roster.xlsx"
        to_xlsx(args.csv, xlsx_path)
        cpu: dict[str, list[float]] = {".csv": [], ".xlsx": []}
        for _ in range(args.runs):  # interleaved: CSV, XLSX, CSV, XLSX ...
            for path in (args.csv, xlsx_path):
                got = child(READ, code, str(path), "1" if args.tracemalloc else "0")
                cpu[path.suffix].append(got["cpu"])
                line = (
                    f"read {path.suffix}: {got['rows']} rows from {path.stat().st_size / 1e6:.1f} MB: peak RSS "
                    f"+{got['rss_kib'] / 1024:.0f} MiB, CPU {got['cpu']:.2f} s"
                )
                if "peak" in got:
                    line += f" (traced); Python peak {got['peak'] / 2**20:.1f} MiB, rows keep {got['kept'] / 2**20:.1f} MiB"
                print(f"{line}; {load()}")
        if not args.tracemalloc:  # tracing slows both reads, not in the same proportion
            csv_cpu, xlsx_cpu = statistics.median(cpu[".csv"]), statistics.median(cpu[".xlsx"])
            print(
                f"read: median CPU over {args.runs} interleaved run(s): CSV {csv_cpu:.2f} s, XLSX {xlsx_cpu:.2f} s"
            )
            record(
                "roster read CPU, XLSX / CSV (same register)",
                xlsx_cpu / csv_cpu,
                "×",
                GOAL_XLSX_OVER_CSV,
                before="9.5–11.9× (5.2–6.8 s vs 0.53–0.59 s for 100,000 rows, load 3–10)",
                note=f"decision.roster.decode.read_table, CPU seconds in a fresh child, median of {args.runs}: "
                f"XLSX {xlsx_cpu:.2f} s, CSV {csv_cpu:.2f} s, {cpu_rows(args.csv)} rows",
            )
        if not args.no_export:
            got = child(EXPORT, code, str(args.csv), AS_OF)
            print(
                f"export: {got['bytes'] / 1e6:.1f} MB of CSV; Python peak above the result: whole string "
                f"{got['whole'] / 2**20:.1f} MiB"
                + (f", streamed pieces {got['pieces'] / 2**20:.1f} MiB" if "pieces" in got else "")
                + f"; {load()}"
            )


if __name__ == "__main__":
    main()
