"""Content-Security-Policy: one policy for the whole site, as a <meta> tag and as a server header.

The site loads nothing from outside its own origin, so the policy allows only 'self', plus:

- 'wasm-unsafe-eval' in script-src: Pyodide compiles its WebAssembly (the wizard, the check page);
- the SHA-256 of each inline <script> the build emits.  Material's base.html has two tiny inline
  scripts (__md_scope / __md_get, tabbed-content restore); the first differs by page depth, so the
  hashes are computed from the rendered HTML at build time, never written by hand;
- data: images (Material draws its icons as data: SVG masks in CSS);
- 'unsafe-inline' styles only: Mermaid writes <style> into the SVGs it renders, and attr_list
  style="" attributes are harmless compared with scripts.  Inline *scripts* and event handler
  attributes (onclick=...) stay blocked.

The <meta> is placed in <head> before any script by overrides/main.html (block site_meta), so it covers every
script on the page.  `frame-ancestors` is ignored (with a console error) in a <meta>, so it is in the
header only.  The header policy is the union of every page's hashes; the build writes it to
`csp-policy.txt` at the root of the site, which build_scripts/tools/serve.py sends and
docs/about/deploy.md tells nginx/IIS administrators to copy.
"""

from __future__ import annotations

import base64
import hashlib
import html
import re
from collections.abc import Iterable
from pathlib import Path

PLACEHOLDER = "__CSP_POLICY__"
POLICY_FILE = "csp-policy.txt"

# Directive order is fixed so the policy text is stable between builds.
BASE_DIRECTIVES: list[tuple[str, list[str]]] = [
    ("default-src", ["'self'"]),
    ("script-src", ["'self'", "'wasm-unsafe-eval'"]),
    ("style-src", ["'self'", "'unsafe-inline'"]),
    ("img-src", ["'self'", "data:"]),
    ("font-src", ["'self'"]),
    ("connect-src", ["'self'"]),
    ("worker-src", ["'self'"]),
    ("object-src", ["'none'"]),
    ("base-uri", ["'self'"]),
    ("form-action", ["'self'"]),
]
HEADER_ONLY: list[tuple[str, list[str]]] = [("frame-ancestors", ["'self'"])]

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.DOTALL | re.IGNORECASE)
_SRC_ATTR = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_TYPE_ATTR = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
# Types a browser executes; anything else (application/json, text/x-template ...) is a data block.
_EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module", "text/ecmascript"}
_META = re.compile(r"""<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>""", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)


def inline_scripts(page_html: str) -> list[str]:
    """Bodies of the inline scripts that a browser would execute."""
    bodies = []
    for attrs, body in _SCRIPT.findall(page_html):
        if _SRC_ATTR.search(attrs):
            continue
        match = _TYPE_ATTR.search(attrs)
        script_type = match.group(1).lower() if match else ""
        if script_type in _EXECUTABLE_TYPES:
            bodies.append(body)
    return bodies


def script_hash(body: str) -> str:
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def policy(hashes: Iterable[str] = (), header: bool = False) -> str:
    directives = BASE_DIRECTIVES + (HEADER_ONLY if header else [])
    parts = []
    for name, sources in directives:
        if name == "script-src":
            sources = sources + sorted(set(hashes))
        parts.append(f"{name} {' '.join(sources)}")
    return "; ".join(parts)


def meta_tag(content: str) -> str:
    assert '"' not in content
    return f'<meta http-equiv="Content-Security-Policy" content="{html.escape(content, quote=False)}">'


def apply(page_html: str, seen: set[str] | None = None, enabled: bool = True) -> str:
    """Fill in (or add) this page's CSP meta; record its inline-script hashes in `seen`."""
    if not _HEAD.search(page_html):
        return page_html  # not an HTML page (sitemap.xml ...)
    if not enabled:
        return page_html.replace(meta_tag(PLACEHOLDER), "", 1)
    hashes = {script_hash(body) for body in inline_scripts(page_html)}
    if seen is not None:
        seen |= hashes
    tag = meta_tag(policy(hashes))
    placeholder_tag = meta_tag(PLACEHOLDER)
    if placeholder_tag in page_html:
        return page_html.replace(placeholder_tag, tag, 1)
    if _META.search(page_html):
        return page_html  # the page set its own policy on purpose; tests check it
    # A template that does not extend main.html: put the policy first in <head>.
    head = _HEAD.search(page_html)
    assert head is not None
    return page_html[: head.end()] + tag + page_html[head.end() :]


def write_policy_file(site_dir: Path, hashes: Iterable[str]) -> Path:
    path = site_dir / POLICY_FILE
    path.write_text(policy(hashes, header=True) + "\n", encoding="utf-8")
    return path


def site_policy(site_dir: Path) -> str:
    """The header policy of a built site (the union of every page's hashes), read back from HTML."""
    hashes: set[str] = set()
    for page in sorted(site_dir.rglob("*.html")):
        hashes |= {script_hash(b) for b in inline_scripts(page.read_text(encoding="utf-8"))}
    return policy(hashes, header=True)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Print the Content-Security-Policy header of a built site.")
    parser.add_argument("site_dir", nargs="?", default="site", type=Path)
    print(site_policy(parser.parse_args().site_dir))


if __name__ == "__main__":
    main()
