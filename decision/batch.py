"""Roster (名册) mode: decide every row of a register, and review past dispositions (回头看).

Standard library only: the same module runs in the command line (`python -m decision batch`)
and in the browser under Pyodide (the roster page's worker calls `process_json`).

Pipeline, one pass, nothing written anywhere:

    bytes --read_table--> rows of strings (CSV in UTF-8 / UTF-8 BOM / GBK-GB18030 / UTF-16, or XLSX)
          --map_headers--> each column is a fact key, the past disposition, or kept as is
          --convert cells--> facts (是/否, option labels, dates such as 2023/2/1 or 2023年2月1日)
          --decide()--> per row: disposition, next deadline, next missing fact, 回头看 flag

A bad cell makes its row "invalid" (reported with row number, column and a Chinese reason);
every other row is still processed.  A file that cannot be read at all raises `RosterError`
with an English `message` for developers and a Chinese `message_zh` for users.

Row numbers are the spreadsheet's own (a title row above the header is allowed and counted).

The alias tables (rules/roster_headers.yaml) are checked when first used: one header or cell
value with two meanings raises ValueError, so an ambiguous table fails the site build.
The browser worker keeps its last result (`last_results_csv()` builds the export on demand).
"""

from __future__ import annotations

import csv
import datetime as _dt
import gc
import io
import json
import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from decision import xlsx

MAX_BYTES = 20 * 1024 * 1024  # a 10,000-row roster is about 1-2 MB
MAX_ROWS = 100_000
HEADER_SEARCH_ROWS = 5  # title rows tolerated above the header row
ACTION_WINDOW_DAYS = 30  # the page's "30 天内需办理" filter, and the CSV column

STATUS_LABELS = {"complete": "已得出结论", "incomplete": "缺少事实", "invalid": "数据有误"}
REVIEW_LABELS = {
    "same": "一致",
    "differs": "不一致",
    "undetermined": "无法比对",
    "unreadable": "原处置无法识别",
}
PAST_KEY = "past_disposition"

Progress = Callable[[int, int], None]


class RosterError(ValueError):
    """The file as a whole cannot be processed.  `message` English, `message_zh` Chinese."""

    def __init__(self, message: str, message_zh: str):
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


# --------------------------------------------------------------------------- engine access


def _engine():
    import decision

    return decision


@lru_cache(maxsize=1)
def config() -> dict:
    """Header and value tables built from rules/roster_headers.yaml, questions and vocabulary.

    Raises ValueError when the tables are ambiguous (one header or cell value for two meanings).
    """
    engine = _engine()
    table = engine.rules()["roster_headers"]
    questions = {q["key"]: q for q in engine.questions()}
    dispositions = engine.vocabulary()["dispositions"]
    aliases: dict[str, list[str]] = table["facts"]
    unknown = sorted(set(aliases) - set(questions))
    if unknown:
        raise ValueError(f"roster_headers.facts: {unknown} are not fact keys of questions.yaml")

    headers: dict[str, str] = {}  # normalised header -> fact key (or PAST_KEY)

    def add(mapping: dict[str, str], word: str, code: str, where: str) -> None:
        norm = normalise(str(word))
        if norm and mapping.setdefault(norm, code) != code:
            raise ValueError(f"roster_headers: {where} {word!r} means both {mapping[norm]} and {code}")

    names = {key: q.get("name") or key for key, q in questions.items()}
    for key, question in questions.items():
        for word in [key, names[key], question.get("text") or "", *aliases.get(key, [])]:
            add(headers, word, key, "header")
    past = table["past_disposition"]
    for word in [PAST_KEY, past["header"], *past.get("aliases", [])]:
        add(headers, word, PAST_KEY, "header")

    bool_values = _bool_table(table["bool"])

    choice_values: dict[str, dict[str, Any]] = {}
    for key, question in questions.items():
        if question.get("type") == "bool":  # 是/否 and the like, plus this question's own labels
            yes_no: dict[str, Any] = dict(bool_values)
            for option in question.get("options", []):
                add(yes_no, option["label"], option["value"], f"{key} value")
            choice_values[key] = yes_no
        if question.get("type") != "choice":
            continue
        mapping: dict[str, str] = {}
        for option in question.get("options", []):
            add(mapping, option["value"], option["value"], f"{key} value")
            if option.get("label"):
                add(mapping, option["label"], option["value"], f"{key} value")
        for code, words in table.get("values", {}).get(key, {}).items():
            for word in words:
                add(mapping, word, str(code), f"{key} value")
        choice_values[key] = mapping

    past_values: dict[str, str] = {}
    for code, label in dispositions.items():
        add(past_values, code, code, "disposition")
        add(past_values, label, code, "disposition")
    for code, words in past.get("values", {}).items():
        for word in words:
            add(past_values, word, code, "disposition")

    return {
        "keys": list(questions),
        "names": names,
        "aliases": aliases,
        "questions": questions,
        "types": {key: q.get("type", "text") for key, q in questions.items()},
        "headers": headers,
        "bool": bool_values,
        "choices": choice_values,
        "past_values": past_values,
        "past_header": past["header"],
        "past_aliases": list(past.get("aliases", [])),
        "dispositions": dispositions,
        "identity": [normalise(name) for name in table.get("identity", [])],
        "identity_names": list(table.get("identity", [])),
        "example": table.get("example", {}),
    }


