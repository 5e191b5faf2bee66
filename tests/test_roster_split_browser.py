"""In the browser: a large roster split across workers restored from the same snapshot.

The page starts one helper worker per core (at most 4 in all) for a large file; each decides a
range of rows and the primary merges them (docs/arch/0009-roster-split-across-workers.md).  The
number of cores is set per page (navigator.hardwareConcurrency) and the split allowed (it is off
by default: data-max-workers), so one machine runs the file on one worker and on several, and everything the user sees and exports must be the same.  A
helper that dies has its range decided by the primary.  The Python side: test_roster_split.py.
"""

from __future__ import annotations

import pytest
from test_roster import CASES_AS_OF, to_csv
from test_roster_split import split_roster

from decision import roster
from decision.roster import worker

pytestmark = pytest.mark.browser

ENGINE_TIMEOUT = 180_000

# The split is off by default (roster.mjs: data-max-workers); these tests allow it.
ALLOW = "document.getElementById('roster').dataset.maxWorkers = '4'"

CORES = "Object.defineProperty(Navigator.prototype, 'hardwareConcurrency', {get: () => %d});"

# The second and later roster workers (the helpers) die when given their range: terminated, and
# an error event as a crashed worker gives.
HELPERS_DIE = """
(() => {
  const Native = window.Worker;
  let started = 0;
  window.Worker = function (url, options) {
    const w = new Native(url, options);
    if (String(url).includes("roster-worker") && ++started > 1) {
      const post = w.postMessage.bind(w);
      w.postMessage = (message, transfer) => {
        if (message && message.type === "part") {
          w.terminate();
          setTimeout(() => w.dispatchEvent(new ErrorEvent("error", { message: "test: helper lost" })), 50);
          return;
        }
        post(message, transfer);
      };
    }
    return w;
  };
})();
"""


@pytest.fixture(scope="module")
def big() -> bytes:
    return to_csv(split_roster(worker.SPLIT_MIN_ROWS + 500)).encode("utf-8")


@pytest.fixture(scope="module")
def expected(big) -> dict:
    return roster.process(big, "名册.csv", as_of=CASES_AS_OF, labels=roster.paragraph_labels())


def settled(page, selector: str) -> str:
    """The element's text once the table has redrawn: the same on two reads 300 ms apart."""
    text = page.inner_text(selector)
    for _ in range(40):
        page.wait_for_timeout(300)
        again = page.inner_text(selector)
        if again == text:
            return text
        text = again
    return text


def seen(page, tmp_path, name: str) -> dict:
    """What the user sees and exports after a file: counts, summaries, the tables' first rows."""
    counts = {
        b.get_attribute("data-code"): int(b.query_selector("strong").inner_text())
        for b in page.query_selector_all(".roster-count")
    }
    view = {
        "counts": counts,
        "status": page.inner_text("[data-roster-status-text]").split("（用时")[0],
        "missing": page.inner_text("[data-roster-missing]"),
        "problems": page.inner_text("[data-roster-problems]"),
        "review": page.inner_text("[data-roster-review-summary]"),
        "pairs": page.inner_text("[data-roster-review-pairs]"),
        "main": settled(page, "[data-roster-tbody]"),
        "review_rows": settled(page, "[data-roster-review-tbody]"),
    }
    page.select_option("[data-roster-filter]", "incomplete")
    page.wait_for_function(
        f"() => document.querySelector('[data-roster-shown]').textContent.startsWith('符合条件 {counts['incomplete']} 行')"
    )
    view["incomplete"] = settled(page, "[data-roster-tbody]")
    with page.expect_download() as download_info:
        page.click("[data-roster-export]")
    saved = tmp_path / name
    download_info.value.save_as(saved)
    view["export"] = saved.read_bytes().decode("utf-8")
    return view


def run(browser, base_url, data: bytes, cores: int, *scripts: str):
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    errors: list[str] = []
    context.add_init_script(CORES % cores)
    for script in scripts:
        context.add_init_script(script)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.goto(base_url + "roster/")
    run_file(page, data)
    return context, page, errors


