"""The decision engine: ordered rules as data (rules.json), standard library only.

See decision/README.md for the design and decision/CONTRACT.md for the contract.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from importlib import resources
from typing import Any

from . import dates
from .validate import InvalidCase, validate

__all__ = [
    "InvalidCase",
    "decide",
    "decide_brief",
    "question",
    "questions",
    "rules",
    "rules_digest",
    "vocabulary",
]

_MISSING = object()
_UNSET = object()  # not looked up yet (a value may itself be _MISSING)


class _Compiled:
    def __init__(self, data: dict, raw: bytes):
        self.data = data
        self.digest = hashlib.sha256(raw).hexdigest()[:12]
        self.questions: list[dict] = data["questions"]
        self.by_key: dict[str, dict] = {q["key"]: q for q in self.questions}
        self.derived: dict[str, dict] = data["derived"]
        self.vocab: dict[str, dict] = data["vocabulary"]
        self.procedures: dict[str, dict] = data["procedures"]
        self.rules: list[dict] = data["dispositions"]
        self.actions: list[dict] = data["actions"]
        self.notes: list[dict] = data["notes"]
        self.branch_gone: dict = data["branch_gone"]
        self.unused: dict = data["unused_facts"]
        # One pass over a step's text, phrases tried in file order at each position: a replacement
        # is never scanned again (so 党支部 -> 上级党组织 cannot rewrite 原党支部的上级党组织).
        phrases = dict(self.branch_gone["phrases"])
        self.branch_gone_re = re.compile("|".join(re.escape(old) for old in phrases))
        self.branch_gone_phrases = phrases
        self.order = {pid: i for i, pid in enumerate(data["meta"]["paragraph_ids"])}
        # Conditions as (key, frozenset of allowed values).  Rules only test choice (str) and
        # yes/no (bool) facts, and validation keeps those types apart, so set membership is exact.
        self.conditions = [
            (rule, _conditions(rule.get("when_given", {})), _conditions(rule["when"])) for rule in self.rules
        ]
        self._actions_for: dict[tuple[str, str], list[tuple[dict, tuple]]] = {}
        # _Case starts its lookups from the given facts: a derived fact that is also a question
        # must be the given answer when there is one (`suspended` is).
        if set(_DERIVED_GETTERS) & set(self.by_key) - {"suspended"}:
            raise RuntimeError("a derived fact is also a question: see _Case.__init__")
        self.unanswered = {key: _MISSING for key in self.by_key if key not in _DERIVED_GETTERS}
        self.sorted_cites: dict[tuple[str, ...], list[str]] = {}  # _sort_cites
        # The facts an outcome's citations depend on besides its rule (_brief_citations).
        self.citation_keys = tuple(
            dict.fromkeys(
                [
                    *(k for a in self.actions for k in a.get("when", {})),
                    *(k for n in self.notes for k in n["when"]),
                    *self.branch_gone["when"],
                ]
            )
        )
        self.brief_citations: dict[tuple, list[str]] = {}

    def actions_for(self, disposition: str, procedure: str) -> list[tuple[dict, tuple]]:
        """The actions an outcome of this disposition and procedure may list, with their
        conditions as (key, expected) pairs: the same for every case, so filtered once."""
        key = (disposition, procedure)
        found = self._actions_for.get(key)
        if found is None:
            found = self._actions_for[key] = [
                (action, tuple(action.get("when", {}).items()))
                for action in self.actions
                if ("dispositions" not in action or disposition in action["dispositions"])
                and disposition not in action.get("except", [])
                and ("procedures" not in action or procedure in action["procedures"])
            ]
        return found


def _conditions(when: dict) -> tuple[tuple[str, frozenset], ...]:
    return tuple((key, frozenset(v if isinstance(v, list) else [v])) for key, v in when.items())


_COMPILED: _Compiled | None = None


def _compiled() -> _Compiled:
    global _COMPILED
    if _COMPILED is None:
        try:
            raw = resources.files(__package__).joinpath("rules.json").read_bytes()
        except (FileNotFoundError, OSError):
            raise RuntimeError(
                "decision/rules.json is missing: run `make rules` "
                "(python -m build_scripts.plumbing.compile_rules) to compile decision/rules/*.yaml"
            ) from None
        _COMPILED = _Compiled(json.loads(raw.decode("utf-8")), raw)
    return _COMPILED


# ---- public helpers ----------------------------------------------------------------------


def rules() -> dict:
    """The compiled rules (a deep copy), for generated pages."""
    return _copy(_compiled().data)


def rules_digest() -> str:
    """First 12 hex digits of the SHA-256 of rules.json."""
    return _compiled().digest


def questions() -> list[dict]:
    """Every question object, in asking order."""
    return _copy(_compiled().questions)


def question(key: str) -> dict:
    """The question object for one fact key (KeyError if there is none)."""
    c = _compiled()
    if key not in c.by_key:
        raise KeyError(f"no question for {key!r}")
    return _copy(c.by_key[key])


def vocabulary() -> dict:
    """Chinese labels: {"dispositions": {...}, "actions": {...}, "bodies": {...}}."""
    return _copy(_compiled().vocab)


def _copy(obj: Any) -> Any:
    """A deep copy of JSON data (much faster than copy.deepcopy)."""
    if isinstance(obj, dict):
        return {k: _copy(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_copy(v) for v in obj]
    return obj


def _key(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def _holds(value: Any, expected: Any) -> bool:
    if isinstance(expected, list):
        return any(value == e and type(value) is type(e) for e in expected)
    return value == expected and type(value) is type(expected)


# ---- one case ----------------------------------------------------------------------------


class _Case:
    def __init__(self, c: _Compiled, facts: dict, parsed: dict[str, _dt.date]):
        self.c = c
        self.facts = facts
        self.parsed = parsed
        self.as_of = parsed["as_of"]
        self.extra: dict[str, Any] = {}  # template values for derived findings
        # Values looked up so far, starting with every question: its answer, or _MISSING (the
        # only derived fact that is also a question, `suspended`, is there only when given).
        # What is left to look up is the derived facts, each computed on first use.
        self._derived: dict[str, Any] = {**c.unanswered, **facts}
        self.ground_keys: list[str] = []  # the facts removal_grounds found, in order

    # Facts and derived facts -------------------------------------------------------------

    def _restored_months(self) -> bool:
        """Back in contact and the months answered: they are the length of the loss of contact,
        up to the day contact was restored, not up to as_of (questions.yaml, months_out_of_contact)."""
        return self.facts.get("contact") == "restored" and "months_out_of_contact" in self.facts

    def months_basis(self) -> str | None:
        """How the months out of contact are known: a key of derived.yaml in_scope.periods."""
        restored = self.facts.get("contact") == "restored"
        if self._restored_months():
            return "restored_months"
        if "last_contact" in self.parsed:
            return "restored_to_as_of" if restored else "to_as_of"
        if "months_out_of_contact" in self.facts:
            return "months"
        return None

    def months_out(self) -> int | None:
        basis = self.months_basis()
        if basis in ("to_as_of", "restored_to_as_of"):
            return dates.full_months_between(self.parsed["last_contact"], self.as_of)
        if basis is None:
            return None
        return self.facts["months_out_of_contact"]

    def conflicts(self) -> list[str]:
        f, p, found = self.facts, self.parsed, []
        if "last_contact" in p and "months_out_of_contact" in f:
            m = dates.full_months_between(p["last_contact"], self.as_of)
            given = f["months_out_of_contact"]
            if self._restored_months():
                # The loss ended when contact was restored, on or before as_of: it may be shorter
                # than the time since the last contact, not longer.
                if given > m + 1:
                    found.append(
                        f"所填失联月数{given}个月，超过从最后联系日期{f['last_contact']}"
                        f"至评估日期{f['as_of']}的{m}个月。"
                    )
            elif abs(m - given) > 1:
                found.append(
                    f"按最后联系日期{f['last_contact']}计算，至{f['as_of']}已失联{m}个月，"
                    f"与所填失联月数{given}个月相差超过1个月。"
                )
        if "suspended_since" in p:
            if f.get("suspended") is False:
                found.append("填写了停止党籍日期，却又填写未作出停止党籍决定。")
            if "last_contact" in p and p["suspended_since"] < p["last_contact"]:
                found.append(f"停止党籍日期{f['suspended_since']}早于最后联系日期{f['last_contact']}。")
            elif (
                "last_contact" not in p
                and (earliest := self.earliest_last_contact()) is not None
                and p["suspended_since"] < earliest
            ):
                found.append(
                    f"停止党籍日期{f['suspended_since']}早于失去联系之时：按所填失联月数"
                    f"{f['months_out_of_contact']}个月推算，至评估日期{f['as_of']}，"
                    f"最后一次联系最早在{earliest.isoformat()}（已按1个月的误差放宽）。"
                )
        if f.get("member") != "full" and "probation_end" in p and "probation" in f:
            if f["probation"] == "ongoing" and p["probation_end"] < self.as_of:
                found.append(
                    f"填写尚在预备期内，但预备期满日期{f['probation_end']}早于评估日期{f['as_of']}。"
                )
            if f["probation"] == "expired" and p["probation_end"] >= self.as_of:
                found.append(
                    f"填写已超过预备期，但预备期满日期{f['probation_end']}不早于评估日期{f['as_of']}。"
                )
        return found

    def earliest_last_contact(self) -> _dt.date | None:
        """With only the months out of contact counted to as_of (a member still unreachable): the
        earliest last contact they allow, with the 1-month tolerance of the date-and-months
        conflict test (full months from it to as_of at most months + 1).  None otherwise: a
        member back in contact counts the months to the unknown day contact was restored, and
        until `contact` is answered it is not known which of the two the months are."""
        f = self.facts
        if "last_contact" in self.parsed or "months_out_of_contact" not in f or f.get("contact") != "lost":
            return None
        limit = self.facts["months_out_of_contact"] + 1
        day = dates.add_months(self.as_of, -(limit + 1))
        while dates.full_months_between(day, self.as_of) > limit:
            day += _dt.timedelta(days=1)
        return day

    def premature(self) -> list[str]:
        """Why the suspension came before the member had been out of contact 6 months (回头看:
        the facts may be right and the past decision premature, rules premature_suspension).
        The loss of contact starts at last_contact, or - months only - at the earliest last
        contact the months allow (earliest_last_contact), so both forms give the same answer."""
        f, p, found = self.facts, self.parsed, []
        if "suspended_since" in p and "last_contact" in p:
            six = dates.add_months(p["last_contact"], 6)
            if p["last_contact"] <= p["suspended_since"] < six:
                found.append(
                    f"停止党籍的决定于{f['suspended_since']}作出，早于失联满6个月之日{six.isoformat()}"
                    f"（最后联系日期{f['last_contact']}）。"
                )
        elif "suspended_since" in p and (earliest := self.earliest_last_contact()) is not None:
            six = dates.add_months(earliest, 6)
            if earliest <= p["suspended_since"] < six:
                found.append(
                    f"停止党籍的决定于{f['suspended_since']}作出；按所填失联月数{f['months_out_of_contact']}个月"
                    f"推算，即使按最早的最后联系日期{earliest.isoformat()}（已按1个月的误差放宽）计算，"
                    f"失联满6个月之日也在{six.isoformat()}，停止党籍的决定作出时失联还不满6个月。"
                )
        months = self.months_out()
        if not found and self._suspended() is True and months is not None and months < 6:
            found.append(f"与党组织失去联系不满6个月（{months}个月），却已停止党籍。")
        return found

    def late(self) -> list[str]:
        """Why the suspension was decided after contact had been restored: back in contact with
        both the last contact and the months of the loss given, contact was restored about
        last_contact + months; a suspension on or after last_contact + months + 2 (the 1-month
        tolerance of the conflict test, and the rest of the last month) came after it."""
        f, p = self.facts, self.parsed
        if not (self._restored_months() and "last_contact" in p and "suspended_since" in p):
            return []
        latest = dates.add_months(p["last_contact"], f["months_out_of_contact"] + 2)
        if p["suspended_since"] < latest:
            return []
        restored = dates.add_months(p["last_contact"], f["months_out_of_contact"])
        why = (
            f"按最后联系日期{f['last_contact']}和所填失联月数{f['months_out_of_contact']}个月推算，"
            f"约在{restored.isoformat()}已重新取得联系（最迟不晚于{latest.isoformat()}），"
            f"而停止党籍的决定于{f['suspended_since']}作出，在重新取得联系之后。"
        )
        return [why]

    def removal_grounds(self) -> list[tuple[str, list[str]]]:
        """The given facts that are grounds for 出党处置 under 三.2, or put 三.1 out of reach
        (subjective cause, not acknowledged or unwilling): [(text from derived.yaml, fact keys)].
        Used where the notice's path does not ask them (restoring a suspended member, a member
        settled abroad), so that a given ground is never passed over."""
        f, texts, found = self.facts, self.c.derived["removal_grounds"]["grounds"], []
        if f.get("lost_conditions") is True:
            found.append((texts["lost_conditions"], ["lost_conditions"]))
        for kind in ("request", "threat"):
            if f.get("withdrawal") == kind and f.get("persists_after_education") is not False:
                persists = "persists" if f.get("persists_after_education") is True else "persists_unknown"
                keys = ["withdrawal"] + (["persists_after_education"] if persists == "persists" else [])
                found.append((texts[kind] + texts[persists], keys))
        if f.get("correction_expired_unchanged") is True:
            found.append((texts["correction_expired_unchanged"], ["correction_expired_unchanged"]))
        if f.get("cause") == "subjective":
            for key in ("acknowledges", "willing"):
                if f.get(key) is False:
                    found.append((texts[f"subjective_{key}"], ["cause", key]))
        return found

    def _suspended(self) -> Any:
        if "suspended" in self.facts:
            return self.facts["suspended"]
        if "suspended_since" in self.facts:
            return True
        return _MISSING

    def get(self, key: str) -> Any:
        """The value of a fact or derived fact, or _MISSING (each computed once per case)."""
        value = self._derived.get(key, _UNSET)
        if value is _UNSET:  # not a question (those are there from the start): derived, or unknown
            compute = _DERIVED_GETTERS.get(key)
            value = compute(self) if compute is not None else _MISSING
            self._derived[key] = value
        return value

    def _in_scope(self) -> Any:
        months = self.months_out()
        if months is None:
            return _MISSING
        self.extra["months"] = months
        self.extra["last_contact"] = self.facts.get("last_contact", "")
        self.extra["basis"] = self.months_basis()
        return months >= 6

    def _suspension_expired(self) -> Any:
        if "suspended_since" not in self.parsed:
            return _MISSING
        end = dates.add_months(self.parsed["suspended_since"], 24)
        self.extra["end"] = end.isoformat()
        return self.as_of > end

    def _conflict(self) -> bool:
        found = self.conflicts()
        self.extra["conflicts"] = "".join(found)
        return bool(found)

    def _premature_suspension(self) -> bool:
        found = self.premature()
        self.extra["premature"] = "".join(found)
        return bool(found)

    def _removal_grounds(self) -> bool:
        grounds = self.removal_grounds()
        self.extra["grounds"] = "；".join(text for text, _ in grounds)
        self.ground_keys = [k for _, keys in grounds for k in keys]
        return bool(grounds)

    def _late_suspension(self) -> bool:
        found = self.late()
        self.extra["late"] = "".join(found)
        return bool(found)

    def get_or_default(self, key: str) -> tuple[Any, bool]:
        """(value, defaulted).  Facts with a default in questions.yaml use it when not given."""
        value = self.get(key)
        if value is _MISSING:
            q = self.c.by_key.get(key)
            if q is not None and isinstance(q.get("default"), bool):
                return q["default"], True
        return value, False

    def source_question(self, key: str) -> str:
        if key in self.c.derived:
            return self.c.derived[key]["source"]
        return key

    # Findings --------------------------------------------------------------------------------

    def findings_for(self, key: str) -> list[dict]:
        out = []
        value = self.get(key)
        if key in self.c.derived:
            d = self.c.derived[key]
            src = d.get("source")
            if src == "last_contact":
                # The fact the months were taken from (months_basis): the answered months for a
                # member back in contact, else the date.
                order = ("months_out_of_contact",) if self._restored_months() else ()
                for s in (*order, "last_contact", "months_out_of_contact"):
                    if s in self.facts:
                        out += self.findings_for(s)
                        break
            elif src:
                out += self.findings_for(src)
            elif key == "removal_grounds":
                for s in dict.fromkeys(self.ground_keys):
                    out += self.findings_for(s)
            fields = {"as_of": self.facts["as_of"], **self.extra}
            if "periods" in d and "basis" in self.extra:
                fields["period"] = d["periods"][self.extra["basis"]].format(**fields)
            text = dates.prose(d["findings"][_key(value)].format(**fields))
            if text:
                out.append({"key": key, "text": text, "cites": list(d["cites"])})
            return out
        q = self.c.by_key[key]
        if "findings" in q:
            text = q["findings"].get(_key(value), "")
        else:
            text = dates.prose(q.get("finding", "").format(value=value, as_of=self.facts["as_of"]))
        if text:
            out.append({"key": key, "text": text, "cites": self.finding_cites(q, value)})
        return out

    def finding_cites(self, q: dict, value: Any) -> list[str]:
        """The paragraphs this answer brings into play (questions.yaml `finding_cites`): the first
        entry for the answer whose `when` holds on the given facts; else the question's cites."""
        for entry in q.get("finding_cites", {}).get(_key(value), []):
            if all(_holds(self.get(k), v) for k, v in entry["when"].items()):
                return list(entry["cites"])
        return list(q["cites"])


