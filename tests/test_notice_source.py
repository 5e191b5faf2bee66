"""The notice parser keeps every character of the notice and gives the spec's ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from spec_ids import SPEC_IDS

from build_scripts.pages import notice

SHARED_SOURCE = Path(__file__).resolve().parents[2] / "shared" / "source" / "notice.txt"


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.skipif(not SHARED_SOURCE.exists(), reason="shared/ is not beside this checkout")
def test_vendored_copy_is_the_shared_source():
    assert notice.SOURCE.read_bytes() == SHARED_SOURCE.read_bytes()


def test_ids_are_the_spec_ids_in_reading_order():
    assert notice.paragraph_ids() == SPEC_IDS


def test_paragraphs_reassemble_the_source():
    joined = "".join(p.text for p in notice.paragraphs())
    assert squash(joined) == squash(notice.SOURCE.read_text(encoding="utf-8"))


def test_subitems_reassemble_their_paragraph():
    for p in notice.paragraphs():
        if p.subitems:
            assert p.lead + "".join(s.text for s in p.subitems) == p.text


def test_typos_are_kept_as_issued():
    assert "理念信念缺失" in notice.paragraph_text("p-3-2-1")
    assert "报一级党委组织部门审批" in notice.paragraph_text("p-3-3-4")


def test_unknown_id_is_a_clear_error():
    with pytest.raises(KeyError, match="p-9-9"):
        notice.paragraph_text("p-9-9")
