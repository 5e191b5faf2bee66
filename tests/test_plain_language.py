"""What cadres see is plain 公文 Chinese: no engine internals in any page, wizard result, print or
search entry.

The visible text of every built page outside about/ (reviewer material lives there) and of every
disposition's wizard result is read in Chromium (`innerText`, so only what CSS shows), on screen and
in print media, and searched for what belongs to the engine and the build: rule ids, fact keys,
disposition and procedure codes, paragraph ids (p-…), snake_case words, ISO dates in prose, build
notes, rules digests, engine shorthand citations (四.1) and raw Markdown.  `pre` blocks (a diagram's
source, a developer's command) are not prose and are left out.  The search index is scanned the
same way, since its text is what a search hit shows.

The words come from the compiled rules (decision/rules.json), never from a list written here.
"""

from __future__ import annotations

import json
import re

import pytest
from wizard_paths import fragment, walk

import decision

READY_TIMEOUT = 60_000


def internal_words() -> set[str]:
    """Every identifier the engine uses that a reader must never see."""
    rules = decision.rules()
    words = {q["key"] for q in rules["questions"]}
    words |= {r["id"] for r in rules["dispositions"]}
    words |= set(rules["procedures"])
    words |= {n["id"] for n in rules["notes"]}
    words |= set(rules["vocabulary"]["dispositions"])
    derived = rules["derived"]
    words |= set(derived) if isinstance(derived, dict) else {d.get("key") or d.get("id") for d in derived}
    return {w for w in words if w}


WORDS = internal_words()
LEAKS = {
    "build note": re.compile(r"不要手工编辑|自动生成|构建程序|decision/|rules\.json|\.ya?ml\b"),
    "code label": re.compile(r"处置代码|规则版本|规则编号|规则摘要值"),
    "paragraph id": re.compile(r"(?<![\w-])p-[0-9a-z][\w-]*"),
    "snake_case": re.compile(r"(?<![\w/.])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/])"),
    "engine word": re.compile(
        r"(?<![A-Za-z_])(?:" + "|".join(sorted(map(re.escape, WORDS))) + r")(?![A-Za-z_])"
    ),
    "ISO date": re.compile(r"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)"),
    "digest": re.compile(r"(?<![0-9a-f])[0-9a-f]{12,}(?![0-9a-f])"),
    "shorthand citation": re.compile(r"[一二三四五六七八九十][.．]\d"),
    "raw Markdown": re.compile(r"\]\(|\*\*|^#{1,6} |`", re.MULTILINE),
}


def leaks(text: str) -> list[str]:
    found = []
    for name, pattern in LEAKS.items():
        for match in pattern.finditer(text):
            start = max(0, match.start() - 20)
            found.append(f"{name}: {match.group(0)!r} in …{text[start : match.end() + 20]!r}…")
    return found


def test_the_scanner_finds_what_it_looks_for():
    # A test that cannot fail proves nothing: each kind of leak the issue counted is caught.
    samples = [
        "本页内容由构建程序自动生成，不要手工编辑本页",
        "处置代码 suspend_membership",
        "[返回处置方式一览](index.md)",
        "（依据：p-intro）",
        "premature_suspension",
        "as_of 评估日期",
        "2026-04-06至2026-12-06",
        "规则版本 6d573ebfac2a",
        "停止党籍程序（四.1）",
    ]
    for sample in samples:
        assert leaks(sample), sample
    clean = "停止党籍程序（第四部分第1项）：2026年4月6日至2026年12月6日，请示上级。"
    assert leaks(clean) == []


# The one place an internal may show: the printed sheet's footer names the rules version (its
# digest), small, so a paper can be traced to the rules it was made with.
FOOTER = ".wizard-digest"
# The other: the roster page's list of the date forms a register may use (2013-05-06 among them),
# marked as such and kept out of the search index (data-search-exclude).
INPUT_FORMS = ".input-form"

