"""The pages generated from the rules (dispositions, flowchart, coverage, training) cannot drift.

They fail when a disposition or a rule has no page, when a training case's stated answer disagrees with
the engine, when a link or anchor of these pages is broken (a wizard link whose facts the engine no longer
decides the same way included), when a generated page is hand-edited into docs/, or when the built site
was generated from other rules than the current ones.  Browser tests: the flowchart renders from the
site's own Mermaid with no outside request, the quiz scores in the browser, pages read with JavaScript
off, and the trainer's handout puts the answers on a new page in print.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape
from pathlib import Path
from urllib.parse import parse_qsl, urljoin, urlsplit

import pytest
import yaml

import decision
from build_scripts.pages import notice
from build_scripts.pages import pagekit as pk
from build_scripts.tools.check_links import BASE, parse, target_file
from decision import dates

ROOT = Path(__file__).resolve().parent.parent
TRAINING_CASES = ROOT / "build_scripts" / "pages" / "training_cases.yaml"

MY_PAGES = [
    pk.DISPOSITIONS_INDEX,
    *[pk.disposition_page(c) for c in pk.disposition_codes()],
    pk.FLOWCHART_PAGE,
    pk.COVERAGE_PAGE,
    pk.TRAINING_INDEX,
    pk.QUIZ_PAGE,
    pk.HANDOUT_PAGE,
]


def built(site_dir: Path, src: str) -> Path:
    return site_dir / pk.page_url(src) / "index.html"


def html_of(site_dir: Path, src: str) -> str:
    path = built(site_dir, src)
    assert path.is_file(), f"{src} was not built ({path})"
    return path.read_text(encoding="utf-8")


def text_of(page_html: str) -> str:
    """The page's text: tags dropped (the glossary wraps terms in <abbr>), entities decoded."""
    return unescape(re.sub(r"<[^>]+>", "", page_html))


def training_cases() -> list[dict]:
    return yaml.safe_load(TRAINING_CASES.read_text(encoding="utf-8"))


# ---- every disposition and every rule has its page -------------------------------------------


def test_every_disposition_code_has_a_page_in_the_navigation(site_dir):
    codes = set(pk.disposition_codes()) | {r["disposition"] for r in pk.rules()["dispositions"]}
    assert len(codes) >= 12
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    for code in codes:
        page = html_of(site_dir, pk.disposition_page(code))
        assert pk.disposition_label(code) in page
        assert f'href="dispositions/{code}/"' in home, f"{code} is not in the navigation"
    for src in MY_PAGES:
        assert f'href="{pk.page_url(src)}"' in home or src == pk.DISPOSITIONS_INDEX, f"{src} not in nav"
    assert 'href="dispositions/"' in home


def test_every_rule_has_a_section_on_its_disposition_page(site_dir):
    for rule in pk.rules()["dispositions"]:
        ids = parse(built(site_dir, pk.disposition_page(rule["disposition"]))).ids
        assert pk.rule_anchor(rule["id"]) in ids, f"rule {rule['id']} has no section"


def test_every_procedure_step_is_on_the_checklist_with_its_body(site_dir):
    for code in pk.disposition_codes():
        raw = html_of(site_dir, pk.disposition_page(code))
        page = text_of(raw)
        for rule in pk.rules_for(code):
            proc = pk.rules()["procedures"][rule["procedure"]]
            for n, step in enumerate(proc["steps"], 1):
                assert step["text"] in page, f"{code}: step {step['id']} of {rule['procedure']} missing"
                assert f'id="chk-{rule["procedure"]}-{n}"' in raw
            for body in ("decided_by", "approver", "filed_with"):
                if proc.get(body):
                    assert pk.body_label(proc[body]) in page


def test_disposition_pages_quote_every_cited_paragraph(site_dir):
    for code in pk.disposition_codes():
        raw = html_of(site_dir, pk.disposition_page(code))
        page = text_of(raw)
        for rule in pk.rules_for(code):
            for pid in rule["cites"]:
                first_line = notice.paragraph_text(pid).split("\n")[0]
                assert first_line in page, f"{code}: {pid} is not quoted"
                assert f"notice/#{pid}" in raw


def test_explore_reaches_every_rule_without_when_given(site_dir):
    """Dead rules would be missing from the flowchart: only safety nets may be unreachable."""
    tree = pk.explore()
    print(
        f"\nexplore: {tree.calls} engine calls, {len(tree.nodes)} graph nodes, {len(tree.leaves_by_rule)} rules"
    )
    # Derived facts with no source question (conflict, premature_suspension) are never asked: rules on
    # them are reached by dates the walk does not probe, and the case files cover them.
    derived = pk.rules()["derived"]
    never_asked = {key for key, d in derived.items() if d.get("source") is None}
    for rule_id in pk.unreachable_rules():
        rule = next(r for r in pk.rules()["dispositions"] if r["id"] == rule_id)
        assert rule.get("when_given") or never_asked & set(rule["when"]) or not rule["when"], rule_id


