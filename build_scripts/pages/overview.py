"""流程总览 (overview/): one page per procedure, drawn as swimlanes of the levels that act.

Each overview draws one or more procedures of decision/rules/procedures.yaml (the grouping and the
materials of each step are in overview.yaml): one lane (column) per level that does a step, left to
right 党员本人, 党支部 (its 支委会 and 党员大会 act in its lane and are named in the step's box),
基层党委, 上一级党委组织部门; the steps numbered in the rules' order, each box with the step's text,
its materials and the paragraphs it cites.  A step in another lane than the one before starts level
with it where the lanes allow, so the drawing is compact.  Of the orientations (A4 landscape or
portrait), drawing widths and side-by-side arrangements of the procedures, the build takes the one
that prints the text largest on one sheet (test: at least 9 pt, read from the printed PDF).  The SVG
is generated here at build time (no Mermaid, no script), inlined in the page and also written as
overview/<slug>.svg for slides; docs/assets/css/training-kit.css prints it on one sheet.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from build_scripts.pages import notice
from build_scripts.pages import pagekit as pk
from build_scripts.pages.pagekit import esc

DATA_FILE = Path(__file__).resolve().with_name("overview.yaml")
INDEX = "overview/index.md"

# Lanes left to right: the member, the branch (its committee and general meeting act inside the
# branch's lane, named in the step's box), then the higher bodies.  A body not listed here (a new
# one in the rules) gets a lane of its own after these, in the vocabulary's order.
LANE_OF = {
    "member": "member",
    "branch": "branch",
    "branch_committee": "branch",
    "branch_general_meeting": "branch",
    "grassroots_org": "branch",
    "basic_committee": "basic_committee",
    "upper_org_dept": "upper_org_dept",
    "higher_party_org": "higher_party_org",
}
LANE_ORDER = ["member", "branch", "basic_committee", "upper_org_dept", "higher_party_org"]

# The printable area of an A4 sheet in mm (10 mm margins, 15 mm kept for the intro sentence), as
# the print style sheet (docs/assets/css/training-kit.css) caps the drawing: the drawing's
# orientation and arrangement are chosen to print its text as large as possible.
SHEETS = {"landscape": (277.0, 175.0), "portrait": (190.0, 262.0)}
WIDTHS = range(1400, 599, -50)  # the viewBox widths tried (wider: more text per line, smaller print)
ENOUGH_PT = 12  # text this large reads at arm's length: a larger print is not preferred to a wider one
MARGIN = 8
FONT = 14  # the smallest text of the drawing (body, materials, cites, legend)
LINE = 18
HEAD_FONT = 15
GAP = 14  # between boxes of one lane
ARROW_DY = 22  # a sideways arrow enters its box this far below the box's top
PT_PER_MM = 72 / 25.4
FAMILY = '"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","SimHei",sans-serif'


@dataclass
class Overview:
    slug: str
    title: str
    intro: str
    variants: list[tuple[str, str, dict]]  # (label, procedure id, procedure)
    materials: dict[str, dict[str, list[str]]]

    @property
    def src(self) -> str:
        return f"overview/{self.slug}.md"

    @property
    def svg_path(self) -> str:
        return f"overview/{self.slug}.svg"


def load(procedures: dict | None = None) -> list[Overview]:
    """The overviews, checked against the rules' procedures (SystemExit names what is stale)."""
    procedures = procedures if procedures is not None else pk.rules()["procedures"]
    data = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))
    materials = data.get("materials") or {}
    errors = []
    out = []
    for raw in data["overviews"]:
        variants = []
        for item in raw["procedures"]:
            pid = item["procedure"]
            proc = procedures.get(pid)
            if proc is None:
                errors.append(f"{raw['slug']}: procedure {pid!r} is not in decision/rules/procedures.yaml")
                continue
            known = materials.get(pid) or {}
            step_ids = [s["id"] for s in proc["steps"]]
            errors += [f"{pid}.{s}: no materials entry in overview.yaml" for s in step_ids if s not in known]
            errors += [
                f"{pid}.{s}: overview.yaml names a step the rules do not have"
                for s in known
                if s not in step_ids
            ]
            variants.append((item.get("label") or proc["title"], pid, proc))
        out.append(Overview(raw["slug"], raw["title"], raw["intro"], variants, materials))
    if errors:
        raise SystemExit("build_scripts/pages/overview.yaml is stale:\n  " + "\n  ".join(errors))
    return out


