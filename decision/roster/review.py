"""回头看: a past disposition judged by the facts and the date when it was made, then the step
the notice requires now.

The date is the row's 处置时间, or for a 停止党籍 its 停止党籍日期.  The engine is asked again
with that date as the assessment date and the facts as they stood then (a member back in
contact later was still out of contact; a suspension decided that day was not yet in force).
Two findings are different work and kept apart:

- 处置有偏差 (`deviation`): at the time, the notice gave another disposition, or could not yet
  give one (e.g. 停止党籍 before 6 months out of contact); the text names which of 五.3's
  points (事实是否清楚、理由是否充分、处置是否恰当、手续是否完备) fails and why.
- 后续应办 (`follow_up`): the disposition was right, and the notice now requires the next step
  (停止党籍满2年仍无法取得联系 → 按自行脱党除名), with its date.

A correctly recorded disposition whose next step is not due is 一致 (`same`).  继续查找, 未处置
and the like are 尚未处置 (`pending`), with what the notice requires now.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from functools import cache
from typing import Any

from decision import dates as _dates
from decision.engine import decide_brief, questions
from decision.roster.cells import shown
from decision.roster.facts import RESTORED, concrete
from decision.roster.headers import header_label, parse_past
from decision.roster.tables import NO_DISPOSITION

REVIEW_LABELS = {
    "same": "一致",
    "deviation": "处置有偏差",
    "follow_up": "后续应办",
    "pending": "尚未处置",
    "undetermined": "无法比对",
    "unreadable": "原处置无法识别",
}
FINDINGS = ("deviation", "follow_up")  # what the printed 回头看 report lists

# A past disposition and a later outcome that only continues it (no new step is due).
CONTINUES = {
    ("suspend_membership", "keep_suspended"),
    ("keep_suspended", "suspend_membership"),
}
# Dispositions whose date, when no 处置时间 is given, is the suspension's own.
SUSPENSIONS = ("suspend_membership",)


@cache
def _restored_phase() -> tuple[str, ...]:
    """Facts about the member once back in contact (questions.yaml `after_contact_restored`):
    unknown, so dropped, when a disposition is judged at a date before contact was restored."""
    return tuple(q["key"] for q in questions() if q.get("after_contact_restored"))


def review_row(
    raw: str,
    result: dict,
    cfg: dict,
    past_column: dict,
    issue: Callable[..., None],
    context: dict | None = None,
) -> dict:
    context = context or {}
    past = context.get("past") or parse_past(raw)  # the user's mapping first (列名对照)
    review: dict[str, Any] = {
        "past": past,
        "past_raw": raw,
        "past_label": cfg["dispositions"].get(past, raw)
        if past and past != NO_DISPOSITION
        else shown(raw, 40),
        "when": None,
        "aspect": "",
    }
    if past is None:
        known = "、".join(cfg["dispositions"].values())
        issue(
            past_column,
            raw,
            f"{shown(raw)!r} is not a known disposition",
            f"「{shown(raw)}」不是可识别的处置结果，可填：{known}；尚未处置的填“继续查找”或“未处置”。",
        )
        review.update(state="unreadable", text="原处置结果无法识别，未比对。")
        return review
    if result["status"] == "invalid":
        review.update(state="undetermined", text="本行数据有误，未比对。")
        return review
    if past == NO_DISPOSITION:
        if result["status"] == "complete":
            text = f"尚未作出处置。按通知现应「{result['disposition_label']}」。{_deadline_text(result)}"
        else:
            text = f"尚未作出处置；缺少「{result['next_question_label']}」，尚不能得出应作的处置。"
        review.update(state="pending", text=text)
        return review
    facts = context.get("facts") or {}
    engine = context.get("engine")
    when = _when(past, facts, context.get("date"))
    if when is None or engine is None:
        return _judge_now(review, past, result)
    review["when"] = when.isoformat()
    shown_at = _shown_date(past, facts, context.get("date"), when)
    try:
        own = context.get("date") is None and past in SUSPENSIONS
        then = decide_brief(_facts_at(facts, when, past, own=own))
    except engine.InvalidCase as exc:
        review.update(
            state="undetermined",
            text=f"按作出处置时（{shown_at}）的事实无法判断：{exc.message_zh}",
        )
        return review
    at = f"作出处置时（{shown_at}）"
    months = frozenset(k for k, v in facts.items() if isinstance(v, _dates.Month))
    source = context.get("date") if context.get("date") is not None else facts.get("suspended_since")
    first = source.first() if isinstance(source, _dates.Month) else None
    if months or first:  # a month-only date: judged only if every day of its month agrees
        variants = [(when, months)] + ([(first, frozenset())] if first else [])
        others = []
        for day, late in variants:
            try:
                others.append(decide_brief(_facts_at(facts, day, past, late, own)))
            except engine.InvalidCase:
                others.append({"status": "invalid"})
        if any(
            (o["status"], o.get("disposition")) != (then["status"], then.get("disposition")) for o in others
        ):
            names = "、".join(
                f"「{header_label(k)}」"
                for k in sorted(
                    months
                    | ({"disposition_date"} if isinstance(context.get("date"), _dates.Month) else set())
                )
            )
            review.update(
                state="undetermined",
                aspect="事实是否清楚",
                text=f"{names}只填到月，判断{at}是否恰当须填写具体日期。",
            )
            return review
    if then["status"] != "complete":
        missing = header_label(then["next_question"]) if then.get("next_question") else ""
        if then.get("next_question") == "contact" and "restored_on" not in facts:
            missing = header_label("restored_on")
        review.update(
            state="undetermined",
            aspect="事实是否清楚",
            text=f"判断{at}是否恰当，还缺少「{missing}」。",
        )
        return review
    if then["disposition"] != past and (past, then["disposition"]) not in CONTINUES:
        conclusion = then["conclusion"]
        if then["disposition"] == "not_in_scope":
            aspect = "理由是否充分"
            due = [d["date"] for d in then.get("deadlines") or [] if d.get("date")]
            since = f"，满6个月之日为{_dates.chinese(due[0])}" if due else ""
            text = (
                f"{aspect}：{at}该党员与党组织失去联系未满6个月{since}，尚不属于失联党员，"
                f"不应「{review['past_label']}」。"
            )
        else:
            aspect = "处置是否恰当"
            text = (
                f"{aspect}：{at}按通知应为「{then['disposition_label']}」，原处置为「{review['past_label']}」。"
                f"{conclusion}"
            )
        review.update(state="deviation", aspect=aspect, text=text + "请按第五部分第3项核查纠正。")
        review["then"] = then["disposition"]
        review["then_label"] = then["disposition_label"]
        return review
    right = f"原处置（{shown_at}作出）当时恰当。"
    if result["status"] != "complete":
        review.update(
            state="same",
            text=f"{right}目前还缺少「{result['next_question_label']}」，尚不能判断是否需要后续处置。",
        )
    elif result["disposition"] == past or (past, result["disposition"]) in CONTINUES:
        review.update(state="same", text=f"{right}{_deadline_text(result)}")
    else:
        review.update(
            state="follow_up",
            text=f"{right}按通知现应「{result['disposition_label']}」{_removal_from(past, result, facts)}。"
            f"{_deadline_text(result)}{result['reason']}",
        )
    return review


def _shown_date(past: str, facts: dict, date: Any, when: _dt.date) -> str:
    value = date if date is not None else facts.get("suspended_since") if past in SUSPENSIONS else None
    return str(value) if isinstance(value, _dates.Month) else _dates.chinese(when)


def _removal_from(past: str, result: dict, facts: dict) -> str:
    """For a suspension now due for 自行脱党 removal: the first day it is due (the day after
    the 2 years, README: thresholds include the day)."""
    since = facts.get("suspended_since")
    if result["disposition"] != "removal" or since is None:
        return ""
    if isinstance(since, _dates.Month):
        start = _dates.add_months(since.last(), 24) + _dt.timedelta(days=1)
        return f"（停止党籍满2年，最迟自{_dates.chinese(start)}起）"
    start = _dates.add_months(_dt.date.fromisoformat(since), 24) + _dt.timedelta(days=1)
    return f"（停止党籍满2年，自{_dates.chinese(start)}起）"


def _judge_now(review: dict, past: str, result: dict) -> dict:
    """Without the date of the disposition: compared with what the notice gives now."""
    if result["status"] == "incomplete":
        review.update(
            state="undetermined",
            text=f"缺少「{result['next_question_label']}」，尚不能判断原处置是否恰当。",
        )
    elif past == result["disposition"] or (past, result["disposition"]) in CONTINUES:
        review.update(state="same", text=f"与按通知得出的处置一致。{_deadline_text(result)}")
    elif past in SUSPENSIONS and result["disposition"] == "removal":
        review.update(
            state="follow_up",
            text=f"停止党籍后仍未取得联系，按通知现应「{result['disposition_label']}」{_removal_from(past, result, {})}。"
            f"{_deadline_text(result)}{result['reason']}",
        )
    else:
        review.update(
            state="deviation",
            aspect="处置是否恰当",
            text=f"处置是否恰当：按目前的事实，通知规定应为「{result['disposition_label']}」，原处置为"
            f"「{review['past_label']}」（未填处置时间，按评估日期的事实比对）。{result['reason']}",
        )
    return review


def _deadline_text(result: dict) -> str:
    deadline = result.get("next_deadline")
    if not deadline:
        return ""
    return f"{deadline['what']}：{_dates.chinese(deadline['date'])}。"


def _when(past: str, facts: dict, date: Any) -> _dt.date | None:
    """The day the past disposition was decided: 处置时间, or a suspension's own date.
    A month-only date counts from the month's last day (the latest it can have been)."""
    value = date
    if value is None and past in SUSPENSIONS:
        value = facts.get("suspended_since")
    if value is None:
        return None
    if isinstance(value, _dates.Month):
        return value.last()
    return _dt.date.fromisoformat(value)


