"""流程总览 (overview/): one page per procedure, drawn as swimlanes of the bodies that act.

Each overview draws one or more procedures of decision/rules/procedures.yaml (the grouping and the
materials of each step are in overview.yaml): one lane per body that does a step (党员本人, 党支部,
支委会, 党员大会, 基层党委, 上一级党委组织部门 …), the steps left to right in the rules' order, each
box with the step's text, its materials and the paragraphs it cites.  The SVG is generated here at
build time (no Mermaid, no script), inlined in the page and also written as overview/<slug>.svg for
slides.  Each page prints on one A4 sheet (landscape or portrait, chosen from the drawing's shape;
docs/assets/css/training-kit.css).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import yaml
from mkdocs.structure.files import File

from build_scripts.pages import notice
from build_scripts.pages import pagekit as pk
from build_scripts.pages.pagekit import esc

DATA_FILE = Path(__file__).resolve().with_name("overview.yaml")
INDEX = "overview/index.md"

# Lanes top to bottom: the member, then the branch's bodies, then the higher ones.  A body not
# listed here (a new one in the rules) is drawn after these, in the vocabulary's order.
LANE_ORDER = [
    "member",
    "branch",
    "branch_committee",
    "branch_general_meeting",
    "grassroots_org",
    "basic_committee",
    "upper_org_dept",
    "higher_party_org",
]

WIDTH = 1000
LANE_HEAD = 112
MARGIN = 8
FONT = 14
LINE = 18
HEAD_FONT = 15
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


def _lanes(steps: list[dict]) -> list[str | None]:
    used = {s.get("by") for s in steps}
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
    """(kind, text) lines of a step's box: title, body, materials, cites."""
    title, body = _split_title(step["text"])
    lines = [("title", f"{n}. {title}" if title else f"第{n}步")]
    lines += [("body", line) for line in wrap(body, width, FONT)]
    if materials:
        lines += [("mat", line) for line in wrap("材料：" + "、".join(materials), width, FONT)]
    cites = "、".join(notice.label(p) for p in pk.sort_cites(step["cites"]))
    lines += [("cite", line) for line in wrap("依据：" + cites, width, FONT)]
    return lines


