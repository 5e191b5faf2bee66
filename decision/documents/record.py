"""The 一人一档 纪实 record: one member's procedure as it is carried out, kept in the case file.

The wizard's export (`{"format": "shilian-case", "case": {...}}`) carries it as `record`; the
wizard fills it in after the result, saves it with the case and reads it back; the command line
reads the same member (`python -m decision record CASE.json`, `python -m decision documents`).
Nothing else stores it.  Like every user file it is hostile until bounded: unknown keys, too
many steps or materials, over-long text and impossible counts are refused with one message
(English and Chinese), never truncated in silence.

Shape (every member optional; `steps` keyed by the procedure's step ids):
    {"name": "张三", "branch": "…党支部", "basic_committee": "…党委", "upper_org": "…组织部",
     "steps": {"verify": {"date": "2026-04-06", "by": "李四", "materials": ["谈话记录"], "note": ""}},
     "meeting": {"expected": 12, "present": 10, "for": 9, "against": 0, "abstain": 1,
                 "signature": "signed" | "refused" | "unable" | "", "branch_note": "", "guide": ""},
     "notified": {"date": "2026-05-01", "manner": "当面送达"},
     "support": "帮扶记录 …"}
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from decision.case_file import CaseFileError

MAX_SHORT = 60  # a name, a date, who did it, a material's name
MAX_ORG = 100  # an organisation's full name
MAX_NOTE = 1000  # a note, the branch's note on the resolution, the support record
MAX_STEPS = 40
MAX_MATERIALS = 20
MAX_COUNT = 100_000  # members at one meeting

# The materials the notice names along the way (三.3, 四.1, 五.2); a record may name others.
MATERIALS = [
    "查找记录",
    "本人情况说明",
    "函询材料",
    "谈话记录",
    "调查核实材料",
    "支委会研究意见",
    "预审意见",
    "党员大会决议",
    "审批意见",
    "备案材料",
    "通知本人记录",
    "恢复党籍申请书",
    "帮扶记录",
]
SIGNATURES = {"": "", "signed": "本人已签字", "refused": "本人拒不签字", "unable": "本人因故不能签字"}

_TOP = {"name", "branch", "basic_committee", "upper_org", "steps", "meeting", "notified", "support"}
_STEP = {"date", "by", "materials", "note"}
_MEETING = {"expected", "present", "for", "against", "abstain", "signature", "branch_note", "guide"}
_NOTIFIED = {"date", "manner"}
_COUNTS = ("expected", "present", "for", "against", "abstain")


def _refuse(message: str, message_zh: str) -> CaseFileError:
    return CaseFileError(f"record: {message}", f"纪实记录有误：{message_zh}")


def _object(value: Any, where: str, where_zh: str, keys: set[str]) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _refuse(f"{where} must be an object", f"{where_zh}的格式不对")
    unknown = [k for k in value if k not in keys]
    if unknown:
        raise _refuse(
            f"{where}: unknown key {unknown[0][:40]!r}", f"{where_zh}中有不认识的字段“{unknown[0][:40]}”"
        )
    return value


def _text(value: Any, limit: int, where: str, where_zh: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise _refuse(f"{where} must be text", f"{where_zh}应为文字")
    if len(value) > limit:
        raise _refuse(f"{where} has {len(value)} characters; at most {limit}", f"{where_zh}超过{limit}个字")
    return value.strip()


def _date(value: Any, where: str, where_zh: str) -> str:
    text = _text(value, MAX_SHORT, where, where_zh)
    if not text:
        return ""
    try:
        _dt.date.fromisoformat(text)
    except ValueError:
        raise _refuse(
            f"{where}: {text[:20]!r} is not a date (YYYY-MM-DD)", f"{where_zh}“{text[:20]}”不是有效日期"
        ) from None
    if len(text) != 10:
        raise _refuse(
            f"{where}: {text[:20]!r} is not a date (YYYY-MM-DD)", f"{where_zh}“{text[:20]}”不是有效日期"
        )
    return text


def _count(value: Any, where: str, where_zh: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise _refuse(
            f"{where} must be a whole number from 0 to {MAX_COUNT}", f"{where_zh}应为0至{MAX_COUNT}的整数"
        )
    return value


def read(value: Any) -> dict:
    """The record member of a case file -> the record in its full shape (every member present).
    Raises CaseFileError (English and Chinese) for anything out of shape or out of bounds."""
    top = _object(value, "record", "纪实记录", _TOP)
    out: dict = {
        "name": _text(top.get("name"), MAX_SHORT, "record.name", "党员姓名"),
        "branch": _text(top.get("branch"), MAX_ORG, "record.branch", "所在党支部"),
        "basic_committee": _text(top.get("basic_committee"), MAX_ORG, "record.basic_committee", "基层党委"),
        "upper_org": _text(top.get("upper_org"), MAX_ORG, "record.upper_org", "上一级党委组织部门"),
        "support": _text(top.get("support"), MAX_NOTE, "record.support", "帮扶记录"),
        "steps": {},
    }
    steps = top.get("steps")
    if steps is not None and not isinstance(steps, dict):
        raise _refuse("steps must be an object keyed by step id", "办理步骤的格式不对")
    if steps and len(steps) > MAX_STEPS:
        raise _refuse(
            f"{len(steps)} steps; at most {MAX_STEPS}", f"办理步骤有{len(steps)}项，超过{MAX_STEPS}项的上限"
        )
    for n, (step_id, raw) in enumerate((steps or {}).items(), 1):
        if not step_id or len(step_id) > MAX_SHORT:
            raise _refuse(f"step {n}: bad step id", f"第{n}个步骤的编号有误")
        where, zh = f"record.steps.{step_id[:40]}", f"第{n}个步骤"
        step = _object(raw, where, zh, _STEP)
        materials = step.get("materials") or []
        if not isinstance(materials, list):
            raise _refuse(f"{where}.materials must be a list", f"{zh}的材料应为列表")
        if len(materials) > MAX_MATERIALS:
            raise _refuse(
                f"{where}: {len(materials)} materials; at most {MAX_MATERIALS}",
                f"{zh}的材料超过{MAX_MATERIALS}项",
            )
        out["steps"][step_id] = {
            "date": _date(step.get("date"), f"{where}.date", f"{zh}的完成日期"),
            "by": _text(step.get("by"), MAX_SHORT, f"{where}.by", f"{zh}的经办人"),
            "materials": [_text(m, MAX_SHORT, f"{where}.materials", f"{zh}的材料名称") for m in materials],
            "note": _text(step.get("note"), MAX_NOTE, f"{where}.note", f"{zh}的说明"),
        }
        out["steps"][step_id]["materials"] = [m for m in out["steps"][step_id]["materials"] if m]
    meeting = _object(top.get("meeting"), "record.meeting", "党员大会情况", _MEETING)
    names = {
        "expected": "应到人数",
        "present": "实到人数",
        "for": "同意票数",
        "against": "不同意票数",
        "abstain": "弃权票数",
    }
    out["meeting"] = {k: _count(meeting.get(k), f"record.meeting.{k}", names[k]) for k in _COUNTS}
    signature = meeting.get("signature") or ""
    if signature not in SIGNATURES:
        raise _refuse("meeting.signature must be signed, refused, unable or empty", "本人签字情况的取值不对")
    out["meeting"]["signature"] = signature
    out["meeting"]["branch_note"] = _text(
        meeting.get("branch_note"), MAX_NOTE, "record.meeting.branch_note", "党支部的注明"
    )
    out["meeting"]["guide"] = _text(meeting.get("guide"), MAX_SHORT, "record.meeting.guide", "到会指导人员")
    m = out["meeting"]
    if m["expected"] is not None and m["present"] is not None and m["present"] > m["expected"]:
        raise _refuse("meeting: present exceeds expected", "党员大会实到人数多于应到人数")
    votes = [m[k] for k in ("for", "against", "abstain") if m[k] is not None]
    if m["present"] is not None and sum(votes) > m["present"]:
        raise _refuse("meeting: more votes than members present", "党员大会表决票数之和多于实到人数")
    if signature in ("refused", "unable") and not m["branch_note"]:
        raise _refuse(
            "meeting: the member did not sign but the branch's note is empty",
            "本人拒不签字或因故不能签字的，党支部应在决议上注明，请填写党支部的注明",
        )
    notified = _object(top.get("notified"), "record.notified", "通知本人情况", _NOTIFIED)
    out["notified"] = {
        "date": _date(notified.get("date"), "record.notified.date", "通知本人的日期"),
        "manner": _text(notified.get("manner"), MAX_SHORT, "record.notified.manner", "宣布方式"),
    }
    return out


def is_empty(record: dict) -> bool:
    """True for a record with nothing filled in (the export then leaves it out)."""
    m = record.get("meeting") or {}
    return not any(
        [
            record.get("name"),
            record.get("branch"),
            record.get("basic_committee"),
            record.get("upper_org"),
            record.get("support"),
            any(v for k, v in m.items()),
            any((record.get("notified") or {}).values()),
            any(
                s["date"] or s["by"] or s["materials"] or s["note"]
                for s in (record.get("steps") or {}).values()
            ),
        ]
    )


def unknown_steps(record: dict, outcome: dict) -> list[str]:
    """Step ids the record holds that the outcome's procedure does not have (the case changed
    after the record was made): shown to the user, never dropped in silence."""
    ids = {step.get("id") for step in outcome.get("steps") or []}
    return [step_id for step_id in record.get("steps") or {} if step_id not in ids]