def _facts_at(
    facts: dict, when: _dt.date, past: str, late: frozenset = frozenset(), own: bool = False
) -> dict:
    """The row's facts as they stood on the day of the past disposition (month-only dates on
    their first day, or their last for the keys in `late`).  `own`: the date is the suspension's
    own 停止党籍日期 (no 处置时间 given), so that suspension was not yet in force."""

    out = concrete(facts, late)
    day = when.isoformat()
    out["as_of"] = day
    restored = facts.get(RESTORED)
    if out.get("contact") == "restored" and restored is not None:
        first = restored.first() if isinstance(restored, _dates.Month) else _dt.date.fromisoformat(restored)
        if first > when:  # back in contact only later: still out of contact then
            out["contact"] = "lost"
            out.pop("months_out_of_contact", None)
            for key in _restored_phase():
                out.pop(key, None)
    elif out.get("contact") == "restored" and past in SUSPENSIONS + ("keep_suspended",):
        out.pop("contact")  # when contact came back is not known: asked (取得联系时间)
    since = out.get("suspended_since")
    if since is not None and (own or since >= day):  # the suspension itself, or a later one
        out.pop("suspended_since")
        out["suspended"] = False
    elif since is None and past in SUSPENSIONS and out.get("suspended"):
        out["suspended"] = False  # the suspension being reviewed was not yet in force
    end = out.get("probation_end")
    if end is not None and "probation" in out:
        out["probation"] = "ongoing" if end >= day else "expired"
    return out


def cross_tab(results: list[dict]) -> dict[str, Any]:
    """Counts of the compared rows by state, and the (past, now) pairs of the findings."""
    review: dict[str, Any] = {"checked": 0, **{state: 0 for state in REVIEW_LABELS}}
    pairs: dict[tuple[str, str, str], int] = {}  # (finding, past label, the notice's label) -> rows
    for result in results:
        if result["review"]:
            review["checked"] += 1
            state = result["review"]["state"]
            review[state] += 1
            if state in FINDINGS:
                now = result["review"].get("then_label") or result["disposition_label"]
                pair = (state, result["review"]["past_label"], now)
                pairs[pair] = pairs.get(pair, 0) + 1
    review["pairs"] = [
        {"finding": state, "finding_label": REVIEW_LABELS[state], "past": past, "now": now, "rows": n}
        for (state, past, now), n in sorted(pairs.items(), key=lambda kv: -kv[1])
    ]
    return review
