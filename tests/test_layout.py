"""The README's layout table matches the tree.

Every path in the table's first column exists (globs allowed); a directory row that names files
(`x.py` in its second column; a file elsewhere is written with its path) names exactly the files git tracks in that directory (less
`__init__.py` and files with a row of their own), so a file added, moved or removed without
updating the README fails here; and every directory of the runtime, the build code and the page
scripts has a row (or is the parent of one).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
# The trees whose every directory the table must show.
TREES = ["decision", "build_scripts", "docs/assets/js"]
_CODE = re.compile(r"`([^`]+)`")
_FILE = re.compile(r"^[\w.-]+\.\w+$")  # a bare file name, e.g. `decode.py`


def layout_rows(text: str) -> list[tuple[str, str]]:
    """(path, holds) of each row of the table under the `## Layout` heading."""
    section = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not line.startswith("|") or set(cells[0]) <= {"-"} or cells[0] == "path":
            continue
        path = _CODE.fullmatch(cells[0])
        assert path, f"layout table: first column {cells[0]!r} is not one `path`"
        rows.append((path.group(1), "|".join(cells[1:])))
    return rows


def tracked_files() -> list[str]:
    out = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return [name for name in out.splitlines() if (ROOT / name).is_file()]


def problems(rows: list[tuple[str, str]], files: list[str]) -> list[str]:
    found: list[str] = []
    tracked = set(files)
    directories = {str(Path(name).parent) for name in files}
    own_rows = {path for path, _ in rows}
    for path, holds in rows:
        pattern = path.rstrip("/")
        matches = [name for name in tracked if Path(name).match(pattern)] if "*" in pattern else []
        if not (pattern in tracked or pattern in directories or matches):
            found.append(f"{path}: no such file or directory")
            continue
        named = {name for name in _CODE.findall(holds) if _FILE.match(name)}
        if path.endswith("/") and named:
            present = {
                Path(name).name
                for name in tracked
                if str(Path(name).parent) == pattern
                and Path(name).name != "__init__.py"
                and name not in own_rows  # a file with a row of its own
            }
            if named != present:
                missing, extra = sorted(present - named), sorted(named - present)
                found.append(f"{path}: files not named {missing}, named but absent {extra}")
    shown = {path.rstrip("/") for path, _ in rows} | {str(Path(path).parent) for path, _ in rows}
    for directory in sorted(directories):
        in_trees = any(directory == tree or directory.startswith(tree + "/") for tree in TREES)
        if in_trees and directory not in shown:
            found.append(f"{directory}/: no row in the layout table")
    return found


def test_the_layout_table_matches_the_tree():
    rows = layout_rows(README.read_text(encoding="utf-8"))
    assert rows, "README.md has no layout table"
    assert problems(rows, tracked_files()) == []


@pytest.mark.parametrize(
    "row",
    [
        ("decision/gone.py", "a file that is not there"),
        ("decision/roster/", "`decode.py` only, though the package holds more"),
        (
            "decision/roster/",
            (
                "`decode.py`, `xlsx.py`, `tables.py`, `headers.py`, `evaluate.py`, `review.py`, "
                "`report.py`, `worker.py`, `cli.py`, `ghost.py`"
            ),
        ),
    ],
)
def test_the_check_fails_on_a_stale_row(row):
    rows = [r for r in layout_rows(README.read_text(encoding="utf-8")) if r[0] != row[0]]
    assert problems([*rows, row], tracked_files()) != []


def test_the_check_fails_on_a_directory_without_a_row():
    rows = [r for r in layout_rows(README.read_text(encoding="utf-8")) if r[0] != "build_scripts/tools/"]
    assert "build_scripts/tools/: no row in the layout table" in problems(rows, tracked_files())
