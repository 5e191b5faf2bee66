"""The document drafts one outcome needs, filled from the case and its 纪实 record.

Which drafts, and their wording, are data (decision/rules/paperwork.yaml `documents`); who a
draft is addressed to and signed by comes from the outcome's bodies, so a procedure is never
restated here.  What the case does not hold is a visible blank (＿＿＿＿) for the branch to fill.
Each draft is marked 草稿 and names the paragraphs of the notice it rests on.
"""

from __future__ import annotations

import re
from typing import Any

from decision import citations, engine
from decision.documents import paper
from decision.documents.record import SIGNATURES as SIGNED

BLANK = "＿＿＿＿"
BLANK_DATE = "＿＿＿＿年＿＿月＿＿日"
BLANK_LONG = "＿" * 24
BLANK_SHORT = "＿＿"
MARK = "草稿（处置向导据所填情况生成，请党支部核对修改，定稿时删去本行）"
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def zh_date(iso: str | None) -> str:
    m = _ISO.fullmatch(iso or "")
    return f"{int(m[1])}年{int(m[2])}月{int(m[3])}日" if m else BLANK_DATE


# A finding's parenthetical addressed to the wizard's user (请填写…) or noting the notice's wording
# (通知原文作…): not for a 公文 draft.
_ASIDE = re.compile(r"（[^（）]*(?:请|通知原文)[^（）]*）")


def _zh_dates(text: str) -> str:
    return _ISO.sub(lambda m: f"{int(m[1])}年{int(m[2])}月{int(m[3])}日", text)


def _finding(text: str) -> str:
    return _zh_dates(_ASIDE.sub("", text))


def _body_label(code: str | None) -> str:
    return engine.vocabulary().get("bodies", {}).get(code, code or "") if code else ""


class _Case:
    """The outcome and the record, with the names a draft uses."""

    def __init__(self, outcome: dict, record: dict):
        self.outcome = outcome
        self.record = record
        self.facts = outcome.get("facts") or {}
        self.gone = self.facts.get("branch_exists") is False
        self.name = record.get("name") or BLANK
        self.branch = record.get("branch") or (
            "原党支部的上级党组织"
            if self.gone
            else (paper.paperwork().get("letterhead") or {}).get("branch", BLANK)
        )

    def org(self, code: str | None) -> str:
        """How a body is named on a 主送 or 落款 line."""
        if code is None:
            return ""
        if code == "member":
            return f"{self.name}同志"
        letterhead = paper.paperwork().get("letterhead") or {}
        if code in ("branch", "branch_general_meeting") and self.record.get("branch"):
            return self.record["branch"]
        if code == "branch_committee" and self.record.get("branch"):
            return f"{self.record['branch']}委员会"
        if code in ("basic_committee", "grassroots_org") and self.record.get("basic_committee"):
            return self.record["basic_committee"]
        if code == "upper_org_dept" and self.record.get("upper_org"):
            return self.record["upper_org"]
        return letterhead.get(code) or _body_label(code)

    def branch_side(self) -> str:
        return "higher_party_org" if self.gone else "branch"

    def chain(self) -> list[str]:
        return [self.branch_side(), *(self.outcome.get("pre_review") or [])]

    def differs(self) -> bool:
        return bool(self.outcome.get("approver")) and self.outcome.get("approver") != self.outcome.get(
            "decided_by"
        )


def _holds(case: _Case, key: str, expected: Any) -> bool:
    if key.startswith("facts."):
        value = case.facts.get(key.removeprefix("facts."))
    elif key == "approver_differs":
        value = case.differs()
    else:
        value = case.outcome.get(key)
    if expected == "present":
        return bool(value)
    if isinstance(expected, list):
        return value in expected
    return value == expected


