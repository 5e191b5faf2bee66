"""Answer paths through the engine for the wizard's browser tests, and how to click them.

The paths come from the one walker of the answer tree (build_scripts/plumbing/paths.py), the same
that writes the golden file and feeds the flowchart: the shortest path to each disposition, with
its assessment date.  Nothing here lists answers by hand.
"""

from __future__ import annotations

import json
import re

from playwright.sync_api import Error as PlaywrightError

import decision
from build_scripts.plumbing import paths

AS_OF = paths.AS_OF


def candidates(question: dict) -> list:
    """The answers the walker tries for one question (its options, dates around each threshold)."""
    return paths.answers(question["key"], question, AS_OF)


def walk() -> dict[str, list[tuple[str, object]]]:
    """{disposition code: [(fact key, value), ...] in the order the engine asks them}."""
    return paths.shortest_paths(decision.decide, AS_OF)


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
