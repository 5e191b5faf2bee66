"""One page per disposition code (dispositions/<code>/) and an index (dispositions/), from the rules.

Each page: 适用情形 (every rule deciding this disposition, its `when` in words), 程序 (each procedure
the rules use, as a checklist with the body responsible for each step), 审批与备案, 时限, add-on work
and notes, and 依据 (the cited paragraphs quoted from the notice, linked to their anchors).  Plain
HTML and Markdown: it reads with JavaScript off and prints as a blank checklist (pages.css).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from build_scripts.pages import pagekit as pk
from build_scripts.pages.pagekit import esc


def _compatible(when: dict, rule: dict) -> bool:
    """False if a condition of `when` contradicts a condition of the rule (both name the fact)."""
    for key, expected in when.items():
        if key in rule["when"]:
            mine = set(map(repr, expected if isinstance(expected, list) else [expected]))
            theirs = rule["when"][key]
            theirs_set = set(map(repr, theirs if isinstance(theirs, list) else [theirs]))
            if not mine & theirs_set:
                return False
    return True


def applicable_actions(code: str) -> list[tuple[dict, list[str]]]:
    """Add-on actions (actions.yaml) that can accompany this disposition, with the rules they can join."""
    out = []
    for action in pk.rules()["actions"]:
        if "dispositions" in action and code not in action["dispositions"]:
            continue
        if code in action.get("except", []):
            continue
        joins = [
            r["id"]
            for r in pk.rules_for(code)
            if r.get("actions") is not False
            and ("procedures" not in action or r["procedure"] in action["procedures"])
            and _compatible(action.get("when", {}), r)
        ]
        if joins:
            out.append((action, joins))
    return out


def applicable_notes(code: str) -> list[tuple[dict, list[str]]]:
    """Conditional notes (notes.yaml) that can be added to an outcome with this disposition."""
    out = []
    for note in pk.rules()["notes"]:
        if "dispositions" in note and code not in note["dispositions"]:
            continue
        joins = [r["id"] for r in pk.rules_for(code) if _compatible(note["when"], r)]
        if joins:
            out.append((note, joins))
    return out


def procedures_for(code: str) -> list[tuple[str, dict, list[str]]]:
    """(procedure name, procedure, rule ids using it), in the order the rules first use them."""
    found: dict[str, list[str]] = {}
    for r in pk.rules_for(code):
        found.setdefault(r["procedure"], []).append(r["id"])
    return [(name, pk.rules()["procedures"][name], ids) for name, ids in found.items()]


def cited_paragraphs(code: str) -> list[str]:
    cites: list[str] = []
    for r in pk.rules_for(code):
        cites += r["cites"]
        for note in r.get("notes", []):
            cites += note["cites"]
        for d in r.get("deadlines", []):
            cites += d["cites"]
    for _, proc, _ in procedures_for(code):
        cites += proc.get("cites", [])
        for step in proc["steps"]:
            cites += step["cites"]
        for note in proc.get("notes", []):
            cites += note["cites"]
    for action, _ in applicable_actions(code):
        cites += action["cites"]
    for note, _ in applicable_notes(code):
        cites += note["cites"]
    return pk.sort_cites(cites)


def _situation_refs(src: str, rule_ids: list[str]) -> str:
    return "、".join(f"[情形{pk.cn_number(pk.rule_number(rid))}](#{pk.rule_anchor(rid)})" for rid in rule_ids)


def _cite_html(src: str, cites: list[str]) -> str:
    from build_scripts.pages import notice

    return "、".join(
        f'<a href="{esc(pk.notice_href(src, pid))}">{esc(notice.label(pid))}</a>'
        for pid in pk.sort_cites(cites)
    )


def _situations(src: str, code: str) -> list[str]:
    out = ["## 适用情形 {#situations}\n"]
    rules = pk.rules_for(code)
    label = pk.disposition_label(code)
    out.append(
        f"处置规则按顺序逐条判断，先符合的先适用。下列{len(rules)}种情形的结论为“{label}”"
        "（条件须全部满足；未列出的事实对本情形没有影响）。\n"
    )
    unreachable = set(pk.unreachable_rules())
    for n, rule in enumerate(rules, 1):
        out.append(f"### 情形{pk.cn_number(n)} {{#{pk.rule_anchor(rule['id'])}}}\n")
        if rule["when"]:
            out.append("条件：\n")
            out += [f"- {pk.condition_text(k, v)}" for k, v in rule["when"].items()]
            out.append("")
        implied = pk.implied_conditions(rule["id"])
        if implied:
            out.append("同时（否则在先的规则先适用）：\n")
            out += [f"- {pk.condition_text(k, v)}" for k, v in implied.items()]
            out.append("")
        for key, value in rule.get("when_given", {}).items():
            out.append(f"另须已填写：{pk.condition_text(key, value)}（未填写的不适用本情形，也不会追问）。\n")
        if not rule["when"] and not rule.get("when_given"):
            out.append("条件：以上各条规则都不适用时（兜底规则）。\n")
        out.append(f"结论：{rule['finding']}\n")
        out.append(
            f'<p class="rp-noprint"><button type="button" class="md-button" data-print-proc="{rule["procedure"]}">'
            "打印本情形的办理清单</button></p>\n"
        )
        out.append(f"依据：{pk.cites_links(src, rule['cites'])}\n")
        for note in rule.get("notes", []):
            out.append(f'!!! note "说明"\n    {note["text"]}（{pk.cites_links(src, note["cites"])}）\n')
        example = pk.example_facts(rule["id"])
        if example:
            out.append(
                f'<p class="rp-noprint"><a href="{esc(pk.wizard_href(src, example))}">在处置向导中查看一个例子</a></p>\n'
            )
        elif rule["id"] in unreachable and "conflict" in rule["when"]:
            first = pk.rules()["dispositions"][0]["id"] == rule["id"]
            out.append("本情形在所填事实相互矛盾时适用" + ("，先于其他各条规则判断。\n" if first else "。\n"))
        elif rule["id"] in unreachable and "premature_suspension" in rule["when"]:
            out.append("本情形在所填日期表明停止党籍的决定作出时失联还不满6个月时适用（多见于“回头看”）。\n")
        elif rule["id"] in unreachable and not rule.get("when_given"):
            out.append(
                "本情形是兜底规则：按向导的问题作答不会走到这里，只在出现规则未预见的事实组合时适用。\n"
            )
    return out


def checklist_html(src: str, name: str, proc: dict) -> str:
    rows = []
    for n, step in enumerate(proc["steps"], 1):
        box = f"chk-{name}-{n}"
        rows.append(
            "<tr>"
            f'<td class="rp-check"><input type="checkbox" id="{box}">'
            f'<label for="{box}"><span class="rp-sr">第{n}步已完成</span></label></td>'
            f'<td class="rp-num">{n}</td>'
            f'<td class="rp-step">{esc(step["text"])}<br><span class="rp-cites">依据：{_cite_html(src, step["cites"])}</span></td>'
            f'<td class="rp-by">{esc(pk.body_label(step.get("by")) or "通知未规定")}</td>'
            '<td class="rp-fill"></td><td class="rp-fill"></td>'
            "</tr>"
        )
    return (
        '<div class="rp-scroll no-gloss"><table class="rp-checklist">'
        f"<caption>{esc(proc['title'])}：办理清单</caption>"
        '<thead><tr><th scope="col">完成</th><th scope="col">步骤</th><th scope="col">内容</th>'
        '<th scope="col">负责</th><th scope="col">完成日期</th><th scope="col">经办人签字</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></div>\n"
    )


PRINT_JS = "assets/js/disposition-print.mjs"


def _proc_outcome(name: str, proc: dict) -> dict:
    """The procedure as an outcome's fields, for decision.documents.checklist (the sign-off boxes)."""
    return {
        "procedure": name,
        "steps": proc["steps"],
        **{k: proc.get(k) for k in ("decided_by", "approver", "filed_with")},
        "pre_review": proc.get("pre_review") or [],
        "facts": {},
    }