def _bool_table(table: dict) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for flag_name, flag in (("true", True), ("false", False)):
        words = table.get(flag_name, table.get(flag, []))
        for word in words:
            out[normalise_value(str(word))] = flag
    return out


# --------------------------------------------------------------------------- reading files

_SPACES = re.compile(r"[\s\u3000\u00a0*＊:：]+")
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "／": "/", "－": "-", "—": "-"})


def normalise(header: str) -> str:
    """Header comparison form: no spaces/asterisks/colons, half-width brackets, lower case."""
    return _SPACES.sub("", header.replace("\ufeff", "")).translate(_FULLWIDTH).lower()


def normalise_value(value: str) -> str:
    return _SPACES.sub("", value).translate(_FULLWIDTH).lower()


def decode(data: bytes) -> tuple[str, str]:
    """Decode a CSV file's bytes; return (text, encoding name).  Raise RosterError if unreadable."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, {
            "utf-8-sig": "UTF-8 (BOM)",
            "utf-8": "UTF-8",
            "gb18030": "GBK/GB18030",
            "utf-16": "UTF-16",
        }[encoding]
    raise RosterError(
        "cannot decode the file as UTF-8, UTF-8 with BOM, UTF-16 or GBK/GB18030",
        "无法识别文件的文字编码（支持 UTF-8、带 BOM 的 UTF-8、GBK/GB18030）。"
        "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或 .xlsx 后重新打开。",
    )


def read_table(data: bytes, filename: str | None = None) -> tuple[list[list[str]], str, str]:
    """Rows of strings from CSV or XLSX bytes; return (rows, format, encoding)."""
    if not data or not data.strip():
        raise RosterError("the file is empty", "文件是空的，没有任何内容。")
    if len(data) > MAX_BYTES:
        raise RosterError(f"file of {len(data)} bytes exceeds {MAX_BYTES}", too_big_message(len(data)))
    if xlsx.is_xlsx(data):
        try:
            return xlsx.read_xlsx(data), "xlsx", "XLSX"
        except xlsx.XlsxError as exc:
            raise RosterError(exc.message, exc.message_zh) from exc
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError(
            "legacy .xls (OLE2) files are not supported",
            "暂不支持旧版 Excel（.xls）文件。请在 Excel 中“另存为” .xlsx 或“CSV UTF-8（逗号分隔）”后重新打开。",
        )
    if data.startswith((b"%PDF", b"PK")):
        raise RosterError("not a CSV or XLSX file", "文件不是 CSV 或 Excel（.xlsx）表格。")
    text, encoding = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if first_line.count("\t") > first_line.count(",") and first_line.count("\t") > 0:
        delimiter = "\t"
    elif first_line.count(";") > first_line.count(",") and first_line.count(";") > 0:
        delimiter = ";"
    elif first_line.count("，") > 0 and first_line.count(",") == 0:
        delimiter = "，"
    try:
        rows = [
            [cell.strip() for cell in row]
            for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise RosterError(
            f"malformed CSV: {exc}", f"CSV 文件格式有误（{exc}），请用 Excel 重新导出。"
        ) from exc
    return rows, "csv", encoding


# {size} is filled in with the size in MB (one decimal); the page fills it in the same way,
# from this template, without reading the file.
TOO_BIG_ZH = (
    "文件过大（{size} MB），超过 "
    + str(MAX_BYTES // 1024 // 1024)
    + " MB 的上限。请按党组织拆分为几个文件分别处理。"
)


def too_big_message(size: int) -> str:
    return TOO_BIG_ZH.replace("{size}", f"{size / 1024 / 1024:.1f}")


# --------------------------------------------------------------------------- headers and cells


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as Excel names columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


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
                        "message_zh": f"{column['letter']} 列「{name}」与 {first['letter']} 列「{first['header']}」"
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
                    "message": f"column {column['letter']} {name!r} is not a known fact; kept, not read",
                    "message_zh": f"{column['letter']} 列「{name}」不是可识别的事实列，已原样保留，未用于判断。",
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


class CellError(ValueError):
    def __init__(self, message: str, message_zh: str):
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


def parse_date(raw: str) -> str:
    value = _TIME_OF_DAY.sub("", raw.strip()).replace(" ", "")
    for pattern in _DATE_PATTERNS:
        match = pattern.match(value)
        if match:
            year, month, day = (int(part) for part in match.groups())
            try:
                return _dt.date(year, month, day).isoformat()
            except ValueError:
                raise CellError(f"{raw!r} is not a calendar date", f"「{raw}」不是存在的日期。") from None
    if re.fullmatch(r"\d{4,5}(\.0+)?", value):  # an Excel serial number that lost its date format
        number = int(float(value))
        if 20000 <= number <= 80000:
            return xlsx.serial_to_date(number).isoformat()
    raise CellError(
        f"{raw!r} is not a date (YYYY-MM-DD)",
        f"「{raw}」不是日期，请写成 2023-02-01、2023/2/1 或 2023年2月1日。",
    )


def convert(key: str, raw: str) -> Any:
    """One cell to a fact value of the type the question declares; CellError if it cannot."""
    cfg = config()
    kind = cfg["types"].get(key, "text")
    norm = normalise_value(raw)
    if kind == "bool":
        if norm in cfg["choices"][key]:
            return cfg["choices"][key][norm]
        raise CellError(f"{raw!r} is not yes/no", f"「{raw}」应填“是”或“否”。")
    if kind == "choice":
        mapping = cfg["choices"].get(key, {})
        if norm in mapping:
            return mapping[norm]
        labels = [o.get("label") or o["value"] for o in cfg["questions"].get(key, {}).get("options", [])]
        raise CellError(
            f"{raw!r} is not one of {sorted(set(mapping.values()))}",
            f"「{raw}」不是可选的值，可填：{'、'.join(labels)}。",
        )
    if kind == "date":
        return parse_date(raw)
    if kind == "int":
        match = re.fullmatch(r"(\d+)(?:\.0+)?(?:个?月)?", norm)
        if match:
            return int(match.group(1))
        raise CellError(f"{raw!r} is not a whole number >= 0", f"「{raw}」应为不小于 0 的整数（月数）。")
    return raw


@lru_cache(maxsize=1 << 16)
def _convert_cached(key: str, raw: str) -> tuple[bool, Any]:
    """convert() memoised: a register repeats the same few cell values thousands of times."""
    try:
        return True, convert(key, raw)
    except CellError as exc:
        return False, exc


def parse_past(raw: str) -> str | None:
    return config()["past_values"].get(normalise_value(raw))


# --------------------------------------------------------------------------- deciding


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


def header_label(key: str) -> str:
    cfg = config()
    if key == PAST_KEY:
        return cfg["past_header"]
    return cfg["names"].get(key, key)


def cite_labels(cites: list[str], labels: dict[str, str] | None) -> str:
    """Citations for people: the notice's paragraph labels when known, else the ids."""
    return "、".join((labels or {}).get(pid, pid) for pid in cites)