# ---- text measuring ---------------------------------------------------------------------------


def text_width(text: str, size: float) -> float:
    """Approximate rendered width: CJK and full-width characters 1 em, the rest 0.55 em."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.55 for ch in text)


def wrap(text: str, width: float, size: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for ch in text:
        if line and text_width(line + ch, size) > width:
            # Keep closing punctuation on the line it closes.
            if ch in "，。；：、）”":
                line += ch
                continue
            lines.append(line)
            line = ""
            if ch == "　":  # a separating space does not begin the next line
                continue
        line += ch
    if line:
        lines.append(line)
    return lines


def bodies_text(codes: list[str] | str | None, none: str) -> str:
    if not codes:
        return none
    if isinstance(codes, str):
        return pk.body_label(codes)
    return "、".join(pk.body_label(c) for c in codes)


# ---- drawing ----------------------------------------------------------------------------------


def _lane(step: dict) -> str | None:
    by = step.get("by")
    return LANE_OF.get(by, by) if by else None


def _lanes(steps: list[dict]) -> list[str | None]:
    used = {_lane(s) for s in steps}
    vocab = list(pk.vocabulary()["bodies"])
    order = LANE_ORDER + [b for b in vocab if b not in LANE_ORDER]
    lanes: list[str | None] = [b for b in order if b in used]
    if None in used:
        lanes.append(None)
    return lanes


def _split_title(text: str) -> tuple[str, str]:
    head, sep, rest = text.partition("：")
    if sep and len(head) <= 6:
        return head, rest
    return "", text


def _step_lines(n: int, step: dict, materials: list[str], width: float) -> list[tuple[str, str]]:
    """(kind, text) lines of a step's box: title (with the acting body when it is not the lane's
    own), body, materials, cites."""
    title, body = _split_title(step["text"])
    by = step.get("by")
    head = f"{n}. {title}" if title else f"第{n}步"
    if by and by != _lane(step):
        head += f"（{pk.body_label(by)}）"
    lines = [("title", line) for line in wrap(head, width, FONT)]
    lines += [("body", line) for line in wrap(body, width, FONT)]
    if materials:
        lines += [("mat", line) for line in wrap("材料：" + "、".join(materials), width, FONT)]
    cites = "、".join(notice.label(p) for p in pk.sort_cites(step["cites"]))
    lines += [("cite", line) for line in wrap("依据：" + cites, width, FONT)]
    return lines


LINE_ATTRS = {
    "title": 'font-weight="bold" fill="#b71c1c"',
    "body": 'fill="#000"',
    "mat": 'fill="#1b5e20"',
    "cite": 'fill="#0d47a1"',
}


def _variant(
    label: str,
    proc: dict,
    materials: dict[str, list[str]],
    left: float,
    top: float,
    width: float,
    lanes_at: float = 0,
) -> tuple[list[str], float, float]:
    """SVG elements of one procedure's swimlanes in the box (left, top, width); returns (elements,
    height, where its lanes start below top).  The lanes start no higher than lanes_at below top,
    so that procedures drawn side by side have their lanes level.

    One column (lane) per level that acts, left to right from the member up to the higher bodies.
    The steps go down in the rules' order, numbered: a step in the same lane as the one before it
    goes right under it; a step in another lane starts level with it when its lane (and the lanes
    the arrow crosses) are free there, so the drawing is no taller than it must be."""
    steps = proc["steps"]
    lanes = _lanes(steps)
    col = width / len(lanes)
    box_w = col - 16
    text_w = box_w - 14
    out: list[str] = []
    y = top
    caption = f"　（{proc['title']}）"
    if text_width(label, 18) + text_width(caption, FONT) <= width:
        out.append(
            f'<text x="{left}" y="{y + 18}" font-size="18" font-weight="bold">{esc(label)}'
            f'<tspan font-weight="normal" font-size="{FONT}">{esc(caption)}</tspan></text>'
        )
        y += 26
    else:
        for line in wrap(label, width, 18):
            out.append(f'<text x="{left}" y="{y + 18}" font-size="18" font-weight="bold">{esc(line)}</text>')
            y += 24
        for line in wrap(caption.strip("　"), width, FONT):
            out.append(f'<text x="{left}" y="{y + 14}" font-size="{FONT}">{esc(line)}</text>')
            y += LINE
        y += 4
    summary = (
        f"作出决定：{bodies_text(proc['decided_by'], '通知未规定')}　"
        f"预审：{bodies_text(proc['pre_review'], '无')}　"
        f"审批：{bodies_text(proc['approver'], '通知未规定')}　"
        f"备案：{bodies_text(proc['filed_with'], '通知未规定')}"
    )
    for line in wrap(summary, width, FONT):
        out.append(f'<text x="{left}" y="{y + 14}" font-size="{FONT}">{esc(line)}</text>')
        y += LINE
    y = max(y + 6, top + lanes_at)
    lanes_top = y - top
    names = [wrap(pk.body_label(lane) if lane else "未规定", col - 8, HEAD_FONT) for lane in lanes]
    head_h = max(len(n) for n in names) * LINE + 10
    lane_x = {lane: left + k * col for k, lane in enumerate(lanes)}
    body_top = y + head_h + 8
    contents = [_step_lines(i, s, materials.get(s["id"], []), text_w) for i, s in enumerate(steps, 1)]
    heights = [len(c) * LINE + 10 for c in contents]

    # Place the boxes: (lane index, top, height) each, and the arrows between them.
    index = {lane: k for k, lane in enumerate(lanes)}
    bottom = {lane: body_top - GAP for lane in lanes}
    placed: list[tuple[int, float, float]] = []
    arrows: list[str] = []
    for step, h in zip(steps, heights, strict=True):
        k = index[_lane(step)]
        if not placed:
            top_y = body_top
        else:
            pk_, py, ph = placed[-1]
            if k == pk_:
                top_y = py + ph + GAP
                cx = lane_x[lanes[k]] + col / 2
                arrows.append(f"M{cx:.1f},{py + ph:.1f} V{top_y - 2:.1f}")
            else:
                lo, hi = sorted((k, pk_))
                crossed = [bottom[lanes[j]] for j in range(lo + 1, hi)]
                top_y = max([py, bottom[lanes[k]] + GAP] + [c + 6 - ARROW_DY for c in crossed])
                ay = top_y + ARROW_DY
                if ay <= py + ph - 8:
                    # Sideways, from the side of the step before to the side of this one.
                    if k > pk_:
                        sx, ex = lane_x[lanes[pk_]] + 8 + box_w, lane_x[lanes[k]] + 8
                    else:
                        sx, ex = lane_x[lanes[pk_]] + 8, lane_x[lanes[k]] + 8 + box_w
                    arrows.append(f"M{sx:.1f},{ay:.1f} H{ex + (2 if k < pk_ else -2):.1f}")
                else:
                    # Down from the step before, across, and down into this one.
                    mid = max([py + ph, bottom[lanes[k]]] + crossed) + GAP / 2
                    top_y = mid + GAP / 2 + 4
                    sx = lane_x[lanes[pk_]] + col / 2
                    ex = lane_x[lanes[k]] + col / 2
                    arrows.append(f"M{sx:.1f},{py + ph:.1f} V{mid:.1f} H{ex:.1f} V{top_y - 2:.1f}")
        placed.append((k, top_y, h))
        bottom[lanes[k]] = top_y + h
    body_bottom = max(bottom.values()) + 10

    for k, lane in enumerate(lanes):
        x = lane_x[lane]
        fill = "#f6f6f6" if k % 2 == 0 else "#ffffff"
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="{col:.1f}" height="{body_bottom - y:.1f}" fill="{fill}" stroke="#888"/>'
        )
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="{col:.1f}" height="{head_h}" fill="#e8e8e8" stroke="#888"/>'
        )
        for j, line in enumerate(names[k]):
            out.append(
                f'<text x="{x + col / 2:.1f}" y="{y + 20 + j * LINE}" font-size="{HEAD_FONT}" font-weight="bold" '
                f'text-anchor="middle">{esc(line)}</text>'
            )
    for (k, top_y, h), lines in zip(placed, contents, strict=True):
        x = lane_x[lanes[k]] + 8
        out.append(
            f'<rect x="{x:.1f}" y="{top_y:.1f}" width="{box_w:.1f}" height="{h}" rx="6" fill="#fff" stroke="#b71c1c" stroke-width="1.5"/>'
        )
        for j, (kind, text) in enumerate(lines):
            out.append(
                f'<text x="{x + 7:.1f}" y="{top_y + 17 + j * LINE:.1f}" font-size="{FONT}" {LINE_ATTRS[kind]}>{esc(text)}</text>'
            )
    for d in arrows:
        out.append(
            f'<path d="{d}" fill="none" stroke="#333" stroke-width="1.5" marker-end="url(#rp-arrow)"/>'
        )
    return out, body_bottom - top + 14, lanes_top


def _arrange(ov: Overview, width: float, cols: int) -> tuple[list[str], float]:
    """The drawing's elements with its variants in `cols` columns side by side; (elements, height)."""
    parts: list[str] = []
    title = f"流程总览：{ov.title}"
    parts.append(f'<text x="{MARGIN}" y="30" font-size="22" font-weight="bold">{esc(title)}</text>')
    y = 44.0
    gap = 24
    cell = (width - 2 * MARGIN - (cols - 1) * gap) / cols
    for start in range(0, len(ov.variants), cols):
        row = ov.variants[start : start + cols]

        def draw(
            j: int, label: str, pid: str, proc: dict, lanes_at: float, top: float = y
        ) -> tuple[list[str], float, float]:
            x = MARGIN + j * (cell + gap)
            return _variant(label, proc, ov.materials.get(pid) or {}, x, top, cell, lanes_at)

        # Twice: the second time with the lanes of the row level with the lowest start of the first.
        lanes_at = max(draw(j, *v, 0)[2] for j, v in enumerate(row))
        row_h = 0.0
        for j, variant in enumerate(row):
            elements, h, _ = draw(j, *variant, lanes_at)
            parts += elements
            row_h = max(row_h, h)
        y += row_h
    legend = "红框：办理步骤（按编号和箭头顺序）　绿字：形成或需要的材料　蓝字：所依据的通知段落　每一列（泳道）是承办的一级组织"
    for line in wrap(legend, width - 2 * MARGIN, FONT):
        parts.append(f'<text x="{MARGIN}" y="{y + 8:.1f}" font-size="{FONT}" fill="#333">{esc(line)}</text>')
        y += LINE
    return parts, y + 4