def signoff_html(name: str, proc: dict) -> str:
    """The 意见 and 盖章 boxes of the bodies the procedure names, and the head's signature."""
    from decision import documents

    model = documents.checklist(_proc_outcome(name, proc))
    boxes = [(n, s["signoff"]) for n, s in enumerate(model["steps"], 1) if s["signoff"]] + [
        (None, box) for box in model["closing"]
    ]
    cells = "".join(
        '<div class="rp-signoff">'
        f'<p class="rp-signoff-head">{f"第{n}步　" if n else ""}{esc(box["opinion"])}：</p>'
        f'<p class="rp-signoff-line">{esc(box["seal"] or "签字")}'
        '　负责人（签字）：<span class="rp-line rp-short"></span>　年　　月　　日</p></div>'
        for n, box in boxes
    )
    head = model["head"]
    return (
        f'<div class="rp-signoffs no-gloss">{cells}'
        f'<p class="rp-sign"><span>{esc(head["signer"])}：</span><span class="rp-line"></span>'
        f'<span>{esc(head["seal"])}　日期：</span><span class="rp-line rp-short"></span></p></div>\n'
    )


@functools.cache
def blank_forms(code: str, name: str) -> tuple[tuple[str, str, bytes], ...]:
    """(site path, file name shown, .docx bytes) of the blank drafts a procedure needs under this
    disposition, chosen by the engine's outcome for the first situation that has an example."""
    import decision
    from decision import documents

    for rule in pk.rules_for(code):
        if rule["procedure"] != name:
            continue
        facts = pk.example_facts(rule["id"])
        if not facts:
            continue
        outcome = decision.decide(facts)
        if outcome.get("status") != "complete" or outcome.get("procedure") != name:
            continue
        return tuple(
            (
                f"dispositions/forms/{code}/{name}/{n:02d}-{d['id']}.docx",
                f"{d['file']}.docx",
                documents.docx_bytes(d),
            )
            for n, d in enumerate(documents.blank_drafts(outcome), 1)
        )
    return ()


