"""Paper in the browser: the wizard's checklist as printed (page count, page numbers, sign-off
boxes), the 一人一档 纪实 record saved and opened again, the document drafts downloaded as .docx
(made in the worker by the same code as the CLI) and printed, and a disposition page printing
one procedure alone.  PDFs come from Chromium (page.pdf); pdfinfo and pdftotext read them.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
from collections import deque
from pathlib import Path

import docx
import pytest
from wizard_paths import AS_OF, candidates, fragment

import decision
from decision import documents
from decision.documents import record as record_mod

ROOT = Path(__file__).resolve().parent.parent
READY_TIMEOUT = 60_000
NAME, BRANCH = "王建国", "中共安庆市某某社区第二党支部"


def pdf_pages(pdf: bytes, tmp_path: Path) -> list[str]:
    """The text of each page of a PDF (pdftotext, layout kept)."""
    path = tmp_path / "print.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    count = int(next(line.split()[1] for line in info.splitlines() if line.startswith("Pages:")))
    return [
        subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, count + 1)
    ]


def flat(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def procedure_paths() -> dict[tuple[str, str], list]:
    """Per (disposition, procedure): the answer path whose outcome has the most text (findings,
    notes, actions), the hardest case to fit on two pages."""
    best: dict[tuple[str, str], tuple[int, list]] = {}
    queue: deque = deque([[]])
    while queue:
        path = queue.popleft()
        outcome = decision.decide({"as_of": AS_OF, **dict(path)})
        if outcome["status"] == "complete":
            size = len(json.dumps(outcome, ensure_ascii=False))
            key = (outcome["disposition"], outcome["procedure"])
            if key not in best or size > best[key][0]:
                best[key] = (size, path)
            continue
        queue.extend([*path, (outcome["question"]["key"], v)] for v in candidates(outcome["question"]))
    return {key: path for key, (_, path) in best.items()}


def case_fragment(path: list) -> str:
    return fragment(path)  # with the assessment date AS_OF


def removal_path(procedure_paths) -> list:
    return procedure_paths[("removal", "removal_procedure")]


def open_result(page, base_url, path, code):
    page.goto(f"{base_url}wizard/#{case_fragment(path)}")
    page.wait_for_selector(
        f"[data-wizard-result][data-disposition={code}]:not([hidden])", timeout=READY_TIMEOUT
    )


@pytest.mark.browser
def test_every_checklist_prints_on_two_pages_with_page_numbers_and_its_sign_off_boxes(
    base_url, guarded_page, procedure_paths, tmp_path
):
    page = guarded_page
    page.goto(f"{base_url}wizard/")
    page.wait_for_selector("[data-wizard][data-state=ready]", timeout=READY_TIMEOUT)
    page.emulate_media(media="print")
    counts = {}
    for (code, procedure), path in sorted(procedure_paths.items()):
        page.evaluate("f => { location.hash = f; }", case_fragment(path))
        page.wait_for_selector(f"[data-wizard-result][data-disposition={code}]:not([hidden])")
        page.wait_for_selector("[data-wizard]:not([data-pending])")
        outcome = decision.decide({"as_of": AS_OF, **dict(path)})
        model = documents.checklist(outcome)
        texts = pdf_pages(page.pdf(format="A4", prefer_css_page_size=True), tmp_path)
        counts[procedure] = len(texts)
        whole = flat("".join(texts))
        for n, text in enumerate(texts, 1):
            assert f"第{n}页共{len(texts)}页" in flat(text), (procedure, n)
        # The last page holds more than the footer line and the page number.
        last = flat(texts[-1]).replace(f"第{len(texts)}页共{len(texts)}页", "")
        digest = last.find("依据：中共安庆市委组织部")
        assert digest > 0, (procedure, "the last page holds only the footer")
        assert flat(model["title"]) in whole and "评估日期" in whole
        for step in model["steps"]:
            if step["signoff"]:
                assert flat(step["signoff"]["opinion"]) in whole, (procedure, step["id"])
                if step["signoff"]["seal"]:
                    assert flat(step["signoff"]["seal"]) in whole
        for box in model["closing"]:
            assert flat(box["opinion"]) in whole, procedure
        assert flat(model["head"]["signer"]) in whole
        assert whole.count("经办人签字") >= len(outcome["steps"])
    assert all(1 <= n <= 2 for n in counts.values()), {p: n for p, n in counts.items() if not 1 <= n <= 2}
    page.guard.check()


@pytest.mark.browser
def test_the_record_round_trips_through_the_saved_case_file_and_the_cli(
    base_url, guarded_page, procedure_paths, tmp_path
):
    page = guarded_page
    open_result(page, base_url, removal_path(procedure_paths), "removal")
    page.wait_for_selector("[data-wizard][data-state=ready]", timeout=READY_TIMEOUT)

    def fill(name, value):
        page.fill(f"[data-record='{name}']", value)
        page.dispatch_event(f"[data-record='{name}']", "change")

    fill("name", NAME)
    fill("branch", BRANCH)
    fill("step-0-date", "2026-03-01")
    fill("step-0-by", "李四")
    fill("step-0-materials", "谈话记录、调查核实材料")
    fill("meeting-expected", "12")
    fill("meeting-present", "10")
    fill("meeting-for", "9")
    page.select_option("[data-record='meeting-signature']", "refused")
    fill("meeting-branch_note", "本人拒绝签字，已注明")
    assert NAME not in page.url and BRANCH not in page.url  # never in any URL
    page.emulate_media(media="print")
    assert NAME in page.locator(".wizard-print-head").inner_text()
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.click("[data-export]")
    saved = tmp_path / "case.json"
    saved.write_bytes(Path(download.value.path()).read_bytes())
    exported = json.loads(saved.read_text(encoding="utf-8"))
    assert exported["record"]["name"] == NAME
    assert exported["record"]["steps"]["verify"]["materials"] == ["谈话记录", "调查核实材料"]
    # The command line reads and checks the same file.
    proc = subprocess.run(
        [sys.executable, "-m", "decision", "record", str(saved)], cwd=ROOT, capture_output=True, check=False
    )
    assert proc.returncode == 0, proc.stderr.decode()
    record = json.loads(proc.stdout.decode())["record"]
    assert record == record_mod.read(exported["record"])
    assert record["meeting"] == {
        "expected": 12,
        "present": 10,
        "for": 9,
        "against": None,
        "abstain": None,
        "signature": "refused",
        "branch_note": "本人拒绝签字，已注明",
        "guide": "",
    }
    # A new case forgets the record; opening the file brings it back.
    page.click("[data-restart]")
    page.wait_for_selector("[data-wizard-step] form[data-question]", timeout=READY_TIMEOUT)
    page.set_input_files("#wizard-import", str(saved))
    page.wait_for_selector(
        "[data-wizard-result][data-disposition=removal]:not([hidden])", timeout=READY_TIMEOUT
    )
    assert page.input_value("[data-record='name']") == NAME
    assert page.input_value("[data-record='step-0-by']") == "李四"
    assert page.input_value("[data-record='meeting-signature']") == "refused"
    # The archive sheet: cover, 纪实 table, 材料目录.
    page.evaluate("() => { window.print = () => {}; }")
    page.click("[data-print-archive]")
    page.wait_for_selector("[data-wizard][data-print=archive]", state="attached")
    page.emulate_media(media="print")
    texts = pdf_pages(page.pdf(format="A4", prefer_css_page_size=True), tmp_path)
    whole = flat("".join(texts))
    assert len(texts) >= 2 and NAME in flat(texts[0]) and "一人一档" in flat(texts[0])
    assert "办理纪实" in whole and "材料目录" in whole and "谈话记录" in whole and "应到12名" in whole
    page.guard.check()


@pytest.mark.browser
def test_the_page_offers_the_same_docx_files_as_the_cli(base_url, guarded_page, procedure_paths, tmp_path):
    page = guarded_page
    path = removal_path(procedure_paths)
    open_result(page, base_url, path, "removal")
    page.wait_for_selector("[data-wizard][data-state=ready]", timeout=READY_TIMEOUT)
    page.fill("[data-record='name']", NAME)
    page.dispatch_event("[data-record='name']", "change")
    page.fill("[data-record='branch']", BRANCH)
    page.dispatch_event("[data-record='branch']", "change")
    outcome = decision.decide({"as_of": AS_OF, **dict(path)})
    drafts = documents.drafts(outcome, record_mod.read({"name": NAME, "branch": BRANCH}))
    page.wait_for_selector(f"[data-draft-list] li >> nth={len(drafts) - 1}")
    assert page.locator("[data-draft-list] li").count() == len(drafts)
    files = {}
    for n, draft in enumerate(drafts):
        with page.expect_download() as download:
            page.locator("[data-draft-list] li button").nth(n).click()
        files[download.value.suggested_filename] = Path(download.value.path()).read_bytes()
    assert list(files) == [f"{d['file']}.docx" for d in drafts]
    cited = [decision.rules()["paragraph_labels"][pid] for pid in outcome["citations"]]
    for draft in drafts:
        data = files[f"{draft['file']}.docx"]
        assert data == documents.docx_bytes(draft, created=AS_OF)  # the worker's bytes are the CLI's
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        assert NAME in text and BRANCH in text and all(label in text for label in cited)
    # Printed from the page: each draft starts a sheet; A4, GB/T 9704 margins, page numbers.
    page.evaluate("() => { window.print = () => {}; }")
    page.click("[data-print-drafts]")
    page.wait_for_selector(
        "[data-wizard][data-print=documents] [data-drafts-print] .wizard-draft", state="attached"
    )
    page.emulate_media(media="print")
    texts = pdf_pages(page.pdf(format="A4", prefer_css_page_size=True), tmp_path)
    assert len(texts) >= len(drafts)
    starts = [n for n, text in enumerate(texts) if flat(text).startswith("草稿")]
    assert len(starts) == len(drafts), starts
    assert flat(drafts[0]["title"]) in flat(texts[0]) and f"第1页共{len(texts)}页" in flat(texts[0])
    assert "办理步骤" not in flat("".join(texts))  # the checklist is not printed with them
    page.guard.check()


@pytest.mark.browser
def test_a_disposition_page_prints_one_procedure_alone(base_url, guarded_page, tmp_path):
    page = guarded_page
    checked = 0
    # The pages with the longest procedure (correction, removal) and the most procedures (removal,
    # suspension); every page's procedures are laid out by the same code.
    for code in ("correction_deadline", "removal", "suspend_membership"):
        page.goto(f"{base_url}dispositions/{code}/")
        page.evaluate("() => { window.print = () => {}; }")
        names = page.eval_on_selector_all("section.rp-proc", "s => s.map(x => x.dataset.proc)")
        for name in names:
            procedure = decision.rules()["procedures"][name]
            page.click(f'section.rp-proc[data-proc="{name}"] button[data-print-proc]:not([data-print-mode])')
            page.emulate_media(media="print")
            shown = page.eval_on_selector_all(
                "section.rp-proc",
                "s => s.filter(x => getComputedStyle(x).display !== 'none').map(x => x.dataset.proc)",
            )
            assert shown == [name], (code, shown)
            texts = pdf_pages(page.pdf(format="A4"), tmp_path)
            page.emulate_media(media="screen")
            page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
            whole = flat("".join(texts))
            assert len(texts) <= 2, (code, name, len(texts))
            assert flat(procedure["title"]) in whole and "党支部书记（签字）" in whole
            for n, text in enumerate(texts, 1):
                assert f"第{n}页共{len(texts)}页" in flat(text)
            # The table's header never ends a page without a row under it.
            for text in texts[:-1]:
                assert not flat(text).rstrip().split("第")[0].endswith("经办人签字"), (code, name)
            checked += 1
        # The blank forms download from the page as files that open.
        for href in page.eval_on_selector_all(".rp-form-list a", "as => as.map(a => a.href)")[:2]:
            data = page.request.get(href).body()
            assert docx.Document(io.BytesIO(data)).paragraphs[0].text.startswith("草稿")
    assert checked >= 1 + 3 + 4
    page.guard.check()
