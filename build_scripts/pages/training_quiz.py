"""程序自测题 (training/procedure-quiz/): questions on the procedure, generated from the rules.

`questions(rules)` is a pure function of the compiled rules (`decision.rules()`): who decides,
who pre-reviews, who approves and where the case is filed for each procedure a disposition uses;
the order of each procedure's steps; the deadlines the rules compute; which paragraph of the
notice a situation rests on.  Every key, reason and paragraph is read from the rules, so a rule
change changes the quiz (tests/test_training_kit.py changes a rule in a copy and sees the key move).
The page carries the questions and keys as JSON; docs/assets/js/procedure-quiz.mjs shuffles them,
shows the reason and the paragraph right after each answer, keeps the score and prints the
answer sheet.  Nothing is stored or sent.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from functools import cache

from build_scripts.pages import notice
from build_scripts.pages import pagekit as pk
from build_scripts.pages.pagekit import esc

PAGE = "training/procedure-quiz.md"
QUIZ_JS = "assets/js/procedure-quiz.mjs"

NOT_SET = "__none__"  # the option "the notice names no body": 通知未作规定（请示上级）
NOT_SET_LABEL = "通知未作规定（请示上级）"
NO_PRE_REVIEW = "无需上级预审"
# Bodies offered as options for "who decides / approves / files" questions (codes of vocabulary.yaml).
BODY_POOL = [
    "branch",
    "branch_committee",
    "branch_general_meeting",
    "basic_committee",
    "upper_org_dept",
    "higher_party_org",
]
DEADLINE_CHOICES = [3, 6, 12, 24, 36]


def _labels(rules: dict) -> tuple[dict, dict, dict]:
    vocab = rules["vocabulary"]
    return vocab["bodies"], vocab["dispositions"], rules["paragraph_labels"]


def _sorted_cites(rules: dict, cites: list[str]) -> list[str]:
    order = {pid: i for i, pid in enumerate(rules["meta"]["paragraph_ids"])}
    return sorted(dict.fromkeys(cites), key=lambda p: order.get(p, len(order)))


def _pick(rng: random.Random, pool: list[str], answer: str, n: int = 3) -> list[str]:
    others = [p for p in pool if p != answer]
    rng.shuffle(others)
    return [answer, *others[:n]]


def _procedures_in_use(rules: dict) -> list[tuple[str, dict, list[str]]]:
    """Procedures a disposition rule uses, in rule order, with the disposition labels using each."""
    _, dispositions, _ = _labels(rules)
    seen: dict[str, list[str]] = {}
    for rule in rules["dispositions"]:
        label = dispositions[rule["disposition"]]
        uses = seen.setdefault(rule["procedure"], [])
        if label not in uses:
            uses.append(label)
    return [(pid, rules["procedures"][pid], uses) for pid, uses in seen.items()]


def _step_by(proc: dict, body: str | None) -> dict | None:
    return next((s for s in proc["steps"] if s.get("by") == body), None)


def _mask(text: str, months: int) -> str:
    forms = {f"{months}个月"}
    if months % 12 == 0:
        forms |= {f"{months // 12}年", "两年" if months == 24 else "", "一年" if months == 12 else ""}
    if months == 6:
        forms.add("半年")
    for form in sorted(filter(None, forms), key=len, reverse=True):
        text = text.replace(form, "____")
    return text


def questions(rules: dict) -> list[dict]:
    """Every procedure question.  Each: id, kind (single | order), topic, prompt, options [{value, label}],
    answer (a value, or the values in order), reason, cites."""
    bodies, dispositions, _ = _labels(rules)
    out: list[dict] = []

    def body_label(code: str | None) -> str:
        return bodies.get(code, code) if code and code != NOT_SET else NOT_SET_LABEL

    def single(
        qid: str, topic: str, prompt: str, answer: str, pool: list[str], label, reason: str, cites: list[str]
    ):
        rng = random.Random(qid)  # same options build after build
        values = _pick(rng, pool, answer)
        out.append(
            {
                "id": qid,
                "kind": "single",
                "topic": topic,
                "prompt": prompt,
                "options": [{"value": v, "label": label(v)} for v in values],
                "answer": answer,
                "reason": reason,
                "cites": _sorted_cites(rules, cites),
            }
        )

    pool = [*BODY_POOL, NOT_SET]
    for pid, proc, uses in _procedures_in_use(rules):
        title = proc["title"]
        used_for = "、".join(uses)
        notes = "".join(n["text"] for n in proc.get("notes") or [])
        formal = proc["decided_by"] or proc["approver"] or proc["filed_with"]
        if not formal:
            # Steps only (请示上级, 继续查找 …): the order of the steps, if there are enough.
            pass
        else:
            for role, field, verb in (
                ("decide", "decided_by", "由谁作出处置决定（表决）"),
                ("approve", "approver", "由谁审批"),
                ("file", "filed_with", "报哪里备案"),
            ):
                code = proc[field]
                step = _step_by(proc, code) if code else None
                if code:
                    reason = f"{step['text']}" if step else f"“{title}”规定由{body_label(code)}办理。"
                    cites = step["cites"] if step else proc["cites"]
                else:
                    reason = notes or f"“{title}”没有规定{verb[1:]}的机关，把握不准的请示上级。"
                    cites = [c for n in proc.get("notes") or [] for c in n["cites"]] or proc["cites"]
                single(
                    f"{pid}.{role}",
                    {"decide": "谁决定", "approve": "谁审批", "file": "谁备案"}[role],
                    f"按“{title}”（用于：{used_for}），{verb}？",
                    code or NOT_SET,
                    pool,
                    body_label,
                    reason,
                    cites,
                )
            pre = proc["pre_review"]
            answer = " → ".join(body_label(b) for b in pre) if pre else NO_PRE_REVIEW
            choices = [
                NO_PRE_REVIEW,
                body_label("basic_committee"),
                f"{body_label('basic_committee')} → {body_label('upper_org_dept')}",
                body_label("upper_org_dept"),
            ]
            steps = [s for s in proc["steps"] if s.get("by") in pre]
            reason = (
                "".join(s["text"] for s in steps)
                if steps
                else f"“{title}”的步骤中没有上级预审：" + "".join(s["text"] for s in proc["steps"])
            )
            rng = random.Random(f"{pid}.pre_review")
            others = [c for c in choices if c != answer]
            rng.shuffle(others)
            out.append(
                {
                    "id": f"{pid}.pre_review",
                    "kind": "single",
                    "topic": "谁预审",
                    "prompt": f"按“{title}”（用于：{used_for}），是否需要上级预审？由谁预审？",
                    "options": [{"value": v, "label": v} for v in [answer, *others[:3]]],
                    "answer": answer,
                    "reason": reason,
                    "cites": _sorted_cites(rules, [c for s in steps for c in s["cites"]] or proc["cites"]),
                }
            )
        if len(proc["steps"]) >= 3:
            out.append(
                {
                    "id": f"{pid}.order",
                    "kind": "order",
                    "topic": "步骤顺序",
                    "prompt": f"“{title}”（用于：{used_for}）的各步骤应按什么顺序办理？请为每一步选择序号。",
                    "options": [
                        {
                            "value": s["id"],
                            "label": s["text"] + (f"（{body_label(s['by'])}）" if s.get("by") else ""),
                        }
                        for s in proc["steps"]
                    ],
                    "answer": [s["id"] for s in proc["steps"]],
                    "reason": "正确顺序："
                    + " ".join(f"{n}. {s['text']}" for n, s in enumerate(proc["steps"], 1)),
                    "cites": _sorted_cites(rules, proc["cites"]),
                }
            )

    # Deadlines the rules compute (a period counted from a date the user gives).
    seen_deadlines = set()
    questions_by_key = {q["key"]: q for q in rules["questions"]}
    for rule in rules["dispositions"]:
        for d in rule.get("deadlines") or []:
            months = d["months"]
            masked = _mask(d["what"], months)
            if months == 0 or masked == d["what"] or (d["from"], months, masked) in seen_deadlines:
                continue
            seen_deadlines.add((d["from"], months, masked))
            source = questions_by_key.get(d["from"], {})
            start = source.get("name") or d["from"]
            single(
                f"{rule['id']}.deadline.{d['from']}.{months}",
                "时限",
                f"处置结论为“{_mask(dispositions[rule['disposition']], months)}”时，向导计算的时限：“{masked}”。从“{start}”起算，空白处应是多长时间？",
                str(months),
                [str(m) for m in DEADLINE_CHOICES if m != months] + [str(months)],
                lambda v: pk.months_text(int(v)),
                f"{d['what']}（从{start}起算{pk.months_text(months)}）。{rule['finding']}",
                d["cites"],
            )

    # Which paragraph applies: the first paragraph a rule cites, among paragraphs other rules cite.
    every_primary = []
    for rule in rules["dispositions"]:
        first = _sorted_cites(rules, rule["cites"])[0]
        if first not in every_primary:
            every_primary.append(first)
    for rule in rules["dispositions"]:
        if not rule["when"] or "conflict" in rule["when"] or "premature_suspension" in rule["when"]:
            continue
        cites = _sorted_cites(rules, rule["cites"])
        situation = "；".join(pk.condition_text(k, v) for k, v in rule["when"].items())
        given = rule.get("when_given") or {}
        if given:
            situation += "；" + "；".join(pk.condition_text(k, v) for k, v in given.items())
        pool_paragraphs = [p for p in every_primary if p not in cites] + [cites[0]]
        single(
            f"{rule['id']}.paragraph",
            "依据哪一段",
            f"情形：{situation}。处置结论“{dispositions[rule['disposition']]}”主要依据通知的哪一项规定？",
            cites[0],
            pool_paragraphs,
            lambda v: rules["paragraph_labels"].get(v, v),
            rule["finding"],
            cites,
        )
    return out


@cache
def site_questions() -> tuple[dict, ...]:
    return tuple(questions(pk.rules()))


def _data(src: str) -> str:
    data = []
    for q in site_questions():
        data.append(
            {
                **q,
                "cites": [
                    {
                        "label": notice.label(p),
                        "href": pk.notice_href(src, p),
                        "text": notice.paragraph_text(p).replace("\n", " "),
                    }
                    for p in q["cites"]
                ],
            }
        )
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def _question_html(n: int, q: dict) -> str:
    """The question as it reads with JavaScript off (the script re-orders and numbers them)."""
    if q["kind"] == "single":
        opts = "".join(
            f'<li><label><input type="radio" name="{esc(q["id"])}" value="{esc(o["value"])}">'
            f"<span>{esc(o['label'])}</span></label></li>"
            for o in q["options"]
        )
        body = f'<ol class="rp-pq-options" type="A">{opts}</ol>'
    else:
        size = len(q["options"])
        rng = random.Random(q["id"])
        shown = list(q["options"])
        rng.shuffle(shown)
        items = "".join(
            f'<li><label><select name="{esc(q["id"])}" data-step="{esc(o["value"])}" aria-label="序号">'
            '<option value="">—</option>'
            + "".join(f'<option value="{k}">{k}</option>' for k in range(1, size + 1))
            + f"</select><span>{esc(o['label'])}</span></label></li>"
            for o in shown
        )
        body = f'<ol class="rp-pq-steps" type="A">{items}</ol><p><button type="button" class="rp-pq-check">核对顺序</button></p>'
    return (
        f'<fieldset class="rp-pq" data-question="{esc(q["id"])}" data-kind="{q["kind"]}">'
        f'<legend><span class="rp-pq-num">第{n}题</span>（{esc(q["topic"])}）{esc(q["prompt"])}</legend>'
        f'{body}<div class="rp-pq-verdict" data-verdict hidden></div></fieldset>'
    )


def page() -> str:
    qs = site_questions()
    topics: dict[str, int] = {}
    for q in qs:
        topics[q["topic"]] = topics.get(q["topic"], 0) + 1
    summary = "、".join(f"{t}{n}题" for t, n in topics.items())
    return "\n".join(
        [
            "# 程序自测题\n",
            pk.generated_banner("题目、答案和解析"),
            (
                f"共{len(qs)}题（{summary}），考的是办理程序：谁作出决定、谁预审、谁审批、报哪里备案，步骤的先后，"
                "时限，以及每种情形依据通知的哪一项。题目和选项每次随机排列；每答一题，立即显示对错、理由和所依据的原文。"
                "评分在本机浏览器中进行，不上传、不保存。案例题见"
                f"[自测题]({pk.md_link(PAGE, pk.QUIZ_PAGE)})。\n"
            ),
            "<noscript><p><strong>随机出题和评分需要启用 JavaScript。</strong>题目的解析见各处置的说明页。</p></noscript>\n",
            (
                '<div class="rp-pq-tools rp-noprint" id="rp-pq-tools" hidden>'
                '<label>本轮题数 <select id="rp-pq-count"><option value="20">20题</option>'
                '<option value="40" selected>40题</option><option value="all">全部</option></select></label> '
                '<button type="button" id="rp-pq-new">重新出题</button> '
                '<button type="button" id="rp-pq-print-sheet">打印题目和答题卡</button> '
                '<button type="button" id="rp-pq-print-key">打印参考答案</button></div>\n'
            ),
            '<p class="rp-score" id="rp-pq-score" role="status" aria-live="polite"></p>\n',
            f'<form id="rp-pq" class="rp-pq-form" novalidate>{"".join(_question_html(n, q) for n, q in enumerate(qs, 1))}</form>\n',
            '<section class="rp-pq-sheet" id="rp-pq-sheet" hidden></section>\n',
            '<section class="rp-pq-key" id="rp-pq-key" hidden></section>\n',
            f'<script type="application/json" id="rp-pq-data">{_data(PAGE)}</script>\n',
            f'<script type="module" src="{pk.relative(PAGE, QUIZ_JS)}"></script>\n',
        ]
    )


def pages() -> Iterator[tuple[str, str]]:
    """(site path, content) of what this module generates."""
    yield (PAGE, page())


def files() -> Iterator[tuple[str, str | bytes]]:
    yield from pages()
