"""The training kit: cases, the procedure quiz, the handouts, the presentation and the overviews.

Without a browser: at least 24 cases covering every disposition and the traps, each agreeing with
the engine; a procedure quiz of at least 40 questions whose keys are the rules' (a rule changed in
a copy of decision/rules moves the key); the trainee handout holds no answer; the overviews draw
every step of their procedures and refuse stale data.
In Chromium: the presentation runs through every case with the keyboard alone (served and portable
builds); each overview prints on one A4 page; the quiz judges an answer at once with its reason;
the handouts print the course head from the form with page numbers, and the form stays off the URL.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pytest
import yaml

import decision
from build_scripts.pages import overview, training_quiz
from build_scripts.pages import pagekit as pk
from build_scripts.plumbing import compile_rules

ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((ROOT / "build_scripts/pages/training_cases.yaml").read_text(encoding="utf-8"))
PRESENT = "training/present/"
TRAINEE = "training/handout-trainee/"
TRAINER = "training/handout/"
QUIZ = "training/procedure-quiz/"


def page_html(site_dir: Path, url: str) -> str:
    path = site_dir / url / "index.html"
    assert path.is_file(), f"{url} was not built"
    return path.read_text(encoding="utf-8")


def text_of(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html))


def pdf_pages(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) in points of each page of a PDF Chromium printed."""
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    count = len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf))
    assert count and len(boxes) >= count, "cannot read the PDF's pages"
    return [(float(w), float(h)) for w, h in boxes[-count:]]


def is_a4(size: tuple[float, float]) -> bool:
    short, long = sorted(size)
    return abs(short - 595.3) < 2 and abs(long - 841.9) < 2


# ---- cases --------------------------------------------------------------------------------------


def test_at_least_24_cases_agree_with_the_engine_and_cover_the_traps():
    assert len(CASES) >= 24
    outcomes = {}
    for case in CASES:
        outcome = decision.decide(case["facts"])
        assert outcome["status"] == "complete", f"{case['id']}: the engine asks {outcome['next_question']}"
        assert outcome["disposition"] == case["expected"], case["id"]
        assert case["story"].strip() and case["prompt"].strip() and case["commentary"].strip(), case["id"]
        outcomes[case["id"]] = (case["facts"], outcome)
    assert {o["disposition"] for _, o in outcomes.values()} == set(pk.disposition_codes())
    facts_outcomes = list(outcomes.values())
    # Probationary members: lost, and back in contact.
    assert any(f.get("member") == "probationary" and f["contact"] == "lost" for f, _ in facts_outcomes)
    assert any(f.get("member") == "probationary" and f["contact"] == "restored" for f, _ in facts_outcomes)
    # Suspension abroad: the rule for members abroad decides, once to suspend and once after two years.
    abroad = [
        o["rule"]
        for f, o in facts_outcomes
        if f.get("abroad") in ("temporary", "settled") and f.get("member") == "full"
    ]
    assert "lost_abroad_not_suspended" in abroad and "lost_abroad_suspended_over_two_years" in abroad
    # A dissolved branch: the higher organisation takes over.
    assert sum("upper_org_responsible" in o["actions"] for _, o in facts_outcomes) >= 2
    # A lost letter: re-issued.
    assert sum("reissue_letter" in o["actions"] for _, o in facts_outcomes) >= 2


# ---- procedure quiz -----------------------------------------------------------------------------


