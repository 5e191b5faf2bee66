"""Every path of the question flow (development tool; the runtime never imports it).

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
