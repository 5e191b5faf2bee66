"""Every “…” quotation in the rules' Chinese texts is the notice's own wording.

Cadres read text in “” as quoted.  The rules quote only the notice (other regulations are cited by
title and article and paraphrased, since their exact wording is not checked here); a corrected typo
is marked by quoting the notice's original (通知原文作“…”), which is verbatim too.  An ellipsis
(……) inside a quotation joins verbatim fragments.  A hint may also quote the label of an answer
(选“是”), which is the tool's own wording.
"""

from __future__ import annotations

import re

from build_scripts.pages import notice
from build_scripts.plumbing import compile_rules as cr

QUOTED = re.compile(r"“([^”]*)”")
ELLIPSIS = re.compile(r"……|…")


def _strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def _answer_labels(data: dict) -> set[str]:
    labels = set()
    for q in data["questions"]:
        for label in (o["label"] for o in q.get("options") or []):
            labels.add(label)
            labels.add(label.split("，")[0])
    return labels


def misquotations(data: dict, source: str) -> list[str]:
    """The quotations in `data` whose fragments are not all in `source` (whitespace ignored) and
    that are not an answer's label (or its first clause)."""
    text = re.sub(r"\s", "", source)
    labels = _answer_labels(data)
    bad = []
    for s in _strings(data):
        for quote in QUOTED.findall(s):
            if quote in labels:
                continue
            parts = [p for p in ELLIPSIS.split(re.sub(r"\s", "", quote)) if p]
            if not all(p in text for p in parts):
                bad.append(quote)
    return bad


def test_rules_quote_only_the_notice_verbatim():
    source = notice.SOURCE.read_text(encoding="utf-8")
    assert misquotations(cr.load(), source) == []


def test_a_misquotation_is_caught():
    source = notice.SOURCE.read_text(encoding="utf-8")
    data = cr.load()
    # An earlier wording: the Party Constitution quoted with punctuation that is not its own.
    data["dispositions"][0]["finding"] += "是否属于《中国共产党章程》第七条“不履行党员义务、不具备党员条件”。"
    data["notes"][0]["text"] += "不适用“2年内书面申请恢复党籍”。"
    assert misquotations(data, source) == ["不履行党员义务、不具备党员条件", "2年内书面申请恢复党籍"]
