"""Which generators feed the site.  Each returns mkdocs File objects made in memory.

To add generated pages or assets, write a module with `files(config) -> Iterable[File]`
and list it in GENERATORS.
"""

from __future__ import annotations

from collections.abc import Iterator

from mkdocs.structure.files import File

from build_scripts.pages import (
    coverage,
    disposition_pages,
    flowchart,
    glossary,
    notice_page,
    roster_page,
    search_tuning,
    training,
    wizard,
)
from build_scripts.plumbing import vendor_assets

GENERATORS = [
    vendor_assets.files,
    wizard.files,
    notice_page.files,
    glossary.files,
    search_tuning.files,
    roster_page.files,
    disposition_pages.files,  # issue 6: pages generated from the rules
    flowchart.files,
    coverage.files,
    training.files,
]


def generated_files(config) -> Iterator[File]:
    for generator in GENERATORS:
        yield from generator(config)
