"""What people read: the results CSV (the page's 导出结果, streamed in pieces; the command line's
output), the roster template, and the Chinese summary for the command line.

Every CSV starts with a BOM so that Excel and WPS read it as UTF-8, and no cell of it starts a
formula (`spreadsheet_text`): the original cells and headers come back exactly as they were read
except that one which Excel would evaluate gets a leading apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

from decision.roster.cells import shown
from decision.roster.headers import label_for
from decision.roster.review import REVIEW_LABELS
from decision.roster.tables import PAST_KEY, config

ACTION_WINDOW_DAYS = 30  # the page's "30 天内需办理" filter, and the CSV column

STATUS_LABELS = {"complete": "已得出结论", "incomplete": "缺少事实", "invalid": "数据有误"}


# A cell starting with one of these is evaluated by Excel, WPS or LibreOffice (=HYPERLINK(...),
# =cmd|' /C calc'!A0, +, -, @, and a tab or line break before any of them): OWASP's CSV
# injection rule.  The product's own numbers (row numbers, days, possibly negative) are ints
# and are written as numbers; every string, the user's or ours, goes through spreadsheet_text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def spreadsheet_text(cell: object) -> object:
    """The cell as text a spreadsheet shows and never evaluates ('=1+1 -> "'=1+1")."""
    if isinstance(cell, str) and cell.startswith(FORMULA_STARTS):
        return "'" + cell
    return cell


def _write(writer: Any, cells: list) -> None:
    # Every cell through the one guard that tests/test_roster_hostile.py checks cell by cell.
    writer.writerow([spreadsheet_text(cell) for cell in cells])


def cite_labels(cites: list[str], labels: dict[str, str] | None) -> str:
    """Citations for people: the notice's paragraph labels when known, else the ids."""
    return "、".join((labels or {}).get(pid, pid) for pid in cites)


# The results' own columns, all Chinese; the machine code of the disposition goes last.
RESULT_HEADERS = [
    "行号",
    "党员",
    "处理状态",
    "处置结果",
    "下一期限事项",
    "下一期限日期",
    "距评估日天数",
    f"{ACTION_WINDOW_DAYS}天内需办理",
    "缺少的事实",
    "说明",
    "无法识别的单元格",
    "回头看",
    "回头看说明",
    "依据段落",
    "数据有误",
    "处置代码",
]


# 导出结果 streams the CSV in pieces of this many rows (UTF-8 bytes each, about 0.8 MB for a
# register's row width): the browser worker never holds the whole file as one string.
EXPORT_PIECE_ROWS = 2000


def results_csv(result: dict) -> str:
    """The results as CSV text, starting with a BOM so that Excel reads it as UTF-8 (the command
    line's output; the page streams the same bytes with `results_csv_pieces`)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    for cells in _result_records(result):
        _write(writer, cells)
    return "\ufeff" + out.getvalue()


def results_csv_pieces(result: dict, rows_per_piece: int = EXPORT_PIECE_ROWS) -> Iterator[bytes]:
    """The same CSV as `results_csv(result).encode("utf-8")`, as UTF-8 pieces of at most
    `rows_per_piece` records each (the header line counts as one; the BOM starts the first piece).
    Only one piece's text is held at a time."""
    rows_per_piece = max(1, int(rows_per_piece))
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    lead = "\ufeff"
    held = 0
    for cells in _result_records(result):
        _write(writer, cells)
        held += 1
        if held >= rows_per_piece:
            yield (lead + out.getvalue()).encode("utf-8")
            lead, held = "", 0
            out.seek(0)
            out.truncate()
    if held:
        yield (lead + out.getvalue()).encode("utf-8")


def _result_records(result: dict) -> Iterator[list]:
    """The results' header, then one record per row, as cells (before the formula guard)."""
    width = len(result["header"])
    labels = result.get("paragraph_labels")
    yield RESULT_HEADERS[:1] + list(result["header"]) + RESULT_HEADERS[1:]
    for row in result["rows"]:
        deadline = row["next_deadline"] or {}
        review = row["review"] or {}
        cells = list(row["cells"]) + [""] * (width - len(row["cells"]))
        yield [
            row["row"],
            *cells[:width],
            shown(row.get("label", ""), 40),  # the cells themselves are in their columns
            STATUS_LABELS[row["status"]],
            row["disposition_label"],
            deadline.get("what", ""),
            deadline.get("date", ""),
            deadline.get("days", ""),
            "是" if deadline and deadline["days"] <= ACTION_WINDOW_DAYS else "",
            row["next_question_label"],
            "".join(row.get("notes") or []),
            _cells(row.get("issues") or []),
            REVIEW_LABELS.get(review.get("state") or "", ""),
            review.get("text", ""),
            cite_labels(row["citations"], labels),
            _cells(row["errors"]),
            row["disposition"] or "",
        ]


def _cells(entries: list[dict]) -> str:
    return "；".join(
        f"{e['letter'] or ''}列「{shown(e['header'] or '')}」：{e['reason_zh']}"
        if e["letter"]
        else e["reason_zh"]
        for e in entries
    )


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
        values.append(label_for(key, facts[key]) if key in facts else "")
    past = example.get(PAST_KEY)
    values.append(cfg["dispositions"].get(past, "") if past else "")
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    _write(writer, headers)
    _write(writer, values)
    return "\ufeff" + out.getvalue()


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
        yield (
            f"回头看：比对 {r['checked']} 行，一致 {r['same']}，处置有偏差 {r['deviation']}，"
            f"后续应办 {r['follow_up']}，尚未处置 {r['pending']}，无法比对 {r['undetermined'] + r['unreadable']}"
        )
        for pair in r["pairs"][:10]:
            yield f"  {pair['finding_label']}：原处置「{shown(pair['past'])}」→ 按通知应为「{pair['now']}」：{pair['rows']} 行"
    for w in result["warnings"]:  # first: what was not read (other sheets ...) must not scroll away
        yield w["message_zh"]
    who = {row["row"]: row.get("label") or "" for row in result["rows"]}
    for e in result["errors"]:
        where = f" {e['letter']} 列「{shown(e['header'])}」" if e["letter"] else ""
        person = f"（{shown(who[e['row']])}）" if who.get(e["row"]) else ""
        yield f"第 {e['row']} 行{person}{where}：{e['reason_zh']}（数据有误）"
    for e in result.get("issues") or []:
        person = f"（{shown(who[e['row']])}）" if who.get(e["row"]) else ""
        yield f"第 {e['row']} 行{person} {e['letter']} 列「{shown(e['header'])}」：{e['reason_zh']}（按缺少该项处理）"
