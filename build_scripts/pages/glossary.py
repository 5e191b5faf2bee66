"""The glossary (术语表): its generated page, and tooltips on terms in running Chinese text.

Data: build_scripts/pages/glossary.yaml.  Python-Markdown's `abbr` matches on word boundaries, which
Chinese text does not have, so the tooltips are added here, after Markdown, on the page's HTML
(`on_page_content`): every glossary term (or alias) found in a text node becomes
`<abbr class="gloss" title="…" tabindex="0">term</abbr>`; Material's `content.tooltips` turns the
title into a tooltip shown on hover and on keyboard focus.

- Longest match first (恢复党籍 beats 党籍): one regex alternation sorted by length.
- The first occurrence of a term in each paragraph-level block gets the tooltip, not every one.
- A definition does not link to itself: inside `[data-gloss-term="X"]` the term X is left plain.
- Inside a <details> that is closed by default the term gets no tab stop (hover still works):
  collapsed content offers no focus stops that keyboard users cannot see.
- Skipped: headings, links, code, buttons/forms, <abbr> itself, anything `.editorial` (search
  keywords and notes already explain terms), `.no-gloss` or `[data-no-gloss]`, the wizard's
  dynamic area (`[data-wizard]`), and the glossary page's own headwords (<dt>).
- The notice text keeps its tooltips: <abbr> is markup and its title is an attribute, so the text
  a reader (and the fidelity test) sees is unchanged.  Tooltips do not print (notice.css), and
  every definition is also printed on the glossary page and beside the notice where the term
  first occurs, so nothing lives only in a tooltip.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

DATA = Path(__file__).resolve().parent / "glossary.yaml"
PAGE_URI = "glossary.md"

# Elements whose text never gets a tooltip (and everything inside them).
SKIP_TAGS = {
    "h1", "h2", "h3", "h4", "h5", "h6", "a", "abbr", "code", "pre", "kbd", "samp", "script",
    "style", "textarea", "button", "select", "option", "label", "svg", "math", "dt", "title",
    "template", "noscript",
}  # fmt: skip
SKIP_CLASSES = {"editorial", "no-gloss", "mermaid", "headerlink", "md-tooltip", "gloss"}
# The wizard's dynamic area: its prerendered first question is replaced by script, which writes
# plain text; tooltips there would appear on the first question only.
SKIP_ATTRS = {"data-no-gloss", "hidden", "data-wizard"}
# A new block starts a fresh "first occurrence" count.
BLOCK_TAGS = {"p", "li", "dd", "td", "th", "blockquote", "figcaption", "summary", "div", "section", "aside"}
VOID_TAGS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
}  # fmt: skip


@dataclass(frozen=True)
class Term:
    term: str
    aliases: tuple[str, ...]
    group: str
    definition: str
    see: tuple[str, ...]

    @property
    def anchor(self) -> str:
        return "g-" + re.sub(r"[\s（）()〔〕]", "", self.term)

    @property
    def tooltip(self) -> str:
        return f"{self.term}：{self.definition}"


@cache
def load() -> tuple[list[str], tuple[Term, ...]]:
    from build_scripts.plumbing import strict_yaml

    data = strict_yaml.load(DATA)
    groups = list(data["groups"])
    terms = []
    seen: set[str] = set()
    for entry in data["terms"]:
        unknown = set(entry) - {"term", "aliases", "group", "definition", "see"}
        if unknown:
            raise SystemExit(f"glossary.yaml: {entry.get('term')}: unknown keys {sorted(unknown)}")
        term = Term(
            term=entry["term"],
            aliases=tuple(entry.get("aliases") or ()),
            group=entry["group"],
            definition=entry["definition"].strip(),
            see=tuple(entry.get("see") or ()),
        )
        if term.group not in groups:
            raise SystemExit(f"glossary.yaml: {term.term}: group {term.group!r} is not in `groups`")
        for form in (term.term, *term.aliases):
            if form in seen:
                raise SystemExit(f"glossary.yaml: {form!r} is listed twice")
            seen.add(form)
        terms.append(term)
    return groups, tuple(terms)


def terms() -> tuple[Term, ...]:
    return load()[1]


@cache
def _forms() -> dict[str, Term]:
    return {form: t for t in terms() for form in (t.term, *t.aliases)}


@cache
def matcher() -> re.Pattern[str]:
    forms = sorted(_forms(), key=lambda f: (-len(f), f))
    return re.compile("|".join(re.escape(f) for f in forms))


def term_for(form: str) -> Term:
    return _forms()[form]


def find_terms(text: str) -> list[tuple[int, int, Term]]:
    """(start, end, term) of every non-overlapping match, longest first at each position."""
    return [(m.start(), m.end(), term_for(m.group(0))) for m in matcher().finditer(text)]


def abbr(form: str, term: Term, focusable: bool = True) -> str:
    focus = ' tabindex="0"' if focusable else ""
    return (
        f'<abbr class="gloss" title="{html.escape(term.tooltip, quote=True)}"{focus}>'
        f"{html.escape(form, quote=False)}</abbr>"
    )


# --- the HTML rewriter -------------------------------------------------------------------------


class _Rewriter(HTMLParser):
    """Copies HTML through unchanged except text nodes outside skipped elements."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skips)
        self.skip_depth = 0
        self.used: list[set[str]] = [set()]  # terms already explained, per open block
        self.collapsed = 0  # open tags of <details> closed by default: no focus stops inside
        self.selves: list[tuple[int, str]] = []  # (stack depth, term) of [data-gloss-term] elements

    def _skips(self, tag: str, attrs: list[tuple[str, str | None]]) -> bool:
        if tag in SKIP_TAGS:
            return True
        attr = dict(attrs)
        if SKIP_ATTRS & set(attr):
            return True
        classes = set((attr.get("class") or "").split())
        return bool(classes & SKIP_CLASSES)

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")
        if tag in VOID_TAGS:
            return
        skips = self._skips(tag, attrs)
        if tag == "details" and "open" not in dict(attrs):
            self.collapsed += 1
        self_term = dict(attrs).get("data-gloss-term")
        if self_term:
            self.selves.append((len(self.stack), self_term))
        self.stack.append((tag, skips))
        if skips:
            self.skip_depth += 1
        if tag in BLOCK_TAGS:
            self.used.append(set())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text() or "")

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")
        # Pop to the matching open tag (tolerates unclosed <p>/<li> in hand-written HTML).
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                for closed_tag, skips in self.stack[i:]:
                    if skips:
                        self.skip_depth -= 1
                    if closed_tag == "details" and self.collapsed:
                        self.collapsed -= 1
                    if closed_tag in BLOCK_TAGS and len(self.used) > 1:
                        self.used.pop()
                del self.stack[i:]
                while self.selves and self.selves[-1][0] >= i:
                    self.selves.pop()
                break

    def handle_data(self, data):
        if self.skip_depth or not data.strip():
            self.out.append(data)
            return
        used = self.used[-1]
        own = {term for _, term in self.selves}
        pieces = []
        last = 0
        for start, end, term in find_terms(data):
            if term.term in used or term.term in own:
                continue
            used.add(term.term)
            pieces.append(data[last:start])
            pieces.append(abbr(data[start:end], term, focusable=not self.collapsed))
            last = end
        pieces.append(data[last:])
        self.out.append("".join(pieces))

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def handle_comment(self, data):
        self.out.append(f"<!--{data}-->")

    def handle_decl(self, decl):
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data):
        self.out.append(f"<?{data}>")

    def unknown_decl(self, data):
        self.out.append(f"<![{data}]>")