def print_scale(orient: str, width: float, height: float) -> float:
    """Millimetres per drawing unit when the drawing is printed as large as its sheet allows."""
    sheet_w, sheet_h = SHEETS[orient]
    return min(sheet_w / width, sheet_h / height)


def smallest_print_pt(orient: str, width: float, height: float) -> float:
    return FONT * print_scale(orient, width, height) * PT_PER_MM


def layout(ov: Overview) -> tuple[str, int, int, list[str]]:
    """(orientation, width, height, elements): of the orientations, widths and side-by-side
    arrangements, the one that prints the text largest, up to ENOUGH_PT (landscape, then the wider, on a tie)."""
    best = None
    for orient in ("landscape", "portrait"):
        for width, cols in itertools.product(WIDTHS, range(1, len(ov.variants) + 1)):
            parts, height = _arrange(ov, width, cols)
            score = min(smallest_print_pt(orient, width, height), ENOUGH_PT)
            if best is None or score > best[0] + 1e-9:
                best = (score, orient, width, int(height + 1), parts)
    _, orient, width, height, parts = best
    return orient, width, height, parts


def svg(ov: Overview) -> str:
    """The overview as a standalone SVG document (also inlined in the page)."""
    orient, width, height, parts = layout(ov)
    title = f"流程总览：{ov.title}"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="rp-ov-title-{ov.slug}" font-family=\'{FAMILY}\' class="rp-overview-svg" '
        f'data-orient="{orient}">'
        f'<title id="rp-ov-title-{ov.slug}">{esc(title)}（泳道图，文字版见图下）</title>'
        '<defs><marker id="rp-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>'
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#fff"/>' + "".join(parts) + "</svg>"
    )


