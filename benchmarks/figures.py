"""One way for every benchmark to report a figure beside its goal.

A benchmark calls `record(...)`: the figure is printed as a line of its own and, when the
environment names a file in BENCH_FIGURES (`make bench` does), appended to it as one JSON line.
`benchmarks/goals.py` then prints every recorded figure of the run in one table, with the load
average at the moment each was measured (2 cores are shared here: a figure means little without it).
Nothing is asserted: speed and memory are judged by people, not by tests.
"""

from __future__ import annotations

import json
import os

ENV = "BENCH_FIGURES"


def load_average() -> float:
    """The 1-minute load average (0.0 where the platform has none)."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return 0.0


def met(value: float, goal: float | None, better: str) -> str:
    """'met' / 'NOT met' / '' (no goal) for a figure against its goal."""
    if goal is None:
        return ""
    ok = value <= goal if better == "lower" else value >= goal
    return "met" if ok else "NOT met"


def record(
    figure: str,
    value: float,
    unit: str,
    goal: float | None = None,
    *,
    better: str = "lower",
    before: str = "",
    note: str = "",
) -> None:
    """Print one figure (with its goal and the load average) and append it to BENCH_FIGURES.

    `before` is the figure measured before the change that the goal was set for (as text, since
    it may be a range), shown in the table for comparison; `note` says how it was measured.
    """
    if better not in ("lower", "higher"):
        raise ValueError(f"better must be 'lower' or 'higher', not {better!r}")
    load = load_average()
    sign = "≤" if better == "lower" else "≥"
    goal_text = f" (goal {sign} {goal:g} {unit}: {met(value, goal, better)})" if goal is not None else ""
    print(f"FIGURE {figure}: {value:.4g} {unit}{goal_text} [load {load:.2f}]")
    path = os.environ.get(ENV)
    if not path:
        return
    entry = {
        "figure": figure,
        "value": value,
        "unit": unit,
        "goal": goal,
        "better": better,
        "before": before,
        "note": note,
        "load": round(load, 2),
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(entry, ensure_ascii=False) + "\n")
