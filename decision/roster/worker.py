"""The roster page's worker API: a file decided by one worker or split across several, then
pages of rows on demand.

The worker (docs/assets/js/roster-worker.mjs) runs under Pyodide and always takes the steps
below, with one range when the file is not split; `process_json` is the same steps in one call
(for tests and scripts).  The summary (counts, problems, 回头看 totals) goes to the page and the
rows stay here.  A large file may be split across workers restored from the same snapshot
(docs/arch/0009-roster-split-across-workers.md):

    primary: start_json(file, parts)  -> the row ranges, one per worker
             decide_part(0, count)    -> its own range, chunk by chunk
             merge_part_json(i, text) -> a chunk of a helper's range, as it comes (if the helper
                                         failed: drop_part(i), decide_part(i))
             finish_json()            -> the summary, over the merged rows in row order
    helper i: part_chunks(file, i, parts) -> its range, as JSON chunks of PART_CHUNK_ROWS rows

Every worker reads the same bytes with the same code, so their plans agree; the summary is
computed once over all rows, so it is the same as one worker's.  The page's tables are
virtualised: they ask `page_json` for the few dozen rows in view, so the page's memory does not
grow with the file.  导出结果 streams the CSV from the same result: `export_start()` then
`export_next()` until it returns None, one piece of UTF-8 bytes at a time (the page makes one
Blob of the pieces); `last_results_csv()` is the same text whole.
"""

from __future__ import annotations

import gc
import itertools
import json
from collections.abc import Iterator

from decision.roster import mapping as _mapping
from decision.roster.cells import shown
from decision.roster.decode import RosterError
from decision.roster.evaluate import Progress, decide_rows, finish, prepare
from decision.roster.report import EXPORT_PIECE_ROWS, results_csv, results_csv_pieces
from decision.roster.review import FINDINGS

_last_result: dict | None = None  # the browser worker's last file, kept for paging and export
_selections: dict[tuple, list[int]] = {}  # (table, filter, soon) -> row indices, computed once
_plan: dict | None = None  # the primary's plan of the file being split
_parts: list[list[dict]] = []  # its rows, one list per range, as they are decided or merged
_ranges: list[tuple[int, int]] = []
_export: Iterator[bytes] | None = None  # the export under way: its remaining pieces

# The problem list on the page names at most this many rows; the rest are counted (each row's
# problems also show in its table row and in the export).
PROBLEMS_LISTED = 200
# The 回头看 states the review table lists, in its order.
LISTED = ("deviation", "follow_up", "undetermined", "unreadable")
# At most this many rows per page request: the page shows a window of a few dozen.
PAGE_ROWS_MAX = 500
# A file is split across workers only from this many data rows: below it, a second Pyodide's
# start costs more than it saves.  At most MAX_PARTS workers.
SPLIT_MIN_ROWS = 5000
MAX_PARTS = 4
# A helper sends its rows this many at a time (about 2 MB of JSON).
PART_CHUNK_ROWS = 5000

# A bug or an exhausted heap while reading a file: the page says this; the English detail goes
# to the console.  (The page's own fallback, for an error outside Python, says the same.)
INTERNAL_ZH = "文件未能处理：判断引擎在读取此文件时出现内部错误，结果未生成。请把文件另存为 CSV 后重试；如仍不行，请告知站点管理员。"


def _refused(exc: BaseException) -> str:
    """The JSON a page shows for a file that could not be processed (never a traceback)."""
    if isinstance(exc, RosterError):
        return json.dumps(
            {"ok": False, "message": exc.message, "message_zh": exc.message_zh}, ensure_ascii=False
        )
    return json.dumps(
        {
            "ok": False,
            "message": f"internal error: {type(exc).__name__}: {str(exc)[:200]}",
            "message_zh": INTERNAL_ZH,
        },
        ensure_ascii=False,
    )


# While a split file is in the primary, and in a helper, the cyclic collector is off: deciding,
# parsing and merging make millions of acyclic containers, and between the chunks it would
# re-scan the whole growing result (the one-worker loop turns it off too: evaluate.decide_rows).
_collecting: bool | None = None


def _pause_gc() -> None:
    global _collecting
    if _collecting is None:
        _collecting = gc.isenabled()
        gc.disable()


def _resume_gc() -> None:
    global _collecting
    if _collecting:
        gc.enable()
    _collecting = None