def test_procedure_quiz_has_40_questions_whose_keys_are_the_rules():
    rules = decision.rules()
    qs = training_quiz.questions(rules)
    assert len(qs) >= 40
    assert len({q["id"] for q in qs}) == len(qs)
    topics = {q["topic"] for q in qs}
    assert {"谁决定", "谁预审", "谁审批", "谁备案", "步骤顺序", "时限", "依据哪一段"} <= topics
    for q in qs:
        assert q["reason"] and q["cites"], q["id"]
        if q["kind"] == "single":
            assert q["answer"] in [o["value"] for o in q["options"]], q["id"]
            assert len({o["value"] for o in q["options"]}) == len(q["options"]) >= 3, q["id"]
    by_id = {q["id"]: q for q in qs}
    for pid, proc in rules["procedures"].items():
        for role, field in (("decide", "decided_by"), ("approve", "approver"), ("file", "filed_with")):
            q = by_id.get(f"{pid}.{role}")
            if q:
                assert q["answer"] == (proc[field] or training_quiz.NOT_SET), q["id"]
        if f"{pid}.order" in by_id:
            assert by_id[f"{pid}.order"]["answer"] == [s["id"] for s in proc["steps"]]
    for rule in rules["dispositions"]:
        q = by_id.get(f"{rule['id']}.paragraph")
        if q:
            assert q["answer"] == pk.sort_cites(rule["cites"])[0]
            assert all(o["value"] not in rule["cites"] for o in q["options"] if o["value"] != q["answer"])


def test_a_rule_changed_in_a_copy_moves_the_quiz_key(tmp_path, monkeypatch):
    rules_dir = tmp_path / "rules"
    shutil.copytree(ROOT / "decision" / "rules", rules_dir)
    path = rules_dir / "procedures.yaml"
    text = path.read_text(encoding="utf-8")
    block = text.split("\nsuspension:\n", 1)[1].split("\nsuspension_abroad:\n", 1)[0]
    assert "  approver: basic_committee\n" in block
    changed = block.replace("  approver: basic_committee\n", "  approver: upper_org_dept\n", 1)
    # And the first two steps of the withdrawal procedure swap places.
    withdrawal = text.split("\nwithdrawal_request:\n", 1)[1].split("\nsuspension:\n", 1)[0]
    lines = withdrawal.split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("    - {id: education"))
    lines[first], lines[first + 1] = lines[first + 1], lines[first]
    text = text.replace(block, changed, 1).replace(withdrawal, "\n".join(lines), 1)
    path.write_text(text, encoding="utf-8")
    monkeypatch.setattr(compile_rules, "RULES_DIR", rules_dir)
    copy = compile_rules.compile_rules()

    before = {q["id"]: q for q in training_quiz.questions(decision.rules())}
    after = {q["id"]: q for q in training_quiz.questions(copy)}
    assert before["suspension.approve"]["answer"] == "basic_committee"
    assert after["suspension.approve"]["answer"] == "upper_org_dept"
    assert before["withdrawal_request.order"]["answer"][:2] == ["education", "application"]
    assert after["withdrawal_request.order"]["answer"][:2] == ["application", "education"]


def test_procedure_quiz_page_carries_every_question(site_dir):
    html = page_html(site_dir, QUIZ)
    blob = re.search(r'<script type="application/json" id="rp-pq-data">(.*?)</script>', html, re.DOTALL)
    assert blob
    import json

    data = json.loads(blob.group(1))
    assert [q["id"] for q in data] == [q["id"] for q in training_quiz.site_questions()]
    assert html.count('<fieldset class="rp-pq"') == len(data) >= 40


# ---- handouts -----------------------------------------------------------------------------------


def test_trainee_handout_holds_no_answer(site_dir):
    html = page_html(site_dir, TRAINEE)
    main = html.split('<article class="md-content__inner', 1)[1].split("</article>", 1)[0]
    text = text_of(main)
    assert main.count('class="rp-trainee-case"') == len(CASES)
    assert main.count('<p class="rp-answer-head">作答栏</p>') == len(CASES)
    assert "/dispositions/" not in main and "wizard/#" not in main
    sections = "".join(re.findall(r'<section class="rp-trainee-case".*?</section>', main, re.DOTALL))
    assert len(sections) > len(main) / 2
    assert "讲评" not in text_of(sections) and "处置结论" not in text_of(sections)
    for case in CASES:
        outcome = decision.decide(case["facts"])
        story = re.sub(r"\s+", "", case["story"])
        assert story[:30] in re.sub(r"\s+", "", text), case["id"]
        assert re.sub(r"\s+", "", case["commentary"])[:25] not in re.sub(r"\s+", "", text), case["id"]
        for finding in outcome["findings"][-1:]:
            assert finding["text"] not in text, case["id"]
        for step in outcome["steps"]:
            if len(step["text"]) > 20:
                assert step["text"] not in text, case["id"]


