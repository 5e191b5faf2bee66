"""Every way the engine can fail to load ends in a plain Chinese message with the ways on.

Each failure is simulated in Chromium, on the served build (over HTTP) and on the portable build
(file://), for the wizard, the roster and 环境自检: the page script not parsing (what a Chromium
below 94 sees), missing or sent with the wrong type, the engine's worker missing, Pyodide's
WebAssembly missing, sent with the wrong type or not compiling, a Content-Security-Policy without
'wasm-unsafe-eval' (what Chrome 96 sees: it does not know the keyword), a load that stalls, and the
served build opened by double-click.  Each must show, within 30 s, a message naming what happened
with links to the disposition pages, the flowchart and the portable package; no progress bar or
"正在加载" may remain beside a failure, and the message must still be there a while later.

The page's watchdog (docs/assets/js/watchdog.js) waits START/STALL seconds before it speaks;
`window.__watchdogSeconds` (set before the page loads, never in the URL) shortens both here.
"""

from __future__ import annotations

import gzip
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from test_portable import PORTABLE_DIR, file_url, open_page

from build_scripts.pages import browser_floor
from build_scripts.portable import payload

WATCHDOG_SECONDS = 3
MESSAGE_WITHIN = 30_000  # ms: the bound, from the page's start
PAGES = {
    # name: (served path, page script (served), page script (portable), worker file)
    "wizard": ("wizard/", "assets/js/wizard/main.mjs", "assets/js/wizard/main.js", "wizard-worker.mjs"),
    "roster": ("roster/", "assets/js/roster.mjs", "assets/js/roster.js", "roster-worker.mjs"),
    "check": ("about/check/", "assets/js/env-check.mjs", "assets/js/env-check.js", "env-check-worker.mjs"),
}
PORTABLE_WORKER = {"wizard": "worker-wizard", "roster": "worker-roster", "check": "worker-env-check"}
# Words a Chinese message may carry: product and format names.
ALLOWED_LATIN = {
    "WebAssembly",
    "Chrome",
    "Edge",
    "Firefox",
    "Safari",
    "Python",
    "application",
    "wasm",
    "index",
    "html",
    "IE",
}
BROKEN_SYNTAX = "export class Probe { static { this.x ||= 1; "  # cut off: no browser parses it


def init(page) -> None:
    page.add_init_script(f"window.__watchdogSeconds = {WATCHDOG_SECONDS};")


def expect_message(page, kinds: tuple[str, ...], reason: str | None = None) -> str:
    """The watchdog's box: visible in time, of the expected kind, with the ways on; no spinner."""
    # A slow notice may come first (a busy machine), then the failure itself replaces it.
    try:
        page.wait_for_function(
            "kinds => { const b = document.querySelector('[data-load-problem]');"
            " return b && !b.hidden && kinds.includes(b.dataset.kind); }",
            arg=list(kinds),
            timeout=MESSAGE_WITHIN,
        )
    except PlaywrightTimeout:
        print("no message of the kinds", kinds, "in time")  # the assertions below say what shows
    box = page.locator("[data-load-problem]")
    kind = box.get_attribute("data-kind")
    assert kind in kinds, (kind, box.inner_text())
    text = box.inner_text()
    if reason:
        assert reason in text, text
    for href in ("dispositions/", "flowchart/", "about/deploy/"):
        assert box.locator(f'a[href*="{href}"]').count() >= 1, (href, text)
    assert "管理员" in text and "浏览器" in text
    latin = set(re.findall(r"[A-Za-z]{2,}", text)) - ALLOWED_LATIN
    assert not latin, f"English in a user message: {latin}: {text}"
    return text