def process_rows(
    rows: list[list[str]],
    as_of: str | None = None,
    progress: Progress | None = None,
    labels: dict[str, str] | None = None,
) -> dict:
    """Decide every data row; return the JSON-ready result (see module docstring)."""
    engine = _engine()
    cfg = config()
    labels = _paragraph_labels() if labels is None else labels
    as_of = as_of or _dt.date.today().isoformat()
    # The header is the first row naming a known column, among the first HEADER_SEARCH_ROWS
    # non-empty rows: registers often carry a title row (XX党委失联党员名册) above it.
    candidates = [n for n, row in enumerate(rows) if any(row)][:HEADER_SEARCH_ROWS]
    if not candidates:
        raise RosterError("the file has no rows", "文件是空的，没有任何内容。")
    for start in candidates:
        columns, warnings = map_headers(rows[start])
        if any(c["role"] in ("fact", "past") for c in columns):
            break
    else:
        raise RosterError(
            "no column header is a known fact key or Chinese header",
            f"前 {len(candidates)} 行中没有可识别的列名。请使用模板中的列名（如“最后联系日期”“是否取得联系”），"
            "或在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重试（编码不对时列名也会无法识别）。",
        )
    header_row = rows[start]
    data_rows = [(start + 1 + offset + 1, row) for offset, row in enumerate(rows[start + 1 :]) if any(row)]
    if not data_rows:
        raise RosterError("the file has a header row but no data rows", "文件只有表头，没有数据行。")
    if len(data_rows) > MAX_ROWS:
        raise RosterError(
            f"{len(data_rows)} rows exceed {MAX_ROWS}",
            f"文件有 {len(data_rows)} 行，超过 {MAX_ROWS} 行的上限，请拆分后分别处理。",
        )
    fact_columns = [c for c in columns if c["role"] == "fact"]
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
    review: dict[str, Any] = {"checked": 0, "same": 0, "differs": 0, "undetermined": 0, "unreadable": 0}
    pairs: dict[tuple[str, str], int] = {}  # (past label, the notice's label) -> rows that differ
    for result in results:
        if result["next_question_label"]:
            missing[result["next_question_label"]] = missing.get(result["next_question_label"], 0) + 1
        if result["review"]:
            review["checked"] += 1
            review[result["review"]["state"]] += 1
            if result["review"]["state"] == "differs":
                pair = (result["review"]["past_label"], result["disposition_label"])
                pairs[pair] = pairs.get(pair, 0) + 1
    review["pairs"] = [
        {"past": past, "now": now, "rows": n}
        for (past, now), n in sorted(pairs.items(), key=lambda kv: -kv[1])
    ]
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

    for column in fact_columns:
        raw = cell(column)
        if raw == "":
            continue
        ok, value = _convert_cached(column["key"], raw)
        if ok:
            facts[column["key"]] = value
        else:
            error(column, raw, value.message, value.message_zh)
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
            result["review"] = _review(raw, result, cfg, past_column, error)
    return result