def _forms_html(src: str, code: str, name: str) -> str:
    forms = blank_forms(code, name)
    if not forms:
        return ""
    links = "".join(
        f'<li><a href="{esc(pk.relative(src, path))}" download="{esc(shown)}">{esc(shown.removesuffix(".docx"))}</a></li>'
        for path, shown, _ in forms
    )
    return (
        '<div class="rp-forms rp-noprint"><p>空白文书（Word 草稿，供手工填写或修改）：</p>'
        f'<ul class="rp-form-list">{links}</ul></div>\n'
    )


def record_sheet_html(name: str, proc: dict) -> str:
    """The blank 一人一档 纪实 sheet of a procedure: printed on request (disposition-print.mjs)."""
    rows = "".join(
        f"<tr><td>{n}</td><td>{esc(step['text'])}</td><td>{esc(pk.body_label(step.get('by')) or '通知未规定')}</td>"
        "<td></td><td></td><td></td></tr>"
        for n, step in enumerate(proc["steps"], 1)
    )
    materials = "".join(f"<tr><td>{n}</td><td></td><td></td><td></td><td></td></tr>" for n in range(1, 9))
    return (
        f'<div class="rp-record-sheet no-gloss" data-record-sheet="{name}">'
        f'<p class="rp-record-title">一人一档　办理纪实（{esc(proc["title"])}）</p>'
        '<table class="rp-record-table"><thead><tr><th scope="col">序号</th><th scope="col">办理步骤</th>'
        '<th scope="col">负责</th><th scope="col">完成日期</th><th scope="col">经办人</th><th scope="col">形成材料</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        '<p class="rp-field">党员大会：应到＿＿名，实到＿＿名；表决：同意＿＿票，不同意＿＿票，弃权＿＿票；'
        "本人签字情况：＿＿＿＿＿＿（拒不签字或因故不能签字的，党支部注明）</p>"
        '<p class="rp-field">通知本人日期：＿＿＿＿年＿＿月＿＿日；宣布方式：＿＿＿＿＿＿</p>'
        '<p class="rp-record-title">材料目录</p>'
        '<table class="rp-record-table"><thead><tr><th scope="col">序号</th><th scope="col">材料名称</th>'
        '<th scope="col">形成日期</th><th scope="col">页数</th><th scope="col">备注</th></tr></thead>'
        f"<tbody>{materials}</tbody></table></div>\n"
    )