# ---- derived-fact labels state the engine's boundaries ---------------------------------------


def _decide_at(extra: dict) -> dict:
    return decision.decide({"as_of": "2025-06-30", **extra})


def test_derived_labels_match_the_engine():
    labels = pk.DERIVED_LABELS
    assert "6个月" in labels["in_scope"][True] and "不满6个月" == labels["in_scope"][False]
    assert _decide_at({"months_out_of_contact": 5})["disposition"] == "not_in_scope"
    assert _decide_at({"months_out_of_contact": 6})["disposition"] != "not_in_scope"
    # "尚在2年内（含2年期满当日）": on the day the two years end the suspension is not yet expired.
    assert "含2年期满当日" in labels["suspension_expired"][False]
    lost = {
        "months_out_of_contact": 40,
        "contact": "lost",
        "member": "full",
        "abroad": "no",
        "suspended": True,
    }
    end_day = dates.add_months(dt.date(2025, 6, 30), -24).isoformat()
    day_after = (dates.add_months(dt.date(2025, 6, 30), -24) - dt.timedelta(days=1)).isoformat()
    assert _decide_at({**lost, "suspended_since": end_day})["disposition"] == "keep_suspended"
    assert _decide_at({**lost, "suspended_since": day_after})["disposition"] == "removal"


# ---- training ------------------------------------------------------------------------------


def test_training_cases_agree_with_the_engine():
    cases = training_cases()
    assert len(cases) >= 12
    wrong = []
    for case in cases:
        outcome = decision.decide(case["facts"])
        if outcome["status"] != "complete" or outcome["disposition"] != case["expected"]:
            got = outcome["disposition"] or f"incomplete, asks {outcome['next_question']}"
            wrong.append(f"{case['id']}: expected {case['expected']}, engine says {got}")
    assert wrong == []


def test_training_covers_every_disposition_and_the_traps():
    cases = training_cases()
    outcomes = {c["id"]: decision.decide(c["facts"]) for c in cases}
    assert {o["disposition"] for o in outcomes.values()} >= set(pk.disposition_codes())
    facts = [c["facts"] for c in cases]
    # A probationary member abroad.
    assert any(f.get("member") == "probationary" and f.get("abroad", "no") != "no" for f in facts)
    # A suspension at exactly two years on the assessment date.
    assert any(
        "suspended_since" in f
        and dates.add_months(dates.parse(f["suspended_since"]), 24) == dates.parse(f["as_of"])
        for f in facts
    )
    # A threat to leave and a request to leave, with different outcomes (劝其退党 first for a threat).
    by_kind: dict[str, set[str]] = {}
    for case, f in zip(cases, facts, strict=True):
        by_kind.setdefault(f.get("withdrawal", ""), set()).add(outcomes[case["id"]]["disposition"])
    assert "persuade_withdrawal" in by_kind.get("threat", set())
    assert by_kind.get("request") == {"removal"}
    assert all(c["story"].strip() and c["prompt"].strip() and c["commentary"].strip() for c in cases)


def test_training_page_reveals_the_engines_answer(site_dir):
    page = html_of(site_dir, pk.TRAINING_INDEX)
    for case in training_cases():
        outcome = decision.decide(case["facts"])
        section = page.split(f'id="case-{case["id"]}"', 1)[1].split('<h2 id="case-', 1)[0]
        text = text_of(section)
        assert "先想一想" in text and "揭晓答案" in text
        assert outcome["disposition_label"] in text
        assert f"dispositions/{outcome['disposition']}/#rule-{outcome['rule']}" in section
        for finding in outcome["findings"]:
            assert finding["text"] in text
        assert "wizard/#" in section


def test_quiz_answers_come_from_the_engine(site_dir):
    page = html_of(site_dir, pk.QUIZ_PAGE)
    blob = re.search(r'<script type="application/json" id="rp-quiz-answers">(.*?)</script>', page, re.DOTALL)
    assert blob
    answers = json.loads(blob.group(1))
    cases = training_cases()
    assert set(answers) == {c["id"] for c in cases}
    for case in cases:
        assert answers[case["id"]]["code"] == decision.decide(case["facts"])["disposition"]
    for code in pk.disposition_codes():
        assert page.count(f'value="{code}"') == len(cases)


