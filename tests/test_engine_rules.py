"""build_scripts/plumbing/compile_rules.py: the YAML compiles, and each check fails the build when broken."""

from __future__ import annotations

import copy
import json

import pytest

from build_scripts.plumbing import compile_rules as cr


@pytest.fixture(scope="module")
def data():
    return cr.load()


def errors_after(data, mutate):
    broken = copy.deepcopy(data)
    mutate(broken)
    return cr.check(broken)


def rule(data, rid):
    return next(r for r in data["dispositions"] if r["id"] == rid)


def q(data, key):
    return next(x for x in data["questions"] if x["key"] == key)


def test_rules_compile_cleanly_and_match_rules_json(data):
    assert cr.check(data) == []
    cr.main()
    compiled = json.loads(cr.COMPILED.read_text(encoding="utf-8"))
    assert compiled == json.loads(json.dumps(cr.compile_rules()))
    assert compiled["meta"]["paragraph_ids"][0] == "p-title"


@pytest.mark.parametrize(
    "mutate,needle",
    [
        (
            lambda d: rule(d, "restored_violations")["cites"].append("p-9-9"),
            "'p-9-9', which is not a paragraph id",
        ),
        (lambda d: d["procedures"]["suspension"]["steps"][0]["cites"].append("p-3-9"), "p-3-9"),
        (lambda d: d["questions"][0]["cites"].append("p-x"), "p-x"),
        (
            lambda d: rule(d, "restored_violations").update(disposition="expel"),
            "'expel' is not in the vocabulary",
        ),
        (
            lambda d: rule(d, "restored_violations").update(procedure="nope"),
            "procedure 'nope' does not exist",
        ),
        (
            lambda d: rule(d, "restored_violations")["when"].update(colour="red"),
            "'colour' is neither a question",
        ),
        (
            lambda d: rule(d, "restored_violations")["when"].update(contact="maybe"),
            "contact='maybe' is not a value",
        ),
        (
            lambda d: rule(d, "restored_violations")["when"].update(last_contact="x"),
            "rules may only test choices",
        ),
        (
            lambda d: d["vocabulary"]["actions"].pop("appeal_rights"),
            "contract code 'appeal_rights' has no label",
        ),
        (lambda d: d["actions"].append({"code": "pray", "cites": []}), "actions[pray]: action code is not"),
        (lambda d: d["actions"][0].update(procedures=["nope"]), "procedure 'nope' does not exist"),
        (lambda d: d["procedures"]["suspension"].update(approver="branch"), "body 'branch' is not one of"),
        (lambda d: d["procedures"]["suspension"]["steps"][0].update(by="pope"), "body 'pope'"),
        (lambda d: d["dispositions"].pop(), "the last rule must be the catch-all"),
        (lambda d: d["dispositions"].insert(0, copy.deepcopy(d["dispositions"][0])), "rule id repeats"),
        (
            lambda d: rule(d, "lost_suspended_within_two_years")["deadlines"][0].update({"from": "contact"}),
            "from",
        ),
        (lambda d: d["questions"][2].pop("why"), "why is missing"),
        (lambda d: d["questions"][2]["findings"].pop("lost"), "one text per option"),
        (lambda d: d["notes"][0]["when"].update(suspended="maybe"), "suspended='maybe'"),
        (
            lambda d: q(d, "cause")["finding_cites"].update(unknown=[{"when": {}, "cites": ["p-3-1"]}]),
            "'unknown' is not an answer",
        ),
        (lambda d: q(d, "cause")["finding_cites"]["objective"][0]["cites"].append("p-2-9"), "'p-2-9'"),
        (lambda d: q(d, "cause")["finding_cites"]["objective"][0].update(cites=[]), "non-empty list"),
        (
            lambda d: q(d, "member")["finding_cites"]["full"][0]["when"].update(contact="gone"),
            "contact='gone'",
        ),
        (lambda d: q(d, "member")["finding_cites"]["full"].pop(), "the last entry must have no `when`"),
        (lambda d: q(d, "last_contact").update(finding_cites={"x": ["p-intro"]}), "must map each answer"),
        (lambda d: d["questions"].pop(0), "contract fact 'last_contact' has no question"),
        (lambda d: d["branch_gone"]["when"].update(branch_exists="gone"), "branch_exists='gone'"),
        (lambda d: d["branch_gone"].update(to="district"), "body 'district' is not one of"),
        (lambda d: d["branch_gone"]["bodies"].append("club"), "body 'club' is not one of"),
        (lambda d: d["branch_gone"]["lead"].pop("text"), "branch_gone.lead: id, text and cites"),
        (lambda d: d["branch_gone"]["lead"]["cites"].append("p-5-9"), "'p-5-9'"),
        (lambda d: d["branch_gone"]["phrases"].append(["党支部"]), "must be [phrase, replacement]"),
        (lambda d: d["branch_gone"].update(phrases=[]), "non-empty list of [phrase, replacement]"),
        (lambda d: d.update(branch_gone=[]), "branch_gone: must be a mapping"),
    ],
)
def test_each_check_can_fail(data, mutate, needle):
    errors = errors_after(data, mutate)
    assert any(needle in e for e in errors), errors


