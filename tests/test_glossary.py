"""The glossary (术语表) page and its tooltips in running Chinese text."""

from __future__ import annotations

import re

import pytest

from build_scripts.pages import glossary, notice

GLOSS = re.compile(r'<abbr class="gloss" title="([^"]*)"(?: tabindex="0")?>([^<]*)</abbr>')


def test_at_least_25_terms_each_from_the_notice():
    terms = glossary.terms()
    assert len(terms) >= 25
    text = "".join(notice.texts_by_id().values())
    absent = [t.term for t in terms if not any(form in text for form in (t.term, *t.aliases))]
    assert absent == []


def test_issue_terms_are_all_in_the_glossary():
    wanted = "失联党员 停止党籍 恢复党籍 除名 劝退 自行脱党 限期改正 预备期 基层党委 支委会 党员大会 预审 审批 备案 组织关系介绍信 出党处置"
    headwords = {t.term for t in glossary.terms()}
    assert [w for w in wanted.split() if w not in headwords] == []


def test_longest_match_wins():
    html = glossary.add_tooltips("<p>本人书面提出恢复党籍申请，停止党籍2年后按自行脱党除名。</p>")
    found = [term for _, term in GLOSS.findall(html)]
    assert found == ["恢复党籍", "停止党籍", "自行脱党", "除名"]
    assert "党籍" not in [t for t in found]


def test_tooltip_carries_the_definition_and_keeps_the_text():
    html = glossary.add_tooltips("<p>经支委会研究同意。</p>")
    ((title, term),) = GLOSS.findall(html)
    assert term == "支委会" and title.startswith("支委会：")
    assert re.sub(r"<[^>]+>", "", html) == "经支委会研究同意。"


def test_first_occurrence_per_block_only():
    html = glossary.add_tooltips("<p>预审，预审。</p><p>预审。</p>")
    assert len(GLOSS.findall(html)) == 2


@pytest.mark.parametrize(
    "fragment",
    [
        "<h2>停止党籍</h2>",
        '<p><a href="x">停止党籍</a></p>',
        "<p><code>停止党籍</code></p>",
        "<pre>停止党籍</pre>",
        '<div class="no-gloss"><p>停止党籍</p></div>',
        "<div data-no-gloss><p>停止党籍</p></div>",
        '<aside class="editorial"><p>停止党籍</p></aside>',
        '<div class="wizard" id="wizard" data-wizard><p>停止党籍</p></div>',
        "<script>var a = '停止党籍';</script>",
        "<p><button>停止党籍</button></p>",
    ],
)
def test_skipped_contexts(fragment):
    assert glossary.add_tooltips(fragment) == fragment


def test_a_definition_does_not_explain_its_own_term():
    html = glossary.add_tooltips(
        '<dl><dd data-gloss-term="失联党员"><p>与党组织失去联系的，即失联党员；预审</p></dd></dl>'
    )
    assert [term for _, term in GLOSS.findall(html)] == ["预审"]


def test_no_tab_stops_inside_collapsed_details():
    html = glossary.add_tooltips("<details><summary>用例</summary><p>停止党籍</p></details><p>备案</p>")
    assert html.count('class="gloss"') == 2 and html.count('tabindex="0"') == 1
    assert 'tabindex="0">备案' in html
    opened = glossary.add_tooltips("<details open><p>停止党籍</p></details>")
    assert 'tabindex="0"' in opened


def test_markup_and_entities_pass_through_unchanged():
    html = '<p class="x" data-a=\'1\'>A &amp; B &#x4e00;<br/><img src="a.png" alt="图"></p><!-- 注释 -->'
    assert glossary.add_tooltips(html) == html


def test_glossary_page_lists_every_term(site_dir):
    page = (site_dir / "glossary" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", page)  # definitions carry tooltips for the other terms they use
    for term in glossary.terms():
        assert f'id="{term.anchor}"' in page, term.term
        assert term.definition in text, term.term


def test_built_pages_have_tooltips_but_not_in_headings_or_links(site_dir):
    pages_with_tooltips = 0
    for path in site_dir.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if GLOSS.search(html):
            pages_with_tooltips += 1
        for tag in ("h1", "h2", "h3", "h4", "a", "code"):
            for inner in re.findall(rf"<{tag}\b[^>]*>(.*?)</{tag}>", html, re.DOTALL):
                assert 'class="gloss"' not in inner, f"{path.relative_to(site_dir)}: tooltip inside <{tag}>"
    assert pages_with_tooltips >= 3  # the notice, the glossary, the home page at least


@pytest.mark.browser
def test_term_mid_sentence_shows_its_tooltip_on_hover_and_focus(base_url, guarded_page):
    page = guarded_page
    page.goto(base_url + "notice/")
    # 四.1: "…由所在党支部召开党员大会…": a term in the middle of a sentence.
    term = page.locator("#p-4-1 > p abbr.gloss", has_text="党员大会").first
    before = page.evaluate(
        "el => el.previousSibling && el.previousSibling.textContent.slice(-4)", term.element_handle()
    )
    assert before and re.search(r"[\u4e00-\u9fff]$", before), "the term is not mid-sentence"
    definition = next(t for t in glossary.terms() if t.term == "党员大会").definition

    tooltip = page.locator(".md-tooltip2--active")
    assert tooltip.count() == 0
    term.hover()
    tooltip.wait_for(state="visible")
    assert definition[:20] in tooltip.inner_text()

    page.mouse.move(0, 0)
    page.wait_for_timeout(400)  # Material keeps a hover tooltip up briefly
    assert page.locator(".md-tooltip2--active").count() == 0

    term.focus()  # keyboard users: the term is focusable and shows the same tooltip
    page.locator(".md-tooltip2--active").wait_for(state="visible")
    assert definition[:20] in page.locator(".md-tooltip2--active").inner_text()
    page.guard.check()


@pytest.mark.browser
def test_tooltips_do_not_print(base_url, guarded_page):
    page = guarded_page
    page.goto(base_url + "notice/")
    term = page.locator("#p-4-1 > p abbr.gloss").first
    term.hover()
    page.locator(".md-tooltip2--active").wait_for(state="visible")
    page.emulate_media(media="print")
    assert page.locator(".md-tooltip2--active").is_hidden()
    decoration = term.evaluate("el => getComputedStyle(el).textDecorationLine")
    assert decoration == "none"
    # The editorial notes print (they carry the same definitions), and so does the text.
    assert page.locator("#p-4-1 .notice-notes").is_visible()
    assert page.locator(".md-header").is_hidden() and page.locator(".md-sidebar--primary").is_hidden()
    page.guard.check()


def test_glossary_lists_where_each_term_occurs():
    where = glossary.occurrences()
    assert where["停止党籍"] == ["p-4-1", "p-4-1-abroad", "p-4-1-settled"]
    assert "p-3-3" in where["预审"] and "p-3-3-2" not in where["预审"]  # paragraphs, not sub-items
    assert all(where[t.term] for t in glossary.terms())