# ---- coverage ------------------------------------------------------------------------------


def test_coverage_lists_every_paragraph_and_a_reason_for_each_unimplemented_one(site_dir):
    from build_scripts.pages import coverage

    page = html_of(site_dir, pk.COVERAGE_PAGE)
    for pid in notice.paragraph_ids():
        assert f"notice/#{pid}" in page, pid
    missing = set(coverage.unimplemented())
    reasons = set(coverage.reasons())
    assert missing - reasons == set(), "paragraphs with no rule and no reason"
    assert reasons - missing == set(), "reasons kept for paragraphs a rule now implements"
    ids = parse(built(site_dir, pk.COVERAGE_PAGE)).ids
    assert all(f"why-{pid}" in ids for pid in missing)
    assert len(coverage.cases()) > 0


# ---- links, including the wizard's fragments -------------------------------------------------


def test_links_and_anchors_of_the_generated_pages_resolve(site_dir):
    broken, checked, wizard_links = [], 0, 0
    ids: dict[Path, set[str]] = {}
    for src in MY_PAGES:
        path = built(site_dir, src)
        here = BASE + path.relative_to(site_dir).as_posix()
        for tag, raw in parse(path).links:
            absolute = urljoin(here, raw.strip())
            parts = urlsplit(absolute)
            if not absolute.startswith(BASE):
                broken.append(f"{src}: external {raw}")
                continue
            target = target_file(site_dir, parts.path)
            checked += 1
            if target is None:
                broken.append(f"{src}: <{tag}> {raw}")
            elif "=" in parts.fragment:
                wizard_links += 1
                assert parts.path.rstrip("/").endswith("wizard"), raw
                facts = {
                    k: (v == "true" if v in ("true", "false") else v) for k, v in parse_qsl(parts.fragment)
                }
                if "months_out_of_contact" in facts:
                    facts["months_out_of_contact"] = int(facts["months_out_of_contact"])
                outcome = decision.decide(facts)  # raises on facts the engine no longer accepts
                if outcome["status"] != "complete":
                    broken.append(f"{src}: wizard link is incomplete ({outcome['next_question']}): {raw}")
            elif parts.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = parse(target).ids
                if parts.fragment not in ids[target]:
                    broken.append(f"{src}: <{tag}> {raw} -> no id {parts.fragment!r}")
    print(f"\nrule pages: {checked} links checked, {wizard_links} wizard links decided by the engine")
    assert checked > 500 and wizard_links >= 12
    assert broken == []


def test_flowchart_links_every_reachable_rule(site_dir):
    page = unescape(html_of(site_dir, pk.FLOWCHART_PAGE))
    sources = re.findall(r'<script type="text/x-mermaid" id="chart-src-\d+">(.*?)</script>', page, re.DOTALL)
    assert sources
    text = "\n".join(sources)
    for rule_id, leaf in pk.explore().leaves_by_rule.items():
        href = f"../dispositions/{leaf.disposition}/#rule-{rule_id}"
        assert f'click r_{rule_id} href "{href}"' in text, rule_id
    for rule_id in pk.unreachable_rules():
        assert f"#rule-{rule_id}" in page
    assert "assets/vendor/mermaid/mermaid.min.js" not in page  # loaded by flowchart.mjs only
    assert "flowchart.mjs" in page


def test_mermaid_is_loaded_by_the_flowchart_page_only(site_dir):
    loaders = [
        p.relative_to(site_dir).as_posix()
        for p in site_dir.rglob("*.html")
        if "flowchart.mjs" in p.read_text(encoding="utf-8")
    ]
    assert loaders == ["flowchart/index.html"]


# ---- generated means generated --------------------------------------------------------------


def test_generated_pages_carry_the_current_rules_digest(site_dir):
    digest = decision.rules_digest()
    stale = [src for src in MY_PAGES if digest not in html_of(site_dir, src)]
    assert stale == [], f"built from other rules (rebuild): {stale}"


