"""The flowchart of the whole decision logic (flowchart/), generated from the engine's decision tree.

`pagekit.explore()` asks the engine every question it asks, with every answer, and merges identical
subtrees; this module draws that graph as Mermaid flowcharts (rendered in the browser by the vendored
Mermaid, loaded only on this page by docs/assets/js/flowchart.mjs) and as a nested list, which is the
version for JavaScript off, screen readers and plain-text print.  Every outcome node links to the
paragraph of its disposition page that describes the rule (#rule-<id>).

The graph is split into charts so that each stays readable and prints on a page: the overview shows
the first SPLIT_DEPTH questions; each question first reached at that depth starts a chart of its own.
"""

from __future__ import annotations

from collections.abc import Iterator

from build_scripts.pages import pagekit as pk
from build_scripts.pages.pagekit import Node, esc

SRC = pk.FLOWCHART_PAGE
SPLIT_DEPTH = 3
MERMAID_JS = "assets/js/flowchart.mjs"


def mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;")


def chart_roots(root: Node) -> tuple[list[Node], dict[str, list[tuple[str, object]]]]:
    """Chart roots in reading order (the tree's root first) and, per node id, the (question, answer)
    pairs leading to it on the first (breadth-first) path."""
    roots = [root]
    path: dict[str, list[tuple[str, object]]] = {root.id: []}
    depth = {root.id: 0}
    queue = [root]
    while queue:
        node = queue.pop(0)
        for value, child in node.branches:
            if child.id in depth:
                continue
            depth[child.id] = depth[node.id] + 1
            path[child.id] = [*path[node.id], (node.key or "", value)]
            if not child.leaf:
                if depth[child.id] % SPLIT_DEPTH == 0:
                    roots.append(child)
                queue.append(child)
    return roots, path


def chart_nodes(start: Node, roots: set[str]) -> list[Node]:
    """Nodes drawn in the chart of `start`: reachable without passing through another chart's root."""
    seen: dict[str, Node] = {start.id: start}
    order = [start]
    i = 0
    while i < len(order):
        node = order[i]
        i += 1
        if node is not start and node.id in roots:
            continue
        for _, child in node.branches:
            if child.id not in seen:
                seen[child.id] = child
                order.append(child)
    return order


def leaf_label(node: Node) -> str:
    assert node.rule and node.disposition
    return f"{pk.disposition_label(node.disposition)}（情形{pk.cn_number(pk.rule_number(node.rule))}）"


def question_label(node: Node) -> str:
    return f"{pk.fact_name(node.key or '')}？"


def mermaid(start: Node, roots: dict[str, int]) -> str:
    lines = ["flowchart TD"]
    clicks = []
    for node in chart_nodes(start, set(roots)):
        if node.leaf:
            lines.append(f'  {node.id}["{mermaid_text(leaf_label(node))}"]:::outcome')
            href = pk.disposition_href(SRC, node.disposition or "", node.rule)
            clicks.append(f'  click {node.id} href "{href}" _self')
            continue
        if node is not start and node.id in roots:
            ref = f"{question_label(node)} 见图{roots[node.id]}"
            lines.append(f'  {node.id}[["{mermaid_text(ref)}"]]:::ref')
            clicks.append(f'  click {node.id} href "#chart-{roots[node.id]}" _self')
            continue
        lines.append(f'  {node.id}{{"{mermaid_text(question_label(node))}"}}:::ask')
        for value, child in node.branches:
            label = mermaid_text(pk.value_label(node.key or "", value))
            lines.append(f'  {node.id} -->|"{label}"| {child.id}')
    lines += clicks
    lines.append("  classDef ask fill:#fff8e1,stroke:#8d6e63,color:#000")
    lines.append("  classDef outcome fill:#ffebee,stroke:#b71c1c,color:#000")
    lines.append("  classDef ref fill:#e3f2fd,stroke:#1565c0,color:#000")
    return "\n".join(lines)


