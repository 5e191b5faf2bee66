"""The portable build's pages: classic scripts instead of module scripts, portable.js first.

A page opened from a file cannot run `<script type="module" src=…>` (opaque origin, CORS), so
each becomes a classic script: the bundle of the same module graph (bundle.mjs), next to the
module with the extension `.js`.  portable.js goes in <head> right after the Content-Security-
Policy <meta>, before every other script, so that `Worker` is replaced before any page script
starts one.  The policy itself only changes where workers may come from: Blob URLs.
"""

from __future__ import annotations

import posixpath
import re

SHIM = "assets/portable/portable.js"
_MODULE_SCRIPT = re.compile(r'<script type="module"( async)? src="([^"]+)\.mjs"></script>')
# Module preloads (the wizard's modules) would be refused from a file: the bundle holds them.
_MODULE_PRELOAD = re.compile(r'\s*<link rel="modulepreload" href="[^"]*">')
_CSP_META = '<meta http-equiv="Content-Security-Policy" content="__CSP_POLICY__">'


def page_depth(page_url: str) -> int:
    """Folders between the site root and a page served at `page_url` (``, `wizard/` …)."""
    return page_url.count("/")


def rewrite(page_html: str, page_url: str, modules: set[str]) -> str:
    """Module scripts -> classic bundles (their site paths are added to `modules`); shim first."""

    def classic(match: re.Match) -> str:
        src = match.group(2)
        modules.add(posixpath.normpath(posixpath.join(page_url or ".", src + ".mjs")))
        return f'<script{" async" if match.group(1) else " defer"} src="{src}.js"></script>'

    page_html = _MODULE_PRELOAD.sub("", _MODULE_SCRIPT.sub(classic, page_html))
    if 'type="module"' in page_html:
        raise SystemExit(
            f"portable: {page_url or 'index'}: a module script the portable build cannot convert"
        )
    shim = f'<script src="{"../" * page_depth(page_url)}{SHIM}"></script>'
    if _CSP_META not in page_html:
        raise SystemExit(f"portable: {page_url or 'index'}: no Content-Security-Policy placeholder")
    return page_html.replace(_CSP_META, _CSP_META + shim, 1)


def adapt_policy(page_html: str) -> str:
    """The site's workers start from Blob URLs made by portable.js; nothing else changes."""
    return page_html.replace("worker-src 'self'", "worker-src blob:", 1)