# ---- overviews ----------------------------------------------------------------------------------


def test_each_overview_draws_every_step_of_its_procedures(site_dir):
    procedures = decision.rules()["procedures"]
    loaded = overview.load()
    assert [ov.title for ov in loaded] == [
        "组织处置",
        "停止党籍",
        "恢复党籍",
        "本人申请退党",
        "纳入党组织管理",
        "预备党员",
    ]
    for ov in loaded:
        svg_file = site_dir / ov.svg_path
        root = ET.fromstring(svg_file.read_bytes())  # a well-formed standalone SVG
        drawn = "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
        drawn += "".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}tspan"))
        page = page_html(site_dir, pk.page_url(ov.src))
        assert "<svg" in page and ov.svg_path.split("/")[-1] in page
        for _, pid, _ in ov.variants:
            proc = procedures[pid]
            for step in proc["steps"]:
                assert step["text"].split("：", 1)[-1] in drawn, f"{ov.slug}: {pid}.{step['id']} not drawn"
                assert pk.body_label(step["by"]) in drawn


def test_stale_overview_data_stops_the_build():
    procedures = decision.rules()["procedures"]
    broken = {
        **procedures,
        "restoration": {**procedures["restoration"], "steps": procedures["restoration"]["steps"][:-1]},
    }
    with pytest.raises(
        SystemExit, match="restoration.approval: overview.yaml names a step the rules do not have"
    ):
        overview.load(broken)
    extra = {**procedures["suspension"]}
    extra["steps"] = [
        *extra["steps"],
        {"id": "new_step", "by": "branch", "cites": ["p-4-1"], "text": "新步骤"},
    ]
    with pytest.raises(SystemExit, match="suspension.new_step: no materials entry"):
        overview.load({**procedures, "suspension": extra})


# ---- in the browser -----------------------------------------------------------------------------


def run_presentation(page) -> None:
    """Every case, every stage, by keys only; the screen holds each stage."""
    root = page.locator("#rp-present")
    assert root.get_attribute("data-n") == "0"
    assert page.locator("#rp-pr-index").is_visible()
    keys = ["ArrowRight", " ", "PageDown"]
    presses = 0
    for n, case in enumerate(CASES, 1):
        outcome = decision.decide(case["facts"])
        for stage in range(4):
            page.keyboard.press(keys[presses % len(keys)])
            presses += 1
            assert (root.get_attribute("data-n"), root.get_attribute("data-stage")) == (str(n), str(stage))
            slide = page.locator(f"#case-{case['id']}")
            assert slide.is_visible()
            assert case["title"] in slide.locator(".rp-pr-title").inner_text()
            box = slide.bounding_box()
            assert box and box["height"] <= 720
            fits = slide.evaluate("s => s.scrollHeight <= s.clientHeight + 1")
            assert fits, f"case {n} stage {stage} overflows the screen"
            visible = "\n".join(slide.locator(".rp-pr-stage.rp-pr-visible").all_inner_texts())
            if stage == 0:
                assert re.sub(r"\s+", "", case["story"])[:20] in re.sub(r"\s+", "", visible)
            if stage == 1:
                assert case["prompt"].strip()[:10] in visible.replace("\n", "")
                assert "还剩" in slide.locator("[data-timer]").inner_text()
            if stage == 2:
                assert outcome["disposition_label"] in visible
                assert re.sub(r"\s+", "", case["commentary"])[:20] not in re.sub(r"\s+", "", visible)
            if stage == 3:
                assert re.sub(r"\s+", "", case["commentary"])[:20] in re.sub(r"\s+", "", visible)
    # Back with the clicker's PageUp and the arrow; Home returns to the index.
    page.keyboard.press("PageUp")
    assert root.get_attribute("data-stage") == "2"
    page.keyboard.press("ArrowLeft")
    assert root.get_attribute("data-stage") == "1"
    page.keyboard.press("Home")
    assert root.get_attribute("data-n") == "0"