def _review(
    raw: str,
    result: dict,
    cfg: dict,
    past_column: dict,
    error: Callable[..., None],
) -> dict:
    past = parse_past(raw)
    review = {
        "past": past,
        "past_raw": raw,
        "past_label": cfg["dispositions"].get(past, raw) if past else raw,
    }
    if past is None:
        known = "、".join(cfg["dispositions"].values())
        error(
            past_column,
            raw,
            f"{raw!r} is not a known disposition",
            f"「{raw}」不是可识别的处置结果，可填：{known}。",
        )
        review.update(state="unreadable", text="原处置结果无法识别，未比对。")
    elif result["status"] == "invalid":
        review.update(state="undetermined", text="本行数据有误，未比对。")
    elif result["status"] == "incomplete":
        review.update(
            state="undetermined",
            text=f"缺少「{result['next_question_label']}」，尚不能判断原处置是否恰当。",
        )
    elif past == result["disposition"]:
        review.update(state="same", text="与按通知得出的处置一致。")
    else:  # the paragraphs are in the row's own citations (依据段落 column)
        review.update(
            state="differs",
            text=f"按通知应为「{result['disposition_label']}」，原处置为「{review['past_label']}」。{result['reason']}",
        )
    return review


# --------------------------------------------------------------------------- outputs

RESULT_HEADERS = [
    "行号",
    "处理状态",
    "处置结果",
    "处置代码",
    "下一期限事项",
    "下一期限日期",
    "距评估日天数",
    f"{ACTION_WINDOW_DAYS}天内需办理",
    "缺少的事实",
    "回头看",
    "回头看说明",
    "依据段落",
    "错误",
]