# Derived facts (derived.yaml) and how each is computed; every other key is a given fact.
_DERIVED_GETTERS = {
    "in_scope": _Case._in_scope,
    "suspension_expired": _Case._suspension_expired,
    "conflict": _Case._conflict,
    "premature_suspension": _Case._premature_suspension,
    "removal_grounds": _Case._removal_grounds,
    "late_suspension": _Case._late_suspension,
    "suspended": _Case._suspended,
}


def _sort_cites(c: _Compiled, cites: list[str]) -> list[str]:
    """The paragraphs in the notice's order, each once.  Outcomes share a few hundred citation
    lists, so each list is sorted once (a fresh copy is returned: callers may change it)."""
    key = tuple(cites)
    found = c.sorted_cites.get(key)
    if found is None:
        if len(c.sorted_cites) >= 4096:  # bounded, though the rules allow far fewer lists
            c.sorted_cites.clear()
        found = c.sorted_cites[key] = sorted(
            dict.fromkeys(cites), key=lambda pid: c.order.get(pid, len(c.order))
        )
    return list(found)


def _empty(facts: dict) -> dict:
    return {
        "status": "incomplete",
        "disposition": None,
        "actions": [],
        "approver": None,
        "filed_with": None,
        "citations": [],
        "steps": [],
        "deadlines": [],
        "next_question": None,
        "rule": None,
        "question": None,
        "disposition_label": None,
        "decided_by": None,
        "pre_review": [],
        "findings": [],
        "notes": [],
        "optional_questions": [],
        "facts": facts,
    }