def expect_no_loading_left(page) -> None:
    """After a failure: no progress bar, no 正在加载, and the message stays."""
    page.wait_for_timeout(WATCHDOG_SECONDS * 2 * 1000)
    assert page.locator("[data-load-problem]").is_visible()
    for bar in page.locator("[data-watchdog-status] progress").all():
        assert not bar.is_visible()
    status = page.locator("[data-watchdog-status]").inner_text()
    assert "正在加载" not in status, status
    assert page.get_attribute("[data-watchdog]", "data-state") in ("error", "unsupported")


def after_failure(page, name: str) -> None:
    expect_no_loading_left(page)
    if name == "roster":
        # Choosing a file after the engine failed does not bring back "waiting for the engine".
        page.set_input_files(
            "[data-roster-file]",
            files=[{"name": "名册.csv", "mimeType": "text/csv", "buffer": b"a,b\n1,2\n"}],
        )
        page.wait_for_timeout(500)
        status = page.locator("[data-roster-status]").inner_text()
        assert "等待" not in status and ("未能加载" in status or "无法使用" in status), status
        assert page.locator("[data-load-problem]").is_visible()
    if name == "wizard":
        # An answer after the failure keeps the explanation (a re-render used to wipe it).
        page.evaluate("() => { location.hash = 'contact=lost'; }")
        page.wait_for_timeout(500)
        assert page.locator("[data-load-problem]").is_visible()
        if page.get_attribute("[data-wizard]", "data-script"):  # the page script runs: it says so too
            assert "判断引擎未能加载" in page.locator("[data-wizard-step]").inner_text()


# ------------------------------------------------------------------ the served build


def served_context(browser):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    init(page)
    return context, page


def fulfil_syntax_error(route):
    route.fulfill(body=BROKEN_SYNTAX, content_type="text/javascript")


def wasm_garbage() -> bytes:
    return b"\0asm\x01\0\0\0" + b"\xff" * 64  # the header, then no valid section


def strip_wasm_permission(route):
    response = route.fetch()
    body = response.text().replace(" 'wasm-unsafe-eval'", "")
    headers = {k: v.replace(" 'wasm-unsafe-eval'", "") for k, v in response.headers.items()}
    route.fulfill(response=response, body=body, headers=headers)


SERVED_FAILURES = {
    # failure: (route pattern maker, handler, expected kinds, expected reason)
    "page-script-syntax": (lambda p: f"**/{p[1]}", fulfil_syntax_error, ("script",), "浏览器版本可能过旧"),
    "page-script-404": (
        lambda p: f"**/{p[1]}",
        lambda r: r.fulfill(status=404, body="gone"),
        ("script",),
        None,
    ),
    "page-script-wrong-type": (
        lambda p: f"**/{p[1]}",
        lambda r: r.fulfill(response=r.fetch(), content_type="text/plain"),
        ("script",),
        None,
    ),
    "worker-404": (
        lambda p: f"**/{p[3]}*",
        lambda r: r.fulfill(status=404, body="gone"),
        ("page",),
        "后台程序未能启动",
    ),
    "wasm-404": (
        lambda p: "**/pyodide.asm.wasm*",
        lambda r: r.fulfill(status=404, body="gone"),
        ("page",),
        "未能下载",
    ),
    "wasm-wrong-type": (
        lambda p: "**/pyodide.asm.wasm*",
        lambda r: r.fulfill(response=r.fetch(), content_type="application/octet-stream"),
        ("page",),
        "类型设置不对",
    ),
    "wasm-compile": (
        lambda p: "**/pyodide.asm.wasm*",
        lambda r: r.fulfill(body=wasm_garbage(), content_type="application/wasm"),
        ("page",),
        "未能编译",
    ),
    "policy-without-wasm": (lambda p: f"**/{p[0]}", strip_wasm_permission, ("page",), "安全策略"),
}


