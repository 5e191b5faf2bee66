"""The decision engine against its case files, its contract and its invalid input.

Case files: decision/cases/*.yaml (format in decision/cases/README.md).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys

import pytest

from tests.engine_support import DEFAULT_AS_OF, ROOT, compile_rules, load_cases

compile_rules()  # rules.json must be current before `decision` is used

import decision
from decision import InvalidCase, dates

CASES = load_cases()
CONTRACT_KEYS = {
    "status",
    "disposition",
    "actions",
    "approver",
    "filed_with",
    "citations",
    "steps",
    "deadlines",
}
ADDED_KEYS = {
    "next_question",
    "rule",
    "question",
    "disposition_label",
    "decided_by",
    "pre_review",
    "findings",
    "notes",
    "optional_questions",
    "facts",
    "procedure",
    "procedure_title",
}


def _facts(case: dict):
    facts = copy.deepcopy(case["facts"])
    if isinstance(facts, dict):
        facts.setdefault("as_of", DEFAULT_AS_OF)
    return facts


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_case(case):
    expect = case["expect"]
    assert case.get("name") and case.get("cites"), "every case names its situation and cites a paragraph"
    ids = set(decision.rules()["meta"]["paragraph_ids"])
    assert set(case["cites"]) <= ids
    if expect.get("invalid"):
        with pytest.raises(InvalidCase) as info:
            decision.decide(_facts(case))
        assert info.value.key == expect["key"]
        assert info.value.message and info.value.message_zh
        return
    out = decision.decide(_facts(case))
    assert set(out) == CONTRACT_KEYS | ADDED_KEYS
    for key, want in expect.items():
        if key == "actions_include":
            assert set(want) <= set(out["actions"]), out["actions"]
        elif key == "citations_include":
            assert set(want) <= set(out["citations"]), out["citations"]
        elif key == "citations_lack":
            assert not set(want) & set(out["citations"]), out["citations"]
        elif key == "deadline_dates":
            assert [d["date"] for d in out["deadlines"]] == want
        elif key == "deadlines_contain":
            assert any(want in d["what"] for d in out["deadlines"]), out["deadlines"]
        elif key == "notes_contain":
            assert any(want in n["text"] for n in out["notes"]), out["notes"]
        elif key == "findings_contain":
            assert any(want in f["text"] for f in out["findings"]), out["findings"]
        elif key == "finding_cites":
            got = {f["fact"]: f["cites"] for f in out["findings"] if f["fact"] in want}
            assert got == want, out["findings"]
        elif key == "notes_lack":
            assert not any(want in n["text"] for n in out["notes"]), out["notes"]
        elif key == "action_labels_contain":
            labels = decision.vocabulary()["actions"]
            for code, phrase in want.items():
                assert code in out["actions"] and phrase in labels[code], (code, labels[code])
        elif key == "step_ids":
            assert [s["id"] for s in out["steps"]] == want, out["steps"]
        elif key == "steps_contain":
            assert any(want in s["text"] for s in out["steps"]), out["steps"]
        elif key == "steps_lack":
            assert not any(want in s["text"] for s in out["steps"]), out["steps"]
        elif key == "why_contain":
            assert want in out["question"]["why"], out["question"]
        else:
            assert out[key] == want, f"{key}: {out[key]!r} != {want!r}"
    if "disposition" in expect:
        assert out["status"] == "complete"


def test_enough_cases_and_every_code_covered():
    """Fails when a disposition, action or rule is added without a case that reaches it."""
    assert len(CASES) >= 40
    vocab = decision.vocabulary()
    dispositions, actions, rule_ids = set(), set(), set()
    for _, case in CASES:
        expect = case["expect"]
        dispositions.add(expect.get("disposition"))
        actions.update(expect.get("actions", []), expect.get("actions_include", []))
        if not expect.get("invalid"):
            rule_ids.add(decision.decide(_facts(case))["rule"])
    assert set(vocab["dispositions"]) - dispositions == set()
    assert set(vocab["actions"]) - actions == set()
    rules = {r["id"] for r in decision.rules()["dispositions"]} - {"fallback"}
    assert rules - rule_ids == set(), "rules no case reaches"
    files = {i.split("#")[0] for i, c in CASES if c["expect"].get("invalid")}
    assert files == {"invalid"}


# ---- API ------------------------------------------------------------------------------------


def test_contract_outcome_shape_and_codes():
    out = decision.decide(
        {
            "last_contact": "2024-01-15",
            "as_of": DEFAULT_AS_OF,
            "contact": "restored",
            "member": "full",
            "suspended": False,
            "violations": False,
            "abroad": "no",
            "lost_conditions": False,
            "withdrawal": "none",
            "correction_expired_unchanged": False,
            "cause": "subjective",
            "acknowledges": True,
            "willing": True,
        }
    )
    # The spec's example outcome.
    assert out["disposition"] == "correction_deadline"
    assert out["actions"] == ["assign_branch", "investigate_conduct", "education_support", "appeal_rights"]
    assert out["approver"] == "basic_committee" and out["filed_with"] is None
    assert {"p-3-1", "p-3-3"} <= set(out["citations"])
    assert [s["id"] for s in out["steps"]] == ["verify", "pre_review", "resolution", "approval", "support"]
    for step in out["steps"]:
        assert step["text"] and step["cites"] and step["by"] in decision.vocabulary()["bodies"]
    assert out["findings"][-1]["fact"] is None
    assert json.loads(json.dumps(out)) == out


def test_incomplete_outcome_carries_the_question():
    out = decision.decide({"as_of": DEFAULT_AS_OF, "last_contact": "2024-01-15"})
    assert out["status"] == "incomplete" and out["disposition"] is None
    q = out["question"]
    assert q["key"] == out["next_question"] == "contact"
    assert q["text"] and q["why"] and q["cites"]
    assert [o["value"] for o in q["options"]] == ["restored", "lost"]
    assert out["findings"], "what is already known is explained"


def test_as_of_defaults_to_today_and_is_reported():
    out = decision.decide({})
    assert out["facts"]["as_of"] == dt.date.today().isoformat()
    out = decision.decide({}, today=dt.date(2020, 5, 1))
    assert out["facts"]["as_of"] == "2020-05-01"


def test_null_means_not_answered():
    assert decision.decide({"as_of": DEFAULT_AS_OF, "contact": None})["next_question"] == "last_contact"


def test_questions_api():
    qs = decision.questions()
    keys = [q["key"] for q in qs]
    assert len(keys) == len(set(keys))
    for q in qs:
        assert q["text"] and q["why"] and q["cites"] and q["name"], q["key"]
        assert "\n" not in q["why"] and len(q["why"]) <= 80, f"{q['key']}: 为什么问这个 is one line"
        if q["type"] == "bool":
            assert [o["value"] for o in q["options"]] == [True, False]
    assert decision.question("last_contact")["alternatives"] == ["months_out_of_contact"]
    with pytest.raises(KeyError):
        decision.question("nope")
    # Copies: callers cannot corrupt the engine.
    decision.question("contact")["options"].clear()
    assert decision.question("contact")["options"]


def test_rules_digest_is_the_sha256_of_rules_json():
    """The checklist's 规则版本 must identify the rules that decided: the digest of rules.json."""
    import hashlib
    from importlib import resources

    raw = resources.files("decision").joinpath("rules.json").read_bytes()
    assert decision.rules_digest() == hashlib.sha256(raw).hexdigest()[:12]