@pytest.mark.browser
def test_presentation_runs_through_every_case_with_the_keyboard(base_url, guarded_page):
    page = guarded_page
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(base_url + PRESENT)
    page.wait_for_selector("html.rp-presenting")
    run_presentation(page)
    # The countdown can be skipped: the button reveals the answer.
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.locator("#case-" + CASES[0]["id"] + " [data-skip]").click()
    assert page.locator("#rp-present").get_attribute("data-stage") == "2"
    assert "#case-" in page.url and "?" not in page.url
    page.guard.check()


@pytest.mark.browser
def test_presentation_runs_in_the_portable_build(browser):
    from test_portable import PORTABLE_DIR, check, open_page

    if not (PORTABLE_DIR / "index.html").is_file():
        pytest.fail(f"{PORTABLE_DIR} has no portable build: run `make portable` (make test does it)")
    context, page = open_page(browser)
    try:
        page.set_viewport_size({"width": 1280, "height": 720})
        page.goto((PORTABLE_DIR / PRESENT / "index.html").as_uri())
        page.wait_for_selector("html.rp-presenting")
        run_presentation(page)
        check(page)
    finally:
        context.close()


def printed_text_sizes(pdf: Path) -> list[tuple[float, float, str]]:
    """(font size in pt, left edge in pt, text) of each run of CJK text in a one-page PDF.

    pdftotext -bbox gives each word's box; a run of full-width characters (a line of Chinese with
    no space) advances exactly one em per character, so its width over its length is its size."""
    import unicodedata

    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True)
    sizes = []
    for x0, x1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', out.stdout
    ):
        word = unescape(word)
        if len(word) >= 4 and all(unicodedata.east_asian_width(ch) in "WF" for ch in word):
            sizes.append(((float(x1) - float(x0)) / len(word), float(x0), word))
    return sizes


@pytest.mark.browser
def test_each_overview_prints_on_one_a4_page_in_legible_type(base_url, guarded_page, tmp_path):
    """Each overview prints on one A4 sheet in the orientation its drawing has, the drawing spans
    the sheet's width, and no text of it prints smaller than 9 pt (read from the PDF itself)."""
    page = guarded_page
    for ov in overview.load():
        page.goto(base_url + pk.page_url(ov.src))
        pdf = page.pdf(prefer_css_page_size=True, print_background=True, format="A4")
        pages = pdf_pages(pdf)
        assert len(pages) == 1, f"{ov.slug} prints on {len(pages)} pages"
        assert is_a4(pages[0]), f"{ov.slug}: {pages[0]} is not A4"
        orient = page.locator(".rp-overview-sheet").get_attribute("data-orient")
        width, height = pages[0]
        assert (width > height) == (orient == "landscape"), f"{ov.slug}: {orient} drawing on {pages[0]}"
        (tmp_path / f"{ov.slug}.pdf").write_bytes(pdf)
        sizes = printed_text_sizes(tmp_path / f"{ov.slug}.pdf")
        drawn = [s for s in sizes if s[2] in page.locator(".rp-overview-figure svg").text_content()]
        assert len(drawn) >= 10, f"{ov.slug}: the drawing's text is not in the PDF"
        smallest = min(sizes)
        assert smallest[0] >= 9, f"{ov.slug}: {smallest[2]!r} prints at {smallest[0]:.1f} pt"
        # The drawing uses the sheet's width: its widest line reaches past three quarters of it.
        right = max(x + size * len(text) for size, x, text in drawn)
        assert right > 0.75 * width, f"{ov.slug}: the drawing ends at {right:.0f} of {width:.0f} pt"
    page.guard.check()


def test_overview_layout_predicts_the_printed_size():
    """The layout's own figure (what it chose the orientation and width by) is at least 9 pt for
    every overview; a drawing made wider than the sheet allows is caught."""
    for ov in overview.load():
        orient, width, height, _ = overview.layout(ov)
        assert overview.smallest_print_pt(orient, width, height) >= 9, ov.slug
    assert overview.smallest_print_pt("portrait", 1400, 2000) < 9


