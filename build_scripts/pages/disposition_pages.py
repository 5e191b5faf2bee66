"""One page per disposition code (dispositions/<code>/) and an index (dispositions/), from the rules.

Each page: 适用情形 (every rule deciding this disposition, its `when` in words), 程序 (each procedure
the rules use, as a checklist with the body responsible for each step), 审批与备案, 时限, add-on work
and notes, and 依据 (the cited paragraphs quoted from the notice, linked to their anchors).  Plain
HTML and Markdown: it reads with JavaScript off and prints as a blank checklist (pages.css).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from build_scripts.pages import pagekit as pk
from build_scripts.pages.pagekit import esc
from build_scripts.plumbing import strict_yaml

# Editor's notes: what generally applies where the notice names no approver (title, article, gist).
EDITOR_NOTES = Path(__file__).with_name("disposition_notes.yaml")
NOT_SAID = "通知未规定"


@functools.cache
def editor_notes() -> dict[str, list[dict]]:
    data = strict_yaml.load(EDITOR_NOTES) or {}
    unknown = set(data) - set(pk.disposition_codes())
    if unknown:
        raise ValueError(f"{EDITOR_NOTES.name}: unknown disposition codes {sorted(unknown)}")
    return data


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
    out.append(f"下列{len(rules)}种情形，处置方式为“{label}”。\n")
    unreachable = set(pk.unreachable_rules())
    for n, rule in enumerate(rules, 1):
        out.append(f"### 情形{pk.cn_number(n)} {{#{pk.rule_anchor(rule['id'])}}}\n")
        # The rule's own conditions and those it holds only because earlier rules did not apply
        # are, for the reader, one list: what the member's case must be.
        conditions = [pk.condition_text(k, v) for k, v in rule["when"].items()]
        conditions += [pk.condition_text(k, v) for k, v in pk.implied_conditions(rule["id"]).items()]
        conditions += [
            f"{pk.condition_text(k, v)}（须已查明）" for k, v in rule.get("when_given", {}).items()
        ]
        if conditions:
            out.append("适用于同时具备下列情况的党员：\n")
            out += [f"- {c}" for c in conditions]
            out.append("")
        else:
            out.append("适用于不属于上述任何一种情形、通知又没有规定的党员。\n")
        out.append(f"处置意见：{pk.conclusion(rule)}\n")
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
            out.append("所填情况相互矛盾时，先核实情况；核实不了的，请示上级。\n")
        elif rule["id"] in unreachable and any(
            pk.rules()["derived"].get(k, {}).get("applies") for k in rule["when"]
        ):
            derived = pk.rules()["derived"]
            out += [derived[k]["applies"] + "\n" for k in rule["when"] if derived.get(k, {}).get("applies")]
        elif rule["id"] in unreachable and not rule.get("when_given"):
            out.append("按处置向导逐项作答不会出现本情形；遇到通知没有预见的少见情况时适用。\n")
    return out


def checklist_html(src: str, name: str, proc: dict) -> str:
    rows = []
    for n, step in enumerate(proc["steps"], 1):
        box = f"chk-{name}-{n}"
        rows.append(
            "<tr>"
            f'<td class="rp-check" data-search-exclude><input type="checkbox" id="{box}">'
            f'<label for="{box}"><span class="rp-sr">第{n}步已完成</span></label></td>'
            f'<td class="rp-num" data-search-exclude>{n}</td>'
            f'<td class="rp-step">{esc(step["text"])}<br><span class="rp-cites">依据：{_cite_html(src, step["cites"])}</span></td>'
            f'<td class="rp-by">{esc(pk.body_label(step.get("by")) or NOT_SAID)}</td>'
            '<td class="rp-fill"></td><td class="rp-fill"></td>'
            "</tr>"
        )
    return (
        '<div class="rp-scroll no-gloss"><table class="rp-checklist">'
        f"<caption data-search-exclude>{esc(proc['title'])}：办理清单</caption>"
        '<thead data-search-exclude><tr><th scope="col">完成</th><th scope="col">步骤</th><th scope="col">内容</th>'
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
        return pk.body_label(value) or NOT_SAID

    out = ["## 审批与备案 {#approval}\n"]
    out.append("| 程序 | 作出决定 | 预审 | 审批 | 备案 |")
    out.append("|---|---|---|---|---|")
    for _, proc, _ in procedures_for(code):
        cells = [body(proc.get("decided_by")), body(proc.get("pre_review") or []), body(proc.get("approver"))]
        cells.append(body(proc.get("filed_with")))
        out.append(f"| {proc['title']} | " + " | ".join(cells) + " |")
    out.append("")
    out.append("“通知未规定”表示通知没有写明由哪一级作出决定、审批或备案。\n")
    out.append(editor_note_html([code]))
    return out


def editor_note_html(codes: list[str]) -> str:
    """编者注: what generally applies under the Party's regulations (disposition_notes.yaml), else
    plainly that the notice does not say and the matter goes to the higher Party organisation."""
    items = []
    for code in codes:
        for note in editor_notes().get(code, []):
            who = f"{pk.disposition_label(code)}：" if len(codes) > 1 else ""
            items.append(f"<li>{esc(who)}{esc(note['title'])}规定，{esc(note['gist'])}</li>")
    if not items:
        return (
            '<aside class="editorial rp-editor-note"><p><span class="note-kind">编者注</span>'
            "通知没有写明的决定、审批或备案机关，本站不作推定，请示上级党组织后办理。</p></aside>\n"
        )
    return (
        '<aside class="editorial rp-editor-note"><p><span class="note-kind">编者注</span>'
        "以下为党内法规的一般规定（转述，不属于通知原文，适用时以正式文本为准）：</p>"
        f"<ul>{''.join(items)}</ul><p>通知和上述规定都没有写明的事项，请示上级党组织后办理。</p></aside>\n"
    )


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
        out.append("通知没有为本处置规定办理时限，按上级要求及时办理；把握不准的，请示上级。\n")
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
    return (
        '<div class="rp-case-fields no-gloss" data-search-exclude aria-label="案件信息（打印后填写）">'
        f"{cells}</div>\n"
    )


def page(code: str) -> str:
    src = pk.disposition_page(code)
    label = pk.disposition_label(code)
    index = pk.relative(src, pk.page_url(pk.DISPOSITIONS_INDEX))
    parts = [
        f"# {label}\n",
        pk.generated_banner("disposition page"),
        (
            f'<p class="rp-noprint" data-disposition="{code}">本页可直接打印为空白办理清单'
            f'（勾选框、负责机关、签字和日期栏）。<a href="{esc(index)}">返回处置方式一览</a></p>\n'
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
        pk.generated_banner("disposition index"),
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
            labels = list(dict.fromkeys(pk.body_label(p.get(field)) or NOT_SAID for _, p, _ in procs))
            return "、".join(labels) or "—"

        out.append(
            f"| [{pk.disposition_label(code)}]({code}.md) | {len(pk.rules_for(code))}种 | "
            f"{join('decided_by')} | {join('approver')} | {join('filed_with')} |"
        )
    out.append("")
    out.append(
        "“通知未规定”表示通知没有写明由哪一级作出决定、审批或备案（有的处置本身不需要）；详见各处置页。\n"
    )
    out.append(editor_note_html([c for c in pk.disposition_codes() if c in editor_notes()]))
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
