"""The notice as an annotated edition (page notice/).

Fidelity: the published page, with its markup and every editorial element removed and whitespace
normalised, is the source text character for character (normalised the same way).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from spec_ids import SPEC_IDS

from build_scripts.pages import glossary, notice, notice_page

SOURCE = notice.SOURCE
NOTICE_PAGE = Path("notice") / "index.html"

BLOCK = {
    "address", "article", "aside", "blockquote", "details", "div", "dl", "dd", "dt", "fieldset",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr",
    "li", "main", "nav", "ol", "p", "pre", "section", "summary", "table", "tr", "td", "th", "ul",
}  # fmt: skip
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    @property
    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html_text: str) -> Node:
    builder = TreeBuilder()
    builder.feed(html_text)
    builder.close()
    return builder.root


def find(node: Node, pred) -> Node | None:
    if pred(node):
        return node
    for child in node.children:
        if isinstance(child, Node):
            hit = find(child, pred)
            if hit is not None:
                return hit
    return None


def is_editorial(node: Node) -> bool:
    """Everything the editors add: notes, typo references, permalinks, hidden search keywords."""
    return (
        "editorial" in node.classes
        or "headerlink" in node.classes
        or node.tag in ("script", "style", "template")
        or "hidden" in node.attrs
    )


def text_of(node: Node, in_para: bool = False) -> str:
    """The reader's text: block elements are lines, except inside one notice paragraph
    (.notice-para), which is one line of the source; there, whitespace-only text between its
    blocks is layout, not text."""
    if is_editorial(node):
        return ""
    if node.tag == "br":
        return "\n"
    para = "notice-para" in node.classes
    inner_para = in_para or para
    parts = []
    for child in node.children:
        if isinstance(child, str):
            if inner_para and not child.strip() and node.tag in BLOCK:
                continue
            parts.append(child)
        else:
            parts.append(text_of(child, inner_para))
    text = "".join(parts)
    if (node.tag in BLOCK and not in_para) or para:
        return "\n" + text + "\n"
    return text


def normalise(text: str) -> str:
    """Same rule for the page and the source: each line stripped, runs of whitespace inside a
    line collapsed to one space, empty lines dropped."""
    lines = (re.sub(r"\s+", " ", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


@pytest.fixture(scope="module")
def page_html(site_dir) -> str:
    path = site_dir / NOTICE_PAGE
    assert path.is_file(), f"{NOTICE_PAGE} is missing from the built site"
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def article(page_html) -> Node:
    root = parse(page_html)
    node = find(root, lambda n: n.tag == "article")
    assert node is not None, "no <article> on the notice page"
    return node


def test_fidelity_page_text_is_the_source(article):
    published = normalise(text_of(article))
    source = normalise(SOURCE.read_text(encoding="utf-8"))
    if published != source:
        import difflib

        diff = "\n".join(
            difflib.unified_diff(source.splitlines(), published.splitlines(), "source", "page", lineterm="")
        )
        pytest.fail(f"the published notice differs from the source:\n{diff[:4000]}")
    # Not vacuous: every character of the notice, the stray space of 五.3 included.
    assert len(published) > 3000 and "及时 纠正" in published and "4．严明纪律要求" in published


def test_fidelity_test_catches_a_changed_character(article):
    """The comparison would notice a silently corrected typo."""
    published = normalise(text_of(article))
    corrected = published.replace("理念信念", "理想信念")
    assert corrected != normalise(SOURCE.read_text(encoding="utf-8"))


def test_fidelity_test_catches_an_editorial_note_left_as_text():
    html_text = '<article><div class="notice-para" id="p-x"><p>原文。</p><aside class="notes">编者注</aside></div></article>'
    assert normalise(text_of(parse(html_text))) == "原文。编者注"
    html_text = html_text.replace('class="notes"', 'class="editorial notes"')
    assert normalise(text_of(parse(html_text))) == "原文。"


def test_every_spec_id_resolves_on_the_page(article):
    missing = [pid for pid in SPEC_IDS if find(article, lambda n, pid=pid: n.attrs.get("id") == pid) is None]
    assert missing == []


def test_each_id_holds_its_paragraph_text(article):
    """#p-3-2-1 holds exactly that sub-item, #p-4-1 the whole item 四.1, and so on."""
    wrong = []
    for pid in SPEC_IDS:
        node = find(article, lambda n, pid=pid: n.attrs.get("id") == pid)
        expected = re.sub(r"\s+", "", notice.paragraph_text(pid))
        got = re.sub(r"\s+", "", text_of(node))
        if got != expected:
            wrong.append(f"{pid}: {got[:40]}… != {expected[:40]}…")
    assert wrong == []