def orientation(drawing: str) -> str:
    return drawing.split('data-orient="', 1)[1].split('"', 1)[0]


# ---- pages ------------------------------------------------------------------------------------


def text_version(ov: Overview) -> str:
    out = [f'<details class="rp-noprint rp-overview-text"><summary>{esc(ov.title)}流程的文字版</summary>']
    for label, pid, proc in ov.variants:
        out.append(f"<h2>{esc(label)}</h2><ol>")
        for step in proc["steps"]:
            mats = (ov.materials.get(pid) or {}).get(step["id"]) or []
            cites = "、".join(
                f'<a href="{esc(pk.notice_href(ov.src, p))}">{esc(notice.label(p))}</a>'
                for p in pk.sort_cites(step["cites"])
            )
            mat = f"材料：{esc('、'.join(mats))}；" if mats else ""
            out.append(
                f"<li>{esc(step['text'])}（{esc(pk.body_label(step.get('by')) or '通知未规定')}）<br>"
                f'<span class="rp-cites">{mat}依据：{cites}</span></li>'
            )
        out.append("</ol>")
    out.append("</details>")
    return "".join(out)


def page(ov: Overview, drawing: str) -> str:
    orient = orientation(drawing)
    return "\n".join(
        [
            # No table of contents beside the drawing: at 1366 px it takes the width the drawing needs.
            "---\nhide:\n  - toc\n---\n",
            f"# 流程总览：{ov.title}\n",
            f'<div class="rp-overview-sheet" data-orient="{orient}">\n',
            f'<p class="rp-overview-intro">{esc(ov.intro)}</p>\n',
            f'<figure class="rp-overview-figure" tabindex="0" aria-label="流程总览：{esc(ov.title)}（可左右滚动）">{drawing}</figure>\n',
            "</div>\n",
            (
                f'<p class="rp-noprint"><a href="{esc(pk.relative(ov.src, ov.svg_path))}" download="流程总览-{esc(ov.title)}.svg">'
                f"下载本图（SVG，可插入幻灯片）</a>　打印本页：一页A4纸"
                f"{'（横向）' if orient == 'landscape' else ''}。</p>\n"
            ),
            text_version(ov) + "\n",
            pk.generated_banner("流程图中的步骤、承办组织和依据"),
        ]
    )


