"""Benchmark: the project's XLSX reader against openpyxl on the hostile corpus (tests/hostile_rosters.py).

Why decision/roster/xlsx.py exists (docs/arch/0002-own-xlsx-reader.md has the figures): for each hostile .xlsx file,
each reader runs in a child process with a time limit and an address-space cap, and the table
shows what happened: rows read, a refusal (the project's reader: its Chinese message), an
exception (its type: what a page would have to turn into a message), a stall (time limit), or
memory exhausted.  Seconds are wall time; peak memory is the child's maximum resident set.  Figures are printed, never asserted.  openpyxl is a test dependency (requirements.lock).

    .venv/bin/python benchmarks/xlsx_readers.py [--timeout 20] [--memory-mb 2048] [--only NAME ...]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CHILD = r"""
import json, resource, sys
cap = int(sys.argv[3]) * 1024 * 1024
resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
reader, path = sys.argv[1], sys.argv[2]
try:
    if reader == "project":
        from decision.roster.decode import read_table
        from decision.errors import BilingualError
        try:
            rows, _, _ = read_table(open(path, "rb").read(), path)
            result = f"read {len(rows)} rows"
        except BilingualError as exc:
            result = "refused: " + exc.message_zh[:40]
    else:
        import openpyxl
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        count = sum(1 for _ in book.worksheets[0].iter_rows(values_only=True))
        result = f"read {count} rows"
except MemoryError:
    result = "memory exhausted (MemoryError)"
except Exception as exc:
    result = f"exception {type(exc).__module__}.{type(exc).__name__}"
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"result": result, "peak": peak}))
"""


# The corpus writes only the parts the project's reader needs; openpyxl also wants the package's
# content types and root relationships, as Excel writes them.  Each workbook the benchmark can
# re-pack gets them (every other part copied unchanged), so openpyxl meets the attack, not a
# missing part.  A file that cannot be re-packed (a broken or encrypted zip) is given as it is.
CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "{shared}</Types>"
)
SHARED_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
ROOT_RELS = (
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)


def complete(path: Path, out: Path) -> tuple[Path, str]:
    """The workbook with Excel's package parts added, or the file itself if it cannot be re-packed."""
    import shutil
    import zipfile

    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
            names = source.namelist()
            for name in names:
                if name in ("[Content_Types].xml", "_rels/.rels"):
                    continue
                with source.open(name) as part, target.open(name, "w", force_zip64=True) as copy:
                    shutil.copyfileobj(part, copy, 1 << 20)
            shared = SHARED_TYPE if "xl/sharedStrings.xml" in names else ""
            target.writestr("[Content_Types].xml", CONTENT_TYPES.format(shared=shared))
            target.writestr("_rels/.rels", ROOT_RELS)
        return out, "re-packed"
    except Exception as exc:  # noqa: BLE001 - any failure: give openpyxl the original
        out.unlink(missing_ok=True)
        return path, f"as is ({type(exc).__name__})"


def run(reader: str, path: Path, timeout: float, memory_mb: int) -> tuple[str, float, float]:
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, reader, str(path), str(memory_mb)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        out, err = child.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        return f"stalled (> {timeout:.0f} s, killed)", time.perf_counter() - start, float("nan")
    seconds = time.perf_counter() - start
    peak = float("nan")
    if out.strip():
        reply = json.loads(out.strip().splitlines()[-1])
        result, peak = reply["result"], reply["peak"]
    else:
        result = (
            f"crashed (exit {child.returncode}): {err.strip().splitlines()[-1][:60] if err.strip() else ''}"
        )
    return result, seconds, peak


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timeout", type=float, default=20.0)
    parser.add_argument("--memory-mb", type=int, default=2048)
    parser.add_argument("--only", nargs="*")
    args = parser.parse_args()
    from hostile_rosters import corpus, generate

    names = [h.name for h in corpus() if h.name.endswith(".xlsx") and (not args.only or h.name in args.only)]
    totals: dict[str, dict[str, int]] = {"project": {}, "openpyxl": {}}
    with tempfile.TemporaryDirectory() as tmp:
        items = generate(Path(tmp), names)
        print(
            f"{len(items)} hostile .xlsx files; limits {args.timeout:.0f} s, {args.memory_mb} MB address space"
        )
        print(f"{'file':34} {'reader':9} {'seconds':>8} {'peak MB':>7}  result")
        for hostile, path in items:
            packed, how = complete(path, Path(tmp) / f"packed-{hostile.name}")
            for reader in ("project", "openpyxl"):
                given = path if reader == "project" else packed
                result, seconds, peak = run(reader, given, args.timeout, args.memory_mb)
                if reader == "openpyxl":
                    result += f" [{how}]"
                kind = result.split(" ")[0].rstrip(":")
                totals[reader][kind] = totals[reader].get(kind, 0) + 1
                print(f"{hostile.name:34} {reader:9} {seconds:8.2f} {peak:7.0f}  {result}")
    for reader, counts in totals.items():
        print(f"{reader}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