def test_main_exits_with_a_clear_message(monkeypatch, tmp_path):
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    for path in cr.RULES_DIR.glob("*.yaml"):
        (rules_dir / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    text = (rules_dir / "dispositions.yaml").read_text(encoding="utf-8")
    (rules_dir / "dispositions.yaml").write_text(text.replace("[p-4-2]", "[p-4-7]", 1), encoding="utf-8")
    monkeypatch.setattr(cr, "RULES_DIR", rules_dir)
    monkeypatch.setattr(cr, "COMPILED", tmp_path / "rules.json")
    with pytest.raises(SystemExit) as info:
        cr.main()
    assert "p-4-7" in str(info.value) and "decision/rules is invalid" in str(info.value)
    assert not (tmp_path / "rules.json").exists()


def _rules_copy(monkeypatch, tmp_path, name: str, edit) -> None:
    rules_dir = tmp_path / "rules"
    rules_dir.mkdir()
    for path in cr.RULES_DIR.glob("*.yaml"):
        (rules_dir / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    path = rules_dir / f"{name}.yaml"
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    monkeypatch.setattr(cr, "RULES_DIR", rules_dir)
    monkeypatch.setattr(cr, "COMPILED", tmp_path / "rules.json")


def test_a_duplicated_key_is_refused_with_file_key_and_line(monkeypatch, tmp_path):
    """The review's example: a second `disposition: removal` under lost_probationary was accepted
    and turned 取消预备党员资格 into 除名."""
    marker = "  disposition: cancel_probation\n  when: {contact: lost, member: probationary}\n"

    def edit(text):
        assert marker in text
        return text.replace(marker, marker + "  disposition: removal\n", 1)

    _rules_copy(monkeypatch, tmp_path, "dispositions", edit)
    with pytest.raises(SystemExit) as info:
        cr.main()
    message = str(info.value)
    assert "dispositions.yaml" in message and "'disposition'" in message and "line" in message, message
    assert not (tmp_path / "rules.json").exists()


@pytest.mark.parametrize(
    "name,old,new,needle",
    [
        # A misspelt key would otherwise be ignored: the rule would lose its notes in silence.
        (
            "dispositions",
            "  notes:\n",
            "  note:\n",
            "dispositions.yaml: dispositions[lost_abroad_suspended_within_two_years]: unknown key 'note'",
        ),
        (
            "procedures",
            "  approver: basic_committee\n",
            "  approver: [basic_committee]\n",
            "procedures.yaml: procedures.",
        ),
        (
            "questions",
            "  type: int\n",
            "  type: 7\n",
            "questions.yaml: questions[months_out_of_contact].type",
        ),
        (
            "actions",
            "- code: assign_branch\n",
            "- cod: assign_branch\n",
            "actions.yaml: actions[0]: key 'code' is missing",
        ),
        (
            "derived",
            "  source: suspended_since\n",
            "  source: [suspended_since]\n",
            "derived.yaml: derived.suspension_expired.source",
        ),
        ("unused_facts", "reason:", "reasons:", "unused_facts.yaml: unused_facts: unknown key 'reasons'"),
    ],
)
def test_each_rules_file_has_its_shape_checked(monkeypatch, tmp_path, name, old, new, needle):
    def edit(text):
        assert old in text, old
        return text.replace(old, new, 1)

    _rules_copy(monkeypatch, tmp_path, name, edit)
    with pytest.raises(cr.RulesError) as info:
        cr.load()
    assert needle in str(info.value), str(info.value)


def test_a_conclusion_names_only_fields_of_the_derived_facts_its_rule_tests(data):
    errors = errors_after(data, lambda d: rule(d, "restored_violations").update(finding="违纪{conflicts}"))
    assert any(
        e.startswith("dispositions.yaml: dispositions[restored_violations].finding: {conflicts}")
        for e in errors
    ), errors
    assert errors_after(data, lambda d: None) == []


def test_every_cross_reference_message_names_its_file(data):
    errors = errors_after(data, lambda d: rule(d, "restored_violations").update(procedure="nope"))
    assert errors == [
        "dispositions.yaml: dispositions[restored_violations]: procedure 'nope' does not exist in procedures.yaml"
    ]
