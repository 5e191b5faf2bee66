"""Paper from the rules: the checklist model, the 一人一档 纪实 record in the case file, and the
document drafts written as .docx by decision/documents (standard library) and opened here with
python-docx, as Word or WPS would open them.
"""

from __future__ import annotations

import copy
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm
from wizard_paths import AS_OF, candidates, walk

import decision
from decision import citations, documents, wizard_bridge
from decision.case_file import CaseFileError
from decision.documents import record as record_mod

ROOT = Path(__file__).resolve().parent.parent

NAME, BRANCH = "张晓明", "中共安庆市某某社区第一党支部"
RECORD = {
    "name": NAME,
    "branch": BRANCH,
    "basic_committee": "中共某某街道工作委员会",
    "steps": {
        "verify": {"date": "2026-03-01", "by": "李四", "materials": ["谈话记录", "调查核实材料"], "note": ""}
    },
    "meeting": {
        "expected": 12,
        "present": 10,
        "for": 9,
        "against": 0,
        "abstain": 1,
        "signature": "refused",
        "branch_note": "本人拒绝签字",
    },
    "notified": {"date": "2026-05-01", "manner": "当面送达"},
}


@pytest.fixture(scope="module")
def paths():
    return walk()


def export(facts: dict, record: dict | None = None) -> str:
    doc = {"format": "shilian-case", "version": 1, "case": {"as_of": AS_OF, **facts}}
    if record is not None:
        doc["record"] = record
    return json.dumps(doc, ensure_ascii=False)


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "decision", *args],
        cwd=ROOT,
        input=stdin.encode() if stdin is not None else None,
        capture_output=True,
        check=False,
    )


