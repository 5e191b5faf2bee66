"""Compile decision/rules/*.yaml into decision/rules.json, the form the runtime reads, and the
notice's paragraph texts into decision/notice_paragraphs.json (the wizard's quotations), so that
the runtime reads its data from its own package and never imports build code.

The engine's runtime must need only the standard library (it runs under Pyodide with no
wheels), so YAML is parsed here, at build time, and never at run time.

The compiler also checks the rules and fails the build with a clear message when:
- a cited id is not a paragraph id of the spec (taken from build_scripts/plumbing/notice.py);
- a disposition, action or body code is not in the vocabulary, or a contract code is missing;
- a `when` key is neither a question nor a derived fact, or its value is not one it can take;
- a procedure referenced by a rule or an action does not exist; rule ids repeat; and so on.
"""

from __future__ import annotations

import json
import os
import string
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from build_scripts.plumbing import strict_yaml

ROOT = Path(__file__).resolve().parents[2]
RULES_DIR = ROOT / "decision" / "rules"
COMPILED = ROOT / "decision" / "rules.json"
PARAGRAPHS = ROOT / "decision" / "notice_paragraphs.json"

# The contract's fixed codes (decision/CONTRACT.md §3): the vocabulary must hold them all.
CONTRACT_DISPOSITIONS = [
    "not_in_scope",
    "normal_management",
    "correction_deadline",
    "persuade_withdrawal",
    "removal",
    "suspend_membership",
    "keep_suspended",
    "restore_membership",
    "extend_probation",
    "cancel_probation",
    "refer_discipline",
    "request_instruction",
]
CONTRACT_ACTIONS = [
    "assign_branch",
    "investigate_conduct",
    "transfer_relationship",
    "reissue_letter",
    "retain_relationship_abroad",
    "upper_org_responsible",
    "continue_search",
    "education_support",
    "appeal_rights",
]
CONTRACT_BODIES = ["branch_committee", "branch_general_meeting", "basic_committee", "upper_org_dept"]
CONTRACT_FACTS = [
    "as_of",
    "last_contact",
    "months_out_of_contact",
    "contact",
    "member",
    "probation",
    "abroad",
    "cause",
    "violations",
    "poor_conduct",
    "acknowledges",
    "willing",
    "lost_conditions",
    "withdrawal",
    "persists_after_education",
    "correction_expired_unchanged",
    "refuses_persuasion",
    "suspended_since",
    "written_restore_request",
    "needs_transfer",
    "letter_lost",
    "branch_exists",
]
FILES = [
    "questions",
    "derived",
    "vocabulary",
    "procedures",
    "dispositions",
    "actions",
    "notes",
    "branch_gone",
    "unused_facts",
    "roster_headers",
]
TYPES = {"choice", "bool", "date", "int"}


class RulesError(Exception):
    pass


# ---- shapes --------------------------------------------------------------------------------
# One schema per rules file (roster_headers.yaml is checked by its owner, decision/roster/).  A
# schema is a type name ("str" non-empty, "text" possibly empty, "int", "bool", "any", "cites" = list of str, "?str" = str or null),
# ["list", item], ["map", value] (any keys) or {"key": schema, "?key": optional schema}: a mapping
# that must have the plain keys, may have the "?" ones and nothing else (a misspelt key is an
# error, not a silently ignored rule part).  Cross-references are checked in code, below.

