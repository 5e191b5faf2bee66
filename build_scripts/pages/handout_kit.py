"""The course form and print head shared by the two handouts (培训讲义（学员用）and（教员用）).

Before printing, the trainer types the course's name, the organising unit and the date into a
small form; docs/assets/js/handout.mjs copies them into the print head (dates as 2026年4月6日).
The values stay in the page: never in the URL, never stored.  Without JavaScript the head prints
blank lines to fill in by hand.  Pages print with page numbers (docs/assets/css/training-kit.css).
"""

from __future__ import annotations

from build_scripts.pages import pagekit as pk

HANDOUT_JS = "assets/js/handout.mjs"
MAX_FIELD = 60  # characters per field (the script and the inputs both cut there)


def course_form(src: str, kind: str) -> str:
    """The form (screen only) and the print head; `kind` is 学员用 or 教员用."""
    return (
        '<form class="rp-course-form rp-noprint" data-course-form autocomplete="off">'
        "<fieldset><legend>打印前填写（只在本页使用，不保存、不上传）</legend>"
        f'<label>培训班名称 <input name="course" maxlength="{MAX_FIELD}" placeholder="例如：失联党员规范管理专题培训班"></label>'
        f'<label>举办单位 <input name="unit" maxlength="{MAX_FIELD}" placeholder="例如：中共××县委组织部"></label>'
        '<label>日期 <input name="date" type="date"></label>'
        '<button type="button" data-print>打印讲义</button></fieldset></form>\n'
        f'<div class="rp-course-head" data-kind="{kind}">'
        '<p class="rp-course-name" data-course-field="course">＿＿＿＿＿＿＿＿＿＿＿＿培训班</p>'
        f'<p class="rp-course-kind">培训讲义（{kind}）</p>'
        '<p class="rp-course-meta"><span data-course-field="unit">举办单位：＿＿＿＿＿＿＿＿</span>　'
        '<span data-course-field="date">日期：＿＿＿＿年＿＿月＿＿日</span></p></div>\n'
        f'<script type="module" src="{pk.relative(src, HANDOUT_JS)}"></script>\n'
    )
