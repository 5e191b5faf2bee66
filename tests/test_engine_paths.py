"""Exhaustive check of the question flow, and the golden snapshot (tests/golden/paths.md)."""

from __future__ import annotations

import pytest

from tests.engine_support import compile_rules

compile_rules()

import decision
from build_scripts.tools import paths, snapshot


@pytest.fixture(scope="module")
def enumeration():
    return paths.enumerate_paths(decision.decide)


def test_every_path_ends_complete_or_asks_something_new(enumeration):
    assert enumeration.dead_ends == [], enumeration.dead_ends[:3]
    assert len(enumeration.paths) > 100
    print(
        f"\nexhaustive: {len(enumeration.paths)} paths, {enumeration.distinct_outcomes()} distinct outcomes, "
        f"{enumeration.calls} decide() calls, 0 dead ends"
    )


def test_every_question_asked_is_one_that_matters(enumeration):
    """Each choice or yes/no question asked on a path leads to at least two different outcomes.

    (Date and number questions take representative values only, some of which contradict the
    earlier answers; they are checked by the case files instead.)
    """
    kinds = {q["key"]: q["type"] for q in decision.questions()}
    outcomes_by_prefix: dict[tuple, set] = {}
    for facts, outcome in enumeration.paths:
        items = [(k, v) for k, v in facts.items() if k != "as_of"]
        sig = paths.signature(outcome)
        for n in range(len(items)):
            if kinds[items[n][0]] in ("choice", "bool"):
                outcomes_by_prefix.setdefault(tuple(items[:n]), set()).add(sig)
    pointless = [prefix for prefix, sigs in outcomes_by_prefix.items() if len(sigs) < 2]
    assert pointless == [], pointless[:3]


def test_every_citation_resolves(enumeration):
    ids = set(decision.rules()["meta"]["paragraph_ids"])
    questions = {q["key"]: q for q in decision.questions()}
    checked = 0
    for facts, outcome in enumeration.paths:
        variants = [outcome]
        extra = paths.with_optional_answers(facts, outcome, questions)
        if extra is not None:
            variants.append(decision.decide(extra))  # optional answers: must not raise either
        for out in variants:
            cites = list(out["citations"])
            for group in ("steps", "deadlines", "findings", "notes"):
                for item in out[group]:
                    cites += item["cites"]
            assert cites and set(cites) <= ids, set(cites) - ids
            assert out["status"] == "complete" and out["disposition"] in decision.vocabulary()["dispositions"]
            checked += 1
    assert checked > len(enumeration.paths)


def test_every_rule_but_the_catch_all_is_reachable_or_case_only(enumeration):
    reached = {outcome["rule"] for _, outcome in enumeration.paths}
    assert "fallback" not in reached, "an answer combination fell through every rule"
    # Reached only with facts that are never asked (when_given): covered by decision/cases.
    case_only = {r["id"] for r in decision.rules()["dispositions"] if r.get("when_given")}
    all_rules = {r["id"] for r in decision.rules()["dispositions"]} - {"fallback"}
    assert all_rules - case_only - reached == set()


def test_every_disposition_appears_on_some_path(enumeration):
    seen = {outcome["disposition"] for _, outcome in enumeration.paths}
    assert seen == set(decision.vocabulary()["dispositions"])


def test_branch_gone_no_step_is_left_to_the_branch(enumeration):
    """p-5-2: with the branch gone, every path's steps are taken by its higher Party organisation
    and no step text still names the branch, its committee or its meeting as the one acting."""
    branch_bodies = {"branch", "branch_committee", "branch_general_meeting"}
    checked = 0
    for facts, _ in enumeration.paths:
        out = decision.decide({**facts, "branch_exists": False})
        assert out["steps"][0]["id"] == "branch_gone" and out["steps"][0]["by"] == "higher_party_org"
        assert out["decided_by"] not in branch_bodies
        for step in out["steps"]:
            assert step["by"] not in branch_bodies, (out["rule"], step)
            text = step["text"].replace("原党支部的上级党组织", "")
            for phrase in ("党支部", "支委会", "支部大会"):
                assert phrase not in text, (out["rule"], step["text"])
        checked += 1
    assert checked == len(enumeration.paths)


def test_golden_snapshot_is_current():
    want = snapshot.render()
    have = snapshot.GOLDEN.read_text(encoding="utf-8") if snapshot.GOLDEN.exists() else ""
    assert have == want, (
        "tests/golden/paths.md is stale: run `python -m build_scripts.tools.snapshot` (or `make snapshot`) "
        "and review the diff"
    )
