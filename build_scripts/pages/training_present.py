"""演示模式 (training/present/): the training cases for a 1280×720 projector, one case per screen.

Each case is a section of four stages: the story, 先想一想 (with a countdown the trainer can skip),
揭晓 (the engine's answer: disposition, who decides, pre-reviews, approves and files, deadlines, what
else to do) and 讲评 (the trainer's commentary and the paragraphs).  Everything but the story, the
prompt and the commentary comes from the engine (`training.cases()` runs `decision.decide`).
docs/assets/js/present.mjs turns the page into the projector view (keyboard → / space / PageDown
forward, ← / PageUp back, Home the case index); without JavaScript the page reads top to bottom.
"""

from __future__ import annotations

from collections.abc import Iterator

from build_scripts.pages import notice, training
from build_scripts.pages import pagekit as pk
from build_scripts.pages.pagekit import esc
from decision import dates

PAGE = "training/present.md"
PRESENT_JS = "assets/js/present.mjs"
STAGES = ["情况", "先想一想", "揭晓", "讲评"]
TRAP = '<span class="rp-pr-trap">易错</span>'


def cn_date(iso: str) -> str:
    day = dates.parse(iso)
    return f"{day.year}年{day.month}月{day.day}日"


def _bodies(codes, none: str) -> str:
    if not codes:
        return none
    if isinstance(codes, str):
        return pk.body_label(codes)
    return " → ".join(pk.body_label(c) for c in codes)


def reveal_html(case: training.TrainingCase) -> str:
    o = case.outcome
    if o["status"] != "complete":
        return '<p class="rp-pr-verdict">本案例暂无答案：处置规则已更新，请培训教员补充案例事实。</p>'
    rows = [
        ("作出决定", _bodies(o["decided_by"], "通知未规定")),
        ("预审", _bodies(o["pre_review"], "无")),
        ("审批", _bodies(o["approver"], "通知未规定")),
        ("备案", _bodies(o["filed_with"], "通知未规定")),
    ]
    table = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows)
    extra = []
    for d in o["deadlines"]:
        extra.append(f"<li>时限：{esc(d['what'])}：{esc(cn_date(d['date']))}</li>")
    for a in o["actions"]:
        extra.append(f"<li>同时要办：{esc(pk.vocabulary()['actions'][a])}</li>")
    href = pk.disposition_href(PAGE, o["disposition"], o["rule"])
    return (
        f'<p class="rp-pr-verdict">处置结论：<a href="{esc(href)}">{esc(o["disposition_label"])}</a></p>'
        f'<p class="rp-pr-proc">办理程序：{esc(o["procedure_title"])}</p>'
        f'<table class="rp-pr-bodies">{table}</table>'
        + (f'<ul class="rp-pr-extra">{"".join(extra)}</ul>' if extra else "")
    )


def comment_html(case: training.TrainingCase) -> str:
    o = case.outcome
    cites = ""
    if o["status"] == "complete":
        rule = next(r for r in pk.rules()["dispositions"] if r["id"] == o["rule"])
        cites = "、".join(
            f'<a href="{esc(pk.notice_href(PAGE, p))}">{esc(notice.label(p))}</a>'
            for p in pk.sort_cites(rule["cites"])
        )
    return f'<p class="rp-pr-comment">{esc(case.commentary)}</p>' + (
        f'<p class="rp-pr-cites">依据：{cites}</p>' if cites else ""
    )


def slide(n: int, total: int, case: training.TrainingCase) -> str:
    trap = TRAP if case.trap else ""
    stages = [
        f'<p class="rp-pr-story">{esc(case.story)}</p>',
        (
            f'<p class="rp-pr-prompt">{esc(case.prompt)}</p>'
            '<p class="rp-pr-timer" data-timer hidden><span data-timer-left></span>'
            '<button type="button" class="rp-pr-skip" data-skip>跳过，揭晓答案</button></p>'
        ),
        reveal_html(case),
        comment_html(case),
    ]
    body = "".join(
        f'<div class="rp-pr-stage" data-stage="{i}"><h3 class="rp-pr-stage-name">{esc(name)}</h3>{html}</div>'
        for i, (name, html) in enumerate(zip(STAGES, stages, strict=True))
    )
    return (
        f'<section class="rp-pr-slide" id="{esc(case.anchor)}" data-case="{esc(case.id)}" data-n="{n}">'
        f'<h2 class="rp-pr-title"><span class="rp-pr-num">案例{n}/{total}</span>{esc(case.title)}{trap}</h2>'
        f"{body}</section>"
    )


def page() -> str:
    cases = training.cases()
    total = len(cases)
    index = "".join(
        f'<li><a href="#{esc(c.anchor)}" data-goto="{n}">{esc(c.title)}</a>{TRAP if c.trap else ""}</li>'
        for n, c in enumerate(cases, 1)
    )
    help_text = "翻页：→、空格、PageDown（翻页笔）前进，←、PageUp 后退；Home 回到目录；Esc 退出演示。"
    return "\n".join(
        [
            "# 培训演示\n",
            pk.generated_banner("演示中的答案"),
            (
                f"本页用于投影（1280×720），共{total}个案例，一屏一个案例，按“情况 → 先想一想（倒计时，可跳过）→ 揭晓 → 讲评”"
                f"逐步展示。答案由处置向导的判断引擎按案例事实算出，讲评由培训教员撰写。{help_text}\n"
            ),
            "<noscript><p><strong>演示模式需要启用 JavaScript。</strong>未启用时本页按顺序列出全部案例和答案。</p></noscript>\n",
            (
                '<div class="rp-present" id="rp-present" data-no-gloss>'
                '<section class="rp-pr-index" id="rp-pr-index" data-n="0">'
                '<h2 class="rp-pr-title">案例目录</h2>'
                f'<ol class="rp-pr-list">{index}</ol>'
                '<p class="rp-pr-settings"><label>先想一想的时间 <select id="rp-pr-seconds">'
                '<option value="30">30秒</option><option value="60" selected>1分钟</option>'
                '<option value="120">2分钟</option><option value="180">3分钟</option><option value="0">不计时</option>'
                "</select></label> "
                '<button type="button" id="rp-pr-start">从案例1开始</button> '
                '<button type="button" id="rp-pr-full">全屏</button> '
                '<button type="button" id="rp-pr-exit">退出演示</button></p>'
                f'<p class="rp-pr-help">{esc(help_text)}</p></section>'
                + "".join(slide(n, total, c) for n, c in enumerate(cases, 1))
                + '<nav class="rp-pr-bar" aria-label="演示控制"><button type="button" data-act="index">目录</button>'
                '<button type="button" data-act="back" aria-label="后退">←</button>'
                '<span class="rp-pr-where" aria-live="polite"></span>'
                '<button type="button" data-act="next" aria-label="前进">→</button></nav>'
                "</div>\n"
            ),
            f'<script type="module" src="{pk.relative(PAGE, PRESENT_JS)}"></script>\n',
        ]
    )


def pages() -> Iterator[tuple[str, str]]:
    """(site path, content) of what this module generates."""
    yield (PAGE, page())


def files() -> Iterator[tuple[str, str | bytes]]:
    yield from pages()
