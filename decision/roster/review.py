"""回头看: a row's past disposition compared with the one the notice gives, and the cross-tab of
the rows that differ (past label -> the notice's label -> rows).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from decision.roster.cells import shown
from decision.roster.headers import parse_past

REVIEW_LABELS = {
    "same": "一致",
    "differs": "不一致",
    "undetermined": "无法比对",
    "unreadable": "原处置无法识别",
}


def review_row(
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
        "past_label": cfg["dispositions"].get(past, raw) if past else shown(raw, 40),
    }
    if past is None:
        known = "、".join(cfg["dispositions"].values())
        error(
            past_column,
            raw,
            f"{shown(raw)!r} is not a known disposition",
            f"「{shown(raw)}」不是可识别的处置结果，可填：{known}。",
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


def cross_tab(results: list[dict]) -> dict[str, Any]:
    """Counts of the compared rows by state, and the (past, now) pairs that differ, most rows first."""
    review: dict[str, Any] = {"checked": 0, "same": 0, "differs": 0, "undetermined": 0, "unreadable": 0}
    pairs: dict[tuple[str, str], int] = {}  # (past label, the notice's label) -> rows that differ
    for result in results:
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
    return review