@pytest.mark.browser
@pytest.mark.parametrize("failure", list(SERVED_FAILURES))
@pytest.mark.parametrize("name", list(PAGES))
def test_served_failure_ends_in_a_message(base_url, browser, name, failure):
    pattern, handler, kinds, reason = SERVED_FAILURES[failure]
    context, page = served_context(browser)
    try:
        page.route(pattern(PAGES[name]), handler)
        page.goto(base_url + PAGES[name][0])
        expect_message(page, kinds, reason)
        after_failure(page, name)
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", list(PAGES))
def test_served_stall_says_slow_and_keeps_waiting(base_url, browser, name):
    context, page = served_context(browser)
    held = []
    try:
        page.route("**/pyodide.asm.wasm*", lambda route: held.append(route))
        page.goto(base_url + PAGES[name][0])
        text = expect_message(page, ("slow",))
        assert "秒没有加载进展" in text and "继续加载" in text
        assert page.get_attribute("[data-watchdog]", "data-state") == "loading"  # no verdict
        for bar in page.locator("[data-watchdog-status] progress").all():
            assert not bar.is_visible()
    finally:
        for route in held:
            route.abort()
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", list(PAGES))
def test_served_build_opened_from_files_points_to_the_portable_package(site_dir, browser, name):
    context, page = served_context(browser)
    try:
        page.goto((site_dir / PAGES[name][0] / "index.html").as_uri())
        text = expect_message(page, ("script",), "免安装版")
        assert "双击" in text
        expect_no_loading_left(page)
    finally:
        context.close()


# ------------------------------------------------------------------ the portable build


@pytest.fixture(scope="module")
def portable_dir():
    if not (PORTABLE_DIR / "index.html").is_file():
        pytest.fail(f"{PORTABLE_DIR} has no portable build: run `make portable` (make test does it)")
    return PORTABLE_DIR


def data_script(name: str, text: str) -> str:
    return payload.data_script(name, text)


def garbage_wasm_script() -> str:
    return data_script("pyodide-wasm", payload.b64(gzip.compress(wasm_garbage(), mtime=0)))


def strip_wasm_permission_file(route):
    page_file = Path(unquote(urlsplit(route.request.url).path))
    body = page_file.read_text(encoding="utf-8").replace(" 'wasm-unsafe-eval'", "")
    route.fulfill(body=body, content_type="text/html")


PORTABLE_FAILURES = {
    "page-script-syntax": (
        lambda n: f"**/{PAGES[n][2]}",
        fulfil_syntax_error,
        ("script",),
        "浏览器版本可能过旧",
    ),
    "page-script-missing": (lambda n: f"**/{PAGES[n][2]}", lambda r: r.abort(), ("script",), None),
    "worker-missing": (
        lambda n: f"**/{payload.DATA_DIR}/{PORTABLE_WORKER[n]}.js",
        lambda r: r.abort(),
        ("page",),
        "后台程序未能启动",
    ),
    "wasm-missing": (
        lambda n: f"**/{payload.DATA_DIR}/pyodide-wasm.js",
        lambda r: r.abort(),
        ("page",),
        None,
    ),
    "wasm-compile": (
        lambda n: f"**/{payload.DATA_DIR}/pyodide-wasm.js",
        lambda r: r.fulfill(body=garbage_wasm_script(), content_type="text/javascript"),
        ("page",),
        "未能编译",
    ),
    "policy-without-wasm": (
        lambda n: f"**/{PAGES[n][0]}index.html",
        strip_wasm_permission_file,
        ("page",),
        "安全策略",
    ),
}


