"""The benchmarks' goal table (benchmarks/figures.py, benchmarks/goals.py): figures recorded by
one run are read back, judged against their goals, and a bad file is refused with a message.
No speed is measured here (benchmarks print figures; tests never time anything)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import figures
import goals


def test_recorded_figures_come_back_in_the_table_with_their_verdicts(tmp_path, monkeypatch, capsys):
    path = tmp_path / "figures.jsonl"
    monkeypatch.setenv(figures.ENV, str(path))
    figures.record("roster 100k in the browser", 12.5, "s", 8, before="29.8 s")
    figures.record("rows in the DOM", 45, "rows", 60)
    figures.record("cache hit rate", 0.2, "", 0.5, better="higher")
    figures.record("download", 13.05, "MB")
    printed = capsys.readouterr().out
    assert "FIGURE roster 100k in the browser: 12.5 s (goal ≤ 8 s: NOT met)" in printed
    rendered = goals.table(goals.read(path))
    lines = rendered.splitlines()
    assert len(lines) == 2 + 4
    assert "| roster 100k in the browser | 29.8 s | 12.5 s | ≤ 8 s | NOT met |" in lines[2]
    assert "| ≤ 60 rows | met |" in lines[3]
    assert "| ≥ 0.5  | NOT met |" in lines[4]
    assert lines[5].split("|")[5].strip() == ""  # no goal, no verdict


def test_without_the_environment_nothing_is_written(tmp_path, monkeypatch):
    monkeypatch.delenv(figures.ENV, raising=False)
    monkeypatch.chdir(tmp_path)
    figures.record("x", 1, "s", 2)
    assert list(tmp_path.iterdir()) == []


def test_a_figure_cannot_be_better_sideways():
    with pytest.raises(ValueError):
        figures.record("x", 1, "s", 2, better="sideways")


@pytest.mark.parametrize(
    "content, message",
    [
        (None, "missing"),
        ('{"figure": "x"}\n', "line 1 is not a figure"),
        ("not json\n", "line 1 is not a figure"),
        ('{"figure": "x", "value": 1}\n{"figure": "y", "value": "fast"}\n', "line 2 is not a figure"),
    ],
)
def test_a_bad_figures_file_is_refused_with_exit_2(tmp_path, content, message):
    path = tmp_path / "figures.jsonl"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "goals.py"), str(path)],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert "Traceback" not in done.stderr