_WHEN = ["map", "any"]
_NOTE = {"text": "str", "cites": "cites"}
_STEP = {"id": "str", "by": "?str", "cites": "cites", "text": "str"}
SCHEMAS: dict[str, Any] = {
    "questions": [
        "list",
        {
            "key": "str",
            "name": "str",
            "type": "str",
            "text": "str",
            "why": "str",
            "cites": "cites",
            "?hint": "str",
            "?options": ["map", "str"],
            "?findings": ["map", "text"],
            "?finding": "text",
            "?finding_cites": ["map", "any"],
            "?alternatives": ["list", "str"],
            "?min": "int",
            "?max": "int",
            "?default": "any",
            "?after_contact_restored": "bool",
        },
    ],
    "derived": [
        "map",
        {
            "source": "?str",
            "name": "str",
            "labels": ["map", "str"],
            "?applies": "str",
            "?example": ["map", "any"],
            "cites": "cites",
            "findings": ["map", "text"],
            "?periods": ["map", "str"],
            "?grounds": ["map", "str"],
            "?fields": ["map", "str"],
            "?walk_needs_both_alternatives": "bool",
        },
    ],
    "vocabulary": {"dispositions": ["map", "str"], "actions": ["map", "str"], "bodies": ["map", "str"]},
    "procedures": [
        "map",
        {
            "title": "str",
            "cites": "cites",
            "decided_by": "?str",
            "pre_review": ["list", "str"],
            "approver": "?str",
            "filed_with": "?str",
            "steps": ["list", _STEP],
            "?notes": ["list", _NOTE],
        },
    ],
    "dispositions": [
        "list",
        {
            "id": "str",
            "disposition": "str",
            "when": _WHEN,
            "cites": "cites",
            "procedure": "str",
            "finding": "str",
            "?when_given": _WHEN,
            "?actions": "bool",
            "?notes": ["list", _NOTE],
            "?deadlines": [
                "list",
                {"what": "str", "from": "str", "months": "int", "cites": "cites", "?unless": _WHEN},
            ],
            "?optional": ["list", "str"],
            "?unused": "str",
            "?steps": ["list", _STEP],
            "?reasons": ["map", ["map", "str"]],
        },
    ],
    "actions": [
        "list",
        {
            "code": "str",
            "cites": "cites",
            "?when": _WHEN,
            "?dispositions": ["list", "str"],
            "?except": ["list", "str"],
            "?procedures": ["list", "str"],
            "?steps": ["list", _STEP],
        },
    ],
    "notes": [
        "list",
        {"id": "str", "when": _WHEN, "text": "str", "cites": "cites", "?dispositions": ["list", "str"]},
    ],
    "branch_gone": {
        "when": _WHEN,
        "cites": "cites",
        "bodies": ["list", "str"],
        "to": "str",
        "lead": {"id": "str", "text": "str", "cites": "cites"},
        "phrases": ["list", ["list", "str"]],
    },
    "unused_facts": {"template": "str", "reason": "str"},
}


def _label(item: Any, n: int) -> str:
    if isinstance(item, dict):
        for field in ("id", "key", "code"):
            if isinstance(item.get(field), str):
                return item[field]
    return str(n)


def _shape(value: Any, schema: Any, where: str) -> list[str]:
    """Messages for every place `value` does not have the shape `schema` (see SCHEMAS)."""
    if isinstance(schema, str):
        optional = schema.startswith("?")
        kind = schema.lstrip("?")
        if value is None and optional:
            return []
        ok = {
            "str": isinstance(value, str) and value != "",
            "text": isinstance(value, str),
            "int": isinstance(value, int) and not isinstance(value, bool),
            "bool": isinstance(value, bool),
            "any": True,
            "cites": isinstance(value, list) and all(isinstance(v, str) for v in value),
        }[kind]
        names = {
            "str": "a non-empty text",
            "int": "an integer",
            "bool": "true or false",
            "cites": "a list of paragraph ids",
            "text": "a text",
            "any": "",
        }
        return (
            [] if ok else [f"{where}: must be {names[kind]}{' or null' if optional else ''}, not {value!r}"]
        )
    if isinstance(schema, list):
        kind, item = schema
        if kind == "list":
            if not isinstance(value, list):
                return [f"{where}: must be a list"]
            return [e for n, v in enumerate(value) for e in _shape(v, item, f"{where}[{_label(v, n)}]")]
        if not isinstance(value, dict):
            return [f"{where}: must be a mapping"]
        return [e for k, v in value.items() for e in _shape(v, item, f"{where}.{k}")]
    if not isinstance(value, dict):
        return [f"{where}: must be a mapping with keys {sorted(k.lstrip('?') for k in schema)}"]
    errors = []
    known = {k.lstrip("?"): k for k in schema}
    for key in value:
        if key not in known:
            errors.append(f"{where}: unknown key {key!r} (allowed: {sorted(known)})")
    for key, spec in schema.items():
        name = key.lstrip("?")
        if name in value:
            errors += _shape(value[name], spec, f"{where}.{name}")
        elif not key.startswith("?"):
            errors.append(f"{where}: key {name!r} is missing")
    return errors


