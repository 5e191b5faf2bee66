"""CSV text to rows of stripped strings, bounded, and with unclosed quotes reported.

Two things the plain `csv.reader` does not do:

- bound the work: lines, columns and cells are capped (decision/limits.py) before the rows
  that would exceed them are built, so a 10 MB header of commas or 19 M blank lines is
  refused in well under a second;
- not lose rows: a name typed as `"张三` opens a quoted field that swallows every following
  line into one cell.  The reader runs in strict mode, which fails at the end of the data or
  at the next stray quote; the line where that record began becomes a `BrokenRow` (its
  cells read with quotes as plain characters, so the name still shows) that the evaluator
  reports as an invalid row, and reading resumes on the next line.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator

from decision import limits
from decision.errors import RosterError
from decision.roster.cells import FlaggedRow, cut_flag

EMPTY_ROW: list[str] = []  # every blank line (shared: rows are never modified in place)


class BrokenRow(list):
    """One line whose quote never closed; `message` (English) and `message_zh` say so."""

    message = "unclosed quote: the line was read without its quotes and not decided"
    message_zh = (
        '本行的英文双引号（"）没有闭合，本行未处理（其后各行照常处理）。请删去或补全该引号后重新处理。'
    )


def _too_many_lines(count: int) -> RosterError:
    return RosterError(
        f"{count} lines exceed {limits.MAX_SHEET_ROWS}",
        f"文件有 {count:,} 行，超过 {limits.MAX_SHEET_ROWS:,} 行，不像是名册。请删去多余的空行或按党组织拆分后再试。",
    )


def _too_wide(row_number: int, count: int | None) -> RosterError:
    many = f"有 {count:,} 列" if count is not None else f"超过 {limits.MAX_COLUMNS:,} 列"
    return RosterError(
        f"row {row_number} has {count if count is not None else 'more than ' + str(limits.MAX_COLUMNS)} columns; "
        f"at most {limits.MAX_COLUMNS}",
        f"第 {row_number} 行{many}，超过 {limits.MAX_COLUMNS:,} 列的上限，不像是名册。"
        "请删除多余的列（或多余的分隔符）后再试。",
    )


def read_rows(text: str, delimiter: str) -> list[list[str]]:
    """Rows of `text` (each cell stripped), blank lines as the shared EMPTY_ROW; a cell over
    MAX_CELL_CHARS is cut and its row a FlaggedRow."""
    # csv refuses a field over its limit (131,072 characters by default) as if the quoting were
    # broken; the file is already bounded (ROSTER_MAX_BYTES), and a long cell is cut below.
    previous = csv.field_size_limit(max(csv.field_size_limit(), limits.ROSTER_MAX_BYTES + 1))
    try:
        return _read_rows(text, delimiter)
    finally:
        csv.field_size_limit(previous)


def _row(record: list[str], kind: type = list) -> list[str]:
    cells = [cell.strip() for cell in record]
    if kind is list and not any(len(cell) > limits.MAX_CELL_CHARS for cell in cells):
        return cells
    flags = {
        n: cut_flag(len(cell), limits.MAX_CELL_CHARS)
        for n, cell in enumerate(cells)
        if len(cell) > limits.MAX_CELL_CHARS
    }
    cells = [cell[: limits.MAX_CELL_CHARS] for cell in cells]
    return kind(cells) if kind is not list else FlaggedRow(cells, flags)


def _read_rows(text: str, delimiter: str) -> list[list[str]]:
    most = max(text.count("\n"), text.count("\r"))  # counted before any line is split off
    if most > limits.MAX_SHEET_ROWS:
        raise _too_many_lines(most)
    for number, line in enumerate(_lines(text), 1):
        # A line with that many delimiters and no quote has that many columns: refuse it before
        # csv builds a list of millions of empty strings.
        if line.count(delimiter) >= limits.MAX_COLUMNS and '"' not in line:
            raise _too_wide(number, line.count(delimiter) + 1)
    rows: list[list[str]] = []
    cells = 0
    broken = 0
    start = 0  # index of the line where the current reader began
    lines: list[str] | None = None  # split only once a quote is found broken (rare)
    while True:
        source = _lines(text) if lines is None else _from(lines, start)
        reader = csv.reader(source, delimiter=delimiter, strict=True)
        began = start
        try:
            for record in reader:
                if len(record) > limits.MAX_COLUMNS:
                    raise _too_wide(len(rows) + 1, len(record))
                cells += len(record)
                if cells > limits.MAX_CELLS:
                    raise RosterError(
                        f"more than {limits.MAX_CELLS} cells",
                        f"文件的单元格超过 {limits.MAX_CELLS:,} 个，请按党组织拆分后再处理。",
                    )
                rows.append(_row(record) if record else EMPTY_ROW)
                began = start + reader.line_num  # the next record begins on the next line
            return rows
        except csv.Error:
            # Strict mode fails at the end of the data inside a quoted field, at a quote followed by
            # anything but a delimiter, or at a field over csv's size limit: the record that began
            # on line `began` is broken.  Keep that line alone, quotes as plain characters.
            broken += 1
            if broken > limits.MAX_BROKEN_QUOTE_ROWS:
                raise RosterError(
                    f"more than {limits.MAX_BROKEN_QUOTE_ROWS} lines with unclosed quotes",
                    f"文件中超过 {limits.MAX_BROKEN_QUOTE_ROWS} 行的引号没有闭合，不像是 CSV 名册。"
                    "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或 .xlsx 后再试。",
                ) from None
            if lines is None:
                lines = list(_lines(text))
            line = lines[began]
            plain = next(csv.reader([line], delimiter=delimiter, quoting=csv.QUOTE_NONE), [])
            if len(plain) > limits.MAX_COLUMNS:
                raise _too_wide(len(rows) + 1, len(plain)) from None
            rows.append(_row(plain, BrokenRow))
            start = began + 1
            if start >= len(lines):
                return rows


# One line with its ending (\n, \r\n or \r, as csv splits them).  Lines are cut from the text
# one at a time: io.StringIO would first copy the whole text as 4 bytes a character.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    return (match.group() for match in _LINE.finditer(text))


def _from(lines: list[str], start: int) -> Iterator[str]:
    return map(lines.__getitem__, range(start, len(lines)))