@pytest.mark.browser
def test_procedure_quiz_judges_an_answer_at_once(base_url, guarded_page):
    import json

    page = guarded_page
    page.goto(base_url + QUIZ)
    data = {q["id"]: q for q in json.loads(page.locator("#rp-pq-data").text_content())}
    shown = page.locator("fieldset[data-question]:visible")
    assert shown.count() == 40
    single = page.locator("fieldset[data-kind=single]:visible").first
    q = data[single.get_attribute("data-question")]
    single.locator(f"input[value='{q['answer']}']").check()
    verdict = single.locator("[data-verdict]")
    assert verdict.get_attribute("data-correct") == "true"
    assert q["reason"][:15] in verdict.inner_text() and q["cites"][0]["label"] in verdict.inner_text()
    assert page.locator("#rp-pq-score").get_attribute("data-right") == "1"
    order = page.locator("fieldset[data-kind=order]").first
    page.select_option("#rp-pq-count", "all")
    q = data[order.get_attribute("data-question")]
    for select in order.locator("select[data-step]").all():
        select.select_option(str(q["answer"].index(select.get_attribute("data-step")) + 1))
    order.locator(".rp-pq-check").click()
    assert order.locator("[data-verdict]").get_attribute("data-correct") == "true"
    assert "正确顺序" in order.locator("[data-verdict]").inner_text()
    page.guard.check()


@pytest.mark.browser
@pytest.mark.parametrize("url,kind", [(TRAINEE, "学员用"), (TRAINER, "教员用")])
def test_handouts_print_the_course_head_with_page_numbers(base_url, guarded_page, tmp_path, url, kind):
    page = guarded_page
    page.goto(base_url + url)
    page.fill("input[name=course]", "失联党员规范管理专题培训班")
    page.fill("input[name=unit]", "中共某县委组织部")
    page.fill("input[name=date]", "2026-04-06")
    page.emulate_media(media="print")
    head = page.locator(".rp-course-head").inner_text()
    assert "失联党员规范管理专题培训班" in head and f"培训讲义（{kind}）" in head
    assert "中共某县委组织部" in head and "2026年4月6日" in head
    assert not page.locator(".rp-course-form").is_visible()
    assert page.url == base_url + url  # nothing went into the address
    pdf = page.pdf(prefer_css_page_size=True)
    pages = pdf_pages(pdf)
    assert len(pages) >= 2 and all(is_a4(p) for p in pages)
    (tmp_path / "h.pdf").write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "h.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"第 1 页 / 共 {len(pages)} 页" in text and f"第 {len(pages)} 页 / 共 {len(pages)} 页" in text
    page.guard.check()


@pytest.mark.browser
def test_flowchart_prints_one_figure_per_page_without_blank_pages(base_url, guarded_page, tmp_path):
    page = guarded_page
    page.goto(base_url + "flowchart/")
    charts = page.locator(".rp-chart[data-chart]")
    figures = charts.count()
    for _ in range(600):
        if page.locator(".rp-chart[data-state=ready]").count() == figures:
            break
        page.wait_for_timeout(100)
    titles = page.locator("h2.rp-figure-title").all_inner_texts()
    assert len(titles) == figures and all("？" in t and "·" not in t for t in titles)
    pdf = page.pdf(prefer_css_page_size=True)
    pages = pdf_pages(pdf)
    extra = 1 if pk.unreachable_rules() else 0
    assert len(pages) == figures + extra, f"{figures} figures on {len(pages)} pages"
    (tmp_path / "f.pdf").write_bytes(pdf)
    for n in range(1, len(pages) + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(n), "-l", str(n), str(tmp_path / "f.pdf"), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        if n <= figures:
            assert f"图{n}：" in text, f"page {n} does not hold figure {n}"
        assert text.strip(), f"page {n} is blank"
    page.guard.check()


def test_case_quiz_explains_each_key_with_the_engines_reason(site_dir):
    import json

    html = page_html(site_dir, "training/quiz/")
    blob = re.search(r'<script type="application/json" id="rp-quiz-answers">(.*?)</script>', html, re.DOTALL)
    assert blob
    answers = json.loads(blob.group(1))
    for case in CASES:
        finding = decision.decide(case["facts"])["findings"][-1]
        assert answers[case["id"]]["reason"] == finding["text"], case["id"]
        assert answers[case["id"]]["cites"], case["id"]
