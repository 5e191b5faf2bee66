"""The notice as an annotated edition: page `notice/`, generated at build time.

The text comes only from build_scripts/plumbing/notice.py (the verbatim source, parsed into the spec's
paragraph ids).  Everything the editors add is DATA rendered apart from the text, in elements of
class `editorial` that the fidelity test strips:

- typos (build_scripts/pages/notice_notes.yaml): kept as issued, wrapped in <mark class="typo"> (markup
  only), with a numbered reference to a 勘误 note giving the likely intended wording and a reason;
- term explanations: each glossary term (glossary.yaml) is explained beside the paragraph where it
  first occurs, so no definition lives only in a tooltip;
- other regulations, by title and article, paraphrased;
- cross-references to the engine's rules (decision/rules, read at build time) and to the
  disposition pages `dispositions/<code>/` when those pages exist in the build;
- search keywords (colloquial phrasings, number variants, intended wording of typos): not on the
  page at all, but indexed with the paragraph's search section (search_tuning.py).

Structure: each numbered item is a <div class="notice-para" id="p-…"> holding its own <h3>
(the item's number and title as issued, so the item is a search section and a TOC entry), the rest
of its text, and its notes.  Inline sub-items (（1）…) are <span class="sub-item" id="p-…-n">.
Every paragraph and sub-item has a permalink (¶).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from build_scripts.pages import glossary, notice
from build_scripts.plumbing import strict_yaml

PAGE_URI = "notice.md"
NOTES = Path(__file__).resolve().parent / "notice_notes.yaml"
NOTE_KEYS = {"typos", "refs", "keywords"}
CHINESE_NUMERALS = "一二三四五"
# The notice is the source every other page restates: its sections rank first among equal matches.
SEARCH_BOOST = 3

# In the generated Markdown, a disposition is written as this placeholder; on_page_markdown turns
# it into a link when the disposition page is part of the build, plain text otherwise.
DISPOSITION_PLACEHOLDER = re.compile(r'<span data-disposition-link="([a-z_]+)">(.*?)</span>')


@dataclass(frozen=True)
class Typo:
    number: int
    pid: str
    as_issued: str
    intended: str
    reason: str

    @property
    def anchor(self) -> str:
        return f"typo-{self.number}"


@cache
def notes() -> dict[str, dict]:
    data = strict_yaml.load(NOTES) or {}
    ids = set(notice.texts_by_id())
    for pid, entry in data.items():
        if pid not in ids:
            raise SystemExit(f"notice_notes.yaml: {pid!r} is not a paragraph id of the notice")
        unknown = set(entry) - NOTE_KEYS
        if unknown:
            raise SystemExit(f"notice_notes.yaml: {pid}: unknown keys {sorted(unknown)}")
    return data


@cache
def typos() -> tuple[Typo, ...]:
    """All typos in reading order, numbered 1…n; each must occur exactly once where it is filed."""
    result = []
    for pid in notice.paragraph_ids():
        for entry in notes().get(pid, {}).get("typos") or []:
            text = notice.paragraph_text(pid)
            count = text.count(entry["as_issued"])
            if count != 1:
                raise SystemExit(
                    f"notice_notes.yaml: {pid}: typo {entry['as_issued']!r} occurs {count} times in the paragraph"
                )
            result.append(
                Typo(
                    len(result) + 1,
                    pid,
                    str(entry["as_issued"]),
                    str(entry["intended"]),
                    str(entry["reason"]).strip(),
                )
            )
    return tuple(result)


def keywords(pid: str) -> list[str]:
    """Search keywords of a paragraph: indexed with its search section (search_tuning.py), not shown."""
    return [str(w) for w in notes().get(pid, {}).get("keywords") or []]


def search_location(pid: str) -> str:
    """The search section a paragraph's text is indexed under: items have their own heading;
    leads and unnumbered paragraphs belong to their part's heading; the opening to the page."""
    page = PAGE_URI[:-3] + "/"
    parts = pid.split("-")
    if pid == "p-signature":
        return f"{page}#s-5"  # after the last item, under 五's heading
    if len(parts) == 2:
        return page  # p-title, p-addressee, p-intro
    section, rest = parts[1], parts[2]
    if rest.isdigit() and rest != "0":
        return f"{page}#s-{section}-{rest}"
    return f"{page}#s-{section}"


# --- cross-references to the engine's rules ----------------------------------------------------


@cache
def rules_data() -> dict:
    """The engine's rules as compiled at build time (the same data as decision/rules.json)."""
    from build_scripts.plumbing import compile_rules

    return compile_rules.compile_rules()


