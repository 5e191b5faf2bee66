"""Training material (training/, training/quiz/, training/handout/) from build_scripts/pages/training_cases.yaml.

Only the story, the 先想一想 prompt and the trainer's commentary are hand-written.  Every answer —
disposition, reasoning (the engine's findings), procedure and bodies, approvals, deadlines, notes and
the paragraphs quoted — is computed here by the engine (`decision.decide(case.facts)`).  The quiz's
correct answers are emitted into the quiz page as JSON from the same outcomes; docs/assets/js/quiz.mjs
only compares and scores.  tests/test_rule_pages.py checks each case's `expected` against the engine.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

import decision
from build_scripts.pages import handout_kit, notice
from build_scripts.pages import pagekit as pk
from build_scripts.pages.pagekit import esc

CASES_FILE = Path(__file__).resolve().with_name("training_cases.yaml")
QUIZ_JS = "assets/js/quiz.mjs"


@dataclass
class TrainingCase:
    id: str
    title: str
    story: str
    prompt: str
    facts: dict
    expected: str
    commentary: str
    trap: bool
    outcome: dict

    @property
    def anchor(self) -> str:
        return f"case-{self.id}"


def _prose(text: str) -> str:
    """YAML folds lines with a space; Chinese prose has none between characters."""
    return re.sub(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])", "", text.strip())


@cache
def cases() -> tuple[TrainingCase, ...]:
    out = []
    for raw in yaml.safe_load(CASES_FILE.read_text(encoding="utf-8")):
        # An incomplete case (the rules now ask one more question) still builds, with a warning in
        # place of the answer, so one stale case does not stop the site; the tests fail on it.
        outcome = decision.decide(raw["facts"])
        out.append(
            TrainingCase(
                id=raw["id"],
                title=raw["title"],
                story=_prose(raw["story"]),
                prompt=_prose(raw["prompt"]),
                facts=dict(raw["facts"]),
                expected=raw["expected"],
                commentary=_prose(raw["commentary"]),
                trap=bool(raw.get("trap")),
                outcome=outcome,
            )
        )
    return tuple(out)


def _indent(text: str, spaces: int = 4) -> str:
    pad = " " * spaces
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


def _bodies(codes: list[str] | str | None) -> str:
    if not codes:
        return "通知未规定"
    if isinstance(codes, str):
        return pk.body_label(codes)
    return " → ".join(pk.body_label(c) for c in codes)


def reveal(src: str, case: TrainingCase, quotes: bool = True) -> str:
    """The answer, in Markdown, from the engine's outcome."""
    o = case.outcome
    if o["status"] != "complete":
        return (
            '!!! warning "本案例暂无答案"\n'
            f"    处置规则已更新，判断本案例还需要回答“{pk.fact_name(o['next_question'])}”。"
            f"请培训教员在 `{CASES_FILE.name}` 中补充本案例的事实。\n"
        )
    lines = [
        f"**处置结论：[{o['disposition_label']}]({pk.disposition_md(src, o['disposition'], o['rule'])})**\n",
        "**判断过程**（处置向导对本案的推理）：\n",
    ]
    for n, finding in enumerate(o["findings"], 1):
        lines.append(f"{n}. {finding['text']}（{pk.cites_links(src, finding['cites'])}）")
    lines.append("")
    lines.append(f"**办理程序：{o['procedure_title']}**\n")
    for n, step in enumerate(o["steps"], 1):
        by = f"（{step['by_label']}）" if step.get("by_label") else ""
        lines.append(f"{n}. {step['text']}{by}")
    lines.append("")
    lines.append(
        f"**审批与备案：**作出决定：{_bodies(o['decided_by'])}；预审：{_bodies(o['pre_review']) if o['pre_review'] else '无'}；"
        f"审批：{_bodies(o['approver'])}；备案：{_bodies(o['filed_with'])}。\n"
    )
    if o["actions"]:
        labels = "；".join(pk.vocabulary()["actions"][a] for a in o["actions"])
        lines.append(f"**同时要办：**{labels}。\n")
    if o["deadlines"]:
        lines.append("**时限：**\n")
        lines += [f"- {d['what']}：{d['date']}" for d in o["deadlines"]]
        lines.append("")
    for note in o["notes"]:
        lines.append(f"**说明：**{note['text']}（{pk.cites_links(src, note['cites'])}）\n")
    lines.append(f"**讲评：**{case.commentary}\n")
    if quotes:
        rule = next(r for r in pk.rules()["dispositions"] if r["id"] == o["rule"])
        lines.append("**原文依据：**\n")
        lines += [pk.quote_block(src, pid) for pid in pk.sort_cites(rule["cites"])]
        others = [pid for pid in o["citations"] if pid not in rule["cites"]]
        if others:
            lines.append(f"另见：{pk.cites_links(src, others)}\n")
    return "\n".join(lines)


