"""The roster page's worker API: one Python call per file, then pages of rows on demand.

The worker (docs/assets/js/roster-worker.mjs) calls `process_json` under Pyodide: it returns the
summary (counts, problems, 回头看 totals) and keeps the rows here.  The page's tables are
virtualised: they ask `page_json` for the few dozen rows in view, so the page's memory does not
grow with the file (100,000 rows stay in this worker, not in the page).  `last_results_csv()`
builds the CSV from the same result.
"""

from __future__ import annotations

import json

from decision.roster.cells import shown
from decision.roster.decode import RosterError
from decision.roster.evaluate import Progress, process
from decision.roster.report import results_csv

_last_result: dict | None = None  # the browser worker's last file, kept for export
_view_rows: list[dict] = []  # its rows as the page shows them
_selections: dict[tuple, list[int]] = {}  # (table, filter, soon) -> row indices, computed once

# The problem list on the page names at most this many rows; the rest are counted (each row's
# problems also show in its table row and in the export).
PROBLEMS_LISTED = 200
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
) -> str:
    """For the browser worker: one call over all rows; JSON text of what the page shows.

    Rows are slimmed to what the page displays (no original cells, no reason text: they are in
    the CSV, built on demand by `last_results_csv()`).  Never raises for a bad file:
    `{"ok": false, "message": ..., "message_zh": ...}` instead.
    """
    global _last_result, _view_rows
    _last_result = None
    _view_rows = []
    _selections.clear()
    try:
        result = process(bytes(data), filename, as_of, progress, labels)
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
    view = {key: value for key, value in result.items() if key not in ("rows", "header", "columns", "errors")}
    # A listed error quotes its cell and header short (a cell may hold 32,767 characters).
    view["errors"] = [
        {**e, "value": shown(e["value"] or "", 40), "header": e["header"] and shown(e["header"])}
        for e in result["errors"][:PROBLEMS_LISTED]
    ]
    view["errors_total"] = len(result["errors"])
    view["soon_count"] = len(_selection("main", "", True))
    view["flagged_count"] = len(_selection("review", "", False))
    return json.dumps(view, ensure_ascii=False, separators=(",", ":"))


def _view_row(row: dict) -> dict:
    """One row as the page's tables show it (no original cells, no reason text: those are in
    the CSV)."""
    return {
        "row": row["row"],
        "label": row["label"],
        "status": row["status"],
        "disposition": row["disposition"],
        "next_deadline": row["next_deadline"],
        "next_question_label": row["next_question_label"],
        "citations": row["citations"],
        "errors": [{"letter": e["letter"], "reason_zh": e["reason_zh"]} for e in row["errors"]],
        "notes": row["notes"],
        "review": row["review"] and {k: row["review"][k] for k in ("state", "text", "past_label")},
    }


def _due_within_window(row: dict) -> bool:
    deadline = row["next_deadline"]
    return (
        deadline is not None and _last_result is not None and deadline["days"] <= _last_result["window_days"]
    )


def _selection(table: str, filter_code: str, soon: bool) -> list[int]:
    """Indices of the rows a table shows for a filter, in display order (computed once per filter).

    `main`: every row, or those whose disposition (or status) is `filter_code`, or those flagged by
    回头看 (`review-differs`); with `soon`, only rows due within the window, most urgent first.
    `review`: the rows whose 回头看 state is not `same`.
    """
    key = (table, filter_code, soon)
    if key not in _selections:
        rows = _view_rows
        if table == "review":
            chosen = [i for i, r in enumerate(rows) if r["review"] and r["review"]["state"] != "same"]
        else:

            def keep(r: dict) -> bool:
                if soon and not _due_within_window(r):
                    return False
                if not filter_code:
                    return True
                if filter_code == "review-differs":
                    return r["review"] is not None and r["review"]["state"] == "differs"
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
    if table not in ("main", "review"):
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