def index_page(overviews: list[Overview]) -> str:
    out = [
        "# 流程总览\n",
        pk.generated_banner("各流程总览"),
        (
            "每种处置的办理程序画在一页纸上：每一列（泳道）是承办的一级组织，从党员本人、党支部到上一级党委组织部门；"
            "方框是办理步骤，写明形成的材料和所依据的通知段落。每页可单独打印在一张A4纸上，也可下载为SVG图片插入幻灯片。"
            f"按问题逐项判断处置方式的问题树见[处置流程图]({pk.md_link(INDEX, pk.FLOWCHART_PAGE)})。\n"
        ),
    ]
    for ov in overviews:
        out.append(f"- [{ov.title}]({pk.md_link(INDEX, ov.src)})：{ov.intro}")
    out.append("")
    return "\n".join(out)


@cache
def _drawings() -> tuple[tuple[Overview, str], ...]:
    return tuple((ov, svg(ov)) for ov in load())


def pages() -> Iterator[tuple[str, str]]:
    """(site path, content) of what this module generates: the index, a page and an SVG per overview."""
    drawings = _drawings()
    yield (INDEX, index_page([ov for ov, _ in drawings]))
    for ov, drawing in drawings:
        yield (ov.src, page(ov, drawing))
        yield (ov.svg_path, '<?xml version="1.0" encoding="UTF-8"?>\n' + drawing + "\n")


def files() -> Iterator[tuple[str, str | bytes]]:
    yield from pages()
