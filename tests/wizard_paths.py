"""Answer paths through the engine, found by walking `decision.decide` under CPython.

The wizard's browser tests and benchmark click along these paths, so they follow the rules
as they are today: nothing here lists answers by hand.  Breadth-first from an empty case
(with a fixed assessment date), trying every option of each question the engine asks and a
spread of dates and month counts, until every disposition has its shortest path.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import deque

from playwright.sync_api import Error as PlaywrightError

import decision
from decision import dates

AS_OF = "2026-06-30"
# Offsets in calendar months before AS_OF: under and over 6 months, under and over 2 years.
DATE_OFFSETS = (3, 7, 18, 30, 60)
MONTH_COUNTS = (3, 7, 30)


def candidates(question: dict) -> list:
    kind = question["type"]
    if kind in ("choice", "bool"):
        return [option["value"] for option in question.get("options") or []]
    if kind == "date":
        base = dt.date.fromisoformat(AS_OF)
        return [dates.add_months(base, -n).isoformat() for n in DATE_OFFSETS]
    if kind == "int":
        return list(MONTH_COUNTS)
    raise AssertionError(f"unknown question type {kind!r}")


def walk(max_nodes: int = 20000) -> dict[str, list[tuple[str, object]]]:
    """{disposition code: [(fact key, value), ...] in the order the engine asks them}."""
    found: dict[str, list[tuple[str, object]]] = {}
    queue: deque[list[tuple[str, object]]] = deque([[]])
    seen = 0
    while queue and seen < max_nodes:
        path = queue.popleft()
        seen += 1
        outcome = decision.decide({"as_of": AS_OF, **dict(path)})
        if outcome["status"] == "complete":
            found.setdefault(outcome["disposition"], path)
            continue
        question = outcome["question"]
        for value in candidates(question):
            queue.append([*path, (question["key"], value)])
    return found


def fragment(path) -> str:
    from urllib.parse import urlencode

    def text(value):
        return (
            value
            if isinstance(value, str)
            else ("true" if value is True else "false" if value is False else str(value))
        )

    return urlencode([("as_of", AS_OF), *((key, text(value)) for key, value in path)])


def answer(page, key, value, timeout: float | None = None) -> None:
    """Answer one question of the wizard in Playwright `page` the way a person does: fill, click 下一步."""
    form = page.locator(f'[data-wizard-step] form[data-question="{key}"]')
    try:
        form.wait_for(timeout=timeout)
    except PlaywrightError as exc:  # a timeout: say what the wizard shows instead
        raise AssertionError(f"question {key!r} never showed; the wizard shows {describe(page)}") from exc
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        form.locator("input[type=date]").fill(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        form.locator("input[type=number]").fill(str(value))
    else:
        form.locator(f"input[type=radio][value='{json.dumps(value, ensure_ascii=False)}']").check()
    form.get_by_role("button", name="下一步").click()


def describe(page) -> str:
    """What the wizard shows now (for a failing test's message): fragment, state, step, alert."""
    try:
        return page.evaluate(
            """() => {
              const root = document.querySelector("[data-wizard]");
              const text = (sel) => (document.querySelector(sel)?.innerText || "").slice(0, 300);
              return JSON.stringify({
                hash: location.hash,
                data: root ? Object.assign({}, root.dataset) : null,
                questions: [...document.querySelectorAll("[data-wizard-step] form[data-question]")]
                  .map((f) => f.dataset.question),
                result: document.querySelector("[data-wizard-result]")?.dataset.disposition ?? null,
                status: text("[data-wizard-status]"),
                alert: text("[data-wizard-alert]:not([hidden])"),
              });
            }"""
        )
    except PlaywrightError as exc:  # the page itself is gone (crashed renderer, closed context)
        return f"nothing: the page cannot be read ({type(exc).__name__}: {exc})"