def add_tooltips(content: str) -> str:
    rewriter = _Rewriter()
    rewriter.feed(content)
    rewriter.close()
    return "".join(rewriter.out)


def on_page_content(html_text: str) -> str:
    return add_tooltips(html_text)


# --- the glossary page -------------------------------------------------------------------------


def occurrences() -> dict[str, list[str]]:
    """term -> paragraph ids of the notice where it (or an alias) occurs, in reading order."""
    from build_scripts.pages import notice

    result: dict[str, list[str]] = {t.term: [] for t in terms()}
    for p in notice.paragraphs():  # paragraphs, not sub-items: the paragraph's text includes them
        if p.kind == "heading":
            continue
        for _, _, term in find_terms(p.text):
            if p.id not in result[term.term]:
                result[term.term].append(p.id)
    return result


def page_markdown(notice_url: str = "notice/") -> str:
    from build_scripts.pages import notice

    groups, all_terms = load()
    where = occurrences()
    lines = [
        "---",
        "title: 术语表",
        "search:",
        "  boost: 2",
        "---",
        "",
        "# 术语表",
        "",
        (
            f"本表用通俗的话解释《{notice.TITLE}》中的{len(all_terms)}个术语。"
            "解释以通知原文为准，引用其他党内法规时只注明名称和条款、转述其意，不作原文引用。"
            "站内其他页面出现这些术语时，鼠标悬停或用键盘聚焦即可看到同样的解释。"
        ),
        "",
    ]
    for number, group in enumerate(groups, 1):
        lines += [f"## {group} {{#group-{number}}}", "", '<dl class="glossary">']
        for t in all_terms:
            if t.group != group:
                continue
            aliases = "".join(f'<span class="gloss-alias">{html.escape(a)}</span>' for a in t.aliases)
            lines.append(f'<dt id="{t.anchor}">{html.escape(t.term)}{aliases}</dt>')
            body = [f"<p>{html.escape(t.definition)}</p>"]
            if t.see:
                body.append('<p class="gloss-see">参见：' + "；".join(html.escape(s) for s in t.see) + "</p>")
            if where[t.term]:
                links = "、".join(
                    f'<a href="../{notice_url}#{pid}">{html.escape(notice.label(pid))}</a>'
                    for pid in where[t.term]
                )
                body.append(f'<p class="gloss-where">通知中出现于：{links}</p>')
            lines.append(f'<dd data-gloss-term="{html.escape(t.term)}">' + "".join(body) + "</dd>")
        lines += ["</dl>", ""]
    return "\n".join(lines)


def files():
    yield (PAGE_URI, page_markdown())
