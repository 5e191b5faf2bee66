"""engine.decide_brief (what a register row shows) agrees with decide on every case it could meet:
the exhaustive question flow with every prefix, the curated cases, and seeded random facts."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from tests.engine_support import compile_rules, load_cases

compile_rules()

from build_scripts.plumbing import paths
from decision import engine
from decision.validate import InvalidCase


def project(outcome: dict) -> dict:
    """The part of decide's outcome that decide_brief carries."""
    complete = outcome["status"] == "complete"
    return {
        "status": outcome["status"],
        "rule": outcome["rule"],
        "disposition": outcome["disposition"],
        "disposition_label": outcome["disposition_label"],
        "next_question": outcome["next_question"],
        "citations": outcome["citations"],
        "deadlines": outcome["deadlines"],
        "conclusion": outcome["findings"][-1]["text"] if complete else None,
        "as_of": outcome["facts"]["as_of"],
    }


def same(facts: dict) -> None:
    try:
        full = project(engine.decide(facts))
    except InvalidCase as exc:
        with pytest.raises(InvalidCase) as brief_exc:
            engine.decide_brief(facts)
        assert (brief_exc.value.key, brief_exc.value.message) == (exc.key, exc.message)
        return
    assert engine.decide_brief(facts) == full, facts


def test_every_state_of_the_question_flow():
    seen: list[dict] = []

    def record(facts: dict) -> dict:
        seen.append(dict(facts))
        return engine.decide(facts)

    enumeration = paths.enumerate_paths(record)
    assert len(seen) == enumeration.calls > 100
    for facts in seen:
        same(facts)


@pytest.mark.parametrize("name,case", load_cases(), ids=[n for n, _ in load_cases()])
def test_every_curated_case(name, case):
    same(case["facts"])


def _random_facts(rng: random.Random) -> dict:
    """Any subset of the questions, values of the right type (and now and then of the wrong
    one), dates around the thresholds: the mix a register gives."""
    facts: dict = {}
    as_of = dt.date(2026, 11, 1) - dt.timedelta(days=rng.randrange(0, 400))
    if rng.random() < 0.9:
        facts["as_of"] = as_of.isoformat()
    for q in engine.questions():
        key = q["key"]
        if key == "as_of" or rng.random() < 0.45:
            continue
        if q["type"] == "date":
            facts[key] = (as_of - dt.timedelta(days=rng.randrange(-30, 365 * 5))).isoformat()
        elif q["type"] == "int":
            facts[key] = rng.choice([0, 1, 5, 6, 7, 23, 24, 25, 60, -1])
        elif q["type"] == "bool":
            facts[key] = rng.random() < 0.5
        else:
            facts[key] = rng.choice([o["value"] for o in q["options"]])
    return facts


def test_seeded_random_facts():
    rng = random.Random(26)
    outcomes = set()
    for _ in range(4000):
        facts = _random_facts(rng)
        same(facts)
        try:
            outcome = engine.decide_brief(facts)
            outcomes.add((outcome["status"], outcome["rule"]))
        except InvalidCase:
            outcomes.add(("invalid", None))
    # The sample reaches invalid input, questions and many rules, not one corner.
    assert ("invalid", None) in outcomes
    assert len({rule for status, rule in outcomes if status == "complete"}) >= 15
