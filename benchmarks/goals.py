"""The table of every figure a `make bench` run recorded, beside its goal and the load average.

Usage (the Makefile's `bench` target does this):

    BENCH_FIGURES=build/bench-figures.jsonl python benchmarks/<each>.py ...
    python benchmarks/goals.py build/bench-figures.jsonl

Each benchmark appends its figures through benchmarks/figures.py `record()`; this script only reads
them back and prints one Markdown table, in the order they were measured, so that a closing note can
quote it as it is.  Prints, asserts nothing; exit 2 with a message if the file is missing or bad.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from figures import met

MAX_BYTES = 1_000_000  # a run records a few dozen lines; anything far bigger is not ours


def read(path: Path) -> list[dict]:
    if not path.is_file():
        raise SystemExit(f"goals: no figures recorded ({path} is missing): run `make bench`")
    if path.stat().st_size > MAX_BYTES:
        raise SystemExit(f"goals: {path} is larger than {MAX_BYTES} bytes: not a figures file")
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            entry = json.loads(line)
            float(entry["value"])
            str(entry["figure"])
        except (ValueError, KeyError, TypeError) as exc:
            raise SystemExit(f"goals: {path} line {number} is not a figure: {exc}") from None
        entries.append(entry)
    return entries


def cell(text: object) -> str:
    return str(text).replace("|", "\\|")


def table(entries: list[dict]) -> str:
    lines = [
        "| Figure | Before | Now | Goal | | Load |",
        "|---|---|---|---|---|---|",
    ]
    for e in entries:
        unit = e.get("unit", "")
        goal = e.get("goal")
        better = e.get("better", "lower")
        sign = "≤" if better == "lower" else "≥"
        goal_text = f"{sign} {goal:g} {unit}" if goal is not None else ""
        verdict = met(float(e["value"]), goal, better)
        lines.append(
            f"| {cell(e['figure'])} | {cell(e.get('before', ''))} | {float(e['value']):.4g} {cell(unit)} "
            f"| {goal_text} | {verdict} | {e.get('load', '')} |"
        )
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python benchmarks/goals.py FIGURES.jsonl", file=sys.stderr)
        return 2
    try:
        entries = read(Path(argv[0]))
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    print(table(entries))
    missed = sum(
        1 for e in entries if met(float(e["value"]), e.get("goal"), e.get("better", "lower")) == "NOT met"
    )
    goals = sum(1 for e in entries if e.get("goal") is not None)
    print(f"\n{goals - missed} of {goals} goals met; {len(entries)} figures recorded.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
