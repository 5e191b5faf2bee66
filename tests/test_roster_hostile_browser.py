"""In the browser: every hostile roster file gets the engine's Chinese message in the
page (never a traceback, never a console error), and the exported CSV evaluates nothing.

Timings and memory are measured by benchmarks/hostile_roster.py, not here.
"""

from __future__ import annotations

import pytest
from hostile_rosters import corpus, generate, round_two
from test_roster_browser import ENGINE_TIMEOUT, open_roster
from test_roster_hostile import AS_OF, live_formulas

from decision import roster

pytestmark = pytest.mark.browser

ROUND_TWO = {item.name for item in round_two()}
ITEMS = [item for item in corpus() if item.browser and item.name not in ROUND_TWO]
ROUND_TWO_ITEMS = [item for item in corpus() if item.browser and item.name in ROUND_TWO]

TRACEBACK_SIGNS = ("Traceback", 'File "', "Error:", "/home/pyodide", ".py")


# One page, one file after another, as a user would retry: a test reads a few dozen files, some
# of them tens of MB unpacked, so it may take longer than the suite's 300 s per test under load.
@pytest.mark.timeout(1200)
@pytest.mark.parametrize("items", [ITEMS, ROUND_TWO_ITEMS], ids=["round-1", "round-2"])
def test_every_hostile_file_gets_a_plain_message_in_the_page(items, base_url, guarded_page, tmp_path):
    """One page, one file after another, as a user would retry."""
    page = guarded_page
    open_roster(page, base_url)
    page.fill("[data-roster-as-of]", AS_OF)
    for item, path in generate(tmp_path, [item.name for item in items]):
        page.evaluate("document.getElementById('roster').dataset.state = 'test'")
        page.set_input_files("[data-roster-file]", str(path))
        page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
        alert = page.locator("[data-roster-alert]")
        if item.where == "alert":
            assert alert.is_visible(), item.name
            assert item.phrase in alert.inner_text(), (item.name, alert.inner_text())
            assert page.locator("[data-roster-results]").is_hidden(), item.name
        else:
            assert alert.is_hidden(), (item.name, alert.inner_text())
            assert page.locator("[data-roster-results]").is_visible(), item.name
            if item.where == "problems":
                assert item.phrase in page.inner_text("[data-roster-problem-list]"), item.name
        text = page.inner_text("#roster")
        assert not any(sign in text for sign in TRACEBACK_SIGNS), (item.name, text[:500])
    assert page.title() != "pwned"  # the HTML in html.csv was shown as text
    page.guard.check()


def test_the_exported_csv_evaluates_nothing(base_url, guarded_page, tmp_path):
    from hostile_rosters import csv_bytes, formula_rows

    page = guarded_page
    data = csv_bytes(formula_rows())
    open_roster(page, base_url)
    page.fill("[data-roster-as-of]", AS_OF)
    page.set_input_files(
        "[data-roster-file]", files=[{"name": "f.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
    with page.expect_download() as download_info:
        page.click("[data-roster-export]")
    saved = tmp_path / "out.csv"
    download_info.value.save_as(saved)
    text = saved.read_bytes().decode("utf-8")
    assert live_formulas(text) == []
    expected = roster.process(data, "f.csv", as_of=AS_OF, labels=roster.paragraph_labels())
    assert text == roster.results_csv(expected)  # the same file as the command line's
    page.guard.check()


def test_a_blank_suspension_date_is_explained_in_the_row(base_url, guarded_page):
    from hostile_rosters import csv_bytes
    from test_roster_hostile import BLANK_HEADER, BLANK_ROW

    page = guarded_page
    data = csv_bytes([[*BLANK_HEADER, "停止党籍时间"], [*BLANK_ROW, ""]])
    open_roster(page, base_url)
    page.fill("[data-roster-as-of]", AS_OF)
    page.set_input_files(
        "[data-roster-file]", files=[{"name": "b.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
    assert "「停止党籍时间」为空，按“是否已停止党籍：否”处理。" in page.inner_text("[data-roster-tbody]")
    page.guard.check()


@pytest.mark.timeout(900)
def test_round_two_files_export_the_same_results_as_the_command_line(base_url, guarded_page, tmp_path):
    """Merged cells filled, a boolean true, unlabelled columns kept, a long multi-line cell cut:
    the page's export is the command line's, byte for byte."""
    page = guarded_page
    open_roster(page, base_url)
    page.fill("[data-roster-as-of]", AS_OF)
    names = ["merged.xlsx", "boolean-true.xlsx", "beyond-header.csv", "long-multiline.csv", "sheets-50.xlsx"]
    for item, path in generate(tmp_path, names):
        page.evaluate("document.getElementById('roster').dataset.state = 'test'")
        page.set_input_files("[data-roster-file]", str(path))
        page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
        with page.expect_download() as download_info:
            page.click("[data-roster-export]")
        saved = tmp_path / f"out-{item.name}.csv"
        download_info.value.save_as(saved)
        expected = roster.process(path.read_bytes(), item.name, as_of=AS_OF, labels=roster.paragraph_labels())
        assert saved.read_bytes().decode("utf-8") == roster.results_csv(expected), item.name
    page.guard.check()