VISIBLE_TEXT = """
(footer) => {
  // Visible text as the reader gets it, without pre blocks (diagram sources, commands) and the
  // printed footer.
  const pres = [...document.querySelectorAll('pre'), ...document.querySelectorAll(footer),
                ...document.querySelectorAll('.input-form')];
  const marks = pres.map((pre) => {
    const mark = document.createComment('pre');
    pre.replaceWith(mark);
    return [mark, pre];
  });
  const text = document.body.innerText;
  for (const [mark, pre] of marks) mark.replaceWith(pre);
  return text;
}
"""


def reader_pages(site_dir) -> list[str]:
    pages = []
    for html in sorted(site_dir.rglob("index.html")):
        rel = html.parent.relative_to(site_dir).as_posix()
        rel = "" if rel == "." else rel + "/"
        if rel.startswith(("about/", "assets/", "search/")):
            continue
        pages.append(rel)
    return pages


def scan(page) -> dict[str, list[str]]:
    out = {}
    for media in ("screen", "print"):
        page.emulate_media(media=media)
        found = leaks(page.evaluate(VISIBLE_TEXT, FOOTER))
        if found:
            out[media] = found
    page.emulate_media(media="screen")
    return out


@pytest.mark.browser
def test_no_internals_in_any_page_on_screen_or_paper(site_dir, base_url, guarded_page):
    page = guarded_page
    pages = reader_pages(site_dir)
    assert len(pages) >= 20, pages
    report = {}
    for rel in pages:
        page.goto(base_url + rel)
        page.wait_for_load_state("load")
        if rel == "wizard/":
            page.wait_for_selector("[data-wizard]:not([data-state=loading])", timeout=READY_TIMEOUT)
        found = scan(page)
        if found:
            report[rel] = found
    total = sum(len(v) for media in report.values() for v in media.values())
    print(f"\nplain language: {len(pages)} pages scanned on screen and in print, {total} leaks")
    assert report == {}, json.dumps(report, ensure_ascii=False, indent=1)[:8000]
    page.guard.check()


@pytest.mark.browser
def test_no_internals_in_any_wizard_result_on_screen_or_paper(base_url, guarded_page):
    page = guarded_page
    paths = walk()
    page.goto(f"{base_url}wizard/")
    page.wait_for_selector("[data-wizard][data-state=ready]", timeout=READY_TIMEOUT)
    report = {}
    for code, path in sorted(paths.items()):
        page.evaluate("f => { location.hash = f; }", fragment(path))
        page.wait_for_selector(
            f"[data-wizard-result][data-disposition={code}]:not([hidden])", timeout=READY_TIMEOUT
        )
        page.wait_for_selector("[data-wizard]:not([data-pending])", timeout=READY_TIMEOUT)
        found = scan(page)
        if found:
            report[code] = found
    print(f"\nplain language: {len(paths)} wizard results scanned on screen and in print")
    assert report == {}, json.dumps(report, ensure_ascii=False, indent=1)[:8000]
    page.guard.check()


def test_no_internals_in_search_entries(site_dir):
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    report = {}
    for doc in index["docs"]:
        if doc["location"].startswith(("about/", "assets/")):
            continue
        text = re.sub(r"<[^>]+>", "", doc.get("title", "") + "\n" + doc.get("text", ""))
        # Inline code in a search entry is still shown to the reader: keep its text.
        found = leaks(text.replace("`", ""))
        if found:
            report[doc["location"]] = found
    assert report == {}, json.dumps(report, ensure_ascii=False, indent=1)[:8000]


@pytest.mark.browser
def test_home_page_starts_with_the_wizard_on_a_phone(base_url, browser):
    # A 360 x 640 phone: the 开始判断 button is on the first screen, before any scrolling.
    context = browser.new_context(locale="zh-CN", viewport={"width": 360, "height": 640})
    page = context.new_page()
    page.goto(base_url)
    button = page.get_by_role("link", name="开始判断")
    box = button.bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 640, box
    assert button.get_attribute("href") == "wizard/"
    context.close()