@pytest.mark.browser
@pytest.mark.parametrize("failure", list(PORTABLE_FAILURES))
@pytest.mark.parametrize("name", list(PAGES))
def test_portable_failure_ends_in_a_message(portable_dir, browser, name, failure):
    pattern, handler, kinds, reason = PORTABLE_FAILURES[failure]
    context, page = open_page(browser)
    init(page)
    try:
        page.route(pattern(name), handler)
        page.goto(file_url(portable_dir, PAGES[name][0] + "index.html"))
        expect_message(page, kinds, reason)
        after_failure(page, name)
        assert page.guard.external == []
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("name", list(PAGES))
def test_portable_stall_says_slow_and_keeps_waiting(portable_dir, browser, name):
    context, page = open_page(browser)
    init(page)
    try:
        # The wasm's data script loads but never delivers: the worker waits for ever.
        page.route(
            f"**/{payload.DATA_DIR}/pyodide-wasm.js",
            lambda r: r.fulfill(body="/* nothing */", content_type="text/javascript"),
        )
        page.goto(file_url(portable_dir, PAGES[name][0] + "index.html"))
        text = expect_message(page, ("slow",))
        assert "秒没有加载进展" in text
        assert page.get_attribute("[data-watchdog]", "data-state") == "loading"
    finally:
        context.close()


# ------------------------------------------------------------------ the pages, without a browser


def test_the_watchdog_is_old_syntax_and_loads_before_the_page_script(site_dir, portable_dir):
    source = (site_dir / browser_floor.WATCHDOG_SCRIPT).read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*", "", source)
    code = re.sub(r'"(?:[^"\\]|\\.)*"', '""', code)
    for newer in ("=>", "`", "let ", "const ", "class ", "...", "?.", "??", "async ", "import "):
        assert newer not in code, f"watchdog.js uses {newer!r}: it must parse in old browsers"
    assert not re.search(r",\s*\)", code), "a trailing comma in a call (ES2017)"
    node = shutil.which("node")
    if node:
        subprocess.run([node, "--check", str(site_dir / browser_floor.WATCHDOG_SCRIPT)], check=True)
    for root in (site_dir, portable_dir):
        for page, (path, served, portable, _) in PAGES.items():
            html = (root / path / "index.html").read_text(encoding="utf-8")
            script = portable if root == portable_dir else served
            assert html.index(browser_floor.WATCHDOG_SCRIPT) < html.index(script), (root, page)
            assert 'data-watchdog="' + page + '"' in html
            assert "data-load-problem" in html


def test_no_loading_text_beside_the_no_javascript_notice(site_dir):
    """With JavaScript off the status line is hidden (the watchdog shows it): only the notice shows."""
    for path in ("wizard/", "roster/", "about/check/"):
        html = (site_dir / path / "index.html").read_text(encoding="utf-8")
        assert "<noscript>" in html, path
        status = re.search(r"<div[^>]*data-watchdog-status[^>]*>", html)
        assert status and re.search(r"\shidden(?:[\s>=])", status.group(0)), (
            path,
            status and status.group(0),
        )


def test_renderer_meta_on_every_page(site_dir, portable_dir):
    for root in (site_dir, portable_dir):
        pages = list(root.rglob("*.html"))
        assert len(pages) >= 20
        for page in pages:
            html = page.read_text(encoding="utf-8")
            head = html[: html.index("</head>")]
            assert '<meta name="renderer" content="webkit">' in head, page
            assert '<meta name="force-rendering" content="webkit">' in head, page


def test_every_chart_link_in_the_portable_build_opens_a_page(portable_dir):
    html = (portable_dir / "flowchart" / "index.html").read_text(encoding="utf-8")
    hrefs = re.findall(r'\bclick\s+\S+\s+href\s+"([^"]*)"', html)
    outside = [h for h in hrefs if not h.startswith("#")]
    assert len(outside) >= 20
    for href in outside:
        path = href.split("#")[0]
        assert path.endswith("index.html"), href
        assert (portable_dir / "flowchart" / path).resolve().is_file(), href


@pytest.mark.browser
@pytest.mark.parametrize("name", list(PAGES))
def test_with_javascript_off_only_the_notice_shows(base_url, browser, name):
    context = browser.new_context(locale="zh-CN", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(base_url + PAGES[name][0])
        text = page.locator("article").inner_text()
        assert "需要浏览器启用 JavaScript" in text
        assert "正在加载" not in text and "正在检查" not in text, text
        assert not page.locator("[data-watchdog-status]").is_visible()
    finally:
        context.close()
