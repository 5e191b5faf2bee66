"""Rows to outcomes: find the header row, type each row's cells, let the engine decide, tally.

One pass, nothing written anywhere.  A bad cell makes its row "invalid" (reported with row
number, column and a Chinese reason); every other row is still processed.  Row numbers are the
spreadsheet's own (a title row above the header is allowed and counted).
"""

from __future__ import annotations

import datetime as _dt
import gc
from collections.abc import Callable
from typing import Any

from decision import limits
from decision.roster.cells import shown
from decision.roster.csv_rows import BrokenRow
from decision.roster.decode import RosterError, read_table
from decision.roster.headers import column_letter, convert_cached, header_label, label_for, map_headers
from decision.roster.report import ACTION_WINDOW_DAYS, STATUS_LABELS
from decision.roster.review import cross_tab, review_row
from decision.roster.tables import config, decision_package, paragraph_labels

MAX_ROWS = limits.ROSTER_MAX_ROWS
HEADER_SEARCH_ROWS = 5  # title rows tolerated above the header row

Progress = Callable[[int, int], None]
NO_NOTES: list[str] = []  # shared by the rows without a blank-cell note (never appended to)


def next_deadline(outcome: dict, as_of: str) -> dict | None:
    """The outcome's next deadline: the earliest on or after `as_of`; if every one has passed,
    the latest of them (overdue, `days` < 0)."""
    dated = sorted((d for d in outcome.get("deadlines") or [] if d.get("date")), key=lambda d: d["date"])
    if not dated:
        return None
    upcoming = [d for d in dated if d["date"] >= as_of]
    chosen = upcoming[0] if upcoming else dated[-1]
    days = (_dt.date.fromisoformat(chosen["date"]) - _dt.date.fromisoformat(as_of)).days
    return {"what": chosen.get("what", ""), "date": chosen["date"], "days": days}