def check_shapes(raw: dict) -> list[str]:
    """Each rules file against its schema, as loaded (before normalising); messages name the file."""
    errors = []
    for name, schema in SCHEMAS.items():
        errors += _shape(raw.get(name), schema, f"{name}.yaml: {name}")
    return errors


def paragraph_ids() -> list[str]:
    from build_scripts.plumbing import notice

    return notice.paragraph_ids()


def _bool_key(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def _normalise_questions(raw: list[dict]) -> list[dict]:
    out = []
    for q in raw:
        q = dict(q)
        q.setdefault("alternatives", [])
        q.setdefault("hint", "")
        if q.get("type") == "bool":
            labels = {_bool_key(k): v for k, v in (q.get("options") or {}).items()}
            q["options"] = [
                {"value": True, "label": labels.get("true", "是")},
                {"value": False, "label": labels.get("false", "否")},
            ]
        elif q.get("type") == "choice":
            q["options"] = [{"value": _bool_key(k), "label": v} for k, v in (q.get("options") or {}).items()]
        else:
            q["options"] = []
        if "findings" in q:
            q["findings"] = {_bool_key(k): v for k, v in q["findings"].items()}
        if "finding_cites" in q:
            q["finding_cites"] = _normalise_finding_cites(q["finding_cites"])
        out.append(q)
    return out


def _normalise_finding_cites(raw: Any) -> Any:
    """Per-answer citations of a question's findings, as {value: [{"when": {...}, "cites": [...]}]}.

    In YAML each answer maps to a plain list of paragraph ids, or to a list of
    `{when: {fact: value}, cites: [...]}` entries (first whose `when` holds wins; the last entry,
    without `when`, is the default).  Anything malformed is left as it is for check() to report.
    """
    if not isinstance(raw, dict):
        return raw
    out: dict[str, Any] = {}
    for value, spec in raw.items():
        if isinstance(spec, list) and all(isinstance(x, str) for x in spec):
            spec = [{"when": {}, "cites": spec}]
        elif isinstance(spec, list):
            spec = [{"when": e.get("when", {}), **e} if isinstance(e, dict) else e for e in spec]
        out[_bool_key(value)] = spec
    return out


def load() -> dict:
    data: dict[str, Any] = {}
    for name in FILES:
        path = RULES_DIR / f"{name}.yaml"
        if not path.is_file():
            raise RulesError(f"{path.relative_to(ROOT)} is missing")
        try:
            data[name] = strict_yaml.parse(path)
        except strict_yaml.DuplicateKeyError as exc:
            raise RulesError(f"decision/rules/{exc}") from None
        except yaml.YAMLError as exc:
            raise RulesError(f"{path.relative_to(ROOT)}: YAML error: {exc}") from None
    # Other rules files (e.g. roster_headers.yaml, owned by decision/roster/) are compiled as
    # they are, under their file's stem; their owners check them.
    for path in sorted(RULES_DIR.glob("*.yaml")):
        if path.stem not in FILES:
            try:
                data[path.stem] = strict_yaml.parse(path)
            except strict_yaml.DuplicateKeyError as exc:
                raise RulesError(f"decision/rules/{exc}") from None
            except yaml.YAMLError as exc:
                raise RulesError(f"{path.relative_to(ROOT)}: YAML error: {exc}") from None
    shape_errors = check_shapes(data)
    if shape_errors:
        raise RulesError("decision/rules is invalid:\n  " + "\n  ".join(shape_errors))
    data["questions"] = _normalise_questions(data["questions"] or [])
    data["derived"] = {
        k: {
            **v,
            "findings": {_bool_key(a): b for a, b in v["findings"].items()},
            "labels": {_bool_key(a): b for a, b in v["labels"].items()},
        }
        for k, v in (data["derived"] or {}).items()
    }
    data["meta"] = {"paragraph_ids": paragraph_ids(), "source": "decision/rules/*.yaml"}
    return data


def _walk_cites(node: Any, where: str):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "cites":
                yield where, value
            else:
                yield from _walk_cites(value, f"{where}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            label = (
                value.get("id") or value.get("key") or value.get("code") if isinstance(value, dict) else None
            )
            yield from _walk_cites(value, f"{where}[{label or i}]")


def check(data: dict) -> list[str]:
    errors: list[str] = []
    ids = set(data["meta"]["paragraph_ids"])
    vocab = data["vocabulary"]
    questions = {q["key"]: q for q in data["questions"]}
    derived = data["derived"]
    procedures = data["procedures"]

    # Citations.
    for name in FILES:
        for where, cites in _walk_cites(data[name], name):
            if not isinstance(cites, list):
                errors.append(f"{where}: cites must be a list of paragraph ids")
                continue
            for pid in cites:
                if pid not in ids:
                    errors.append(f"{where}: cites {pid!r}, which is not a paragraph id of the spec")

    # Vocabulary holds every contract code.
    for section, codes in (
        ("dispositions", CONTRACT_DISPOSITIONS),
        ("actions", CONTRACT_ACTIONS),
        ("bodies", CONTRACT_BODIES),
    ):
        for code in codes:
            if code not in (vocab.get(section) or {}):
                errors.append(f"vocabulary.{section}: contract code {code!r} has no label")

    # Questions.
    for key in CONTRACT_FACTS:
        if key not in questions:
            errors.append(f"questions: contract fact {key!r} has no question")
    seen = set()
    for q in data["questions"]:
        key = q.get("key")
        if key in seen:
            errors.append(f"questions: {key!r} is listed twice")
        seen.add(key)
        if q.get("type") not in TYPES:
            errors.append(f"questions[{key}]: type must be one of {sorted(TYPES)}")
        for field in ("name", "text", "why", "cites"):
            if not q.get(field):
                errors.append(f"questions[{key}]: {field} is missing")
        if q.get("type") in ("choice", "bool"):
            values = {_bool_key(o["value"]) for o in q["options"]}
            if set(q.get("findings", {})) != values:
                errors.append(f"questions[{key}]: findings must give one text per option {sorted(values)}")
        for alt in q["alternatives"]:
            if alt not in questions:
                errors.append(f"questions[{key}]: alternative {alt!r} is not a question")
    for key, d in derived.items():
        if d.get("source") is not None and d["source"] not in questions:
            errors.append(f"derived.{key}: source {d['source']!r} is not a question")
        if set(d["labels"]) != {"true", "false"}:
            errors.append(f"derived.{key}.labels: must label true and false")
        for fact in d.get("example") or {}:
            if fact not in questions:
                errors.append(f"derived.{key}.example: {fact!r} is not a question")

    def check_when(where: str, when: Any) -> None:
        if not isinstance(when, dict):
            errors.append(f"{where}: must be a mapping of fact to value")
            return
        for key, expected in when.items():
            if key in derived:
                allowed: set | None = {"true", "false"}
            elif key in questions:
                q = questions[key]
                allowed = {_bool_key(o["value"]) for o in q["options"]} if q["options"] else None
            else:
                errors.append(f"{where}: {key!r} is neither a question nor a derived fact")
                continue
            values = expected if isinstance(expected, list) else [expected]
            for value in values:
                if allowed is None:
                    errors.append(
                        f"{where}: {key!r} is a {questions[key]['type']} fact; rules may only test choices and booleans"
                    )
                elif _bool_key(value) not in allowed:
                    errors.append(
                        f"{where}: {key}={value!r} is not a value {key!r} can take ({sorted(allowed)})"
                    )

    def check_body(where: str, code: Any, contract_only: bool) -> None:
        if code is None:
            return
        pool = CONTRACT_BODIES if contract_only else list(vocab.get("bodies") or {})
        if code not in pool:
            errors.append(f"{where}: body {code!r} is not one of {pool}")

    # Per-answer citations of findings (questions[].finding_cites).
    for q in data["questions"]:
        key = q.get("key")
        fc = q.get("finding_cites")
        if fc is None:
            continue
        where = f"questions[{key}].finding_cites"
        values = {_bool_key(o["value"]) for o in q["options"]}
        if not isinstance(fc, dict) or not values:
            errors.append(f"{where}: must map each answer of a choice/bool question to its cites")
            continue
        for value, entries in fc.items():
            if value not in values:
                errors.append(f"{where}: {value!r} is not an answer of {key!r} ({sorted(values)})")
            if not isinstance(entries, list) or not entries:
                errors.append(f"{where}[{value}]: must be a list of paragraph ids or of {{when, cites}}")
                continue
            for n, entry in enumerate(entries):
                if (
                    not isinstance(entry, dict)
                    or not isinstance(entry.get("cites"), list)
                    or not entry["cites"]
                ):
                    errors.append(f"{where}[{value}][{n}]: cites must be a non-empty list of paragraph ids")
                    continue
                # (each id is checked with every other `cites` above)
                check_when(f"{where}[{value}][{n}].when", entry.get("when", {}))
                if key in (entry.get("when") or {}):
                    errors.append(f"{where}[{value}][{n}].when: may not test {key!r} itself")
            if isinstance(entries[-1], dict) and entries[-1].get("when"):
                errors.append(f"{where}[{value}]: the last entry must have no `when` (the default)")

    # Procedures.
    for name, proc in procedures.items():
        where = f"procedures.{name}"
        for field in ("title", "steps"):
            if not proc.get(field):
                errors.append(f"{where}: {field} is missing")
        check_body(f"{where}.decided_by", proc.get("decided_by"), False)
        check_body(f"{where}.approver", proc.get("approver"), True)
        check_body(f"{where}.filed_with", proc.get("filed_with"), True)
        for code in proc.get("pre_review") or []:
            check_body(f"{where}.pre_review", code, True)
        step_ids = set()
        for step in proc.get("steps") or []:
            sid = step.get("id")
            if sid in step_ids:
                errors.append(f"{where}: step id {sid!r} repeats")
            step_ids.add(sid)
            if not step.get("text") or not step.get("cites"):
                errors.append(f"{where}.steps[{sid}]: text and cites are required")
            check_body(f"{where}.steps[{sid}].by", step.get("by"), False)

    # Disposition rules.
    rule_ids = set()
    rules = data["dispositions"]
    for rule in rules:
        rid = rule.get("id")
        where = f"dispositions[{rid}]"
        if rid in rule_ids:
            errors.append(f"{where}: rule id repeats")
        rule_ids.add(rid)
        if rule.get("disposition") not in (vocab.get("dispositions") or {}):
            errors.append(f"{where}: disposition {rule.get('disposition')!r} is not in the vocabulary")
        if rule.get("procedure") not in procedures:
            errors.append(f"{where}: procedure {rule.get('procedure')!r} does not exist in procedures.yaml")
        if not rule.get("finding") or not rule.get("cites"):
            errors.append(f"{where}: finding and cites are required")
        check_when(f"{where}.when", rule.get("when"))
        if "when_given" in rule:
            check_when(f"{where}.when_given", rule["when_given"])
        # The conclusion may name what a derived fact it tests found (its `fields`), nothing else.
        tested = [*(rule.get("when") or {}), *(rule.get("when_given") or {})]
        fields = {f for k in tested if k in derived for f in derived[k].get("fields", [])}
        if rule.get("reasons"):
            fields.add("reasons")
            for key, by_value in rule["reasons"].items():
                if key not in (rule.get("when") or {}) and not any(
                    key in (r.get("when") or {}) for r in rules[: rules.index(rule)]
                ):
                    errors.append(
                        f"{where}.reasons: {key!r} is tested neither by this rule nor by one before it"
                    )
                check_when(f"{where}.reasons", {key: list(by_value)})
        for step in rule.get("steps") or []:
            check_body(f"{where}.steps[{step.get('id')}].by", step.get("by"), False)
        try:
            named = {n for _, n, _, _ in string.Formatter().parse(rule.get("finding") or "") if n is not None}
        except ValueError as exc:
            errors.append(f"{where}.finding: not a valid template ({exc})")
            named = set()
        for name in sorted(named - fields):
            errors.append(
                f"{where}.finding: {{{name}}} is not a field of a derived fact this rule tests ({sorted(fields)})"
            )
        for d in rule.get("deadlines") or []:
            if questions.get(d.get("from"), {}).get("type") != "date":
                errors.append(f"{where}.deadlines: from {d.get('from')!r} is not a date question")
            if not isinstance(d.get("months"), int) or not d.get("what"):
                errors.append(f"{where}.deadlines: months (int) and what are required")
            if "unless" in d:
                check_when(f"{where}.deadlines.unless", d["unless"])
        for key in rule.get("optional") or []:
            if key not in questions:
                errors.append(f"{where}.optional: {key!r} is not a question")
    if rules and rules[-1].get("when") != {}:
        errors.append("dispositions: the last rule must be the catch-all (when: {})")

    # Actions and notes.
    for action in data["actions"]:
        code = action.get("code")
        where = f"actions[{code}]"
        if code not in (vocab.get("actions") or {}):
            errors.append(f"{where}: action code is not in the vocabulary")
        check_when(f"{where}.when", action.get("when", {}))
        for field in ("dispositions", "except"):
            for d in action.get(field) or []:
                if d not in vocab["dispositions"]:
                    errors.append(f"{where}.{field}: {d!r} is not a disposition code")
        for p in action.get("procedures") or []:
            if p not in procedures:
                errors.append(f"{where}.procedures: procedure {p!r} does not exist")
        for step in action.get("steps") or []:
            check_body(f"{where}.steps[{step.get('id')}].by", step.get("by"), False)
    for note in data["notes"]:
        where = f"notes[{note.get('id')}]"
        check_when(f"{where}.when", note.get("when", {}))
        for d in note.get("dispositions") or []:
            if d not in vocab["dispositions"]:
                errors.append(f"{where}.dispositions: {d!r} is not a disposition code")
    errors += _check_branch_gone(data["branch_gone"], vocab, check_when)
    return [_name_file(e) for e in errors]


def _name_file(message: str) -> str:
    """`dispositions[x]: …` -> `dispositions.yaml: dispositions[x]: …`: every message names its file."""
    head = message.split("[", 1)[0].split(".", 1)[0].split(":", 1)[0]
    return f"{head}.yaml: {message}" if head in FILES else message


def _check_branch_gone(gone: Any, vocab: dict, check_when: Callable[[str, Any], None]) -> list[str]:
    """branch_gone.yaml: when, bodies -> to, the lead step and the phrase replacements."""
    errors: list[str] = []
    if not isinstance(gone, dict):
        return ["branch_gone: must be a mapping (when, cites, bodies, to, lead, phrases)"]
    check_when("branch_gone.when", gone.get("when"))
    bodies = list(vocab.get("bodies") or {})
    for code in [*(gone.get("bodies") or []), gone.get("to")]:
        if code not in bodies:
            errors.append(f"branch_gone: body {code!r} is not one of {bodies}")
    lead = gone.get("lead")
    if not isinstance(lead, dict) or not lead.get("id") or not lead.get("text") or not lead.get("cites"):
        errors.append("branch_gone.lead: id, text and cites are required")
    phrases = gone.get("phrases")
    if not isinstance(phrases, list) or not phrases:
        errors.append("branch_gone.phrases: must be a non-empty list of [phrase, replacement]")
    else:
        for n, pair in enumerate(phrases):
            if not (
                isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) and x for x in pair)
            ):
                errors.append(
                    f"branch_gone.phrases[{n}]: must be [phrase, replacement], two non-empty strings"
                )
    return errors


