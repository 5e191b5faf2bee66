"""Rows to outcomes: find the header row, type each row's cells, let the engine decide, tally.

One pass, nothing written anywhere.  A cell that cannot be read is a missing fact for its row
(`issues`: row number, column and a Chinese reason); it matters only when the row's decision
needs that fact, and then the row names it.  A row is "invalid" (数据有误) only when the facts
it gives contradict each other (or the engine refuses them).  Month-only dates (2013年5月)
decide a row when every day of the month gives the same outcome, and otherwise ask for the day.
Row numbers are the spreadsheet's own (title rows above the header are allowed and counted).
"""

from __future__ import annotations

import datetime as _dt
import gc
from collections.abc import Callable
from typing import Any

from decision import limits
from decision.dates import Month
from decision.engine import decide_brief
from decision.roster.cells import shown
from decision.roster.csv_rows import BrokenRow
from decision.roster.decode import RosterError, read_table
from decision.roster.facts import DISPOSITION_DATE, RESTORED, STATUS, concrete
from decision.roster.headers import column_letter, convert_cached, header_label, label_for, map_headers
from decision.roster.report import ACTION_WINDOW_DAYS, STATUS_LABELS
from decision.roster.review import REVIEW_LABELS, cross_tab, review_row
from decision.roster.tables import (
    PAST_KEY,
    UNKNOWN,
    config,
    decision_package,
    normalise,
    normalise_value,
    paragraph_labels,
)

MAX_ROWS = limits.ROSTER_MAX_ROWS
HEADER_SEARCH_ROWS = 5  # title rows tolerated above the header row

Progress = Callable[[int, int], None]
NO_NOTES: list[str] = []  # shared by the rows without a blank-cell note (never appended to)
# The register columns that are not engine facts (rules/roster_headers.yaml `columns`).


def _month_notes(notes: list, keys: list, facts: dict, by_key: dict, what: str) -> list:
    """The row's notes plus one line per month-only date: which column, and what the month decides."""
    notes = notes if notes is not NO_NOTES else []
    for key in keys:
        column = by_key.get(key)
        notes.append(
            f"「{column['header'] if column else header_label(key)}」只填到月（{facts[key]}），{what}"
        )
    return notes


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
    mapping: dict | None = None,
) -> dict:
    """Decide every data row; return the JSON-ready result (see module docstring).

    `mapping` is a column mapping (mapping.py: the page's 列名对照 step or `--columns FILE`):
    unrecognised headers -> facts, unrecognised values -> options."""
    engine = decision_package()
    cfg = config()
    labels = paragraph_labels() if labels is None else labels
    as_of = as_of or _dt.date.today().isoformat()
    found = find_header(rows, mapping)
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
    warnings.extend(_cut_cells(data_rows, columns))
    layout: dict[str, Any] = {
        "facts": [c for c in columns if c["role"] in ("fact", "extra")],
        "past": next((c for c in columns if c["role"] == "past"), None),
        "id": next((c for c in columns if c["role"] == "identity"), None),
        "name": _person_column(columns, cfg["name_headers"]),
        "branch": _person_column(columns, cfg["branch_headers"]),
        "values": (mapping or {}).get("values") or {},
    }

    results: list[dict] = []
    errors: list[dict] = []
    issues: list[dict] = []
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
            result = _process_row(engine, cfg, row_number, row, layout, as_of)
            errors.extend(result["errors"])
            issues.extend(result["issues"])
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
        "unmapped": unmapped(columns, results, layout["values"]),
        "rows": results,
        "errors": errors,
        "issues": issues,
        "counts": counts,
        "missing": dict(sorted(missing.items(), key=lambda item: -item[1])),
        "count_labels": {
            **cfg["dispositions"],
            "incomplete": STATUS_LABELS["incomplete"],
            "invalid": STATUS_LABELS["invalid"],
        },
        "review": review if layout["past"] else None,
        "review_labels": REVIEW_LABELS,
        "total": total,
        "window_days": ACTION_WINDOW_DAYS,
        "paragraph_labels": {pid: (labels or {}).get(pid, pid) for r in results for pid in r["citations"]},
    }