def _finding_list(case: _Case, used: list[str]) -> list[dict]:
    seen: set[str] = set()
    out = []
    for key in used:
        for item in case.findings_for(key):
            if item["key"] not in seen:
                seen.add(item["key"])
                out.append({"fact": item["key"], "text": item["text"], "cites": item["cites"]})
    return out


def _actions(case: _Case, rule: dict, proc_name: str) -> tuple[list[str], list[str], list[str]]:
    """(action codes, their cites, optional question keys)."""
    codes: list[str] = []
    cites: list[str] = []
    optional: list[str] = []
    if rule.get("actions") is False:
        return codes, cites, optional
    for action, when in case.c.actions_for(rule["disposition"], proc_name):
        holds, first_defaulted = True, None
        for key, expected in when:
            value, defaulted = case.get_or_default(key)
            if value is _MISSING:
                holds = False
                break
            if defaulted and first_defaulted is None:
                first_defaulted = key
            if not _holds(value, expected):
                if defaulted and first_defaulted == key:
                    # Not given: the default does not hold, but an answer could.
                    optional.append(key)
                holds = False
                break
        if holds:
            codes.append(action["code"])
            cites += action["cites"]
            if first_defaulted is not None:
                optional.append(first_defaulted)
    return codes, cites, optional


def _branch_gone(case: _Case) -> bool:
    return all(_holds(case.get_or_default(k)[0], v) for k, v in case.c.branch_gone["when"].items())


