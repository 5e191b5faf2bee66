"""The column mapping (列名对照): what the user decided for the columns and values the tables do
not recognise, saved as a small JSON file and loaded again by the page or by
`python -m decision batch --columns FILE`.

    {"format": "shilian-roster-columns", "version": 1,
     "columns": {"失联情形": "cause", "工作单位": "ignore"},
     "values": {"cause": {"外出务工": "objective", "下落不明": "unknown"}}}

A column maps to a fact key, a register column key (restored_on, membership_status,
disposition_date), the past disposition (past_disposition), or "ignore".  A value maps to one
of the fact's options (true/false for yes/no facts) or "unknown" (不确定: the fact stays
missing).  Nothing is guessed: only what the file says is used.  The file is user input and
bounded like every other (size, entries, lengths) before anything is built from it.
"""

from __future__ import annotations

import json
from typing import Any

from decision.roster.decode import RosterError
from decision.roster.tables import (
    IGNORE,
    NO_DISPOSITION,
    PAST_KEY,
    UNKNOWN,
    config,
    normalise,
    normalise_value,
)

FORMAT = "shilian-roster-columns"
MAX_BYTES = 64 * 1024
MAX_ENTRIES = 500  # columns, and values over all columns
MAX_TEXT = 100  # characters of a header or a value


def _fail(message: str, message_zh: str) -> RosterError:
    return RosterError(f"column mapping: {message}", f"列名对照文件有误：{message_zh}")


def targets() -> dict[str, dict[str, Any]]:
    """Every key a column may be mapped to: {key: {"label": 中文, "options": {code: label}}}."""
    cfg = config()
    out: dict[str, dict[str, Any]] = {}
    for key in cfg["keys"]:
        if key == "as_of":
            continue
        question = cfg["questions"][key]
        options = {}
        if question.get("type") in ("choice", "bool"):
            options = {
                str(o["value"]).lower(): o.get("label") or str(o["value"]) for o in question["options"]
            }
        out[key] = {"label": cfg["names"][key], "options": options}
    for key, spec in cfg["extra"].items():
        options = {code: words[0] for code, words in (spec.get("values") or {}).items() if words}
        out[key] = {"label": spec["header"], "options": options}
    out[PAST_KEY] = {
        "label": cfg["past_header"],
        "options": {NO_DISPOSITION: "尚未处置", **cfg["dispositions"]},
    }
    return out


def load(data: bytes | str) -> dict:
    """A mapping file's text to {"columns": {normalised header: key}, "values": {key: {normalised
    value: fact value or "unknown"}}}.  RosterError (English and Chinese) when it is not one."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise _fail(f"{len(data)} bytes exceed {MAX_BYTES}", f"文件超过 {MAX_BYTES // 1024} KB。")
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _fail("not UTF-8 JSON", "不是本工具保存的对照文件（应为 UTF-8 编码的 JSON）。") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _fail("not a column mapping", "不是本工具保存的对照文件。")
    columns, values = doc.get("columns") or {}, doc.get("values") or {}
    if not isinstance(columns, dict) or not isinstance(values, dict):
        raise _fail("columns and values must be objects", "文件结构不对。")
    known = targets()
    if (
        len(columns) > MAX_ENTRIES
        or sum(len(v) if isinstance(v, dict) else 1 for v in values.values()) > MAX_ENTRIES
    ):
        raise _fail(f"more than {MAX_ENTRIES} entries", f"条目超过 {MAX_ENTRIES} 条。")
    out_columns: dict[str, str] = {}
    for header, key in columns.items():
        if not isinstance(key, str) or len(header) > MAX_TEXT or (key not in known and key != IGNORE):
            raise _fail(
                f"column {header[:MAX_TEXT]!r} maps to {str(key)[:40]!r}",
                f"列「{header[:MAX_TEXT]}」的对应项无法识别。",
            )
        out_columns[normalise(header)] = key
    out_values: dict[str, dict[str, Any]] = {}
    cfg = config()
    for key, table in values.items():
        if key not in known or not known[key]["options"] or not isinstance(table, dict):
            raise _fail(f"values for {str(key)[:40]!r}", f"「{str(key)[:40]}」不是可选值的事实。")
        mapped: dict[str, Any] = {}
        for value, code in table.items():
            if not isinstance(code, str) or len(value) > MAX_TEXT:
                raise _fail(f"value {value[:MAX_TEXT]!r}", f"值「{value[:MAX_TEXT]}」的对应项无法识别。")
            if code == UNKNOWN:
                mapped[normalise_value(value)] = UNKNOWN
                continue
            if code not in known[key]["options"]:
                raise _fail(
                    f"{key}: {code[:40]!r} is not an option",
                    f"值「{value[:MAX_TEXT]}」对应的「{code[:40]}」不是可选项。",
                )
            typed: Any = code
            if cfg["types"].get(key) == "bool":
                typed = code == "true"
            mapped[normalise_value(value)] = typed
        out_values[key] = mapped
    return {"columns": out_columns, "values": out_values}


def dump(columns: dict[str, str], values: dict[str, dict[str, str]]) -> str:
    """The mapping file's text (the page's 保存对照 and the tests)."""
    doc = {"format": FORMAT, "version": 1, "columns": columns, "values": values}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"
