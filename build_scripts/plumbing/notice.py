"""The notice as structured data: every paragraph and inline sub-item with its stable id.

Source: build_scripts/source/notice.txt, a verbatim copy of shared/source/notice.txt (a test
keeps the two identical).  Ids follow decision/CONTRACT.md §1.  Text is kept exactly as
issued, typos included; only the surrounding whitespace of each line is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "source" / "notice.txt"

ISSUER = "中共安庆市委组织部"
ISSUED = "2017-02-03"
TITLE = "关于做好与党组织失去联系党员规范管理和组织处置工作的通知"

SECTION_NUMERALS = "一二三四五"
HEADING = re.compile(r"^([一二三四五])、(.+)$")
ITEM = re.compile(r"^(\d)[.．]\s*(.+?)。")
SUBITEM = re.compile(r"（\d）")

# Unnumbered paragraphs after an item, by the words they open with (spec §1).
NAMED_PARAGRAPHS = {
    "对提出退党的": "p-3-withdrawal",
    "被处置党员对处置结果": "p-3-appeal",
    "对经多方查找确实无法取得联系的出国": "p-4-1-abroad",
    "对重新取得联系的出国（境）定居": "p-4-1-settled",
}


@dataclass(frozen=True)
class SubItem:
    id: str
    label: str  # "（1）"
    text: str  # the sub-item as issued, label included


@dataclass(frozen=True)
class Paragraph:
    id: str
    kind: str  # title | addressee | intro | heading | lead | item | paragraph | signature
    section: int  # 0 before 一, 1-5 inside the sections, 6 for the signature
    text: str  # the whole paragraph as issued (lines joined with "\n" for the signature)
    title: str = ""  # item's own heading words, e.g. 继续查找联系; section name for headings
    number: str = ""  # item label as issued, e.g. "1." or "4．"
    lead: str = ""  # text before the first sub-item (the whole text when there are none)
    subitems: tuple[SubItem, ...] = field(default=())


def _blocks(text: str) -> list[str]:
    """Paragraphs are separated by blank lines; the signature's two lines form one block."""
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    # The title and the addressees stand on consecutive lines of the first block.
    blocks[:1] = [line.strip() for line in blocks[0].splitlines()]
    # The signature is the issuer line followed by the date line, set apart by a blank line.
    if len(blocks) >= 2 and blocks[-2] == ISSUER:
        blocks[-2:] = [blocks[-2] + "\n" + blocks[-1]]
    return blocks


def _split_subitems(pid: str, text: str) -> tuple[str, tuple[SubItem, ...]]:
    starts = [m.start() for m in SUBITEM.finditer(text)]
    if not starts:
        return text, ()
    lead = text[: starts[0]]
    items = []
    for n, start in enumerate(starts, 1):
        end = starts[n] if n < len(starts) else len(text)
        chunk = text[start:end]
        items.append(SubItem(id=f"{pid}-{n}", label=chunk[:3], text=chunk))
    return lead, tuple(items)


@cache
def paragraphs() -> tuple[Paragraph, ...]:
    blocks = _blocks(SOURCE.read_text(encoding="utf-8"))
    out: list[Paragraph] = [
        Paragraph("p-title", "title", 0, blocks[0], lead=blocks[0]),
        Paragraph("p-addressee", "addressee", 0, blocks[1], lead=blocks[1]),
        Paragraph("p-intro", "intro", 0, blocks[2], lead=blocks[2]),
    ]
    section = 0
    after_heading = False
    for block in blocks[3:]:
        if block.startswith(ISSUER):
            out.append(Paragraph("p-signature", "signature", 6, block, lead=block))
            continue
        heading = HEADING.match(block)
        if heading:
            section = SECTION_NUMERALS.index(heading.group(1)) + 1
            out.append(
                Paragraph(f"s-{section}", "heading", section, block, title=heading.group(2), lead=block)
            )
            after_heading = True
            continue
        item = ITEM.match(block)
        if item:
            pid = f"p-{section}-{item.group(1)}"
            lead, subs = _split_subitems(pid, block)
            number = block[: item.start(2)].rstrip()
            out.append(Paragraph(pid, "item", section, block, item.group(2), number, lead, subs))
        elif after_heading:
            out.append(Paragraph(f"p-{section}-0", "lead", section, block, lead=block))
        else:
            named = next((v for k, v in NAMED_PARAGRAPHS.items() if block.startswith(k)), None)
            if named is None:
                raise ValueError(
                    f"notice: unexpected unnumbered paragraph in section {section}: {block[:20]}"
                )
            out.append(Paragraph(named, "paragraph", section, block, lead=block))
        after_heading = False
    return tuple(out)


@cache
def texts_by_id() -> dict[str, str]:
    """Every citable id (paragraphs and sub-items, not section headings) -> its text as issued."""
    result: dict[str, str] = {}
    for p in paragraphs():
        if p.kind != "heading":
            result[p.id] = p.text
        for s in p.subitems:
            result[s.id] = s.text
    return result


def paragraph_text(pid: str) -> str:
    try:
        return texts_by_id()[pid]
    except KeyError:
        raise KeyError(f"notice: no paragraph with id {pid!r}") from None


def paragraph_ids() -> list[str]:
    """All citable ids in reading order."""
    return list(texts_by_id())


def section_of(pid: str) -> Paragraph:
    """The section heading a paragraph belongs to (for labels such as 三、严肃组织处置)."""
    owner = next(p for p in paragraphs() if p.id == pid or any(s.id == pid for s in p.subitems))
    return next(p for p in paragraphs() if p.kind == "heading" and p.section == owner.section)


def label(pid: str) -> str:
    """A short Chinese label for citations, e.g. 第三部分第2项（1）."""
    if pid in ("p-title", "p-addressee", "p-intro", "p-signature"):
        return {"p-title": "标题", "p-addressee": "主送", "p-intro": "导语", "p-signature": "落款"}[pid]
    parts = pid.split("-")
    section = "第" + SECTION_NUMERALS[int(parts[1]) - 1] + "部分"
    rest = parts[2:]
    if rest == ["0"]:
        return section + "导语"
    if rest[0] == "withdrawal":
        return section + "（提出退党）"
    if rest[0] == "appeal":
        return section + "（申诉）"
    text = section + f"第{rest[0]}项"
    if len(rest) > 1:
        text += {"abroad": "（出国（境）党员）", "settled": "（出国（境）定居党员）"}.get(
            rest[1], f"（{rest[1]}）"
        )
    return text