def find_header(
    rows: list[list[str]], mapping: dict | None = None
) -> tuple[int, list[dict], list[dict]] | None:
    """(row index, columns, warnings) of the header: the first row naming a known column among
    the first HEADER_SEARCH_ROWS non-empty rows (registers often carry a title row such as
    XX党委失联党员名册 above it); None if there is none."""
    candidates = [n for n, row in enumerate(rows) if any(row)][:HEADER_SEARCH_ROWS]
    for start in candidates:
        columns, warnings = map_headers(rows[start], mapping)
        if any(c["role"] in ("fact", "past", "extra") for c in columns):
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
            if (
                not flag.changed
                or index >= len(columns)
                or columns[index]["role"] in ("fact", "past", "extra")
            ):
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


def _person_column(columns: list[dict], headers: list[str]) -> dict | None:
    for wanted in headers:
        for column in columns:
            if column["role"] == "identity" and normalise(column["header"]) == wanted:
                return column
    return None


UNMAPPED_VALUES_MAX = 50  # distinct unrecognised values listed per column for the mapping step


def unmapped(columns: list[dict], results: list[dict], chosen: dict) -> dict:
    """What the mapping step shows: the columns not recognised, and per mapped choice column the
    distinct values not recognised (most rows first, at most UNMAPPED_VALUES_MAX each)."""
    cfg = config()
    values: dict[str, dict[str, int]] = {}
    for result in results:
        for issue in result["issues"]:
            key = issue["key"]
            if key and (
                cfg["types"].get(key) in ("choice", "bool") or key in cfg["extra_values"] or key == PAST_KEY
            ):
                seen = values.setdefault(key, {})
                seen[issue["value"]] = seen.get(issue["value"], 0) + 1
    by_key = {c["key"]: c for c in columns if c["key"]}
    return {
        "columns": [
            {"letter": c["letter"], "header": c["header"]}
            for c in columns
            if c["role"] == "other" and c["header"]
        ],
        "values": [
            {
                "key": key,
                "letter": by_key[key]["letter"],
                "header": by_key[key]["header"],
                "values": [
                    {"value": v, "rows": n}
                    for v, n in sorted(seen.items(), key=lambda kv: -kv[1])[:UNMAPPED_VALUES_MAX]
                ],
            }
            for key, seen in values.items()
            if key in by_key
        ],
    }


def person_label(name: str, branch: str) -> str:
    """How a member is named in the results and the reports: 姓名（所在党支部）."""
    if name and branch:
        return f"{name}（{branch}）"
    return name or branch


