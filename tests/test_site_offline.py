"""The built site is offline by construction."""

from __future__ import annotations

import re

import pytest

# Attributes that make the browser fetch (not <a href>, which is a link for people).
FETCHING_ATTR = re.compile(
    r"<(script|link|img|iframe|source|audio|video|embed|object)\b[^>]*?\b(src|href|data)\s*=\s*[\"']((?:https?:)?//[^\"']+)",
    re.IGNORECASE,
)
CSS_OR_JS_EXTERNAL = re.compile(
    r"""(?:url\(\s*|@import\s+|import\(\s*|from\s+|fetch\(\s*|importScripts\(\s*)["']?((?:https?:)?//[^"')\s]+)""",
    re.IGNORECASE,
)
# Namespace URIs and licence links inside vendored bundles are strings, not fetches.
HARMLESS = re.compile(r"^(https?:)?//(www\.w3\.org|github\.com|mermaid\.js\.org|docs\.|fb\.me)")


def test_no_html_fetches_external(site_dir):
    offenders = []
    for path in site_dir.rglob("*.html"):
        for tag, attr, url in FETCHING_ATTR.findall(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(site_dir)}: <{tag} {attr}={url}>")
    assert offenders == []


def test_no_css_or_js_fetches_external(site_dir):
    offenders = []
    for pattern in ("*.css", "*.js", "*.mjs"):
        for path in site_dir.rglob(pattern):
            text = path.read_text(encoding="utf-8", errors="replace")
            for url in CSS_OR_JS_EXTERNAL.findall(text):
                if not HARMLESS.match(url):
                    offenders.append(f"{path.relative_to(site_dir)}: {url}")
    assert offenders == []


def test_theme_has_no_web_fonts(site_dir):
    index = (site_dir / "index.html").read_text(encoding="utf-8")
    assert "fonts.googleapis" not in index and "fonts.gstatic" not in index


@pytest.mark.browser
def test_every_page_stays_on_loopback(site_dir, base_url, guarded_page):
    pages = sorted(p.relative_to(site_dir).as_posix() for p in site_dir.rglob("index.html"))
    assert len(pages) >= 2
    for rel in pages:
        # 环境自检 downloads Pyodide to the end (it no longer gives up after 20 s): on a loaded
        # machine the network is idle only after that.
        guarded_page.goto(base_url + rel, wait_until="networkidle", timeout=120_000)
    guarded_page.guard.check()


@pytest.mark.browser
def test_pyodide_boots_from_the_site(base_url, guarded_page):
    guarded_page.goto(base_url + "about/check/")
    guarded_page.wait_for_selector("#env-check[data-state=ready]", timeout=60000)
    assert "Python 3." in guarded_page.inner_text("#env-check")
    guarded_page.guard.check()