def process_rows(
    rows: list[list[str]],
    as_of: str | None = None,
    progress: Progress | None = None,
    labels: dict[str, str] | None = None,
) -> dict:
    """Decide every data row; return the JSON-ready result (see module docstring)."""
    engine = decision_package()
    cfg = config()
    labels = paragraph_labels() if labels is None else labels
    as_of = as_of or _dt.date.today().isoformat()
    found = find_header(rows)
    if found is None:
        count = len([n for n, row in enumerate(rows) if any(row)][:HEADER_SEARCH_ROWS])
        if not count:
            raise RosterError("the file has no rows", "文件是空的，没有任何内容。")
        raise RosterError(
            "no column header is a known fact key or Chinese header",
            f"前 {count} 行中没有可识别的列名。请使用模板中的列名（如“最后联系日期”“是否取得联系”），"
            "或在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重试（编码不对时列名也会无法识别）。",
        )
    start, columns, warnings = found
    warnings = [*reader_notices(rows), *warnings]
    header_row = rows[start]
    data_rows = [(start + 1 + offset + 1, row) for offset, row in enumerate(rows[start + 1 :]) if any(row)]
    if not data_rows:
        raise RosterError("the file has a header row but no data rows", "文件只有表头，没有数据行。")
    if len(data_rows) > MAX_ROWS:
        raise RosterError(
            f"{len(data_rows)} rows exceed {MAX_ROWS}",
            f"文件有 {len(data_rows)} 行，超过 {MAX_ROWS} 行的上限，请拆分后分别处理。",
        )
    header_row, columns = _beyond_header(header_row, columns, data_rows, warnings)
    fact_columns = [c for c in columns if c["role"] == "fact"]
    warnings.extend(_cut_cells(data_rows, columns))
    past_column = next((c for c in columns if c["role"] == "past"), None)
    id_column = next((c for c in columns if c["role"] == "identity"), None)

    results: list[dict] = []
    errors: list[dict] = []
    counts: dict[str, int] = {}
    total = len(data_rows)
    step = max(1, total // 100)
    # The loop allocates millions of short-lived, acyclic objects: reference counting frees them,
    # and the cyclic collector would only re-scan the growing results (~10% of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for done, (row_number, row) in enumerate(data_rows):
            if progress is not None and done % step == 0:
                progress(done, total)
            result = _process_row(engine, cfg, row_number, row, fact_columns, past_column, id_column, as_of)
            errors.extend(result["errors"])
            bucket = result["disposition"] or result["status"]
            counts[bucket] = counts.get(bucket, 0) + 1
            results.append(result)
    finally:
        if collecting:
            gc.enable()
    if progress is not None:
        progress(total, total)

    missing: dict[str, int] = {}  # next missing fact -> rows waiting for it: what to collect first
    for result in results:
        if result["next_question_label"]:
            missing[result["next_question_label"]] = missing.get(result["next_question_label"], 0) + 1
    review = cross_tab(results)
    return {
        "ok": True,
        "as_of": as_of,
        "rules_digest": engine.rules_digest(),
        "columns": columns,
        "header": header_row,
        "warnings": warnings,
        "rows": results,
        "errors": errors,
        "counts": counts,
        "missing": dict(sorted(missing.items(), key=lambda item: -item[1])),
        "count_labels": {
            **cfg["dispositions"],
            "incomplete": STATUS_LABELS["incomplete"],
            "invalid": STATUS_LABELS["invalid"],
        },
        "review": review if past_column else None,
        "total": total,
        "window_days": ACTION_WINDOW_DAYS,
        "paragraph_labels": {pid: (labels or {}).get(pid, pid) for r in results for pid in r["citations"]},
    }


def find_header(rows: list[list[str]]) -> tuple[int, list[dict], list[dict]] | None:
    """(row index, columns, warnings) of the header: the first row naming a known column among
    the first HEADER_SEARCH_ROWS non-empty rows (registers often carry a title row such as
    XX党委失联党员名册 above it); None if there is none."""
    candidates = [n for n, row in enumerate(rows) if any(row)][:HEADER_SEARCH_ROWS]
    for start in candidates:
        columns, warnings = map_headers(rows[start])
        if any(c["role"] in ("fact", "past") for c in columns):
            return start, columns, warnings
    return None


def has_header(rows: list[list[str]]) -> bool:
    """Whether a worksheet is a register (the XLSX reader skips sheets such as 填表说明)."""
    return find_header(rows) is not None


def reader_notices(rows: list) -> list[dict]:
    """What the reader says it did not read (cells.Table.notices), as header warnings."""
    return [
        {"column": None, "header": "", "message": n["message"], "message_zh": n["message_zh"]}
        for n in getattr(rows, "notices", ())
    ]


def _beyond_header(
    header_row: list[str], columns: list[dict], data_rows: list[tuple[int, list[str]]], warnings: list[dict]
) -> tuple[list[str], list[dict]]:
    """Cells right of the last header are kept (in the results, as unnamed columns), with a word."""
    width = max(len(row) for _, row in data_rows)
    if width <= len(header_row):
        return header_row, columns
    first = next(n for n, row in data_rows if len(row) > len(header_row))
    extra: list[dict] = [
        {"index": i, "letter": column_letter(i), "header": "", "role": "other", "key": None}
        for i in range(len(header_row), width)
    ]
    letters = [column_letter(i) for i in range(len(header_row), width)]
    span = letters[0] + (f" 至 {letters[-1]}" if len(letters) > 1 else "")
    warnings.append(
        {
            "column": len(header_row) + 1,
            "header": "",
            "message": f"columns {span} right of the last header (first in row {first}) kept, not read",
            "message_zh": f"{span} 列在最后一个列名的右侧、没有列名（第 {first} 行起有内容），"
            "已原样保留在结果文件中，未用于判断；如其中有需要考虑的情况，请人工核对。",
        }
    )
    return [*header_row, *[""] * len(extra)], [*columns, *extra]


MAX_LISTED = 10  # cut cells named one by one in the warnings; the rest counted


def _cut_cells(data_rows: list[tuple[int, list[str]]], columns: list[dict]) -> list[dict]:
    """A word for each cell the reader cut in a column that holds no fact (a fact column's cut
    cell is the row's error instead)."""
    out: list[dict] = []
    hidden = 0
    for number, row in data_rows:
        for index, flag in getattr(row, "flags", {}).items():
            if not flag.changed or index >= len(columns) or columns[index]["role"] in ("fact", "past"):
                continue
            if len(out) >= MAX_LISTED:
                hidden += 1
                continue
            column = columns[index]
            out.append(
                {
                    "column": index + 1,
                    "header": column["header"],
                    "message": f"row {number} column {column['letter']}: {flag.message}",
                    "message_zh": f"第 {number} 行 {column['letter']} 列「{shown(column['header'])}」："
                    + flag.message_zh.replace("本行未处理。", "结果文件中只保留了这些字，本行照常处理。"),
                }
            )
    if hidden:
        out.append(
            {
                "column": None,
                "header": "",
                "message": f"{hidden} more cut cells",
                "message_zh": f"另有 {hidden} 个单元格同样超过字数上限，只保留了前面的部分。",
            }
        )
    return out


def _process_row(
    engine: Any,
    cfg: dict,
    row_number: int,
    row: list[str],
    fact_columns: list[dict],
    past_column: dict | None,
    id_column: dict | None,
    as_of: str,
) -> dict:
    def cell(column: dict) -> str:
        return row[column["index"]] if column["index"] < len(row) else ""

    facts: dict = {}
    row_errors: list[dict] = []

    def error(column, raw, message, message_zh):
        row_errors.append(
            {
                "row": row_number,
                "column": column["index"] + 1 if column else None,
                "letter": column["letter"] if column else None,
                "header": column["header"] if column else None,
                "key": column["key"] if column else None,
                "value": raw,
                "reason": message,
                "reason_zh": message_zh,
            }
        )

    notes: list[str] = []
    flags = getattr(row, "flags", None)
    if isinstance(row, BrokenRow):  # an unclosed quote (csv_rows.py): shown, not decided
        error(None, "", row.message, row.message_zh)
    else:
        blanks = []
        for column in fact_columns:
            raw = cell(column)
            if flags and column["index"] in flags:  # cut, a formula without value, merged over
                flag = flags[column["index"]]
                error(column, raw, flag.message, flag.message_zh)
                continue
            if raw == "":
                if column["key"] in cfg["blank_means"]:
                    blanks.append(column)
                continue
            ok, value = convert_cached(column["key"], raw)
            if ok:
                facts[column["key"]] = value
            else:
                error(column, raw, value.message, value.message_zh)
        for column in blanks:  # a blank cell that can only mean "did not happen"
            for key, value in cfg["blank_means"][column["key"]].items():
                if key not in facts and not any(c["key"] == key and cell(c) for c in fact_columns):
                    facts[key] = value
                    notes.append(blank_note(column, key, value))
    facts.setdefault("as_of", as_of)

    result = {
        "row": row_number,
        "label": cell(id_column) if id_column else "",
        "cells": row,
        "status": "invalid",
        "disposition": None,
        "disposition_label": "",
        "next_deadline": None,
        "next_question": None,
        "next_question_label": "",
        "citations": [],
        "reason": "",
        "errors": row_errors,
        "notes": notes or NO_NOTES,
        "review": None,
    }
    if not row_errors:
        try:
            outcome = engine.decide(facts)
        except engine.InvalidCase as exc:
            bad_column: dict | None = next((c for c in fact_columns if c["key"] == exc.key), None)
            error(bad_column, cell(bad_column) if bad_column else "", exc.message, exc.message_zh)
        else:
            result["status"] = outcome["status"]
            result["citations"] = list(outcome.get("citations") or [])
            findings = outcome.get("findings") or []
            result["reason"] = findings[-1]["text"] if findings and outcome["status"] == "complete" else ""
            if outcome["status"] == "complete":
                result["disposition"] = outcome["disposition"]
                result["disposition_label"] = outcome.get("disposition_label") or cfg["dispositions"].get(
                    outcome["disposition"], outcome["disposition"]
                )
                result["next_deadline"] = next_deadline(outcome, facts["as_of"])
            else:
                key = outcome.get("next_question")
                result["next_question"] = key
                result["next_question_label"] = header_label(key) if key else ""
    if past_column is not None:
        raw = cell(past_column)
        if raw:
            result["review"] = review_row(raw, result, cfg, past_column, error)
    return result


def blank_note(column: dict, key: str, value: Any) -> str:
    """What the row's result says when a blank cell was read as a fact (rules: blank_means)."""
    return f"「{column['header']}」为空，按“{header_label(key)}：{label_for(key, value)}”处理。"


def process(
    data: bytes,
    filename: str | None = None,
    as_of: str | None = None,
    progress: Progress | None = None,
    labels: dict[str, str] | None = None,
) -> dict:
    """Bytes of a CSV/XLSX roster to the result dict; RosterError when the file is unusable.

    `labels` maps paragraph ids to their Chinese labels (the notice's 第三部分第1项 ...), for
    the reasons and the CSV; without it the labels compiled into rules.json are used.
    """
    rows, fmt, encoding = read_table(data, filename, accept=has_header)
    result = process_rows(rows, as_of=as_of, progress=progress, labels=labels)
    result["format"] = fmt
    result["encoding"] = encoding
    result["filename"] = filename or ""
    return result
