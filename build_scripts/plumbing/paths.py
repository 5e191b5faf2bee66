"""Every path of the question flow (development tool; the runtime never imports it).

The one walker of the answer tree: the golden file (`make snapshot`), the wizard's browser path
tests (tests/wizard_paths.py: `shortest_paths`) and the flowchart and rule pages
(pagekit.explore(): `derived_probes`) all take their assessment date and their answers from here,
so they agree by construction.

Depth-first from `{}` with a fixed `as_of`, following `next_question`.  Choice and yes/no
questions take every value; date and number questions take representative values around each
threshold (3, 6 exactly, 7 and 60 months out of contact; suspended 4 months - too early after a
last contact 6 or 7 months back, the 回头看 case -, 1 year, exactly 2 years and 3 years before `as_of`).  Facts with defaults (needs_transfer, letter_lost, branch_exists) and
`probation_end` are never asked, so they are not branched on here: `with_optional_answers`
gives, for a complete path, the variant with every optional question answered against its
default, which the exhaustive test decides too.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field

from decision import dates

AS_OF = "2025-06-30"

# Months before as_of for each date question (the thresholds are 6 months and 2 years).
DATE_OFFSETS = {
    "last_contact": [3, 6, 7, 60],
    "suspended_since": [4, 12, 24, 36],
    "probation_end": [1],
}
# The alternative key to last_contact: one value, not in scope, so the flow's other branch shows.
ALTERNATIVE_VALUES = {"months_out_of_contact": [5]}
# The flowchart branches on a derived fact, not on dates: for each derived fact asked through a
# date question, the offsets of DATE_OFFSETS (months before as_of) that make it false and true.
DERIVED_PROBES = {
    "in_scope": ("last_contact", {False: 3, True: 60}),
    "suspension_expired": ("suspended_since", {False: 24, True: 36}),
}
assert all(m in DATE_OFFSETS[src] for src, side in DERIVED_PROBES.values() for m in side.values())


@dataclass
class Enumeration:
    paths: list[tuple[dict, dict]] = field(default_factory=list)  # complete (facts, outcome)
    dead_ends: list[tuple[dict, dict]] = field(default_factory=list)  # asked a key already answered
    calls: int = 0

    def distinct_outcomes(self) -> int:
        return len({signature(outcome) for _, outcome in self.paths})


def signature(outcome: dict) -> str:
    """What makes two outcomes the same for a cadre: everything but the facts and findings."""
    keep = {k: v for k, v in outcome.items() if k not in ("facts", "findings", "rule")}
    return json.dumps(keep, ensure_ascii=False, sort_keys=True)


def answers(key: str, question: dict, as_of: str = AS_OF) -> list:
    if question["type"] in ("choice", "bool"):
        return [option["value"] for option in question["options"]]
    if question["type"] == "date":
        base = dates.parse(as_of)
        return [dates.add_months(base, -m).isoformat() for m in DATE_OFFSETS.get(key, [0])]
    return [3, 6, 7, 30]


def enumerate_paths(decide: Callable[[dict], dict], as_of: str = AS_OF) -> Enumeration:
    result = Enumeration()

    def visit(facts: dict, first: bool) -> None:
        outcome = decide(facts)
        result.calls += 1
        if outcome["status"] == "complete":
            result.paths.append((facts, outcome))
            return
        key = outcome["next_question"]
        if key in facts:
            result.dead_ends.append((facts, outcome))
            return
        question = outcome["question"]
        for value in answers(key, question, as_of):
            visit({**facts, key: value}, False)
        for alt in question.get("alternatives", []):
            for value in ALTERNATIVE_VALUES.get(alt, []):
                visit({**facts, alt: value}, False)

    visit({"as_of": as_of}, True)
    return result


def shortest_paths(decide: Callable[[dict], dict], as_of: str = AS_OF) -> dict[str, list[tuple[str, object]]]:
    """{disposition: [(fact key, value), …] in the order the engine asks them}: the shortest of
    the paths enumerate_paths walks to each disposition (the first found on a tie)."""
    best: dict[str, list[tuple[str, object]]] = {}
    for facts, outcome in enumerate_paths(decide, as_of).paths:
        path = [(k, v) for k, v in facts.items() if k != "as_of"]
        code = outcome["disposition"]
        if code not in best or len(path) < len(best[code]):
            best[code] = path
    return best


def derived_probes(as_of: str = AS_OF) -> dict[str, tuple[str, dict[bool, str]]]:
    """{derived fact: (its date question, {False: date, True: date})}, from DERIVED_PROBES."""
    base = dates.parse(as_of)
    return {
        key: (source, {side: dates.add_months(base, -months).isoformat() for side, months in values.items()})
        for key, (source, values) in DERIVED_PROBES.items()
    }


def with_optional_answers(facts: dict, outcome: dict, questions: dict[str, dict]) -> dict | None:
    """The facts with every optional question answered against its default (None if none)."""
    extra = {}
    for key in outcome.get("optional_questions", []):
        q = questions[key]
        if isinstance(q.get("default"), bool):
            extra[key] = not q["default"]
        elif q["type"] == "date":
            extra[key] = answers(key, q, facts["as_of"])[0]
    if not extra:
        return None
    return {**facts, **extra}
