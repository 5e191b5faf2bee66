"""Columns and cells: which column holds which fact, and each cell typed as its question declares.

A column's header is looked up (after `normalise`) in the tables of tables.py; a cell becomes a
fact value (是/否, option labels, dates such as 2023/2/1 or 2023年2月1日, month counts) or a
`CellError` naming the reason in English and Chinese.  `label_for` goes the other way, for the
template and the training roster.
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import lru_cache
from typing import Any

from decision.errors import BilingualError
from decision.roster import xlsx
from decision.roster.cells import shown
from decision.roster.tables import PAST_KEY, config, normalise, normalise_value

# Excel's column names (0 -> A, 26 -> AA); the XLSX reader owns the one definition.
column_letter = xlsx.column_name


def map_headers(header_row: list[str]) -> tuple[list[dict], list[dict]]:
    """Describe each column; return (columns, warnings).

    A column's `role` is `fact` (with `key`), `past` (回头看), `identity`, or `other`
    (kept in the results, not read).  A second column for the same key is kept as `other`
    with a warning, so nothing is read twice.
    """
    cfg = config()
    columns: list[dict] = []
    warnings: list[dict] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(header_row):
        name = raw.replace("\ufeff", "").strip()
        norm = normalise(name)
        column = {
            "index": index,
            "letter": column_letter(index),
            "header": name,
            "role": "other",
            "key": None,
        }
        key = cfg["headers"].get(norm)
        if key is not None:
            if key in seen:
                first = columns[seen[key]]
                warnings.append(
                    {
                        "column": index + 1,
                        "header": name,
                        "message": f"column {column['letter']} repeats {key} (first in column {first['letter']}); ignored",
                        "message_zh": f"{column['letter']} 列「{shown(name)}」与 {first['letter']} 列「{shown(first['header'])}」"
                        "对应同一项，只读取前一列，本列原样保留。",
                    }
                )
            else:
                seen[key] = index
                column["key"] = key
                column["role"] = "past" if key == PAST_KEY else "fact"
        elif norm in cfg["identity"]:
            column["role"] = "identity"
        elif name:
            warnings.append(
                {
                    "column": index + 1,
                    "header": name,
                    "message": f"column {column['letter']} {shown(name)!r} is not a known fact; kept, not read",
                    "message_zh": f"{column['letter']} 列「{shown(name)}」不是可识别的事实列，已原样保留，未用于判断。",
                }
            )
        columns.append(column)
    return columns, warnings


_TIME_OF_DAY = re.compile(r"[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")  # "2023-02-01 00:00" from Excel
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


class CellError(BilingualError, ValueError):
    """One cell cannot be read as its question's type."""


# Characters that show as nothing: zero-width spaces and joiners, the word joiner, a BOM, and
# the bidirectional marks and embeddings (copied from web pages and chat apps).  They are
# removed before a cell is typed; the results file keeps the cell as it was.
INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]")


def _quoted(raw: str) -> str:
    """A cell as a message shows it: at most 20 characters."""
    return shown(raw)


def parse_date(raw: str) -> str:
    value = _TIME_OF_DAY.sub("", raw.strip()).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return _dt.date(year, month, day).isoformat()
            except ValueError:
                raise CellError(
                    f"{_quoted(raw)!r} is not a calendar date", f"「{_quoted(raw)}」不是存在的日期。"
                ) from None
    if re.fullmatch(r"\d{5}(\.0+)?", value):
        # An Excel serial number that lost its date format, or a typo (20230 for 2023-02-03):
        # never guessed, the user is told which date the serial would be.
        number = int(float(value))
        if 20000 <= number <= 80000:
            as_serial = xlsx.serial_to_date(number)
            raise CellError(
                f"{value!r} is a bare number (as an Excel serial: {as_serial.isoformat()})",
                f"「{value}」是一个数字，不是日期。如果它是 Excel 的日期序号，对应 {as_serial.year}年{as_serial.month}月"
                f"{as_serial.day}日，请把该列设为日期格式或直接写成 {as_serial.isoformat()}；如果是笔误，请改正后重新处理。",
            )
    raise CellError(
        f"{_quoted(raw)!r} is not a date (YYYY-MM-DD)",
        f"「{_quoted(raw)}」不是日期，请写成 2023-02-01、2023/2/1 或 2023年2月1日。",
    )


def convert(key: str, raw: str) -> Any:
    """One cell to a fact value of the type the question declares; CellError if it cannot."""
    cfg = config()
    kind = cfg["types"].get(key, "text")
    raw = INVISIBLE.sub("", raw)
    norm = normalise_value(raw)
    if kind == "bool":
        if norm in cfg["choices"][key]:
            return cfg["choices"][key][norm]
        raise CellError(f"{_quoted(raw)!r} is not yes/no", f"「{_quoted(raw)}」应填“是”或“否”。")
    if kind == "choice":
        mapping = cfg["choices"].get(key, {})
        if norm in mapping:
            return mapping[norm]
        labels = [o.get("label") or o["value"] for o in cfg["questions"].get(key, {}).get("options", [])]
        raise CellError(
            f"{_quoted(raw)!r} is not one of {sorted(set(mapping.values()))}",
            f"「{_quoted(raw)}」不是可选的值，可填：{'、'.join(labels)}。",
        )
    if kind == "date":
        return parse_date(raw)
    if kind == "int":
        # At most 9 digits: int() refuses 4,300 and more, and the engine refuses above 1200.
        match = re.fullmatch(r"0*(\d{1,9})(?:\.0+)?(?:个?月)?", norm)
        if match:
            return int(match.group(1))
        raise CellError(
            f"{_quoted(raw)!r} is not a whole number >= 0 (at most 9 digits)",
            f"「{_quoted(raw)}」应为不小于 0 的整数（月数）。",
        )
    return raw


@lru_cache(maxsize=1 << 16)
def convert_cached(key: str, raw: str) -> tuple[bool, Any]:
    """convert() memoised: a register repeats the same few cell values thousands of times."""
    try:
        return True, convert(key, raw)
    except CellError as exc:
        return False, exc


def parse_past(raw: str) -> str | None:
    return config()["past_values"].get(normalise_value(raw))


def header_label(key: str) -> str:
    cfg = config()
    if key == PAST_KEY:
        return cfg["past_header"]
    return cfg["names"].get(key, key)


def label_for(key: str, value: Any) -> str:
    cfg = config()
    if isinstance(value, bool):
        return "是" if value else "否"
    question = cfg["questions"].get(key)
    if question:
        for option in question.get("options", []):
            if option["value"] == value and option.get("label"):
                return option["label"]
    return str(value)
