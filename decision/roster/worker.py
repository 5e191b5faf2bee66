"""The roster page's worker API: one Python call per file, and the export built on demand.

The worker (docs/assets/js/roster-worker.mjs) calls `process_json` under Pyodide and keeps
nothing in JavaScript but what the page shows; `last_results_csv()` builds the CSV from the
result kept here.
"""

from __future__ import annotations

import json

from decision.roster import mapping as _mapping
from decision.roster.decode import RosterError
from decision.roster.evaluate import Progress, process
from decision.roster.report import results_csv

_last_result: dict | None = None  # the browser worker's last file, kept for export

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
    column mapping (mapping.py), the page's 列名对照.
    """
    global _last_result
    _last_result = None
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
    view = {key: value for key, value in result.items() if key not in ("rows", "header", "columns", "issues")}
    view["targets"] = _mapping.targets()
    view["rows"] = [
        {
            "row": row["row"],
            "label": row["label"],
            "name": row["name"],
            "branch": row["branch"],
            "disposition_label": row["disposition_label"],
            "reason": row["reason"] if row["status"] == "incomplete" else "",
            "issues": [{"letter": e["letter"], "header": e["header"], "reason_zh": e["reason_zh"]} for e in row["issues"]],
            "status": row["status"],
            "disposition": row["disposition"],
            "next_deadline": row["next_deadline"],
            "next_question_label": row["next_question_label"],
            "citations": row["citations"],
            "errors": [{"letter": e["letter"], "reason_zh": e["reason_zh"]} for e in row["errors"]],
            "notes": row["notes"],
            "review": row["review"]
            and {k: row["review"].get(k) for k in ("state", "text", "past_label", "then_label", "aspect")},
        }
        for row in result["rows"]
    ]
    return json.dumps(view, ensure_ascii=False, separators=(",", ":"))


def last_results_csv() -> str:
    """The CSV of the worker's last file (the page's 导出结果 button); '' if there is none."""
    return results_csv(_last_result) if _last_result is not None else ""
