"""Shared fixtures: the built site served on loopback, and Debian's Chromium via Playwright.

The site is built by `make test` before pytest runs (SITE_DIR, default `site/`).  Browser
tests fail on any request that leaves 127.0.0.1 and on any page error.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SITE_DIR = Path(os.environ.get("SITE_DIR", ROOT / "site"))
if not SITE_DIR.is_absolute():
    SITE_DIR = ROOT / SITE_DIR

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE_DIR / "index.html").is_file():
        pytest.fail(f"{SITE_DIR} has no built site: run `make build` (make test does it)")
    return SITE_DIR


@pytest.fixture(scope="session")
def base_url(site_dir):
    from build_scripts.tools.serve import serve_in_thread

    server, url = serve_in_thread(site_dir)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


class PageGuard:
    """Records what a page did that it must not: leave the origin, throw, log errors."""

    def __init__(self):
        self.external: list[str] = []
        self.errors: list[str] = []
        self.console_errors: list[str] = []

    def check(self):
        assert not self.external, f"requests left 127.0.0.1: {self.external}"
        assert not self.errors, f"page errors: {self.errors}"
        assert not self.console_errors, f"console errors: {self.console_errors}"


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in ("data", "blob", "about"):
        return True
    return parts.hostname in ("127.0.0.1", "localhost")


@pytest.fixture
def guarded_page(browser):
    """A fresh page whose off-origin requests are blocked and recorded."""
    context = browser.new_context(locale="zh-CN")
    guard = PageGuard()

    def route(route):
        if is_local(route.request.url):
            route.continue_()
        else:
            guard.external.append(route.request.url)
            route.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("pageerror", lambda exc: guard.errors.append(str(exc)))
    page.on("console", lambda msg: msg.type == "error" and guard.console_errors.append(msg.text))
    page.guard = guard
    yield page
    context.close()


# The quality gates record their counts (axe, controls) per test; print the totals once.
# Under pytest-xdist each worker hands its records to the controller.
def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):
        import json

        from site_gates import RECORDS

        session.config.workeroutput["gates"] = json.dumps(RECORDS)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    import json

    from site_gates import RECORDS

    RECORDS.extend(json.loads(getattr(node, "workeroutput", {}).get("gates", "[]")))


def pytest_terminal_summary(terminalreporter):
    from site_gates import summary_lines

    lines = summary_lines()
    if lines:
        terminalreporter.section("quality gates")
        for line in lines:
            terminalreporter.write_line(line)