def docx_text(path: Path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def procedure_path(name: str) -> list:
    """The shortest answer path to an outcome with this procedure (breadth-first, as walk())."""
    from collections import deque

    queue: deque = deque([[]])
    while queue:
        path = queue.popleft()
        outcome = decision.decide({"as_of": AS_OF, **dict(path)})
        if outcome["status"] == "complete":
            if outcome["procedure"] == name:
                return path
            continue
        queue.extend([*path, (outcome["question"]["key"], v)] for v in candidates(outcome["question"]))
    raise AssertionError(name)


REMOVAL = procedure_path("removal_procedure")


def removal_facts(paths) -> dict:
    return dict(REMOVAL)


# ---------------------------------------------------------------- documents from the CLI


def test_documents_cli_writes_every_draft_of_a_removal_case_and_python_docx_opens_them(paths, tmp_path):
    facts = removal_facts(paths)
    outcome = decision.decide({"as_of": AS_OF, **facts})
    assert outcome["disposition"] == "removal"
    case = tmp_path / "case.json"
    case.write_text(export(facts, RECORD), encoding="utf-8")
    proc = run("documents", str(case), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr.decode()
    written = [Path(line) for line in proc.stdout.decode().splitlines()]
    expected = documents.drafts(outcome, record_mod.read(RECORD))
    assert [p.name for p in written] == [f"{d['file']}.docx" for d in expected]
    # Every document the procedure needs: investigation, the preliminary opinion, one pre-review
    # request per pre-review body, the resolution, the approval request, the notice to the member.
    ids = [d["id"] for d in expected]
    assert ids.count("pre_review_request") == len(outcome["pre_review"]) == 2
    for needed in (
        "investigation",
        "preliminary_opinion",
        "resolution",
        "approval_request",
        "notice_to_member",
    ):
        assert needed in ids
    cited = [citations.label(pid) for pid in outcome["citations"]]
    for path in written:
        text = docx_text(path)
        assert NAME in text and BRANCH in text, path.name
        assert all(label in text for label in cited), path.name
        assert text.startswith("草稿"), path.name
        section = docx.Document(str(path)).sections[0]
        assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
        assert abs(section.top_margin - Mm(37)) < Mm(1) and abs(section.left_margin - Mm(28)) < Mm(1)
    resolution = docx_text(next(p for p in written if "党员大会决议" in p.name))
    assert "应到会有表决权的党员12名，实到10名" in resolution and "同意9票" in resolution
    assert "本人签字" in resolution and "本人拒绝签字" in resolution
    approval = docx_text(next(p for p in written if "审批请示" in p.name))
    assert "中共＿＿＿＿＿＿委员会组织部：" in approval  # the upper organisation department, left blank
    assert "中共某某街道工作委员会" in approval  # sent up by the basic committee the record names


def test_a_case_without_a_record_gets_visible_blanks(paths, tmp_path):
    case = tmp_path / "case.json"
    case.write_text(export(removal_facts(paths)), encoding="utf-8")
    proc = run("documents", str(case), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr.decode()
    for line in proc.stdout.decode().splitlines():
        text = docx_text(Path(line))
        assert "＿＿＿＿" in text and NAME not in text


def test_the_package_is_complete_and_names_the_official_fonts(paths):
    outcome = decision.decide({"as_of": AS_OF, **removal_facts(paths)})
    data = documents.docx_bytes(documents.drafts(outcome, record_mod.read(RECORD))[0], created=AS_OF)
    with zipfile.ZipFile(__import__("io").BytesIO(data)) as archive:
        names = archive.namelist()
        assert names[0] == "[Content_Types].xml"
        for part in (
            "_rels/.rels",
            "word/document.xml",
            "word/styles.xml",
            "word/settings.xml",
            "word/fontTable.xml",
            "docProps/core.xml",
            "docProps/app.xml",
        ):
            assert part in names
        types = archive.read("[Content_Types].xml").decode()
        for name in names:
            if name.endswith(".xml") and not name.startswith("[") and "_rels" not in name:
                assert f'PartName="/{name}"' in types, name
        styles = archive.read("word/styles.xml").decode()
        fonts = archive.read("word/fontTable.xml").decode()
    assert "仿宋_GB2312" in styles and "方正小标宋简体" in styles and "黑体" in styles
    assert re.search(r'w:name="仿宋_GB2312"><w:altName w:val="仿宋"', fonts)
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="宋体"', fonts)
    # Same draft, same bytes.
    assert data == documents.docx_bytes(documents.drafts(outcome, record_mod.read(RECORD))[0], created=AS_OF)


def test_characters_xml_cannot_hold_are_dropped_and_the_file_still_opens(paths, tmp_path):
    outcome = decision.decide({"as_of": AS_OF, **removal_facts(paths)})
    record = record_mod.read({"name": "张\x01三\ufffe", "branch": "<党支部>&"})
    path = tmp_path / "x.docx"
    path.write_bytes(documents.docx_bytes(documents.drafts(outcome, record)[0]))
    text = docx_text(path)
    assert "张三" in text and "<党支部>&" in text


def test_every_disposition_gets_drafts_and_each_opens(paths, tmp_path):
    for code, path in paths.items():
        outcome = decision.decide({"as_of": AS_OF, **dict(path)})
        drafts = documents.drafts(outcome, record_mod.read({"name": NAME}))
        if outcome["decided_by"] or outcome["approver"]:
            assert drafts, code
        for n, draft in enumerate(drafts):
            target = tmp_path / f"{code}-{n}.docx"
            target.write_bytes(documents.docx_bytes(draft))
            assert NAME in docx_text(target), (code, draft["id"])


def test_the_cli_refuses_an_incomplete_case_and_a_bad_record_in_one_line(tmp_path):
    case = tmp_path / "case.json"
    case.write_text(export({"contact": "lost"}), encoding="utf-8")
    proc = run("documents", str(case), "--out", str(tmp_path / "out"))
    err = proc.stderr.decode()
    assert proc.returncode == 2 and err.count("\n") == 1 and "Traceback" not in err and "案情尚未答完" in err


# ---------------------------------------------------------------- the 纪实 record


BAD_RECORDS = {
    "name too long": ({"name": "张" * 61}, "党员姓名超过60个字"),
    "unknown key": ({"nickname": "x"}, "不认识的字段“nickname”"),
    "not an object": ([1, 2], "格式不对"),
    "too many steps": ({"steps": {f"s{n}": {} for n in range(41)}}, "超过40项的上限"),
    "too many materials": ({"steps": {"verify": {"materials": ["a"] * 21}}}, "材料超过20项"),
    "bad date": ({"steps": {"verify": {"date": "2026-02-30"}}}, "不是有效日期"),
    "negative count": ({"meeting": {"present": -1}}, "实到人数应为0至100000的整数"),
    "float count": ({"meeting": {"present": 1.5}}, "实到人数应为"),
    "present over expected": ({"meeting": {"expected": 5, "present": 6}}, "实到人数多于应到人数"),
    "votes over present": ({"meeting": {"present": 5, "for": 5, "abstain": 1}}, "表决票数之和多于实到人数"),
    "refused without note": ({"meeting": {"signature": "refused"}}, "党支部应在决议上注明"),
    "bad signature": ({"meeting": {"signature": "maybe"}}, "本人签字情况的取值不对"),
}


@pytest.mark.parametrize("name", list(BAD_RECORDS))
def test_a_bad_record_is_refused_by_the_cli_and_the_bridge_with_the_same_message(paths, tmp_path, name):
    record, phrase = BAD_RECORDS[name]
    with pytest.raises(CaseFileError) as caught:
        record_mod.read(record)
    assert phrase in caught.value.message_zh
    case = tmp_path / "case.json"
    case.write_text(export(removal_facts(paths), record), encoding="utf-8")
    for command in (["record", str(case)], ["documents", str(case), "--out", str(tmp_path / "out")]):
        proc = run(*command)
        err = proc.stderr.decode()
        assert proc.returncode == 2 and err.count("\n") == 1 and "Traceback" not in err, (command, err)
        assert caught.value.message_zh in err
    assert not (tmp_path / "out").exists()
    view = json.loads(
        wizard_bridge.view_json(
            json.dumps({"op": "import", "text": case.read_text(encoding="utf-8"), "today": AS_OF})
        )
    )
    assert view["outcome"]["disposition"] == "removal"  # the case opens
    assert view["record_error"] == caught.value.message_zh  # and the record's problem is named


def test_the_record_round_trips_through_the_cli_and_the_bridge(paths, tmp_path):
    case = tmp_path / "case.json"
    case.write_text(export(removal_facts(paths), RECORD), encoding="utf-8")
    proc = run("record", str(case))
    assert proc.returncode == 0, proc.stderr.decode()
    printed = json.loads(proc.stdout.decode())["record"]
    assert printed == record_mod.read(RECORD)
    view = json.loads(
        wizard_bridge.view_json(
            json.dumps({"op": "import", "text": case.read_text(encoding="utf-8"), "today": AS_OF})
        )
    )
    assert view["record"] == printed and "record_error" not in view


def test_a_record_with_steps_the_procedure_lacks_is_named_not_dropped(paths, tmp_path):
    record = copy.deepcopy(RECORD)
    record["steps"]["no_such_step"] = {"date": "2026-03-02"}
    case = tmp_path / "case.json"
    case.write_text(export(removal_facts(paths), record), encoding="utf-8")
    proc = run("record", str(case))
    assert proc.returncode == 2 and "no_such_step" in proc.stderr.decode()
    assert "no_such_step" in json.loads(proc.stdout.decode())["unknown_steps"]


# ---------------------------------------------------------------- the checklist model


def test_every_checklist_has_a_title_by_kind_and_the_boxes_its_procedure_names(paths):
    paper = decision.rules()["paperwork"]
    procedures = decision.rules()["procedures"]
    assert set(paper["kinds"]) <= set(procedures), "paperwork.yaml names a procedure that does not exist"
    assert set(paper["kinds"].values()) <= set(paper["titles"])
    bodies = set(decision.vocabulary()["bodies"])
    assert set(paper["signoff"]) <= bodies and set(paper["letterhead"]) <= bodies
    ids = set(decision.rules()["paragraph_labels"])
    for doc in paper["documents"]:
        assert set(doc["cites"]) <= ids, doc["id"]
    for code, path in paths.items():
        outcome = decision.decide({"as_of": AS_OF, **dict(path)})
        model = documents.checklist(outcome)
        kind = paper["kinds"].get(outcome["procedure"], "default")
        assert model["title"] == paper["titles"][kind], code
        assert "组织处置" not in model["title"] or kind == "组织处置"
        assert len(model["steps"]) == len(outcome["steps"])
        boxed = {s["signoff"]["body"] for s in model["steps"] if s["signoff"]} | {
            b["body"] for b in model["closing"]
        }
        named = {
            outcome["decided_by"],
            outcome["approver"],
            outcome["filed_with"],
            *outcome["pre_review"],
        } - {None}
        assert named - {"branch", "grassroots_org"} <= boxed, code
        assert model["head"]["signer"]


def test_suspension_is_titled_membership_management_not_disposal(paths):
    outcome = decision.decide({"as_of": AS_OF, **dict(paths["suspend_membership"])})
    assert documents.checklist(outcome)["title"] == "失联党员党籍管理工作清单"
