"""培训讲义（学员用）(training/handout-trainee/): the cases with a 作答栏 and no answer.

The stories and prompts of training_cases.yaml, each followed by blank lines for the trainee's
answer: no disposition, finding, procedure, commentary or link to an answer is on this page
(tests/test_training_kit.py checks it).  The trainer's handout with answers and 讲评 is
training/handout/ (training.py); both take the course's name, unit and date from handout_kit.
"""

from __future__ import annotations

from collections.abc import Iterator

from build_scripts.pages import handout_kit, training
from build_scripts.pages import pagekit as pk
from build_scripts.pages.pagekit import esc

PAGE = "training/handout-trainee.md"
ANSWER_LINES = [
    ("处置意见", 2),
    ("办理程序（谁作出决定、谁预审、谁审批、报哪里备案）", 2),
    ("依据（通知的哪一部分、哪一项）", 1),
]


def page() -> str:
    out = [
        "# 培训讲义（学员用）\n",
        pk.generated_banner("案例"),
        (
            '<p class="rp-noprint">本讲义只有案例和作答栏，不含答案，可以复印发给学员。'
            f'答案与讲评见<a href="{pk.relative(PAGE, pk.page_url(pk.HANDOUT_PAGE))}">培训讲义（教员用）</a>。</p>\n'
        ),
        handout_kit.course_form(PAGE, "学员用"),
        '<p class="rp-trainee-fields">姓名：＿＿＿＿＿＿＿＿　所在党组织：＿＿＿＿＿＿＿＿＿＿＿＿＿＿</p>\n',
    ]
    for n, case in enumerate(training.cases(), 1):
        lines = "".join(
            f'<p class="rp-answer-label">{esc(label)}：</p>' + '<p class="rp-answer-line"></p>' * count
            for label, count in ANSWER_LINES
        )
        out.append(
            f'<section class="rp-trainee-case" data-case="{esc(case.id)}">'
            f"<h2>案例{n}：{esc(case.title)}</h2>"
            f"<p>{esc(case.story)}</p>"
            f'<p class="rp-trainee-prompt"><strong>先想一想：</strong>{esc(case.prompt)}</p>'
            f'<div class="rp-answer-box"><p class="rp-answer-head">作答栏</p>{lines}</div></section>\n'
        )
    return "\n".join(out)


def pages() -> Iterator[tuple[str, str]]:
    """(site path, content) of what this module generates."""
    yield (PAGE, page())


def files() -> Iterator[tuple[str, str | bytes]]:
    yield from pages()