@cache
def rule_refs() -> dict[str, dict[str, list]]:
    """paragraph id -> {"dispositions": [(code, [rule ids])], "procedures": [titles], "actions": [codes]}."""
    data = rules_data()
    out: dict[str, dict[str, list]] = defaultdict(
        lambda: {"dispositions": [], "procedures": [], "actions": []}
    )
    by_code: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for rule in data.get("dispositions") or []:
        for pid in rule.get("cites") or []:
            by_code[pid][rule["disposition"]].append(rule["id"])
    for pid, codes in by_code.items():
        out[pid]["dispositions"] = list(codes.items())
    for proc in (data.get("procedures") or {}).values():
        cited = list(proc.get("cites") or [])
        for step in proc.get("steps") or []:
            cited += step.get("cites") or []
        for pid in dict.fromkeys(cited):
            out[pid]["procedures"].append(proc.get("title") or "")
    for action in data.get("actions") or []:
        for pid in action.get("cites") or []:
            if action["code"] not in out[pid]["actions"]:
                out[pid]["actions"].append(action["code"])
    return dict(out)


def vocabulary() -> dict:
    return rules_data().get("vocabulary") or {}


# --- rendering ---------------------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def permalink(pid: str) -> str:
    return f'<a class="headerlink" href="#{pid}" title="本段链接：{esc(notice.label(pid))}">¶</a>'


def marked(text: str, pid: str) -> str:
    """Escape `text` and wrap the typos filed under `pid` (markup only; the words stay as issued)."""
    spans = []
    for typo in typos():
        if typo.pid == pid:
            start = text.find(typo.as_issued)
            if start >= 0:
                spans.append((start, start + len(typo.as_issued), typo))
    out, last = [], 0
    for start, end, typo in sorted(spans, key=lambda s: s[0]):
        out.append(esc(text[last:start]))
        out.append(
            f'<mark class="typo">{esc(text[start:end])}</mark>'
            f'<sup class="editorial typo-ref"><a href="#{typo.anchor}" title="勘误{typo.number}：疑为“{esc(typo.intended)}”">'
            f"勘{typo.number}</a></sup>"
        )
        last = end
    out.append(esc(text[last:]))
    return "".join(out)


def first_occurrences() -> dict[str, list[glossary.Term]]:
    """paragraph id (top-level) -> glossary terms first met there, in order."""
    seen: set[str] = set()
    result: dict[str, list[glossary.Term]] = defaultdict(list)
    for p in notice.paragraphs():
        if p.kind in ("title", "heading"):
            continue  # explained where the term first occurs in running text
        for _, _, term in glossary.find_terms(p.text):
            if term.term not in seen:
                seen.add(term.term)
                result[p.id].append(term)
    return result


def _rule_lines(p: notice.Paragraph) -> list[str]:
    refs = rule_refs()
    vocab = vocabulary()
    grouped: list[tuple[list[str], str]] = []  # (sub-item labels, text): equal texts share a line
    for pid in [p.id] + [s.id for s in p.subitems]:
        entry = refs.get(pid)
        if not entry:
            continue
        label = "" if pid == p.id else next(s.label for s in p.subitems if s.id == pid)
        parts = []
        for code, rule_ids in entry["dispositions"]:
            name = (vocab.get("dispositions") or {}).get(code, code)
            ids = "、".join(f"<code>{esc(r)}</code>" for r in rule_ids)
            parts.append(f'<span data-disposition-link="{code}">{esc(name)}</span>（规则 {ids}）')
        if entry["procedures"]:
            parts.append("程序：" + "；".join(esc(t) for t in entry["procedures"]))
        if entry["actions"]:
            names = [(vocab.get("actions") or {}).get(c, c) for c in entry["actions"]]
            parts.append("附加事项：" + "；".join(esc(n) for n in names))
        if not parts:
            continue
        text = "；".join(parts)
        if grouped and label and grouped[-1][0] and grouped[-1][1] == text:
            grouped[-1][0].append(label)
        else:
            grouped.append(([label] if label else [], text))
    return [("".join(subs) + "：" if subs else "") + text for subs, text in grouped]


def notes_html(p: notice.Paragraph, first_terms: list[glossary.Term]) -> list[str]:
    """The paragraph's editorial blocks (the notes box)."""
    items = []
    ids = [p.id] + [s.id for s in p.subitems]
    for typo in typos():
        if typo.pid in ids:
            where = "" if typo.pid == p.id else f"{next(s.label for s in p.subitems if s.id == typo.pid)}中"
            items.append(
                f'<li class="note-typo" id="{typo.anchor}"><span class="note-kind">勘误{typo.number}</span>'
                f'{where}原文“<mark class="typo">{esc(typo.as_issued)}</mark>”，疑为“<ins>{esc(typo.intended)}</ins>”。'
                f"{esc(typo.reason)}（原文照录，未作改动。）</li>"
            )
    for term in first_terms:
        items.append(
            f'<li class="note-term"><span class="note-kind">释义</span>'
            f'<a href="../glossary/#{term.anchor}">{esc(term.term)}</a>：{esc(term.definition)}</li>'
        )
    for pid in ids:
        for ref in notes().get(pid, {}).get("refs") or []:
            items.append(
                f'<li class="note-ref"><span class="note-kind">相关规定</span>{esc(ref["title"])}：{esc(ref["gist"].strip())}</li>'
            )
    for line in _rule_lines(p):
        items.append(f'<li class="note-rule"><span class="note-kind">向导规则</span>{line}</li>')
    out = []
    if items:
        out.append(
            f'<aside class="editorial notice-notes" aria-label="编者注：{esc(notice.label(p.id))}">'
            f'<p class="notice-notes__title">编者注 · {esc(notice.label(p.id))}</p><ul>{"".join(items)}</ul></aside>'
        )
    return out


