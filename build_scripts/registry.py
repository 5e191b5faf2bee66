"""Which generators feed the site (read by the `pages` step of build_scripts/build.py).

A generator is a module function `files()` yielding `(site path, content)` pairs: content is `str`
(written as UTF-8), `bytes`, or a `Path` (that file is copied).  To add generated pages or assets,
write one and list it in GENERATORS.
"""

from __future__ import annotations

from build_scripts.pages import (
    browser_floor,
    coverage,
    disposition_pages,
    flowchart,
    glossary,
    notice_page,
    overview,
    roster_page,
    search_tuning,
    training,
    training_handouts,
    training_present,
    training_quiz,
    wizard,
)
from build_scripts.plumbing import engine_snapshot, vendor_assets

GENERATORS = [
    vendor_assets.files,
    wizard.files,
    engine_snapshot.files,  # the engine restored from a build-time memory snapshot
    notice_page.files,
    glossary.files,
    search_tuning.files,
    roster_page.files,
    disposition_pages.files,  # pages generated from the rules
    flowchart.files,
    coverage.files,
    browser_floor.files,  # the minimum browser versions, for the feature checks
    training.files,
    training_handouts.files,  # 培训讲义（学员用）
    training_present.files,  # 演示模式: the cases on a projector
    training_quiz.files,  # 程序自测题: procedure questions from the rules
    overview.files,  # 流程总览: one-page swimlanes per procedure
]