def _process_row(engine: Any, cfg: dict, row_number: int, row: list[str], layout: dict, as_of: str) -> dict:
    def cell(column: dict | None) -> str:
        return row[column["index"]] if column is not None and column["index"] < len(row) else ""

    fact_columns: list[dict] = layout["facts"]
    facts: dict = {}  # fact key (or an extra column's key) -> value; month-only dates as Month
    row_errors: list[dict] = []  # the facts contradict each other: the row is 数据有误
    row_issues: list[dict] = []  # a cell not understood: that fact is unknown for this row

    def entry(column, raw, message, message_zh):
        return {
            "row": row_number,
            "column": column["index"] + 1 if column else None,
            "letter": column["letter"] if column else None,
            "header": column["header"] if column else None,
            "key": column["key"] if column else None,
            "value": raw,
            "reason": message,
            "reason_zh": message_zh,
        }

    def error(column, raw, message, message_zh):
        row_errors.append(entry(column, raw, message, message_zh))

    def issue(column, raw, message, message_zh):
        row_issues.append(entry(column, raw, message, message_zh))

    notes: list[str] = []
    by_key = layout.get("by_key")
    if by_key is None:  # the same for every row: built on the first
        by_key = layout["by_key"] = {c["key"]: c for c in fact_columns}
        layout["fact_cells"] = [(c, c["key"], c["index"]) for c in fact_columns]
    if isinstance(row, BrokenRow):  # an unclosed quote (csv_rows.py): shown, not decided
        error(None, "", row.message, row.message_zh)
    else:
        blanks = []
        blank_means = cfg["blank_means"]
        chosen_values: dict = layout["values"]
        flags = getattr(row, "flags", None)
        width = len(row)
        for column, key, index in layout["fact_cells"]:
            raw = row[index] if index < width else ""
            if flags and index in flags:  # cut, a formula without value, merged over
                flag = flags[index]
                error(column, raw, flag.message, flag.message_zh)
                continue
            if raw == "":
                if key in blank_means:
                    blanks.append(column)
                continue
            chosen = chosen_values.get(key) if chosen_values else None  # usually no mapping
            if chosen:
                picked = chosen.get(normalise_value(raw))
                if picked == UNKNOWN:  # the user's mapping: this value says nothing certain
                    continue
                if picked is not None:
                    facts[key] = picked
                    continue
            ok, value = convert_cached(key, raw)
            if ok:
                facts[key] = value
            else:
                issue(column, raw, value.message, value.message_zh)
        _register_columns(facts, by_key, cell, error, notes)
        for column in blanks:  # a blank cell that can only mean "did not happen"
            for key, value in blank_means[column["key"]].items():
                if key not in facts and not cell(by_key.get(key)):  # fact columns have distinct keys
                    facts[key] = value
                    notes.append(blank_note(column, key, value))
    facts.setdefault("as_of", as_of)
    disposition_date = facts.pop(DISPOSITION_DATE, None)

    name, branch = cell(layout["name"]), cell(layout["branch"])
    result = {
        "row": row_number,
        "label": person_label(name, branch) or cell(layout["id"]),
        "name": name,
        "branch": branch,
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
        "issues": row_issues,
        "notes": notes or NO_NOTES,
        "review": None,
    }
    outcome: dict | None = None
    if not row_errors:
        outcome, unsure, exc = decide_dates(engine, facts)
        if exc is not None:
            bad_column: dict | None = by_key.get(exc.key)
            error(bad_column, cell(bad_column), exc.message, exc.message_zh)
        elif unsure:
            column_: dict | None = by_key.get(unsure[0]) or by_key.get(RESTORED)
            header = column_["header"] if column_ else header_label(unsure[0])
            result["status"] = "incomplete"
            result["next_question"] = unsure[0] if unsure[0] != RESTORED else "months_out_of_contact"
            result["next_question_label"] = f"{header}（具体日期）"
            result["notes"] = _month_notes(
                notes, unsure, facts, by_key, "该月不同日期得出的结论不同，请填写具体日期。"
            )
        elif outcome is not None:
            _fill(result, outcome, cfg, facts)
            months = [k for k, v in facts.items() if type(v) is Month]
            if months:
                result["notes"] = _month_notes(
                    notes, months, facts, by_key, "该月任何一天得出的结论相同；期限按该月1日推算。"
                )
    if result["status"] == "incomplete" and result["next_question"]:
        asked = by_key.get(result["next_question"])
        bad = [i for i in row_issues if asked is not None and i["key"] == asked["key"]]
        if bad:  # the missing fact is the cell not understood: say which and why
            result["reason"] = f"{bad[0]['letter']}列「{bad[0]['header']}」：{bad[0]['reason_zh']}"
    if layout["past"] is not None:
        raw = cell(layout["past"])
        picked = (layout["values"].get(PAST_KEY) or {}).get(normalise_value(raw)) if raw else None
        if raw and picked != UNKNOWN:  # 不确定 in the user's mapping: not compared
            result["review"] = review_row(
                raw,
                result,
                cfg,
                layout["past"],
                issue,
                {
                    "engine": engine,
                    "facts": facts,
                    "date": disposition_date,
                    "outcome": outcome,
                    "past": picked,
                },
            )
    for entry_ in (*row_errors, *row_issues):  # messages name the member, not only the row
        entry_["label"] = result["label"]
    return result


def _fill(result: dict, outcome: dict, cfg: dict, facts: dict) -> None:
    """The row's result from the engine's brief outcome (engine.decide_brief)."""
    result["status"] = outcome["status"]
    result["citations"] = list(outcome["citations"])
    if outcome["status"] == "complete":
        result["reason"] = outcome["conclusion"]
        result["disposition"] = outcome["disposition"]
        result["disposition_label"] = outcome.get("disposition_label") or cfg["dispositions"].get(
            outcome["disposition"], outcome["disposition"]
        )
        result["next_deadline"] = next_deadline(outcome, outcome["as_of"])
    else:
        key = outcome.get("next_question")
        result["next_question"] = key
        result["next_question_label"] = header_label(key) if key else ""