def _notes(case: _Case, rule: dict, proc: dict) -> tuple[list[dict], list[str]]:
    """(the outcome's notes, the fact keys of the conditional notes that hold)."""
    notes = [
        {"text": n["text"], "cites": list(n["cites"])}
        for n in (*rule.get("notes", []), *proc.get("notes", []))
    ]
    note_keys: list[str] = []
    for note in case.c.notes:
        if "dispositions" in note and rule["disposition"] not in note["dispositions"]:
            continue
        if all(_holds(case.get(k), v) for k, v in note["when"].items()):
            notes.append({"text": note["text"], "cites": list(note["cites"])})
            note_keys += note["when"]
    return notes, note_keys


def _deadlines(case: _Case, rule: dict) -> list[dict]:
    deadlines = []
    for d in rule.get("deadlines", []):
        if d.get("unless") and all(_holds(case.get(k), v) for k, v in d["unless"].items()):
            continue
        base = case.parsed.get(d["from"])
        if base is not None:
            deadlines.append(
                {
                    "what": d["what"],
                    "date": dates.add_months(base, d["months"]).isoformat(),
                    "cites": list(d["cites"]),
                }
            )
    return deadlines


def _conclusion(case: _Case, rule: dict) -> str:
    """The rule's finding, its fields filled from the derived facts the rule tested."""
    if "{" not in rule["finding"]:
        return dates.prose(rule["finding"])
    fields = dict(case.extra)
    if "reasons" in rule:
        # The rule's own conditions that held, in words: a 请示 names the reason found, not every
        # reason it could have been joined by 或.
        fields["reasons"] = "，".join(
            text
            for key, by_value in rule["reasons"].items()
            for value, text in by_value.items()
            if _key(case.get(key)) == value
        )
    return dates.prose(rule["finding"].format(**fields))


