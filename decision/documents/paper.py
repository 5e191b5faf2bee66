"""What goes on paper for one outcome: the checklist's title and sign-off boxes, the 纪实 sheet.

Data, not layout: the wizard's print.mjs lays these out for A4, decision/documents/drafts.py
and docx.py turn the drafts into .docx files.  Everything comes from the outcome (its procedure,
steps and bodies) and decision/rules/paperwork.yaml (titles, opinion and seal labels).
"""

from __future__ import annotations

from decision import engine

# Bodies that do the work of a step rather than decide on it: no opinion box.
_WORKERS = {"branch", "grassroots_org"}


def paperwork() -> dict:
    return engine.rules().get("paperwork") or {}


def _body_label(code: str | None) -> str:
    return engine.vocabulary().get("bodies", {}).get(code, code or "") if code else ""


def kind(procedure: str | None) -> str:
    return (paperwork().get("kinds") or {}).get(procedure or "", "")


def title(procedure: str | None) -> str:
    titles = paperwork().get("titles") or {}
    return titles.get(kind(procedure)) or titles.get("default") or "失联党员处置工作清单"


def signoff(code: str | None) -> dict | None:
    """{"body", "opinion", "seal"} for a body's box on paper (seal None: a signature only)."""
    if not code:
        return None
    label = _body_label(code)
    spec = (paperwork().get("signoff") or {}).get(code) or {
        "opinion": f"{label}意见",
        "seal": f"{label}（盖章）",
    }
    return {"body": code, "body_label": label, "opinion": spec["opinion"], "seal": spec.get("seal")}


def _named(outcome: dict) -> list[str]:
    """The bodies the procedure names (decides, pre-reviews, approves, keeps the record), in order."""
    out: list[str] = []
    for code in [
        outcome.get("decided_by"),
        *(outcome.get("pre_review") or []),
        outcome.get("approver"),
        outcome.get("filed_with"),
    ]:
        if code and code not in out:
            out.append(code)
    return out


def checklist(outcome: dict) -> dict:
    """The printed checklist's model for a complete outcome:
    {"title", "kind", "steps": [{"id", "signoff": box or None}], "closing": [box], "head": box}.

    A step done by a deciding body (not the branch's own work) gets that body's 意见 and 盖章
    box; a body the procedure names that no step names gets its box at the end; the head of the
    branch (or of the higher organisation that stands in for a branch that is gone) signs last."""
    steps = []
    boxed: set[str] = set()
    for n, step in enumerate(outcome.get("steps") or []):
        by = step.get("by")
        box = signoff(by) if by and by not in _WORKERS else None
        if box:
            boxed.add(by)
        steps.append({"id": step.get("id") or str(n), "signoff": box})
    closing = [signoff(code) for code in _named(outcome) if code not in boxed and code not in _WORKERS]
    gone = (outcome.get("facts") or {}).get("branch_exists") is False
    head = {
        "signer": "上级党组织负责人（签字）" if gone else "党支部书记（签字）",
        "seal": "上级党组织（盖章）" if gone else "党支部（盖章）",
    }
    return {
        "title": title(outcome.get("procedure")),
        "kind": kind(outcome.get("procedure")),
        "steps": steps,
        "closing": [box for box in closing if box],
        "head": head,
    }