def _print_buttons(name: str) -> str:
    return (
        '<p class="rp-noprint rp-print-buttons">'
        f'<button type="button" class="md-button" data-print-proc="{name}">打印本程序的空白清单</button> '
        f'<button type="button" class="md-button" data-print-proc="{name}" data-print-mode="record">打印空白纪实表</button></p>\n'
    )


def _procedures(src: str, code: str) -> list[str]:
    out = ["## 程序 {#procedure}\n"]
    procs = procedures_for(code)
    if len(procs) > 1:
        out.append("不同情形适用的程序不同，请按适用的情形选用下列程序；每个程序可单独打印。\n")
    for name, proc, ids in procs:
        # One block per procedure, so that it prints alone (disposition-print.mjs, pages.css).
        out.append(f'<section class="rp-proc" data-proc="{name}" markdown="1">\n')
        out.append(f"### {proc['title']} {{#proc-{name}}}\n")
        out.append(
            f"适用于：{_situation_refs(src, ids)}。依据：{pk.cites_links(src, proc.get('cites', []))}\n"
        )
        out.append(_print_buttons(name))
        out.append(checklist_html(src, name, proc))
        out.append(signoff_html(name, proc))
        for note in proc.get("notes", []):
            out.append(f'!!! note "说明"\n    {note["text"]}（{pk.cites_links(src, note["cites"])}）\n')
        out.append(_forms_html(src, code, name))
        out.append(record_sheet_html(name, proc))
        out.append("</section>\n")
    return out


def _approvals(src: str, code: str) -> list[str]:
    def body(value: Any) -> str:
        if isinstance(value, list):
            return " → ".join(pk.body_label(v) for v in value) if value else "无"
        return pk.body_label(value) or "通知未规定"

    out = ["## 审批与备案 {#approval}\n"]
    out.append("| 程序 | 作出决定 | 预审 | 审批 | 备案 |")
    out.append("|---|---|---|---|---|")
    for _, proc, _ in procedures_for(code):
        cells = [body(proc.get("decided_by")), body(proc.get("pre_review") or []), body(proc.get("approver"))]
        cells.append(body(proc.get("filed_with")))
        out.append(f"| {proc['title']} | " + " | ".join(cells) + " |")
    out.append("")
    out.append(
        "“通知未规定”表示通知没有写明由哪一级作出决定、审批或备案，应按党内有关规定办理，把握不准的请示上级。\n"
    )
    return out


def _deadlines(src: str, code: str) -> list[str]:
    out = ["## 时限 {#deadlines}\n"]
    items = []
    for rule in pk.rules_for(code):
        for d in rule.get("deadlines", []):
            items.append(
                f"- {d['what']}：自“{pk.fact_name(d['from'])}”起{pk.months_text(d['months'])}"
                f"（[情形{pk.cn_number(pk.rule_number(rule['id']))}](#{pk.rule_anchor(rule['id'])})；"
                f"依据：{pk.cites_links(src, d['cites'])}）"
            )
    if items:
        out += items
        out.append("")
        out.append("处置向导按所填日期算出具体日期（按日历月计算，月末对齐）。\n")
    else:
        out.append("处置规则没有为本处置计算期限；通知对此未规定期限的，按上级要求及时办理。\n")
    return out


def _extras(src: str, code: str) -> list[str]:
    actions = applicable_actions(code)
    notes = applicable_notes(code)
    if not actions and not notes:
        return []
    out = ["## 视情况附加的工作 {#extras}\n"]
    for action, ids in actions:
        conds = "；".join(pk.condition_text(k, v) for k, v in action.get("when", {}).items())
        when = f"（条件：{conds}）" if conds else ""
        out.append(
            f'- <span class="rp-box" aria-hidden="true">□</span> {pk.vocabulary()["actions"][action["code"]]}{when}'
            f"——适用于{_situation_refs(src, ids)}；依据：{pk.cites_links(src, action['cites'])}"
        )
    for note, ids in notes:
        conds = "；".join(pk.condition_text(k, v) for k, v in note["when"].items())
        out.append(f"- 说明（{conds}）：{note['text']}（{pk.cites_links(src, note['cites'])}）")
    out.append("")
    return out