def _fields(case: _Case, doc: dict) -> dict:
    out = case.outcome
    facts = case.facts
    member = engine.question("member") if "member" in facts else None
    member_kind = next(
        (o["label"] for o in (member or {}).get("options") or [] if o["value"] == facts.get("member")), "党员"
    )
    findings = "".join(_finding(f["text"]) for f in out.get("findings") or [])
    approver = out.get("approver")
    meeting = case.record.get("meeting") or {}
    guide = ""
    if "basic_committee" in (out.get("pre_review") or []):
        who = meeting.get("guide") or BLANK
        guide = f"基层党委派{who}同志到会指导。"
    return {
        "name": case.name,
        "branch": case.branch,
        "member_kind": member_kind,
        "last_contact": zh_date(facts.get("last_contact"))
        if facts.get("last_contact")
        else (f"（已失联{facts['months_lost']}个月）" if "months_lost" in facts else BLANK_DATE),
        "findings": findings or BLANK_LONG,
        "disposition": out.get("disposition_label") or "",
        "basis": citations.basis(_cites(out, doc)),
        "guide": guide,
        "next_step": f"本决议报{case.org(approver)}审批。" if case.differs() else "",
        "approved": f"，并经{case.org(approver)}审批" if case.differs() else "",
        "appeal": "如对处置结果有不同意见，可以按照《中国共产党党员权利保障条例》的规定提出申诉。"
        if "appeal_rights" in (out.get("actions") or [])
        else "",
        "evidence": "查找记录" if facts.get("contact") == "lost" else "调查核实材料",
        "blank_long": BLANK_LONG,
        **{
            k: BLANK_SHORT if meeting.get(k) is None else str(meeting[k])
            for k in ("expected", "present", "for", "against", "abstain")
        },
        "branch_note": (SIGNED.get(meeting.get("signature") or "", "") + "：" + meeting["branch_note"])
        if meeting.get("branch_note")
        else BLANK_LONG,
    }


def _cites(outcome: dict, doc: dict) -> list[str]:
    order = list(engine.rules().get("paragraph_labels", {}))
    ids = list(dict.fromkeys([*(outcome.get("citations") or []), *(doc.get("cites") or [])]))
    return sorted(ids, key=lambda pid: order.index(pid) if pid in order else len(order))


def _fill(template: str, fields: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(fields.get(m[1], m[0])), template)


def drafts(outcome: dict, record: dict | None = None, *, blank: bool = False) -> list[dict]:
    """Every draft the outcome's procedure needs, in the order of the procedure:
    [{"id", "file", "mark", "title", "to", "paragraphs", "sender", "date", "note"}]."""
    if outcome.get("status") != "complete":
        return []
    case = _Case(outcome, record or {})
    out: list[dict] = []
    for doc in paper.paperwork().get("documents") or []:
        if not all(_holds(case, key, value) for key, value in (doc.get("when") or {}).items()):
            continue
        fields = _fields(case, doc)
        if blank:  # a form for any member of this situation: nothing of one case in it
            fields.update(findings=BLANK_LONG, last_contact=BLANK_DATE, member_kind="＿＿党员")
        targets: list[tuple[str | None, str | None, str]] = []
        if doc.get("to") == "pre_review[]":
            chain = case.chain()
            for n, body in enumerate(outcome.get("pre_review") or []):
                targets.append((body, chain[n], f"（报{_body_label(body)}）"))
        else:
            to = doc.get("to")
            to_code = outcome.get(to) if to in ("approver", "filed_with", "decided_by") else to
            source = doc.get("from")
            if source == "previous":
                chain = case.chain()
                target = to_code
                if doc.get("to") == "filed_with":
                    source = outcome.get("approver") if case.differs() else case.branch_side()
                elif target in chain and chain.index(target) > 0:
                    source = chain[chain.index(target) - 1]
                else:
                    source = chain[-1] if target not in chain else case.branch_side()
            elif source == "decided_by":
                source = outcome.get("decided_by")
            elif source == "decided_by_branch":
                source = "higher_party_org" if case.gone else "branch_committee"
            elif source == "branch" and case.gone:
                source = "higher_party_org"
            targets.append((to_code, source, ""))
        for to_code, source, suffix in targets:
            out.append(
                {
                    "id": doc["id"],
                    "file": f"{len(out) + 1:02d}-{doc.get('short') or doc['id']}{suffix}",
                    "mark": MARK,
                    "title": _fill(doc["title"], fields),
                    "to": case.org(to_code) if to_code else "",
                    "paragraphs": [_fill(text, fields) for text in doc.get("body") or []],
                    "sender": case.org(source) if source != "member" else f"申请人：{case.name}",
                    "date": BLANK_DATE,
                    # The paragraphs relied on, as a 附注 where the body does not name them.
                    "note": ""
                    if any("{basis}" in t for t in doc.get("body") or [])
                    else f"（依据：{fields['basis']}）",
                }
            )
    return out


def blank_drafts(outcome: dict) -> list[dict]:
    """The same drafts with nothing of one case (the example outcome chooses which drafts and the
    bodies): the blank forms of a disposition page."""
    return drafts(outcome, {}, blank=True)