def _variant(label: str, proc: dict, materials: dict[str, list[str]], top: float) -> tuple[list[str], float]:
    """SVG elements of one procedure's swimlanes, starting at y = top; returns (elements, height).

    One column (lane) per body that acts, left to right from the member up to the higher bodies;
    the steps top to bottom in the rules' order, each in its body's lane, joined by arrows."""
    steps = proc["steps"]
    lanes = _lanes(steps)
    col = (WIDTH - 2 * MARGIN) / len(lanes)
    box_w = col - 20
    text_w = box_w - 14
    out: list[str] = []
    y = top
    out.append(
        f'<text x="{MARGIN}" y="{y + 18}" font-size="18" font-weight="bold">{esc(label)}'
        f'<tspan font-weight="normal" font-size="14">　（{esc(proc["title"])}）</tspan></text>'
    )
    summary = (
        f"作出决定：{bodies_text(proc['decided_by'], '通知未规定')}　"
        f"预审：{bodies_text(proc['pre_review'], '无')}　"
        f"审批：{bodies_text(proc['approver'], '通知未规定')}　"
        f"备案：{bodies_text(proc['filed_with'], '通知未规定')}"
    )
    out.append(f'<text x="{MARGIN}" y="{y + 40}" font-size="{FONT}">{esc(summary)}</text>')
    y += 50
    contents = [_step_lines(i, s, materials.get(s["id"], []), text_w) for i, s in enumerate(steps, 1)]
    heights = [len(c) * LINE + 10 for c in contents]
    head_h = 30
    body_h = sum(h + 18 for h in heights) + 8
    lane_x = {}
    for k, lane in enumerate(lanes):
        x = MARGIN + k * col
        lane_x[lane] = x
        fill = "#f6f6f6" if k % 2 == 0 else "#ffffff"
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="{col:.1f}" height="{head_h + body_h}" fill="{fill}" stroke="#888"/>'
        )
        out.append(
            f'<rect x="{x:.1f}" y="{y}" width="{col:.1f}" height="{head_h}" fill="#e8e8e8" stroke="#888"/>'
        )
        name = pk.body_label(lane) if lane else "未规定"
        out.append(
            f'<text x="{x + col / 2:.1f}" y="{y + 21}" font-size="{HEAD_FONT}" font-weight="bold" '
            f'text-anchor="middle">{esc(name)}</text>'
        )
    y += head_h + 10
    boxes = []
    for step, lines, h in zip(steps, contents, heights, strict=True):
        x = lane_x[step.get("by")] + 10
        boxes.append((x, y, h))
        out.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{box_w:.1f}" height="{h}" rx="6" fill="#fff" stroke="#b71c1c" stroke-width="1.5"/>'
        )
        for j, (kind, text) in enumerate(lines):
            attrs = {
                "title": 'font-weight="bold" fill="#b71c1c"',
                "body": 'fill="#000"',
                "mat": 'fill="#1b5e20"',
                "cite": 'fill="#0d47a1"',
            }[kind]
            out.append(
                f'<text x="{x + 7:.1f}" y="{y + 16 + j * LINE:.1f}" font-size="{FONT}" {attrs}>{esc(text)}</text>'
            )
        y += h + 18
    for (x1, y1, h1), (x2, y2, _) in pairwise(boxes):
        sx, sy = x1 + box_w / 2, y1 + h1
        ex, ey = x2 + box_w / 2, y2
        mid = sy + 9
        out.append(
            f'<path d="M{sx:.1f},{sy:.1f} V{mid:.1f} H{ex:.1f} V{ey - 2:.1f}" fill="none" stroke="#333" '
            f'stroke-width="1.5" marker-end="url(#rp-arrow)"/>'
        )
    return out, y - top + 14


def svg(ov: Overview) -> str:
    """The overview as a standalone SVG document (also inlined in the page)."""
    parts: list[str] = []
    y = 8.0
    title = f"流程总览：{ov.title}"
    parts.append(f'<text x="{MARGIN}" y="{y + 22}" font-size="22" font-weight="bold">{esc(title)}</text>')
    y += 36
    for label, pid, proc in ov.variants:
        elements, h = _variant(label, proc, ov.materials.get(pid) or {}, y)
        parts += elements
        y += h
    legend = "红框：办理步骤（按箭头顺序）　绿字：形成或需要的材料　蓝字：所依据的通知段落　每一行（泳道）是承办的组织"
    parts.append(f'<text x="{MARGIN}" y="{y + 6}" font-size="12" fill="#333">{esc(legend)}</text>')
    height = int(y + 16)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'role="img" aria-labelledby="rp-ov-title-{ov.slug}" font-family=\'{FAMILY}\' class="rp-overview-svg" '
        f'data-orient="{orientation(height)}">'
        f'<title id="rp-ov-title-{ov.slug}">{esc(title)}（泳道图，文字版见图下）</title>'
        '<defs><marker id="rp-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#fff"/>' + "".join(parts) + "</svg>"
    )


def orientation(height: float) -> str:
    """Landscape A4 (277 × 190 mm printable) unless the drawing is taller than it is wide-ish."""
    return "portrait" if height / WIDTH > 0.85 else "landscape"


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
    orient = orientation(int(drawing.split('height="', 1)[1].split('"', 1)[0]))
    return "\n".join(
        [
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
            "每种处置的办理程序画在一页纸上：每一行（泳道）是承办的组织，从党员本人、党支部到上一级党委组织部门；"
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


def files(config) -> Iterator[File]:
    for path, content in pages():
        yield File.generated(config, path, content=content)