def index_page() -> str:
    src = pk.TRAINING_INDEX
    all_cases = cases()
    covered = {c.outcome["disposition"] for c in all_cases if c.outcome["disposition"]}
    out = [
        "# 培训：典型案例\n",
        pk.generated_banner("各案例的答案"),
        (
            f"下面{len(all_cases)}个案例取材于失联党员排查处置中的常见情形，人名均为化名。"
            f"它们覆盖了全部{len(covered)}种处置结论，标有“易错”的是培训中值得多花时间的地方。"
            "每个案例先讲情况，再请学员“先想一想”，最后揭晓答案：答案（处置、推理、程序、依据）由处置向导的判断引擎"
            "按案例事实算出，与向导完全一致；“讲评”由培训教员撰写。\n"
        ),
        (
            f"配套材料：[自测题]({pk.md_link(src, pk.QUIZ_PAGE)})（在浏览器中评分，不保存、不上传）、"
            f"[培训讲义]({pk.md_link(src, pk.HANDOUT_PAGE)})（打印用，答案另页）。\n"
        ),
    ]
    for n, case in enumerate(all_cases, 1):
        trap = "（易错）" if case.trap else ""
        out.append(f"{n}. [{case.title}](#{case.anchor}){trap}")
    out.append("")
    for n, case in enumerate(all_cases, 1):
        trap = " · 易错" if case.trap else ""
        out.append(f"## 案例{n}：{case.title}{trap} {{#{case.anchor}}}\n")
        out.append(case.story + "\n")
        out.append(f'!!! question "先想一想"\n    {case.prompt}\n')
        out.append('??? success "揭晓答案"\n')
        out.append(_indent(reveal(src, case)) + "\n")
        out.append(_indent(f"[在处置向导中打开本案例]({pk.wizard_href(src, case.facts)})") + "\n")
    return "\n".join(out)


def answers_json(src: str) -> str:
    data = {
        c.id: {
            "code": c.outcome["disposition"],
            "label": c.outcome["disposition_label"] or "（本题暂无答案）",
            "href": pk.relative(src, pk.page_url(pk.TRAINING_INDEX) + "#" + c.anchor),
            # The reason shown inline after scoring: the engine's conclusion and its paragraphs.
            "reason": c.outcome["findings"][-1]["text"] if c.outcome["findings"] else "",
            "cites": [notice.label(p) for p in pk.sort_cites(c.outcome["findings"][-1]["cites"])]
            if c.outcome["findings"]
            else [],
        }
        for c in cases()
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")


def quiz_page() -> str:
    src = pk.QUIZ_PAGE
    options = pk.disposition_codes()
    fieldsets = []
    for n, case in enumerate(cases(), 1):
        radios = "".join(
            f'<label><input type="radio" name="{esc(case.id)}" value="{esc(code)}" required>'
            f"{esc(pk.disposition_label(code))}</label>"
            for code in options
        )
        fieldsets.append(
            f'<fieldset data-case="{esc(case.id)}"><legend>第{n}题：{esc(case.title)}</legend>'
            f"<p>{esc(case.story)}</p><p><strong>应当作出哪一种处置？</strong></p>"
            f'<div class="rp-options">{radios}</div>'
            f'<p class="rp-verdict" data-verdict hidden></p></fieldset>'
        )
    return "\n".join(
        [
            "# 自测题\n",
            pk.generated_banner("题目和答案"),
            (
                f"共{len(cases())}题，每题选出一种处置，然后点“评分”。评分在本机浏览器中进行，答案不会上传或保存。"
                f"每题的解析见[典型案例]({pk.md_link(src, pk.TRAINING_INDEX)})。\n"
            ),
            "<noscript><p><strong>评分需要启用 JavaScript。</strong>也可以对照典型案例页中的答案自行评分。</p></noscript>\n",
            (
                f'<form class="rp-quiz" id="rp-quiz" novalidate>{"".join(fieldsets)}'
                '<p class="rp-score" id="rp-quiz-score" role="status" aria-live="polite"></p>'
                '<p><button type="submit">评分</button><button type="reset">重新作答</button></p></form>\n'
            ),
            f'<script type="application/json" id="rp-quiz-answers">{answers_json(src)}</script>\n',
            f'<script type="module" src="{pk.relative(src, QUIZ_JS)}"></script>\n',
        ]
    )


def handout_page() -> str:
    src = pk.HANDOUT_PAGE
    out = [
        "# 培训讲义（教员用）\n",
        pk.generated_banner("讲义中的答案"),
        handout_kit.course_form(src, "教员用"),
        (
            '<p class="rp-noprint">打印本页：前一部分是案例，可发给学员讨论；答案与讲评从新的一页开始，'
            "便于教员分开使用。</p>\n"
        ),
        "## 第一部分：案例\n",
    ]
    for n, case in enumerate(cases(), 1):
        out.append('<div class="rp-handout-case" markdown>\n')
        out.append(f"### 案例{n}：{case.title}\n")
        out.append(case.story + "\n")
        out.append(f"**先想一想：**{case.prompt}\n")
        out.append("</div>\n")
    out.append('<div class="rp-handout-answers" markdown>\n')
    out.append("## 第二部分：答案与讲评 {#answers}\n")
    for n, case in enumerate(cases(), 1):
        out.append('<div class="rp-handout-answer" markdown>\n')
        out.append(f"### 案例{n}答案：{case.title}\n")
        out.append(reveal(src, case, quotes=False))
        if case.outcome["status"] == "complete":
            rule = next(r for r in pk.rules()["dispositions"] if r["id"] == case.outcome["rule"])
            out.append("依据：" + "、".join(notice.label(p) for p in pk.sort_cites(rule["cites"])) + "\n")
        out.append("</div>\n")
    out.append("</div>\n")
    return "\n".join(out)


def files() -> Iterator[tuple[str, str | bytes | Path]]:
    yield (pk.TRAINING_INDEX, index_page())
    yield (pk.QUIZ_PAGE, quiz_page())
    yield (pk.HANDOUT_PAGE, handout_page())