def test_vocabulary_is_chinese():
    vocab = decision.vocabulary()
    for section in ("dispositions", "actions", "bodies"):
        for code, label in vocab[section].items():
            assert any("\u4e00" <= ch <= "\u9fff" for ch in label), code


# ---- dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "start,months,want",
    [
        ("2024-08-31", 6, "2025-02-28"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2024-02-29", 24, "2026-02-28"),
        ("2023-08-31", 6, "2024-02-29"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2024-12-15", 1, "2025-01-15"),
        ("2024-05-10", 0, "2024-05-10"),
    ],
)
def test_add_months_clamps_to_month_end(start, months, want):
    assert dates.add_months(dates.parse(start), months).isoformat() == want


def test_full_months_between():
    p = dates.parse
    assert dates.full_months_between(p("2024-08-31"), p("2025-02-27")) == 5
    assert dates.full_months_between(p("2024-08-31"), p("2025-02-28")) == 6
    assert dates.full_months_between(p("2025-01-01"), p("2024-01-01")) == 0


@pytest.mark.parametrize(
    "text", ["2023-02-30", "2023-2-01", "２０２３-01-01", "2023-01-01T00:00", " 2023-01-01", ""]
)
def test_parse_rejects(text):
    with pytest.raises(ValueError):
        dates.parse(text)


# ---- invalid input --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "facts,key",
    [
        ("{}", None),
        (None, None),
        (42, None),
        ({1: "x"}, "1"),
        ({"months_out_of_contact": 10**30}, "months_out_of_contact"),
        ({"months_out_of_contact": 10**5000}, "months_out_of_contact"),  # too long for str()
        ({"contact": 10**5000}, "contact"),
        ({"months_out_of_contact": float("nan")}, "months_out_of_contact"),
        ({"as_of": "2025-06-30", "probation_end": "2025-02-31"}, "probation_end"),
        ({"suspended": "true"}, "suspended"),
        ({"abroad": False}, "abroad"),
    ],
)
def test_invalid(facts, key):
    with pytest.raises(InvalidCase) as info:
        decision.decide(facts)
    assert info.value.key == key
    assert str(info.value) == info.value.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in info.value.message_zh)