def results_csv(result: dict) -> str:
    """The results as CSV text, starting with a BOM so that Excel reads it as UTF-8."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    width = len(result["header"])
    writer.writerow(RESULT_HEADERS[:1] + list(result["header"]) + RESULT_HEADERS[1:])
    for row in result["rows"]:
        deadline = row["next_deadline"] or {}
        review = row["review"] or {}
        cells = list(row["cells"]) + [""] * (width - len(row["cells"]))
        writer.writerow(
            [
                row["row"],
                *cells[:width],
                STATUS_LABELS[row["status"]],
                row["disposition_label"],
                row["disposition"] or "",
                deadline.get("what", ""),
                deadline.get("date", ""),
                deadline.get("days", ""),
                "是" if deadline and deadline["days"] <= ACTION_WINDOW_DAYS else "",
                row["next_question_label"],
                REVIEW_LABELS.get(review.get("state") or "", ""),
                review.get("text", ""),
                cite_labels(row["citations"], result.get("paragraph_labels")),
                "；".join(
                    f"{e['letter'] or ''}列「{e['header'] or ''}」：{e['reason_zh']}"
                    if e["letter"]
                    else e["reason_zh"]
                    for e in row["errors"]
                ),
            ]
        )
    return "\ufeff" + out.getvalue()


def template_csv() -> str:
    """The roster template: identity column, every fact's Chinese header, 原处置结果; one example row."""
    cfg = config()
    example = cfg["example"]
    facts = example.get("facts", {})
    keys = cfg["keys"]
    identity = cfg["identity_names"][0]
    headers = [identity] + [cfg["names"][k] for k in keys] + [cfg["past_header"]]
    values = [example.get(identity, "")]
    for key in keys:
        values.append(_label_for(key, facts[key]) if key in facts else "")
    past = example.get(PAST_KEY)
    values.append(cfg["dispositions"].get(past, "") if past else "")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerow(values)
    return "\ufeff" + out.getvalue()


def _label_for(key: str, value: Any) -> str:
    cfg = config()
    if isinstance(value, bool):
        return "是" if value else "否"
    question = cfg["questions"].get(key)
    if question:
        for option in question.get("options", []):
            if option["value"] == value and option.get("label"):
                return option["label"]
    return str(value)


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
    rows, fmt, encoding = read_table(data, filename)
    result = process_rows(rows, as_of=as_of, progress=progress, labels=labels)
    result["format"] = fmt
    result["encoding"] = encoding
    result["filename"] = filename or ""
    return result


_last_result: dict | None = None  # the browser worker's last file, kept for export


def process_json(
    data: bytes,
    filename: str | None = None,
    as_of: str | None = None,
    progress: Progress | None = None,
    labels: dict[str, str] | None = None,
) -> str:
    """For the browser worker: one call over all rows; JSON text of what the page shows.

    Rows are slimmed to what the page displays (no original cells, no reason text: they are in
    the CSV, built on demand by `last_results_csv()`).  Never raises for a bad file:
    `{"ok": false, "message": ..., "message_zh": ...}` instead.
    """
    global _last_result
    _last_result = None
    try:
        result = process(bytes(data), filename, as_of, progress, labels)
    except RosterError as exc:
        return json.dumps(
            {"ok": False, "message": exc.message, "message_zh": exc.message_zh}, ensure_ascii=False
        )
    _last_result = result
    view = {key: value for key, value in result.items() if key not in ("rows", "header", "columns")}
    view["rows"] = [
        {
            "row": row["row"],
            "label": row["label"],
            "status": row["status"],
            "disposition": row["disposition"],
            "next_deadline": row["next_deadline"],
            "next_question_label": row["next_question_label"],
            "citations": row["citations"],
            "errors": [{"letter": e["letter"], "reason_zh": e["reason_zh"]} for e in row["errors"]],
            "review": row["review"] and {k: row["review"][k] for k in ("state", "text", "past_label")},
        }
        for row in result["rows"]
    ]
    return json.dumps(view, ensure_ascii=False, separators=(",", ":"))