def _clear() -> None:
    global _last_result, _plan, _parts, _ranges, _export
    _resume_gc()
    _export = None
    _last_result = None
    _plan = None
    _parts = []
    _ranges = []
    _selections.clear()
    _shared.clear()


def ranges(total: int, parts: int) -> list[tuple[int, int]]:
    """`parts` consecutive index ranges covering `total` rows, as even as can be (one range below
    SPLIT_MIN_ROWS rows)."""
    parts = max(1, min(int(parts), MAX_PARTS)) if total >= SPLIT_MIN_ROWS else 1
    bounds = [total * i // parts for i in range(parts + 1)]
    return [(a, b) for a, b in itertools.pairwise(bounds)]


def _plan_of(
    data: bytes, filename: str | None, as_of: str | None, labels: dict | None, mapping: str | None
) -> dict:
    chosen = _mapping.load(mapping) if mapping else None
    return prepare(bytes(data), filename, as_of, labels, chosen)


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
    The one-worker composition of `start_json`, `decide_part` and `finish_json`.
    """
    started = json.loads(start_json(data, filename, as_of, labels, mapping, parts=1))
    if not started["ok"]:
        return json.dumps(started, ensure_ascii=False)
    failed = decide_part(0, progress)
    return failed or finish_json()


def start_json(
    data: bytes,
    filename: str | None = None,
    as_of: str | None = None,
    labels: dict[str, str] | None = None,
    mapping: str | None = None,
    parts: int = 1,
) -> str:
    """The primary worker reads the file and splits its rows: JSON `{"ok": true, "total": n,
    "as_of": ..., "ranges": [[start, stop], ...]}` (one range per worker that is to decide some;
    fewer than `parts` for a small file), or the refusal JSON of `process_json`."""
    global _plan, _parts, _ranges
    _clear()
    try:
        _plan = _plan_of(data, filename, as_of, labels, mapping)
    except (Exception, MemoryError) as exc:  # noqa: BLE001 - a page shows a message, never a traceback
        return _refused(exc)
    _ranges = ranges(_plan["total"], parts)
    _parts = [[] for _ in _ranges]
    _pause_gc()
    return json.dumps({"ok": True, "total": _plan["total"], "as_of": _plan["as_of"], "ranges": _ranges})


def decide_part(index: int, progress: Progress | None = None, count: int | None = None) -> str | None:
    """The primary decides the next `count` rows (by default all the rest) of range `index`: its
    own range, chunk by chunk, or a failed helper's.  `progress(done, total)` counts within the
    range.  None when done; the refusal JSON (and the file dropped) if the engine failed."""
    if _plan is None:
        raise ValueError("no file started")
    start, stop = _ranges[index]
    have = len(_parts[index])
    first = start + have
    last = stop if count is None else min(stop, first + max(1, int(count)))
    try:
        if count is None:
            within = None if progress is None else (lambda done, _total: progress(have + done, stop - start))
            _parts[index].extend(decide_rows(_plan, first, last, within))
        else:
            _parts[index].extend(decide_rows(_plan, first, last))
            if progress is not None:
                progress(last - start, stop - start)
    except (Exception, MemoryError) as exc:  # noqa: BLE001
        _clear()
        return _refused(exc)
    return None


def part_done(index: int) -> bool:
    """Whether every row of range `index` is decided or merged."""
    start, stop = _ranges[index]
    return len(_parts[index]) == stop - start


def drop_part(index: int) -> None:
    """Forget what a failed helper sent for range `index` (the primary decides it anew)."""
    _parts[index] = []


def part_chunks(
    data: bytes,
    filename: str | None,
    as_of: str | None,
    index: int,
    parts: int,
    progress: Progress | None = None,
    labels: dict[str, str] | None = None,
    mapping: str | None = None,
    chunk: int = PART_CHUNK_ROWS,
) -> Iterator[str]:
    """A helper worker: read the same file, decide range `index` of `parts`, and yield its rows
    as JSON, `chunk` rows at a time (so that neither worker holds a whole range as text), each
    with the total and date it planned with and its row span, so that the primary can check that
    both plans agree.  Only the range's rows are kept once the file is planned.  The refusal
    JSON, once, if it could not."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield from _chunks(data, filename, as_of, index, parts, progress, labels, mapping, chunk)
    finally:
        if collecting:
            gc.enable()


def _chunks(
    data: bytes,
    filename: str | None,
    as_of: str | None,
    index: int,
    parts: int,
    progress: Progress | None,
    labels: dict[str, str] | None,
    mapping: str | None,
    chunk: int,
) -> Iterator[str]:
    try:
        plan = _plan_of(data, filename, as_of, labels, mapping)
        del data
        start, stop = ranges(plan["total"], parts)[index]
        plan["data_rows"] = plan["data_rows"][start:stop]  # the other rows are freed
    except (Exception, MemoryError) as exc:  # noqa: BLE001 - the primary decides the range instead
        yield _refused(exc)
        return
    for first in range(start, stop, chunk):
        last = min(stop, first + chunk)
        try:
            rows = decide_rows(plan, first - start, last - start)
            if progress is not None:  # once a chunk: the page redraws its bar for each report
                progress(last - start, stop - start)
            for row in rows:
                del row["cells"]  # the primary has them
            text = json.dumps(
                {
                    "ok": True,
                    "total": plan["total"],
                    "as_of": plan["as_of"],
                    "start": first,
                    "stop": last,
                    "rows": rows,
                },
                ensure_ascii=False,
                separators=(",", ":"),
            )
        except (Exception, MemoryError) as exc:  # noqa: BLE001
            yield _refused(exc)
            return
        del rows
        yield text


def merge_part_json(index: int, text: str) -> bool:
    """The primary takes a chunk of a helper's rows for range `index` (the next rows of it, in
    order); False (nothing taken) when they are not for this plan (another total, date or rows)
    or not readable: the primary then drops the range and decides it itself."""
    if _plan is None:
        raise ValueError("no file started")
    start, stop = _ranges[index]
    first = start + len(_parts[index])
    try:
        part = json.loads(text)
        if not (
            part.get("ok")
            and part["total"] == _plan["total"]
            and part["as_of"] == _plan["as_of"]
            and part["start"] == first
            and first < part["stop"] <= stop
            and len(part["rows"]) == part["stop"] - first
        ):
            return False
        rows = part["rows"]
        data_rows = _plan["data_rows"]
        for offset, row in enumerate(rows):
            number, cells = data_rows[first + offset]
            if row["row"] != number:
                return False
            row["cells"] = cells
            _share(row)
    except (Exception, MemoryError):  # noqa: BLE001
        return False
    _parts[index].extend(rows)
    return True


# Texts many rows repeat (reasons, labels, citations, notes, 回头看 texts): decided here they
# are shared objects; parsed from a helper's JSON each row would get its own copy (about 1.3 KB a
# row).  One copy of each is kept per file.
_shared: dict[str, str] = {}
SHARED_KEYS = ("status", "disposition", "disposition_label", "reason", "next_question", "next_question_label")


def _text(value: object) -> object:
    return _shared.setdefault(value, value) if type(value) is str else value


def _share(row: dict) -> None:
    """Replace the repeated texts of a merged row by the file's one copy (equal values)."""
    for key in SHARED_KEYS:
        row[key] = _text(row[key])
    row["citations"] = [_text(c) for c in row["citations"]]
    if row["notes"]:
        row["notes"] = [_text(n) for n in row["notes"]]
    for entry in (*row["errors"], *row["issues"]):
        for key, value in entry.items():
            entry[key] = _text(value)
    if row["review"]:
        review = row["review"]
        for key, value in review.items():
            review[key] = _text(value)
    deadline = row["next_deadline"]
    if deadline:
        for key in ("what", "date"):
            deadline[key] = _text(deadline[key])


def finish_json() -> str:
    """The summary of the split file, once every range is decided or merged (`process_json`'s
    JSON); the rows are kept here for paging and export."""
    global _last_result, _plan, _parts
    if _plan is None or not all(part_done(i) for i in range(len(_parts))):
        raise ValueError("a range is not decided")
    try:
        rows = [row for part in _parts for row in part]
        result = finish(_plan, rows)
        _plan, _parts = None, []
        _shared.clear()
        _last_result = result
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
    except (Exception, MemoryError) as exc:  # noqa: BLE001
        _clear()
        return _refused(exc)
    finally:
        _resume_gc()


def _view_row(row: dict) -> dict:
    """One row as the page's tables show it (no original cells, no reason text: those are in
    the CSV); made for the rows of a page only, so the result's rows are the one copy kept."""
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
        rows = _last_result["rows"] if _last_result is not None else []
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
    every = _last_result["rows"] if _last_result is not None else []
    rows = [_view_row(every[i]) for i in chosen[offset : offset + count]]
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