def test_every_paragraph_and_sub_item_has_a_permalink(article):
    hrefs = set()

    def collect(node: Node):
        if node.tag == "a" and "headerlink" in node.classes:
            hrefs.add(node.attrs.get("href"))
        for child in node.children:
            if isinstance(child, Node):
                collect(child)

    collect(article)
    # The title's permalink is the heading's own; every other id has one pointing at it.
    assert [pid for pid in SPEC_IDS if f"#{pid}" not in hrefs] == []


def test_each_numbered_item_is_a_heading_with_its_own_search_section(site_dir, article):
    import json

    items = [p for p in notice.paragraphs() if p.kind == "item"]
    assert len(items) == 17  # 4 + 4 + 3 + 2 + 4
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    locations = {doc["location"] for doc in index["docs"]}
    for p in items:
        section = f"s-{p.id[2:]}"
        heading = find(article, lambda n, s=section: n.attrs.get("id") == s)
        assert heading is not None and heading.tag == "h3", section
        assert heading.parent.attrs.get("id") == p.id  # the heading sits inside its paragraph
        assert f"notice/#{section}" in locations, section


def test_table_of_contents_lists_sections_and_items(page_html):
    toc = re.search(r'<nav class="md-nav md-nav--secondary".*?</nav>\s*</div>', page_html, re.DOTALL)
    assert toc, "no table of contents on the notice page"
    for anchor in ["s-1", "s-3", "s-3-2", "s-5-4"]:
        assert f'href="#{anchor}"' in toc.group(0)


def test_typos_are_kept_marked_and_annotated(article, page_html):
    typos = notice_page.typos()
    assert len(typos) >= 8
    expected = {
        "理念信念": "理想信念",
        "政法立场": "政治立场",
        "正确认真错误": "正确认识错误",
        "因工作党员、居住地变动": "因党员工作、居住地变动",
        "教育培训的、结对帮扶": "教育培训、结对帮扶",
        "报一级党委组织部门审批": "报上一级党委组织部门审批",
        "及时 纠正": "及时纠正",
        "4．": "4.",
    }
    assert {t.as_issued: t.intended for t in typos} == expected
    for typo in typos:
        note = find(article, lambda n, a=typo.anchor: n.attrs.get("id") == a)
        assert note is not None and typo.intended in "".join(c for c in _texts(note))
        # The note is inside an editorial block, so the fidelity test strips it.
        assert _inside(note, "editorial")
        assert f'<mark class="typo">{typo.as_issued}</mark>' in page_html


def _texts(node: Node):
    for child in node.children:
        if isinstance(child, str):
            yield child
        else:
            yield from _texts(child)


def _inside(node: Node | None, cls: str) -> bool:
    while node is not None:
        if cls in node.classes:
            return True
        node = node.parent
    return False


def test_every_glossary_term_is_explained_beside_the_text(article):
    notes_text = "".join("".join(_texts(n)) for n in _all(article) if "notice-notes" in n.classes)
    unexplained = [t.term for t in glossary.terms() if f"{t.term}：{t.definition}" not in notes_text]
    assert unexplained == []


def _all(node: Node):
    yield node
    for child in node.children:
        if isinstance(child, Node):
            yield from _all(child)


def test_regulations_are_cited_by_title_and_article_and_paraphrased(article):
    refs = [n for n in _all(article) if "note-ref" in n.classes]
    assert len(refs) >= 5
    for ref in refs:
        text = "".join(_texts(ref))
        assert re.search(r"《中国共产党[^》]+》", text), text
        # By article ("第…条"), unless the article number is declared unchecked; paraphrase declared.
        assert re.search(r"》第[一二三四五六七八九十]+条", text) or "未核对条文序号" in text, text
        assert "转述" in text or "未核对条文序号" in text, text


def test_paragraphs_cite_the_engine_rules_that_implement_them(article):
    from build_scripts.plumbing import compile_rules

    rules = compile_rules.compile_rules()
    cited_ids = {pid for rule in rules["dispositions"] for pid in rule.get("cites") or []}
    assert cited_ids, "the engine's rules cite no paragraph"
    for pid in cited_ids:
        top = pid if pid in {p.id for p in notice.paragraphs()} else pid.rsplit("-", 1)[0]
        para = find(article, lambda n, t=top: n.attrs.get("id") == t)
        rule_notes = [n for n in _all(para) if "note-rule" in n.classes]
        names = "".join("".join(_texts(n)) for n in rule_notes)
        rule_ids = [r["id"] for r in rules["dispositions"] if pid in (r.get("cites") or [])]
        assert all(r in names for r in rule_ids), f"{pid}: {rule_ids} not cross-referenced"