def _citations(
    c: _Compiled, rule: dict, proc: dict, action_cites: list[str], branch_gone: bool, notes: list[dict]
) -> list[str]:
    citations = list(rule["cites"]) + list(proc.get("cites", [])) + action_cites
    if branch_gone:
        citations += c.branch_gone["cites"] + c.branch_gone["lead"]["cites"]
    for n in notes:
        citations += n["cites"]
    return _sort_cites(c, citations)


def _complete(case: _Case, rule: dict, used: list[str]) -> dict:
    c, f = case.c, case.facts
    proc_name = rule["procedure"]
    proc = c.procedures[proc_name]
    out = _empty(f)
    gone = c.branch_gone
    branch_gone = _branch_gone(case)
    # A dissolved branch changes who acts (steps below), so the 为什么 chain says so before the
    # conclusion, which quotes the notice's own wording (所在党支部…) unchanged.
    findings = _finding_list(case, used + (list(gone["when"]) if branch_gone else []))
    codes, action_cites, optional = _actions(case, rule, proc_name)
    notes, note_keys = _notes(case, rule, proc)
    deadlines = _deadlines(case, rule)
    consulted = _consulted(case, used, codes, note_keys, deadlines, rule, branch_gone)
    findings += _unused_findings(case, rule, consulted)
    findings.append({"fact": None, "text": _conclusion(case, rule), "cites": list(rule["cites"])})
    optional += [k for k in rule.get("optional", []) if k not in f]
    optional = [q["key"] for q in c.questions if q["key"] in optional and q["key"] not in f]
    bodies = c.vocab["bodies"]
    # The procedure's steps, then the rule's own (what comes next, e.g. 劝而不退的予以除名), then
    # those of the actions listed (transfer, re-issued letter …): the printed list has them all.
    action_steps = [s for a in c.actions if a["code"] in codes for s in a.get("steps", [])]
    raw_steps = [dict(s) for s in [*proc["steps"], *rule.get("steps", []), *action_steps]]
    decided_by = proc.get("decided_by")
    if branch_gone:
        raw_steps, decided_by = _hand_to_higher_org(c, raw_steps, decided_by)
    steps = [
        {
            "id": s["id"],
            "text": s["text"],
            "by": s.get("by"),
            "by_label": bodies.get(s.get("by"), "") if s.get("by") else "",
            "cites": list(s["cites"]),
        }
        for s in raw_steps
    ]
    citations = _citations(c, rule, proc, action_cites, branch_gone, notes)
    out.update(
        {
            "status": "complete",
            "disposition": rule["disposition"],
            "disposition_label": c.vocab["dispositions"][rule["disposition"]],
            "actions": codes,
            "decided_by": decided_by,
            "pre_review": list(proc.get("pre_review") or []),
            "approver": proc.get("approver"),
            "filed_with": proc.get("filed_with"),
            "procedure": proc_name,
            "procedure_title": proc["title"],
            "citations": citations,
            "steps": steps,
            "deadlines": deadlines,
            "rule": rule["id"],
            "findings": findings,
            "notes": notes,
            "optional_questions": optional,
        }
    )
    return out