def test_a_hand_written_copy_of_a_generated_page_is_refused(tmp_path):
    from build_scripts import build

    assert not any((ROOT / "docs" / src).exists() for src in MY_PAGES)
    docs = tmp_path / "docs"
    (docs / "dispositions").mkdir(parents=True)
    (docs / "dispositions" / "removal.md").write_text("# 除名\n\n手工修改的内容\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="dispositions/removal.md is generated"):
        build.write_pages(tmp_path / "out", docs_dir=docs)
    assert not (tmp_path / "out").exists()


# ---- in the browser --------------------------------------------------------------------------


@pytest.mark.browser
def test_flowchart_renders_with_no_external_request(base_url, guarded_page):
    page = guarded_page
    page.goto(base_url + "flowchart/")
    charts = page.locator(".rp-chart[data-chart]")
    count = charts.count()
    assert count >= 2
    page.wait_for_function(
        "n => document.querySelectorAll('.rp-chart[data-state=ready] svg').length === n",
        arg=count,
        timeout=60000,
    )
    hrefs = page.eval_on_selector_all(
        ".rp-chart svg a", "links => links.map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))"
    )
    for rule_id in pk.explore().leaves_by_rule:
        assert any(h and h.endswith(f"#rule-{rule_id}") for h in hrefs), rule_id
    box = charts.first.bounding_box()
    assert box and box["height"] > 100
    page.guard.check()


@pytest.mark.browser
def test_quiz_scores_answers_in_the_browser(base_url, guarded_page):
    page = guarded_page
    page.goto(base_url + "training/quiz/")
    cases = training_cases()
    right = 0
    for n, case in enumerate(cases):
        code = decision.decide(case["facts"])["disposition"]
        if n % 2 == 0:
            right += 1
        else:
            code = next(c for c in pk.disposition_codes() if c != code)
        page.check(f'input[name="{case["id"]}"][value="{code}"]')
    page.click("#rp-quiz button[type=submit]")
    assert page.inner_text("#rp-quiz-score").startswith(f"得分：{right} / {len(cases)}")
    assert page.locator('[data-verdict][data-correct="false"]').count() == len(cases) - right
    page.click("#rp-quiz button[type=reset]")
    assert page.inner_text("#rp-quiz-score") == ""
    page.guard.check()


@pytest.mark.browser
def test_pages_read_with_javascript_off(browser, base_url):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + "dispositions/removal/")
        assert page.locator(".rp-checklist input[type=checkbox]").count() >= 3
        assert page.locator("#signatures").is_visible()
        page.goto(base_url + "flowchart/")
        assert page.locator(".rp-outline-list a").count() >= len(pk.explore().leaves_by_rule)
        page.goto(base_url + "training/")
        page.locator("details summary").first.click()  # native <details>: no script needed
        assert page.locator("details[open]").count() >= 1
    finally:
        context.close()


@pytest.mark.browser
def test_handout_prints_answers_on_a_new_page(base_url, guarded_page):
    page = guarded_page
    page.goto(base_url + "training/handout/")
    page.emulate_media(media="print")
    assert page.eval_on_selector(".rp-handout-answers", "e => getComputedStyle(e).breakBefore") == "page"
    assert page.locator(".rp-handout-case").count() == len(training_cases())
    assert page.locator(".rp-handout-answer").count() == len(training_cases())
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF") and len(pdf) > 10000
    page.guard.check()


@pytest.mark.browser
def test_a_training_cases_wizard_link_opens_the_same_answer(base_url, guarded_page, site_dir):
    """The link prefills the wizard from the fragment; the wizard (Pyodide) reaches the case's answer."""
    if not (site_dir / "wizard" / "index.html").is_file():
        pytest.skip("the wizard page is not in the built site")
    case = next(c for c in training_cases() if c["id"] == "suspended-exactly-two-years")
    code = decision.decide(case["facts"])["disposition"]
    page = guarded_page
    page.goto(base_url + "training/")
    link = page.locator(f'h2#case-{case["id"]} ~ details a[href*="wizard/#"]').first
    page.locator(f"h2#case-{case['id']} ~ details summary").first.click()
    href = link.get_attribute("href")
    assert href and "as_of=" in href
    link.click()
    page.wait_for_selector(f"[data-wizard-result][data-disposition={code}]", timeout=120000)
    page.guard.check()


@pytest.mark.browser
def test_a_disposition_page_prints_as_a_blank_checklist(base_url, guarded_page):
    page = guarded_page
    page.goto(base_url + "dispositions/correction_deadline/")
    page.emulate_media(media="print")
    assert not page.locator(".rp-noprint").first.is_visible()
    boxes = page.locator(".rp-checklist input[type=checkbox]")
    assert boxes.count() >= 5 and boxes.first.is_visible()
    assert page.eval_on_selector_all(".rp-checklist input[type=checkbox]", "bs => bs.every(b => !b.checked)")
    assert page.locator(".rp-signatures .rp-sign").count() >= 3
    assert page.locator(".rp-case-fields .rp-field").count() >= 4
    assert page.eval_on_selector(".md-sidebar--primary", "e => getComputedStyle(e).display") == "none"
    page.guard.check()