def outline(start: Node, roots: dict[str, int], shown: set[str]) -> str:
    """The chart as nested lists; a question already written out is referred to by link."""

    def item(label: str, node: Node) -> str:
        answer = f'<span class="rp-a">{esc(label)}</span> → ' if label else ""
        if node.leaf:
            href = pk.disposition_href(SRC, node.disposition or "", node.rule)
            return f'<li>{answer}<a href="{esc(href)}">{esc(leaf_label(node))}</a></li>'
        if node is not start and node.id in roots:
            return f'<li>{answer}<a href="#chart-{roots[node.id]}">{esc(question_label(node))}（见图{roots[node.id]}）</a></li>'
        if node.id in shown:
            return f'<li>{answer}<a href="#node-{node.id}">{esc(question_label(node))}（见上文）</a></li>'
        shown.add(node.id)
        children = "".join(item(pk.value_label(node.key or "", v), child) for v, child in node.branches)
        return f'<li>{answer}<span class="rp-q" id="node-{node.id}">{esc(question_label(node))}</span><ul>{children}</ul></li>'

    return f'<ul class="rp-outline-list">{item("", start)}</ul>'


def page() -> str:
    tree = pk.explore()
    roots, paths = chart_roots(tree.root)
    numbers = {node.id: n for n, node in enumerate(roots, 1)}
    out = [
        "# 处置流程图\n",
        pk.generated_banner("流程图"),
        (
            "下图是处置向导判断逻辑的全貌：菱形是向导要问的问题，箭头上是回答，红色方框是处置结论"
            "（点击可打开该处置的说明页）。判断从图1开始；蓝色方框表示接续到另一张图。"
            f"规则共{len(pk.rules()['dispositions'])}条，图中画出按问题作答可以到达的"
            f"{len(tree.leaves_by_rule)}条。\n"
        ),
        "<noscript><p>流程图需要 JavaScript 绘制；每张图下方的文字版内容与图相同。</p></noscript>\n",
    ]
    shown: set[str] = set()
    for n, start in enumerate(roots, 1):
        # Titled by the question the figure starts with; the answers that lead there, in words.
        if paths[start.id]:
            key, value = paths[start.id][-1]
            label = pk.value_label(key, value)
            # A bare 是/否 says nothing without its question.
            said = f"“{pk.fact_name(key)}”答“{label}”" if len(label) <= 2 else label
            title = f"{said}的，{question_label(start)}"
        else:
            title = f"从第一个问题开始：{question_label(start)}"
        out.append(f"## 图{n}：{title} {{#chart-{n} .rp-figure-title}}\n")
        if paths[start.id]:
            trail = "；".join(f"{pk.fact_name(k)}为“{pk.value_label(k, v)}”" for k, v in paths[start.id])
            out.append(f'<p class="rp-figure-path">本图适用于：{esc(trail)}。</p>\n')
        out.append(
            f'<div class="rp-chart-block"><div class="rp-chart" data-chart="{n}" hidden></div></div>\n'
        )
        out.append(
            f'<script type="text/x-mermaid" id="chart-src-{n}">\n{mermaid(start, numbers)}\n</script>\n'
        )
        out.append(
            f'<details class="rp-outline" open><summary>图{n}的文字版</summary>\n'
            f"{outline(start, numbers, shown)}\n</details>\n"
        )
    unreachable = pk.unreachable_rules()
    if unreachable:
        out.append("## 图中没有画出的规则\n")
        out.append(
            "下列规则不会因回答向导的问题而适用（例如所填事实相互矛盾、所填日期表明停止党籍决定作出过早，或只在填写了向导不询问的事实时适用）：\n"
        )
        for rule_id in unreachable:
            rule = next(r for r in pk.rules()["dispositions"] if r["id"] == rule_id)
            href = pk.disposition_md(SRC, rule["disposition"], rule_id)
            out.append(
                f"- [{pk.disposition_label(rule['disposition'])}（情形{pk.cn_number(pk.rule_number(rule_id))}）]({href})：{rule['finding']}"
            )
        out.append("")
    out.append(f'<script type="module" src="{pk.relative(SRC, MERMAID_JS)}"></script>\n')
    return "\n".join(out)


def files() -> Iterator[tuple[str, str | bytes]]:
    yield (SRC, page())