def _consulted(
    case: _Case,
    used: list[str],
    codes: list[str],
    note_keys: list[str],
    deadlines: list[dict],
    rule: dict,
    branch_gone: bool,
) -> set[str]:
    """The given facts that shaped this outcome: those the rules tested (derived facts by their
    sources), those of the actions, notes and deadlines it lists, and the dissolved branch."""
    c = case.c
    keys = set(used) | set(note_keys) | {"as_of"}
    if "in_scope" in used or "conflict" in used:
        keys |= {"last_contact", "months_out_of_contact"}
    if "suspension_expired" in used or "suspended" in used:
        keys |= {"suspended", "suspended_since"}
    if "removal_grounds" in used:
        keys |= set(case.ground_keys)
    for action in c.actions:
        if action["code"] in codes:
            keys |= set(action.get("when", {}))
    froms = {d["from"] for d in rule.get("deadlines", [])}
    if deadlines:
        keys |= froms
    if branch_gone:
        keys |= set(c.branch_gone["when"])
    return keys


def _unused_findings(case: _Case, rule: dict, consulted: set[str]) -> list[dict]:
    """One finding per fact given with the case that did not shape the outcome (unused_facts.yaml):
    a fact the user gave is never ignored in silence.  A defaulted fact given with its default
    value (e.g. 不需要转移) says nothing and is left out."""
    c, out = case.c, []
    for q in c.questions:
        key = q["key"]
        if key not in case.facts or key in consulted:
            continue
        value = case.facts[key]
        if "default" in q and _holds(value, q["default"]):
            continue
        label = next(
            (o["label"] for o in q["options"] if _holds(value, o["value"])),
            f"{value}个月" if q["type"] == "int" else str(value),
        )
        text = dates.prose(
            c.unused["template"].format(
                name=q["name"], value=label, reason=rule.get("unused") or c.unused["reason"]
            )
        )
        out.append({"fact": key, "text": text, "cites": list(rule["cites"])})
    return out