def test_rule_notes_name_sub_items_only_where_there_are_sub_items(article):
    from build_scripts.plumbing import compile_rules

    labels = compile_rules.compile_rules()["vocabulary"]["dispositions"].values()
    starts = tuple(f"{label}（规则" for label in labels) + ("程序：", "附加事项：")
    for p in notice.paragraphs():
        para = find(article, lambda n, pid=p.id: n.attrs.get("id") == pid)
        for note in (n for n in _all(para) if "note-rule" in n.classes) if para else ():
            text = "".join(_texts(note)).removeprefix("向导规则")
            if p.subitems:
                assert text.startswith(starts) or re.match(r"(（\d）)+：", text), text
            else:
                assert text.startswith(starts), f"{p.id}: {text[:40]}"


def test_disposition_links_point_at_existing_pages(site_dir, article):
    links = [
        n.attrs.get("href")
        for n in _all(article)
        if n.tag == "a" and "dispositions/" in (n.attrs.get("href") or "")
    ]
    for href in links:
        target = (site_dir / "notice" / href.split("#")[0]).resolve()
        assert (target / "index.html").is_file() or target.is_file(), href
    # When the disposition pages are built, the paragraphs link to them (四.1 → 停止党籍).
    if (site_dir / "dispositions" / "suspend_membership" / "index.html").is_file():
        para = find(article, lambda n: n.attrs.get("id") == "p-4-1")
        hrefs = [n.attrs.get("href") for n in _all(para) if n.tag == "a"]
        assert "../dispositions/suspend_membership/" in hrefs


def test_print_stylesheet_hides_chrome_and_tooltips_and_frames_notes(site_dir, page_html):
    assert "assets/css/notice.css" in page_html
    css = (site_dir / "assets" / "css" / "notice.css").read_text(encoding="utf-8")
    print_block = css[css.index("@media print") :]
    for selector in (".md-header", ".md-sidebar", ".md-search", ".md-tooltip2", ".headerlink"):
        assert selector in print_block.split("display: none")[0], selector
    assert ".notice-notes" in print_block and "dashed" in print_block


def test_notes_data_names_only_real_paragraphs():
    ids = set(notice.paragraph_ids())
    assert set(notice_page.notes()) <= ids


HIGHLIGHT = "rgb(255, 243, 176)"


def _background(page, selector: str) -> str:
    return page.locator(selector).evaluate("el => getComputedStyle(el).backgroundColor")


@pytest.mark.browser
def test_permalink_lands_on_the_sub_item_and_marks_it(base_url, guarded_page):
    page = guarded_page
    page.goto(base_url + "notice/#p-3-2-1")
    page.wait_for_function(
        "([sel, colour]) => getComputedStyle(document.querySelector(sel)).backgroundColor === colour",
        arg=["#p-3-2-1", HIGHLIGHT],
    )
    box = page.locator("#p-3-2-1").bounding_box()
    assert box and 0 <= box["y"] < page.viewport_size["height"] / 2  # scrolled to, below the header
    assert _background(page, "#p-3-2-2") != HIGHLIGHT  # only the target is marked

    # A whole item: its text is marked, its editorial notes are not.
    page.goto(base_url + "notice/#p-4-1")
    page.wait_for_function(
        "([sel, colour]) => getComputedStyle(document.querySelector(sel)).backgroundColor === colour",
        arg=["#p-4-1 > p", HIGHLIGHT],
    )
    assert _background(page, "#p-4-1 > .notice-notes") != HIGHLIGHT

    # The paragraph's ¶ is the permalink: following it puts the id in the address.
    page.locator("#p-intro > p > a.headerlink").click()
    assert page.evaluate("location.hash") == "#p-intro"
    page.guard.check()


def test_duplicate_keys_in_editorial_data_are_refused(tmp_path):
    from build_scripts.plumbing import strict_yaml

    path = tmp_path / "notes.yaml"
    path.write_text("p-intro:\n  keywords: [a]\np-intro:\n  keywords: [b]\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="p-intro"):
        strict_yaml.load(path)
    path.write_text("p-intro:\n  keywords: [a]\np-2-2:\n  keywords: [b]\n", encoding="utf-8")
    assert strict_yaml.load(path) == {"p-intro": {"keywords": ["a"]}, "p-2-2": {"keywords": ["b"]}}