def body_html(p: notice.Paragraph, start: int) -> str:
    """The paragraph's text from `start` on, sub-items wrapped, typos marked."""
    if not p.subitems:
        return marked(p.text[start:], p.id)
    parts = [marked(p.lead[start:], p.id)]
    for s in p.subitems:
        parts.append(f'<span class="sub-item" id="{s.id}">{marked(s.text, s.id)}{permalink(s.id)}</span>')
    return "".join(parts)


def heading_end(p: notice.Paragraph) -> int:
    """Index just after the item's run-in heading, e.g. "1. 限期改正。"."""
    return p.text.index(p.title + "。") + len(p.title) + 1


def page_markdown() -> str:
    first = first_occurrences()
    out = [
        "---",
        "title: 通知全文（注释本）",
        "search:",
        f"  boost: {SEARCH_BOOST}",
        "---",
        "",
    ]
    total_typos = len(typos())
    intro = (
        '<div class="admonition info editorial edition-note"><p class="admonition-title">关于本注释本</p>'
        f"<p>下文逐字刊印{notice.ISSUER}《{esc(notice.TITLE)}》（{notice.ISSUED[:4]}年{int(notice.ISSUED[5:7])}月"
        f'{int(notice.ISSUED[8:])}日）全文，原文中的{total_typos}处笔误照录不改，以<mark class="typo">波浪下划线</mark>标出（打印为点线）。'
        "凡“编者注”框、勘误标号和段落链接（¶）均为编者所加，不属于通知原文；打印时编者注以虚线框区分。"
        '术语解释另见<a href="../glossary/">术语表</a>。</p></div>'
    )
    for p in notice.paragraphs():
        if p.kind == "title":
            out += [f'# {esc(p.text)} {{#p-title data-toc-label="通知标题"}}', "", intro, ""]
            continue
        if p.kind == "heading":
            out += [f"## {esc(p.text)} {{#{p.id}}}", ""]
            continue
        notes_part = notes_html(p, first.get(p.id, []))
        if p.kind == "item":
            end = heading_end(p)
            heading = marked(p.text[:end], p.id)
            toc_label = f"{p.number}{'' if p.number.endswith('．') else ' '}{p.title}"
            section = f"s-{p.id[2:]}"
            out += [
                f'<div class="notice-para notice-item" id="{p.id}" markdown="1">',
                "",
                f'### {heading} {{#{section} data-toc-label="{esc(toc_label)}"}}',
                "",
                f"<p>{body_html(p, end)}</p>",
                "",
                *[part + "\n" for part in notes_part],
                "</div>",
                "",
            ]
            continue
        kind_class = {"signature": " notice-signature", "addressee": " notice-addressee"}.get(p.kind, "")
        if p.kind == "signature":
            text = "<br>".join(esc(line.strip()) for line in p.text.splitlines())
        else:
            text = body_html(p, 0)
        out += [
            f'<div class="notice-para{kind_class}" id="{p.id}"><p>{text}{permalink(p.id)}</p>{"".join(notes_part)}</div>',
            "",
        ]
    return "\n".join(out)


def files():
    yield (PAGE_URI, page_markdown())


# --- build steps (called from build_scripts/build.py) ---------------------------------------------


def _site_url(src_uri: str) -> str:
    """The URL a source page is served at, with directory URLs (`a/b.md` -> `a/b/`)."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def resolve_disposition_links(markdown: str, src_uri: str, sources: set[str]) -> str:
    """Disposition names on the notice page link to their pages, where such a page exists."""
    here = _site_url(src_uri)

    def link(match: re.Match) -> str:
        code, label = match.group(1), match.group(2)
        target = next(
            (c for c in (f"dispositions/{code}.md", f"dispositions/{code}/index.md") if c in sources), None
        )
        if target is None:
            return label
        url = posixpath.relpath(_site_url(target), here or ".") + "/"
        return f'<a href="{url}">{label}</a>'

    return DISPOSITION_PLACEHOLDER.sub(link, markdown)


def on_page_markdown(markdown: str, src_uri: str, sources: set[str]) -> str:
    if src_uri == PAGE_URI:
        return resolve_disposition_links(markdown, src_uri, sources)
    return markdown


ITEM_HEADERLINK = re.compile(r'<a class="headerlink" href="#s-(\d)-(\d)" title="[^"]*">')


def on_page_content(html_text: str, src_uri: str) -> str:
    """Notice page: an item heading's ¶ links to the whole item (#p-3-1), not to the heading."""
    if src_uri != PAGE_URI:
        return html_text

    def relink(match: re.Match) -> str:
        pid = f"p-{match.group(1)}-{match.group(2)}"
        return f'<a class="headerlink" href="#{pid}" title="本段链接：{esc(notice.label(pid))}">'

    return ITEM_HEADERLINK.sub(relink, html_text)