def _hand_to_higher_org(
    c: _Compiled, steps: list[dict], decided_by: str | None
) -> tuple[list[dict], str | None]:
    """The branch no longer exists (rules/branch_gone.yaml, p-5-2): its higher Party organisation
    takes the branch's steps, and no step text names the branch any more."""
    gone = c.branch_gone
    moved = set(gone["bodies"])

    def rewrite(text: str) -> str:
        return c.branch_gone_re.sub(lambda m: c.branch_gone_phrases[m.group(0)], text)

    out = [{**gone["lead"], "by": gone["to"]}]
    for step in steps:
        by = step.get("by")
        out.append({**step, "text": rewrite(step["text"]), "by": gone["to"] if by in moved else by})
    return out, (gone["to"] if decided_by in moved else decided_by)


def _incomplete(case: _Case, rule: dict, ask: str, used: list[str]) -> dict:
    out = _empty(case.facts)
    out.update(
        {
            "next_question": ask,
            "question": _copy(case.c.by_key[ask]),
            "rule": rule["id"],
            "findings": _finding_list(case, used),
            "procedure": None,
            "procedure_title": None,
        }
    )
    return out


def decide(facts: Any, *, today: _dt.date | None = None) -> dict:
    """Decide one case.  Raises InvalidCase on invalid input.  See the contract for the outcome."""
    case, rule, used, first_unknown = _match(facts, today)
    if first_unknown is not None:
        return _incomplete(case, rule, case.source_question(first_unknown), used)
    return _complete(case, rule, used)