def test_missing_rules_json_names_the_command(monkeypatch, tmp_path):
    from decision import engine

    class Missing:
        def joinpath(self, name):
            return tmp_path / name

    monkeypatch.setattr(engine, "_COMPILED", None)
    monkeypatch.setattr(engine.resources, "files", lambda pkg: Missing())
    with pytest.raises(RuntimeError, match="make rules"):
        engine.decide({})
    monkeypatch.setattr(engine, "_COMPILED", None)  # reload the real rules afterwards


# ---- command line ---------------------------------------------------------------------------


def run_cli(*args, stdin: bytes = b""):
    return subprocess.run(
        [sys.executable, "-m", "decision", *args],
        check=False,
        input=stdin,
        capture_output=True,
        cwd=ROOT,
        timeout=60,
    )


def test_cli_decides_from_stdin_and_file(tmp_path):
    case = {"as_of": DEFAULT_AS_OF, "last_contact": "2023-01-10", "contact": "lost", "member": "probationary"}
    r = run_cli("decide", stdin=json.dumps(case).encode())
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["disposition"] == "cancel_probation"
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"as_of": DEFAULT_AS_OF}), encoding="utf-8")
    r = run_cli("decide", str(path))
    assert r.returncode == 0 and json.loads(r.stdout)["status"] == "incomplete"


@pytest.mark.parametrize(
    "stdin,needle",
    [
        (b"", b"empty input"),
        (b"  \n", b"empty input"),
        (b"{", b"invalid JSON"),
        (b"[]", b"JSON object"),
        (b'{"months_out_of_contact": true}', b"months_out_of_contact"),
        (b'{"months_out_of_contact": 1e999}', b"months_out_of_contact"),
        (b'{"a": NaN}', b"invalid JSON"),
        (b'{"contact": "lost", "contact": "restored"}', b"duplicate key"),
        (b"\xff{}", b"UTF-8"),  # \xff\xfe is now a UTF-16 BOM (case_file.py reads UTF-16)
        (b"[" * 100000, b"invalid JSON"),
        (b'{"months_out_of_contact": ' + b"9" * 5000 + b"}", b"invalid JSON"),
        (b'{"last_contact": "2023-02-30"}', b"last_contact"),
    ],
)
def test_cli_invalid_input_exits_2_with_one_line(stdin, needle):
    r = run_cli("decide", stdin=stdin)
    assert r.returncode == 2
    assert r.stdout == b""
    assert r.stderr.count(b"\n") == 1 and b"Traceback" not in r.stderr
    assert needle in r.stderr


def test_cli_missing_file_and_no_command():
    r = run_cli("decide", "/nonexistent/case.json")
    assert r.returncode == 2 and r.stderr.count(b"\n") == 1
    r = run_cli()
    assert r.returncode == 2 and b"Traceback" not in r.stderr