def _basis(src: str, code: str) -> list[str]:
    out = ["## 依据 {#basis}\n", "本页引用的通知原文（照录原文，含原文的笔误）：\n"]
    for pid in cited_paragraphs(code):
        out.append(pk.quote_block(src, pid))
    return out


def _signatures(code: str) -> str:
    bodies: list[str] = []
    for _, proc, _ in procedures_for(code):
        for step in proc["steps"]:
            label = pk.body_label(step.get("by"))
            if label and label not in bodies:
                bodies.append(label)
    lines = "".join(
        f'<p class="rp-sign"><span>{esc(b)}经办人（签字）：</span><span class="rp-line"></span>'
        '<span>日期：</span><span class="rp-line rp-short"></span></p>'
        for b in bodies
    )
    return f'<section class="rp-signatures no-gloss" aria-label="签字栏"><h2 id="signatures">签字栏</h2>{lines}</section>\n'


def case_fields() -> str:
    fields = ["党员姓名", "所在党支部", "基层党委", "失联起始时间", "办理人"]
    cells = "".join(
        f'<p class="rp-field"><span>{f}：</span><span class="rp-line"></span></p>' for f in fields
    )
    return f'<div class="rp-case-fields no-gloss" aria-label="案件信息（打印后填写）">{cells}</div>\n'


def page(code: str) -> str:
    src = pk.disposition_page(code)
    label = pk.disposition_label(code)
    parts = [
        f"# {label}\n",
        pk.generated_banner("内容"),
        (
            f'<p class="rp-noprint">处置代码 <code>{code}</code>。本页可直接打印为空白办理清单'
            f"（勾选框、负责机关、签字和日期栏）。[返回处置方式一览](index.md)</p>\n"
        ),
        case_fields(),
    ]
    parts += _situations(src, code)
    parts += _procedures(src, code)
    parts += _approvals(src, code)
    parts += _deadlines(src, code)
    parts += _extras(src, code)
    parts += _basis(src, code)
    parts.append(_signatures(code))
    parts.append(f'<script type="module" src="{pk.relative(src, PRINT_JS)}"></script>\n')
    return "\n".join(parts)


def index_page() -> str:
    src = pk.DISPOSITIONS_INDEX
    out = [
        "# 处置方式\n",
        pk.generated_banner("及各处置页"),
        (
            "通知规定的每一种处置（以及通知未作规定、应请示上级的情形）各有一页：适用情形、办理程序和负责机关、"
            "审批与备案、时限、原文依据。每页都可打印为空白办理清单。\n"
        ),
        "| 处置 | 适用情形 | 作出决定 | 审批 | 备案 |",
        "|---|---|---|---|---|",
    ]
    for code in pk.disposition_codes():
        procs = procedures_for(code)

        def join(field: str, procs: list = procs) -> str:
            labels = list(dict.fromkeys(pk.body_label(p.get(field)) or "通知未规定" for _, p, _ in procs))
            return "、".join(labels) or "—"

        out.append(
            f"| [{pk.disposition_label(code)}]({code}.md) | {len(pk.rules_for(code))}种 | "
            f"{join('decided_by')} | {join('approver')} | {join('filed_with')} |"
        )
    out.append("")
    out.append(
        "“通知未规定”表示通知没有写明由哪一级作出决定、审批或备案（有的处置本身不需要），"
        "应按党内有关规定办理，把握不准的请示上级；详见各处置页。\n"
    )
    out.append(
        f"不知道适用哪一种？用[处置向导]({pk.md_link(src, pk.WIZARD_PAGE)})逐项回答，"
        f"或看[流程图]({pk.md_link(src, pk.FLOWCHART_PAGE)})。\n"
    )
    return "\n".join(out)


def files() -> Iterator[tuple[str, str | bytes]]:
    yield (pk.DISPOSITIONS_INDEX, index_page())
    for code in pk.disposition_codes():
        yield (pk.disposition_page(code), page(code))
        for name, _, _ in procedures_for(code):
            for path, _, data in blank_forms(code, name):
                yield (path, data)