def decide_brief(facts: Any, *, today: _dt.date | None = None) -> dict:
    """What a register row shows of `decide(facts)`, at a fraction of its cost: the same rule
    and values, without the 为什么 chain, steps and notes a row never shows.

    Keys: status, rule, disposition, disposition_label, next_question, citations, deadlines
    (as in decide's outcome), conclusion (the text of decide's last finding when complete, else
    None) and as_of.  tests/test_engine_brief.py holds it to decide's outcome on every path."""
    case, rule, _, first_unknown = _match(facts, today)
    out = {
        "status": "incomplete",
        "rule": rule["id"],
        "disposition": None,
        "disposition_label": None,
        "next_question": None,
        "citations": [],
        "deadlines": [],
        "conclusion": None,
        "as_of": case.facts["as_of"],
    }
    if first_unknown is not None:
        out["next_question"] = case.source_question(first_unknown)
        return out
    c = case.c
    out["status"] = "complete"
    out["disposition"] = rule["disposition"]
    out["disposition_label"] = c.vocab["dispositions"][rule["disposition"]]
    out["citations"] = _brief_citations(case, rule)
    out["deadlines"] = _deadlines(case, rule)
    out["conclusion"] = _conclusion(case, rule)
    return out


def _brief_citations(case: _Case, rule: dict) -> list[str]:
    """The outcome's citations, as _complete lists them.  They depend on the rule and on the
    facts the actions, notes and the dissolved branch test, only: registers repeat those few
    combinations, so each is worked out once."""
    c = case.c
    known, get = case._derived, case.get
    key = (rule["id"], *[known[k] if k in known else get(k) for k in c.citation_keys])
    found = c.brief_citations.get(key)
    if found is None:
        proc = c.procedures[rule["procedure"]]
        _, action_cites, _ = _actions(case, rule, rule["procedure"])
        notes, _ = _notes(case, rule, proc)
        if len(c.brief_citations) >= 4096:  # bounded, though the rules allow far fewer
            c.brief_citations.clear()
        found = c.brief_citations[key] = _citations(c, rule, proc, action_cites, _branch_gone(case), notes)
    return list(found)


def _match(facts: Any, today: _dt.date | None) -> tuple[_Case, dict, list[str], str | None]:
    """(the case, the first rule whose conditions do not fail, the keys that shaped the match in
    order, the first condition key still unknown or None)."""
    c = _compiled()
    valid, parsed = validate(facts, c.by_key, today)
    case = _Case(c, valid, parsed)
    used: list[str] = []
    get = case.get
    known = case._derived  # looked up here first: the rules test the same few keys again and again
    for rule, given, conditions in c.conditions:
        skip = False
        for key, allowed in given:
            value = known.get(key, _UNSET)
            if value is _UNSET:
                value = get(key)
            if value is _MISSING:
                skip = True
                break
            if value not in allowed:
                # A given fact ruled this rule out: it shaped the outcome (the 为什么 chain says so).
                if key not in used:
                    used.append(key)
                skip = True
                break
        if skip:
            continue
        first_unknown = None
        for key, allowed in conditions:
            value = known.get(key, _UNSET)
            if value is _UNSET:
                value = get(key)
            if value is _MISSING:
                if first_unknown is None:
                    first_unknown = key
                continue
            if key not in used:
                used.append(key)
            if value not in allowed:
                skip = True
                break
        if skip:
            continue
        for key, _ in given:
            if key not in used:
                used.append(key)
        return case, rule, used, first_unknown
    raise AssertionError("rules.json has no catch-all rule")  # compile_rules forbids this