def _register_columns(facts: dict, by_key: dict, cell: Callable, error: Callable, notes: list) -> None:
    """The register columns that are not engine facts (rules: roster_headers `columns`):
    党籍状态 gives `suspended`, 取得联系时间 gives `contact` (and, in `decide_dates`, the months
    out of contact).  Facts that contradict each other make the row 数据有误."""
    status = facts.pop(STATUS, None)
    if status is not None:
        column = by_key[STATUS]
        suspended = status == "suspended"
        if "suspended" in facts and facts["suspended"] != suspended:
            error(
                column,
                cell(column),
                "membership status contradicts the suspension column",
                f"「{column['header']}」为「{cell(column)}」，与「{by_key['suspended']['header']}」"
                f"「{cell(by_key['suspended'])}」矛盾。",
            )
        elif not suspended and "suspended_since" in facts:
            since = by_key["suspended_since"]
            error(
                column,
                cell(column),
                "membership status is normal but a suspension date is given",
                f"「{column['header']}」为「{cell(column)}」，但「{since['header']}」填有「{cell(since)}」，"
                "二者矛盾（如已恢复党籍，请在处置情况中注明并核对）。",
            )
        else:
            facts["suspended"] = suspended
    restored = facts.get(RESTORED)
    if restored is not None:
        column = by_key[RESTORED]
        if facts.get("contact") == "lost":
            error(
                column,
                cell(column),
                "a date of restored contact for a member still out of contact",
                f"「{by_key['contact']['header']}」为「{cell(by_key['contact'])}」，"
                f"但「{column['header']}」填有「{cell(column)}」，二者矛盾。",
            )
        elif "contact" not in facts:
            facts["contact"] = "restored"
            notes.append(f"「{column['header']}」填有日期，按“已重新取得联系”处理。")
        last = facts.get("last_contact")
        if last is not None and _last_day(restored) < _first_day(last):
            error(
                column,
                cell(column),
                "contact restored before it was lost",
                f"「{column['header']}」「{cell(column)}」早于「{by_key['last_contact']['header']}」"
                f"「{cell(by_key['last_contact'])}」。",
            )


def _first_day(value: Any) -> _dt.date:
    return value.first() if type(value) is Month else _dt.date.fromisoformat(value)


def _last_day(value: Any) -> _dt.date:
    return value.last() if type(value) is Month else _dt.date.fromisoformat(value)


def _key(outcome: dict) -> tuple:
    return (outcome["status"], outcome.get("disposition"), outcome.get("next_question"))


def decide_dates(engine: Any, facts: dict) -> tuple[dict | None, list[str], Any]:
    """Decide, with month-only dates: (brief outcome, keys whose exact day is needed, InvalidCase).

    The row is decided on the first day of every such month; then each month is moved to its
    last day alone, and all of them together.  If every variant gives the same outcome (status,
    disposition, next question) the month alone decides it; otherwise the months whose day
    changed the outcome are returned and the row asks for their exact day.  (Each threshold is
    monotonic in each date, so a month's two ends bracket every day between.)"""
    try:
        base = decide_brief(concrete(facts))
    except engine.InvalidCase as exc:
        months = [k for k, v in facts.items() if type(v) is Month]
        if months and exc.key in months:  # e.g. the month of the last contact is the current one
            return None, [exc.key], None
        return None, [], exc
    months = [k for k, v in facts.items() if type(v) is Month]
    if not months:
        return base, [], None
    expected = _key(base)
    unsure = []
    for key in months:
        try:
            if _key(decide_brief(concrete(facts, {key}))) != expected:
                unsure.append(key)
        except engine.InvalidCase:
            unsure.append(key)
    if not unsure and len(months) > 1:
        try:
            if _key(decide_brief(concrete(facts, set(months)))) != expected:
                unsure = months
        except engine.InvalidCase:
            unsure = months
    return (None, unsure, None) if unsure else (base, [], None)


def blank_note(column: dict, key: str, value: Any) -> str:
    """What the row's result says when a blank cell was read as a fact (rules: blank_means)."""
    return f"「{column['header']}」为空，按“{header_label(key)}：{label_for(key, value)}”处理。"


def process(
    data: bytes,
    filename: str | None = None,
    as_of: str | None = None,
    progress: Progress | None = None,
    labels: dict[str, str] | None = None,
    mapping: dict | None = None,
) -> dict:
    """Bytes of a CSV/XLSX roster to the result dict; RosterError when the file is unusable.

    `labels` maps paragraph ids to their Chinese labels (the notice's 第三部分第1项 ...), for
    the reasons and the CSV; without it the labels compiled into rules.json are used.
    """
    rows, fmt, encoding = read_table(
        data, filename, accept=lambda rows: find_header(rows, mapping) is not None
    )
    result = process_rows(rows, as_of=as_of, progress=progress, labels=labels, mapping=mapping)
    result["format"] = fmt
    result["encoding"] = encoding
    result["filename"] = filename or ""
    return result
