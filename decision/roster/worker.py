"""The roster page's worker API: one Python call per file, then pages of rows on demand.

The worker (docs/assets/js/roster-worker.mjs) calls `process_json` under Pyodide: it returns the
summary (counts, problems, 回头看 totals) and keeps the rows here.  The page's tables are
virtualised: they ask `page_json` for the few dozen rows in view, so the page's memory does not
grow with the file (100,000 rows stay in this worker, not in the page).  导出结果 streams the CSV
from the same result: `export_start()` then `export_next()` until it returns None, one piece of
UTF-8 bytes at a time (the page makes one Blob of the pieces); `last_results_csv()` is the same
text whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from decision.roster import mapping as _mapping
from decision.roster.cells import shown
from decision.roster.decode import RosterError
from decision.roster.evaluate import Progress, process
from decision.roster.report import EXPORT_PIECE_ROWS, results_csv, results_csv_pieces
from decision.roster.review import FINDINGS

_last_result: dict | None = None  # the browser worker's last file, kept for export
_view_rows: list[dict] = []  # its rows as the page shows them
_selections: dict[tuple, list[int]] = {}  # (table, filter, soon) -> row indices, computed once
_export: Iterator[bytes] | None = None  # the export under way: its remaining pieces

# The problem list on the page names at most this many rows; the rest are counted (each row's
# problems also show in its table row and in the export).
PROBLEMS_LISTED = 200
# The 回头看 states the review table lists, in its order.
LISTED = ("deviation", "follow_up", "undetermined", "unreadable")
# At most this many rows per page request: the page shows a window of a few dozen.
PAGE_ROWS_MAX = 500

# A bug or an exhausted heap while reading a file: the page says this; the English detail goes
# to the console.  (The page's own fallback, for an error outside Python, says the same.)
INTERNAL_ZH = "文件未能处理：判断引擎在读取此文件时出现内部错误，结果未生成。请把文件另存为 CSV 后重试；如仍不行，请告知站点管理员。"


def process_json(
    data: bytes,
    filename: str | None = None,
    as_of: str | None = None,
    progress: Progress | None = None,
    labels: dict[str, str] | None = None,
    mapping: str | None = None,
) -> str:
    """For the browser worker: one call over all rows; JSON text of what the page shows.

    Rows are slimmed to what the page displays (no original cells, no reason text: they are in
    the CSV, built on demand by `last_results_csv()`).  Never raises for a bad file:
    `{"ok": false, "message": ..., "message_zh": ...}` instead.  `mapping` is the text of a
    column mapping (mapping.py), the page's 列名对照; a bad one is refused the same way.
    """
    global _last_result, _view_rows, _export
    _last_result = None
    _export = None
    _view_rows = []
    _selections.clear()
    try:
        chosen = _mapping.load(mapping) if mapping else None
        result = process(bytes(data), filename, as_of, progress, labels, chosen)
    except RosterError as exc:
        return json.dumps(
            {"ok": False, "message": exc.message, "message_zh": exc.message_zh}, ensure_ascii=False
        )
    except (Exception, MemoryError) as exc:  # noqa: BLE001 - a page shows a message, never a traceback
        return json.dumps(
            {
                "ok": False,
                "message": f"internal error: {type(exc).__name__}: {str(exc)[:200]}",
                "message_zh": INTERNAL_ZH,
            },
            ensure_ascii=False,
        )
    _last_result = result
    _view_rows = [_view_row(row) for row in result["rows"]]
    hidden = ("rows", "header", "columns", "errors", "issues")
    view = {key: value for key, value in result.items() if key not in hidden}
    # A listed error quotes its cell and header short (a cell may hold 32,767 characters).
    view["errors"] = [
        {**e, "value": shown(e["value"] or "", 40), "header": e["header"] and shown(e["header"])}
        for e in result["errors"][:PROBLEMS_LISTED]
    ]
    view["errors_total"] = len(result["errors"])
    view["issues"] = [
        {**e, "value": shown(e["value"] or "", 40), "header": e["header"] and shown(e["header"])}
        for e in result["issues"][:PROBLEMS_LISTED]
    ]
    view["issues_total"] = len(result["issues"])
    view["targets"] = _mapping.targets()
    view["soon_count"] = len(_selection("main", "", True))
    view["flagged_count"] = len(_selection("review", "", False))
    return json.dumps(view, ensure_ascii=False, separators=(",", ":"))


def _view_row(row: dict) -> dict:
    """One row as the page's tables show it (no original cells, no reason text: those are in
    the CSV)."""
    return {
        "row": row["row"],
        "label": row["label"],
        "name": row["name"],
        "branch": row["branch"],
        "reason": row["reason"] if row["status"] == "incomplete" else "",
        "issues": [
            {"letter": e["letter"], "header": e["header"], "reason_zh": e["reason_zh"]} for e in row["issues"]
        ],
        "status": row["status"],
        "disposition": row["disposition"],
        "next_deadline": row["next_deadline"],
        "next_question_label": row["next_question_label"],
        "citations": row["citations"],
        "errors": [{"letter": e["letter"], "reason_zh": e["reason_zh"]} for e in row["errors"]],
        "notes": row["notes"],
        "review": row["review"]
        and {k: row["review"].get(k) for k in ("state", "text", "past_label", "aspect")},
    }


def _due_within_window(row: dict) -> bool:
    deadline = row["next_deadline"]
    return (
        deadline is not None and _last_result is not None and deadline["days"] <= _last_result["window_days"]
    )


def _selection(table: str, filter_code: str, soon: bool) -> list[int]:
    """Indices of the rows a table shows for a filter, in display order (computed once per filter).

    `main`: every row, or those whose disposition (or status) is `filter_code`, or those with one
    回头看 state (`review-deviation`, `review-follow_up` ...); with `soon`, only rows due within
    the window, most urgent first.
    `review`: the rows 回头看 lists (its findings first, then those it could not judge).
    `report`: the findings of the printed 回头看 report, by 党支部 then row.
    """
    key = (table, filter_code, soon)
    if key not in _selections:
        rows = _view_rows
        if table == "review":
            chosen = [i for i, r in enumerate(rows) if r["review"] and r["review"]["state"] in LISTED]
            chosen.sort(key=lambda i: (LISTED.index(rows[i]["review"]["state"]), rows[i]["row"]))
        elif table == "report":
            chosen = [i for i, r in enumerate(rows) if r["review"] and r["review"]["state"] in FINDINGS]
            chosen.sort(key=lambda i: (rows[i]["branch"], rows[i]["row"]))
        else:

            def keep(r: dict) -> bool:
                if soon and not _due_within_window(r):
                    return False
                if not filter_code:
                    return True
                if filter_code.startswith("review-"):
                    return r["review"] is not None and r["review"]["state"] == filter_code[7:]
                return (r["disposition"] or r["status"]) == filter_code

            chosen = [i for i, r in enumerate(rows) if keep(r)]
            if soon:
                chosen.sort(key=lambda i: (rows[i]["next_deadline"]["days"], rows[i]["row"]))
        _selections[key] = chosen
    return _selections[key]


def page_json(table: str, filter_code: str, soon: bool, offset: int, count: int) -> str:
    """Rows `offset` .. `offset + count` of a table (see `_selection`), and how many match.

    JSON: `{"matched": n, "offset": offset, "rows": [...]}`; no rows when there is no file.
    """
    if table not in ("main", "review", "report"):
        raise ValueError(f"unknown table {table!r}")
    chosen = _selection(table, str(filter_code or ""), bool(soon)) if _last_result is not None else []
    offset = max(0, min(int(offset), len(chosen)))
    count = max(0, min(int(count), PAGE_ROWS_MAX))
    rows = [_view_rows[i] for i in chosen[offset : offset + count]]
    return json.dumps(
        {"matched": len(chosen), "offset": offset, "rows": rows}, ensure_ascii=False, separators=(",", ":")
    )


def last_results_csv() -> str:
    """The CSV of the worker's last file (the page's 导出结果 button); '' if there is none."""
    return results_csv(_last_result) if _last_result is not None else ""


def export_start(rows_per_piece: int = EXPORT_PIECE_ROWS) -> int:
    """Start streaming the last file's results CSV (导出结果); the number of rows it will hold
    (0 when there is no file: `export_next()` then returns None at once)."""
    global _export
    if _last_result is None:
        _export = None
        return 0
    _export = results_csv_pieces(_last_result, rows_per_piece)
    return len(_last_result["rows"])


def export_next() -> bytes | None:
    """The export's next piece of UTF-8 bytes (the first starts with the BOM); None at the end."""
    global _export
    if _export is None:
        return None
    piece = next(_export, None)
    if piece is None:
        _export = None
    return piece
