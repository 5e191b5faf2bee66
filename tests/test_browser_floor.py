"""The minimum browser versions, and what a browser below them is told.

The floor is data (build_scripts/pages/browser_floor.yaml); these tests tie it to what Pyodide really
uses (its WebAssembly module read instruction by instruction, its JavaScript's syntax), to the
built site, and check in Chromium that each page names what a browser lacks, at once, when a
feature is taken away before the page loads.
"""

from __future__ import annotations

import pytest
from wasm_features import UnknownOpcode, features

from build_scripts.pages import browser_floor, wizard

ROOT = browser_floor.DATA.parents[2]
PYODIDE = ROOT / "node_modules" / "pyodide"
DATA = browser_floor.load()
IDS = {f["id"] for f in DATA["features"]}
MESSAGE_TIMEOUT = 10_000  # ms: the check runs before any download; the watchdog's stall timer is not involved


def wasm(*body: int) -> bytes:
    return bytes([0, 97, 115, 109, 1, 0, 0, 0, *body])


# ------------------------------------------------------------------ the data against Pyodide


def test_every_webassembly_feature_pyodide_uses_is_listed():
    used = features((PYODIDE / "pyodide.asm.wasm").read_bytes())
    assert "wasm-exceptions" in used and "wasm-reference-types" in used  # the scan sees them
    assert used <= IDS, f"pyodide.asm.wasm uses features browser_floor.yaml does not list: {used - IDS}"


def test_the_feature_scan_names_a_feature_and_refuses_what_it_does_not_know():
    void = [1, 4, 1, 96, 0, 0, 3, 2, 1, 0]
    # tag section + try / throw / catch_all: the probe browser-support.mjs validates
    assert "wasm-exceptions" in features(
        wasm(*void, 13, 3, 1, 0, 0, 10, 10, 1, 8, 0, 6, 64, 8, 0, 25, 11, 11)
    )
    assert features(wasm(*void, 10, 4, 1, 2, 0, 11)) == {"webassembly"}
    simd = wasm(*void, 10, 23, 1, 21, 0, 0xFD, 12, *([0] * 16), 26, 11)  # v128.const 0; drop
    with pytest.raises(UnknownOpcode):
        features(simd)


def test_the_syntax_and_workers_pyodide_needs_are_listed():
    asm = (PYODIDE / "pyodide.asm.mjs").read_text(encoding="utf-8")
    assert "static{" in asm and "class-static-blocks" in IDS  # ES2022 class static blocks
    assert "WebAssembly.Exception" in asm and "wasm-exceptions" in IDS
    loader = (PYODIDE / "pyodide.mjs").read_text(encoding="utf-8")
    assert "Classic web workers are not supported" in loader and "module-workers" in IDS


def test_the_floor_is_the_newest_first_version_compared_as_numbers():
    assert browser_floor.floor(DATA) == {"chrome": "97", "firefox": "114", "safari": "16.4"}
    made_up = {
        "features": [
            {"chrome": "9", "firefox": "100", "safari": "9.1"},
            {"chrome": "10", "firefox": "99", "safari": "15"},
        ]
    }
    assert browser_floor.floor(made_up) == {"chrome": "10", "firefox": "100", "safari": "15"}


