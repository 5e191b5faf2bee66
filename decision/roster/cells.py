"""What a reader hands on besides the cell strings: flagged cells and notices about the file.

Both readers (csv_rows.py, xlsx.py) return plain lists of strings.  A row with a cell that was
not read as it stands (a cell over limits.MAX_CELL_CHARS, cut; an XLSX formula saved without
its value; a cell covered by a merged region) is a `FlaggedRow`: its `flags` map the column
index to the reason, so that evaluate.py makes the row invalid when the cell holds a fact
instead of reading it as blank.  The rows of a whole file may be a `Table`, whose `notices`
say what was not read (other worksheets, merged regions filled from their anchor).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Flag:
    message: str  # English, for developers
    message_zh: str  # Chinese, shown in the row's errors when the column holds a fact
    # Whether the export changed the cell (a cut cell): then a word is due whatever the column.
    changed: bool = False


class FlaggedRow(list):
    """A row whose `flags` ({column index: Flag}) name the cells not read as they stand."""

    flags: dict[int, Flag]

    def __init__(self, cells: Iterable[str] = (), flags: dict[int, Flag] | None = None):
        super().__init__(cells)
        self.flags = dict(flags or {})


class Table(list):
    """Rows of one file, with `notices`: [{"message", "message_zh"}] about what was not read."""

    notices: list[dict]

    def __init__(self, rows: Iterable[list[str]] = (), notices: list[dict] | None = None):
        super().__init__(rows)
        self.notices = list(notices or [])


def shown(value: str, limit: int = 20) -> str:
    """At most `limit` characters of a value, for a message ("…" marks the cut)."""
    value = str(value)
    return value if len(value) <= limit else value[:limit] + "…"


def cut_flag(length: int, limit: int) -> Flag:
    return Flag(
        f"cell of {length} characters cut to {limit}",
        f"单元格有 {length:,} 个字，超过单个单元格 {limit:,} 个字的上限，只读取了前 {limit:,} 个字，本行未处理。",
        changed=True,
    )
