"""Accessibility (axe-core: 0 serious, 0 critical), CSP violations, egress and console errors,
and the 360 px layout, over every page of the built site and each state of the wizard.

Each page is one test (discovered from the built site at collection), so pytest-xdist spreads them
over both cores.  The counts go to test-results/ and the terminal summary prints the totals.
"""

from __future__ import annotations

import shutil

import pytest
from site_gates import Auditor, Findings, audit, check_page, settle, site_pages

from build_scripts.tools.serve import serve_in_thread

WIZARD = "wizard/"
try:
    import wizard_paths  # noqa: F401 - the wizard states below need the engine's answer paths

    # The bare wizard page is the "question" state below: audit it once, there.
    PAGES = [page for page in site_pages() if page != WIZARD] or ["(site not built)"]
except ImportError:
    PAGES = site_pages() or ["(site not built)"]


def assert_clean(findings: Findings) -> None:
    problems = (
        findings.blocking_axe()
        + findings.csp
        + findings.external
        + findings.errors
        + findings.console
        + findings.narrow
    )
    assert not problems, findings.summary()


@pytest.fixture(scope="module")
def auditor(browser):
    auditor = Auditor(browser)
    yield auditor
    auditor.close()


@pytest.mark.browser
@pytest.mark.parametrize("rel", PAGES)
def test_page(site_dir, base_url, auditor, rel):
    findings = auditor.check(base_url, rel)
    findings.record("page")
    print(findings.summary())
    assert_clean(findings)


# --- the wizard: a question, an error, a result ---------------------------------------------------

READY = "[data-wizard][data-state=ready]:not([data-pending])"


def wizard_states() -> list[tuple[str, str, str]]:
    """(state, fragment, selector that proves the state is shown), from the engine's own paths."""
    import wizard_paths

    paths = wizard_paths.walk()
    disposition, path = max(paths.items(), key=lambda item: len(item[1]))  # the longest: most UI
    return [
        ("question", "", "[data-wizard-step] :is(input, select, button)"),
        # An impossible date in a fact the engine always asks first: invalid input, shown as an alert.
        ("error", "last_contact=2020-02-31", "[data-wizard-alert]:not([hidden])"),
        (f"result ({disposition})", wizard_paths.fragment(path), "[data-wizard-result]:not([hidden])"),
    ]


@pytest.mark.browser
def test_wizard_states(site_dir, base_url, auditor):
    """One page load (Pyodide boots once), three states reached through the URL fragment, as a
    user's back/forward or a shared link would: each is audited like a page."""
    if not (site_dir / WIZARD / "index.html").is_file():
        pytest.skip(f"{WIZARD} is not in the built site yet")
    try:
        states = wizard_states()
    except ImportError as exc:  # the engine or the wizard's helpers are not importable
        pytest.fail(f"the wizard exists but its answer paths cannot be computed: {exc}")
    page = auditor.page
    auditor.start(WIZARD)
    page.goto(base_url + WIZARD)
    failures = []
    for state, fragment, shown in states:
        findings = auditor.record_as(f"{WIZARD} ({state})")
        if fragment:
            page.evaluate("(fragment) => { location.hash = fragment; }", fragment)
        page.wait_for_selector(shown, timeout=60000)
        settle(page, READY)
        audit(page, findings)
        findings.record("wizard")
        print(findings.summary())
        try:
            assert_clean(findings)
        except AssertionError as error:
            failures.append(str(error))
    assert not failures, "\n".join(failures)


# --- each gate can fail --------------------------------------------------------------------------

BROKEN = """
<input type="text" id="gate-unlabelled">
<img src="assets/images/favicon.png">
<div style="width: 900px">太宽的内容</div>
<button type="button" style="width: 12px; height: 12px; padding: 0"></button>
<div style="position: relative"><button type="button" style="width: 48px; height: 48px">盖住</button>
<div style="position: absolute; inset: 0; background: #fff"></div></div>
<span role="button" tabindex="-1" style="display: inline-block; padding: 12px">只能用鼠标</span>
<input type="checkbox" id="gate-hidden" style="display: none">
<label for="gate-hidden" style="display: inline-block; padding: 12px">隐藏的复选框</label>
<script src="https://cdn.example.com/tracker.js"></script>
"""


@pytest.fixture(scope="module")
def broken_site(site_dir, tmp_path_factory):
    """A copy of the built site whose home page lost a label and an alt, overflows, has a tiny
    button, a covered one, two controls a keyboard cannot reach, and loads an external script."""
    copy = tmp_path_factory.mktemp("broken") / "site"
    shutil.copytree(site_dir, copy)
    index = copy / "index.html"
    text = index.read_text(encoding="utf-8")
    assert "</article>" in text
    index.write_text(text.replace("</article>", BROKEN + "</article>", 1), encoding="utf-8")
    server, url = serve_in_thread(copy)
    yield url
    server.shutdown()


@pytest.mark.browser
def test_gates_fail_on_a_broken_page(browser, broken_site):
    findings = check_page(browser, broken_site, "")
    rules = {v["id"] for v in findings.blocking_axe()}
    assert {"label", "image-alt"} <= rules, findings.summary()
    assert any("wide at 360px" in p for p in findings.narrow), findings.narrow
    assert any("(< 24x24)" in p for p in findings.narrow), findings.narrow
    assert any('"盖住" is covered by div' in p for p in findings.narrow), findings.narrow
    assert any('"只能用鼠标" cannot be reached with the keyboard' in p for p in findings.narrow), (
        findings.narrow
    )
    assert any("input#gate-hidden is display:none" in p for p in findings.narrow), findings.narrow
    # The CSP stops the external script before any request is made, and says so.
    assert any(v["blocked"].startswith("https://cdn.example.com/") for v in findings.csp), findings.csp
    assert findings.console, "the blocked script should log a console error"


@pytest.mark.browser
def test_egress_guard_catches_what_csp_would_have_blocked(browser, broken_site):
    """Without the CSP, the external request happens: the route guard records it."""
    findings = check_page(browser, broken_site, "", bypass_csp=True)
    assert findings.external == ["https://cdn.example.com/tracker.js"]