def test_a_feature_without_versions_fails_the_build(tmp_path, monkeypatch):
    bad = tmp_path / "browser_floor.yaml"
    bad.write_text(
        "reading: {chrome: '49', edge: '79', firefox: '53', safari: '10'}\n"
        "features:\n  - {id: webassembly, zh: WebAssembly, why: x, chrome: '57', firefox: 'later', safari: '11'}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(browser_floor, "DATA", bad)
    with pytest.raises(SystemExit, match="firefox version 'later' is not a number"):
        browser_floor.load()


# ------------------------------------------------------------------ the built site


def test_the_site_carries_the_floor_module_and_tables(site_dir):
    assert (site_dir / browser_floor.JS_PATH).read_text(encoding="utf-8") == browser_floor.js_module(DATA)
    for page in ("about/deploy/index.html", "about/check/index.html"):
        html = (site_dir / page).read_text(encoding="utf-8")
        assert browser_floor.MARKER not in html
        for feature in DATA["features"]:
            assert feature["zh"] in html, (page, feature["id"])
        assert (
            "<strong>97</strong>" in html
            and "<strong>114</strong>" in html
            and "<strong>16.4</strong>" in html
        )


# ------------------------------------------------------------------ in the browser

NO_WASM = "delete globalThis.WebAssembly;"
# What Firefox before 114 did: the constructor refuses {type: "module"}.
NO_MODULE_WORKERS = """(() => {
  const Real = globalThis.Worker;
  globalThis.Worker = class extends Real {
    constructor(url, options) {
      if (options && options.type === "module") throw new TypeError("Module scripts are not supported on DedicatedWorker yet");
      super(url, options);
    }
  };
})();"""


def zh(feature_id: str) -> str:
    return next(f["zh"] for f in DATA["features"] if f["id"] == feature_id)


def open_wizard(page, base_url, init_script=None):
    if init_script:
        page.add_init_script(init_script)
    page.goto(f"{base_url}wizard/#contact=lost")
    page.wait_for_selector("[data-wizard][data-unsupported][data-state=error]", timeout=MESSAGE_TIMEOUT)
    alert = page.locator("[data-load-problem]")
    assert alert.is_visible()
    assert alert.locator(f'a[href="{wizard.DISPOSITIONS_URL}"]').count() == 1
    assert alert.locator(f'a[href="{wizard.FLOWCHART_URL}"]').count() == 1
    assert not page.locator("[data-wizard-status] progress").is_visible()
    return alert.inner_text()


@pytest.mark.browser
def test_wizard_without_webassembly_says_so_at_once(base_url, guarded_page):
    text = open_wizard(guarded_page, base_url, NO_WASM)
    assert zh("webassembly") in text and zh("wasm-exceptions") in text
    assert zh("module-workers") not in text
    assert "Chrome 或 Edge 97" in text and "Firefox 114" in text and "Safari 16.4" in text
    # The answer already in the link is kept, and the page says it cannot go on.
    assert "contact=lost" in guarded_page.url
    assert "判断引擎未能加载" in guarded_page.locator("[data-wizard-step]").inner_text()
    guarded_page.guard.check()


@pytest.mark.browser
def test_wizard_without_module_workers_says_so_at_once(base_url, guarded_page):
    text = open_wizard(guarded_page, base_url, NO_MODULE_WORKERS)
    assert zh("module-workers") in text
    assert zh("webassembly") not in text
    guarded_page.guard.check()


@pytest.mark.browser
def test_wizard_in_a_browser_that_cannot_parse_pyodides_syntax_says_so(base_url, guarded_page):
    page = guarded_page
    page.route(
        "**/assets/js/es2022-probe.mjs",
        lambda route: route.fulfill(body="export class Probe { static { ", content_type="text/javascript"),
    )
    text = open_wizard(page, base_url)
    assert zh("class-static-blocks") in text and zh("webassembly") not in text
    page.guard.check()


@pytest.mark.browser
def test_roster_without_webassembly_says_so_at_once(base_url, guarded_page):
    page = guarded_page
    page.add_init_script(NO_WASM)
    page.goto(f"{base_url}roster/")
    page.wait_for_selector("#roster[data-state=error]", timeout=MESSAGE_TIMEOUT)
    text = page.locator("[data-load-problem]").inner_text()
    assert zh("webassembly") in text and "名册" in text and "Firefox 114" in text
    # The ways on, as on every failure (assets/js/watchdog.js).
    assert page.locator('[data-load-problem] a[href="../dispositions/"]').count() == 1
    assert page.locator('[data-load-problem] a[href="../flowchart/"]').count() == 1
    page.guard.check()


@pytest.mark.browser
def test_check_page_lists_every_feature_as_supported_in_chromium(base_url, guarded_page):
    page = guarded_page
    page.goto(f"{base_url}about/check/")
    page.wait_for_selector("#env-check-features:not([hidden])", timeout=MESSAGE_TIMEOUT)
    assert page.get_attribute("#env-check", "data-state") != "unsupported"  # it goes on to boot Python
    items = page.locator("#env-check-features li")
    assert items.count() == len(DATA["features"])
    assert page.locator('#env-check-features li[data-supported="true"]').count() == len(DATA["features"])
    page.guard.check()


@pytest.mark.browser
def test_check_page_names_what_is_missing(base_url, guarded_page):
    page = guarded_page
    page.add_init_script(NO_MODULE_WORKERS)
    page.goto(f"{base_url}about/check/")
    page.wait_for_selector("#env-check[data-state=unsupported]", timeout=MESSAGE_TIMEOUT)
    assert page.get_attribute("#env-check", "data-missing") == "module-workers"
    assert page.locator('#env-check-features li[data-supported="false"]').count() == 1
    assert zh("module-workers") in page.locator("[data-load-problem]").inner_text()
    page.guard.check()