def last_results_csv() -> str:
    """The CSV of the worker's last file (the page's 导出结果 button); '' if there is none."""
    return results_csv(_last_result) if _last_result is not None else ""


def summary_lines(result: dict) -> Iterable[str]:
    """Short English-free summary for the command line's standard error (Chinese, for users)."""
    labels = result["count_labels"]
    yield f"共 {result['total']} 行（评估日期 {result['as_of']}，规则版本 {result['rules_digest']}）"
    for code, n in sorted(result["counts"].items(), key=lambda kv: -kv[1]):
        yield f"  {labels.get(code, code)}：{n}"
    if result["missing"]:
        yield "缺少的事实（需补充后才能得出结论）：" + "，".join(
            f"{k} {n} 行" for k, n in result["missing"].items()
        )
    if result["review"]:
        r = result["review"]
        yield f"回头看：比对 {r['checked']} 行，一致 {r['same']}，不一致 {r['differs']}，无法比对 {r['undetermined'] + r['unreadable']}"
        for pair in r["pairs"][:10]:
            yield f"  原处置「{pair['past']}」→ 按通知应为「{pair['now']}」：{pair['rows']} 行"
    for e in result["errors"]:
        where = f"{e['letter']} 列「{e['header']}」" if e["letter"] else ""
        yield f"第 {e['row']} 行 {where}：{e['reason_zh']}"
    for w in result["warnings"]:
        yield w["message_zh"]


# --------------------------------------------------------------------------- command line


def register(subparsers: Any) -> None:
    """`python -m decision batch ROSTER` (hooked in by decision/cli.py's SUBCOMMAND_MODULES)."""
    p = subparsers.add_parser(
        "batch",
        help="decide every row of a roster (CSV or XLSX); print the results as CSV",
        description="Decide every row of a roster (CSV in UTF-8/UTF-8 BOM/GBK/UTF-16, or XLSX) and print "
        "the results as CSV with a UTF-8 BOM (the same file the roster page exports). A summary in Chinese "
        "goes to standard error. Exit 0 when the file was processed (bad rows are reported in it), 2 when "
        "the file cannot be used at all.",
    )
    p.add_argument("file", metavar="ROSTER", help="roster file, or - for standard input")
    p.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="assessment date for rows without one (default: today)"
    )
    p.add_argument("--json", action="store_true", help="print the full result as JSON instead of CSV")
    p.add_argument("--quiet", action="store_true", help="no summary on standard error")
    p.set_defaults(func=cmd_batch)


def _paragraph_labels() -> dict[str, str]:
    """The notice's paragraph labels (第三部分第1项 …), compiled into rules.json."""
    return dict(_engine().rules().get("paragraph_labels", {}))


def cmd_batch(args: Any) -> int:
    import os
    import sys

    from decision.cli import EXIT_INVALID, EXIT_OK, fail

    as_of = None
    if args.as_of:
        try:
            as_of = parse_date(args.as_of)
        except CellError as exc:
            return fail(f"--as-of: {exc.message}", exc.message_zh)
    try:
        if args.file == "-":
            data = sys.stdin.buffer.read()
            name = "stdin"
        else:
            size = os.path.getsize(args.file)
            if size > MAX_BYTES:
                return fail(f"file of {size} bytes exceeds {MAX_BYTES}", too_big_message(size), EXIT_INVALID)
            with open(args.file, "rb") as handle:
                data = handle.read()
            name = os.path.basename(args.file)
        result = process(data, name, as_of=as_of, labels=_paragraph_labels())
    except OSError as exc:
        return fail(f"cannot read {args.file}: {exc.strerror or exc}", f"无法读取文件 {args.file}")
    except RosterError as exc:
        return fail(exc.message, exc.message_zh, EXIT_INVALID)
    if args.json:
        for row in result["rows"]:
            row.pop("cells", None)
        text = json.dumps(result, ensure_ascii=False, indent=1) + "\n"
    else:
        text = results_csv(result)
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.buffer.flush()
    if not args.quiet:
        lines = list(summary_lines(result))
        shown = lines[:40]
        if len(lines) > len(shown):
            shown.append(f"……另有 {len(lines) - len(shown)} 条提示，见结果文件的“错误”列。")
        sys.stderr.write("\n".join(shown) + "\n")
    return EXIT_OK
