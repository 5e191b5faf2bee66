"""Property tests (hypothesis): random and hostile input to decide() and to the command line.

Only the documented error may come out: InvalidCase from decide(), exit status 2 with one line
on standard error from the CLI.  Valid random facts never raise and never ask a question that
was already answered.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.engine_support import ROOT, compile_rules

compile_rules()

import decision
from decision import InvalidCase

QUESTIONS = {q["key"]: q for q in decision.questions()}
IDS = set(decision.rules()["meta"]["paragraph_ids"])
AS_OF = dt.date(2025, 6, 30)

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(
        [
            "2023-02-30",
            "2024-02-29",
            "2025-06-30",
            "9999-12-31",
            "0001-01-01",
            "2024-1-1",
            "restored",
            "lost",
            "full",
            "no",
            "true",
            "",
            "\x00",
            "２０２４-01-01",
        ]
    ),
)
# Integers longer than int-to-str conversion allows (4300 digits): decide() only; they cannot be
# encoded as JSON here (the CLI's own test feeds such a literal).
huge_ints = st.sampled_from([4400, 6000]).map(lambda n: (-1) ** n * 10**n)
json_values = st.recursive(
    json_scalars | huge_ints,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
hostile_facts = st.dictionaries(
    st.sampled_from(sorted(QUESTIONS)) | st.text(max_size=12), json_values, max_size=8
)
json_safe_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=6,
)
hostile_json_facts = st.dictionaries(
    st.sampled_from(sorted(QUESTIONS)) | st.text(max_size=12), json_safe_values, max_size=8
)


def _valid_value(key: str):
    q = QUESTIONS[key]
    if q["type"] in ("choice", "bool"):
        return st.sampled_from([o["value"] for o in q["options"]])
    if q["type"] == "int":
        return st.integers(min_value=0, max_value=q.get("max", 1200))
    if key == "probation_end":
        return st.dates(dt.date(1990, 1, 1), dt.date(2027, 12, 31)).map(dt.date.isoformat)
    return st.dates(dt.date(1990, 1, 1), AS_OF).map(dt.date.isoformat)


valid_facts = st.fixed_dictionaries({}, optional={k: _valid_value(k) for k in QUESTIONS if k != "as_of"}).map(
    lambda f: {**f, "as_of": AS_OF.isoformat()}
)


def _check_outcome(out: dict, facts: dict) -> None:
    assert out["status"] in ("complete", "incomplete")
    if out["status"] == "incomplete":
        assert out["next_question"] in QUESTIONS
        assert facts.get(out["next_question"]) is None, "asked for a fact already given"
    else:
        assert out["disposition"] in decision.vocabulary()["dispositions"]
        assert out["rule"] != "fallback"
        assert set(out["citations"]) <= IDS and out["citations"]
    json.dumps(out)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hostile_facts)
def test_hostile_facts_raise_only_invalid_case(facts):
    try:
        out = decision.decide(facts)
    except InvalidCase as exc:
        assert exc.message and exc.message_zh and "\n" not in exc.message
        return
    _check_outcome(out, facts)


@settings(max_examples=100, deadline=None)
@given(json_values)
def test_any_json_value_raises_only_invalid_case(value):
    try:
        out = decision.decide(value)
    except InvalidCase:
        return
    assert isinstance(value, dict)
    _check_outcome(out, value)


@settings(max_examples=300, deadline=None)
@given(valid_facts)
def test_valid_facts_never_raise_and_never_reask(facts):
    out = decision.decide(facts)
    _check_outcome(out, facts)


cli_inputs = st.one_of(
    st.binary(max_size=60),
    st.text(max_size=60).map(lambda s: s.encode("utf-8")),
    hostile_json_facts.map(lambda f: json.dumps(f, allow_nan=True).encode("utf-8")),
    valid_facts.map(lambda f: json.dumps(f).encode("utf-8")),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cli_inputs)
def test_cli_exits_0_or_2_with_one_line(data):
    r = subprocess.run(
        [sys.executable, "-m", "decision", "decide"],
        check=False,
        input=data,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )
    assert r.returncode in (0, 2), r.stderr
    assert b"Traceback" not in r.stderr
    if r.returncode == 2:
        assert r.stdout == b"" and r.stderr.count(b"\n") == 1 and r.stderr.startswith(b"error: ")
    else:
        assert json.loads(r.stdout)["status"] in ("complete", "incomplete")