def run_file(page, data: bytes) -> None:
    """Once the engine is ready: allow the split, choose the file, wait for its tables."""
    page.wait_for_selector("#roster[data-state=ready]", timeout=ENGINE_TIMEOUT)
    page.evaluate(ALLOW)
    page.fill("[data-roster-as-of]", CASES_AS_OF)
    page.set_input_files(
        "[data-roster-file]", files=[{"name": "名册.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
    page.wait_for_selector("[data-roster-tbody] tr")


def test_split_across_workers_shows_and_exports_what_one_worker_does(
    base_url, browser, big, expected, tmp_path
):
    views = {}
    for cores in (1, 3):
        context, page, errors = run(browser, base_url, big, cores)
        try:
            assert page.get_attribute("#roster", "data-parts") == str(cores)
            assert page.get_attribute("#roster", "data-fallbacks") == "0"
            if cores > 1:
                assert page.get_attribute("#roster", "data-helper-boot") == "snapshot"
            views[cores] = seen(page, tmp_path, f"{cores}.csv")
            assert not errors, errors
        finally:
            context.close()
    assert views[1]["export"] == roster.results_csv(expected)
    assert views[1]["counts"] == expected["counts"]
    assert views[1]["main"] and views[1]["review_rows"] and views[1]["incomplete"]
    for key in views[1]:
        assert views[3][key] == views[1][key], key


def test_a_helper_that_dies_has_its_range_decided_by_the_primary(base_url, browser, big, expected, tmp_path):
    context, page, errors = run(browser, base_url, big, 2, HELPERS_DIE)
    try:
        assert page.get_attribute("#roster", "data-parts") == "2"
        assert page.get_attribute("#roster", "data-fallbacks") == "1"
        view = seen(page, tmp_path, "fallback.csv")
        assert view["counts"] == expected["counts"]
        assert view["export"] == roster.results_csv(expected)
        assert not errors, errors
    finally:
        context.close()


def test_by_default_a_large_file_stays_on_one_worker(base_url, browser, big):
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(CORES % 4)
    page = context.new_page()
    try:
        page.goto(base_url + "roster/")
        page.wait_for_selector("#roster[data-state=ready]", timeout=ENGINE_TIMEOUT)
        page.set_input_files(
            "[data-roster-file]", files=[{"name": "名册.csv", "mimeType": "text/csv", "buffer": big}]
        )
        page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
        assert page.get_attribute("#roster", "data-parts") == "1"
        assert page.get_attribute("#roster", "data-helper-boot") is None  # no helper was started
    finally:
        context.close()


def test_a_small_file_stays_on_one_worker(base_url, browser, expected):
    data = to_csv(split_roster(worker.SPLIT_MIN_ROWS - 1000)).encode("utf-8")
    assert len(data) >= 100 * 1024  # helpers are started (by size), then stopped (by rows)
    context, page, errors = run(browser, base_url, data, 4)
    try:
        assert page.get_attribute("#roster", "data-parts") == "1"
        assert "已处理" in page.inner_text("[data-roster-status-text]")
        assert not errors, errors
    finally:
        context.close()


def test_the_portable_build_splits_too(browser, big, expected, tmp_path):
    """file://: the page's Worker shim starts the helpers from Blobs like the primary, and the
    MessageChannel ports pass through it (docs/arch/0004, 0009)."""
    from test_portable import PORTABLE_DIR, check, file_url, open_page

    if not (PORTABLE_DIR / "index.html").is_file():
        pytest.fail(f"{PORTABLE_DIR} has no portable build: run `make portable-build`")
    context, page = open_page(browser)
    try:
        context.add_init_script(CORES % 2)
        page.goto(file_url(PORTABLE_DIR, "roster/index.html"))
        run_file(page, big)
        assert page.get_attribute("#roster", "data-parts") == "2"
        assert page.get_attribute("#roster", "data-fallbacks") == "0"
        assert page.get_attribute("#roster", "data-helper-boot") == "snapshot"
        view = seen(page, tmp_path, "portable.csv")
        assert view["counts"] == expected["counts"]
        assert view["export"] == roster.results_csv(expected)
        check(page)
    finally:
        context.close()