def compile_rules() -> dict:
    data = load()
    errors = check(data)
    if errors:
        raise RulesError("decision/rules is invalid:\n  " + "\n  ".join(errors))
    from build_scripts.plumbing import notice

    return {
        "meta": data["meta"],
        **{name: data[name] for name in FILES},
        **{k: v for k, v in data.items() if k not in FILES and k != "meta"},
        # Chinese labels of every citable paragraph (第三部分第2项（1）…), so that the runtime can
        # name paragraphs on any platform without reading the notice.
        "paragraph_labels": {pid: notice.label(pid) for pid in notice.paragraph_ids()},
    }


def paragraphs_json() -> bytes:
    """{pid: {"text": …}} of every paragraph and sub-item, in reading order (the print quotes in
    it).  Texts only: the labels (第三部分第1项 …) are in rules.json."""
    from build_scripts.plumbing import notice

    data = {pid: {"text": text} for pid, text in notice.texts_by_id().items()}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def _write_if_changed(path: Path, data: bytes) -> None:
    if not path.exists() or path.read_bytes() != data:
        # Atomic replace: parallel test workers may compile at the same time as others read.
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)


def main() -> None:
    try:
        compiled = compile_rules()
    except RulesError as exc:
        raise SystemExit(f"compile_rules: {exc}") from None
    text = json.dumps(compiled, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    _write_if_changed(COMPILED, text.encode("utf-8"))
    _write_if_changed(PARAGRAPHS, paragraphs_json())
    print(f"rules: {COMPILED.relative_to(ROOT)} ({len(text.encode())} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
