"""Links to folders, made to name their index.html: a browser shows a file:// folder as a listing.

The portable build keeps the served layout (every page is <folder>/index.html), so a relative link
that works on the server points at the right file once `index.html` is added to its path.
"""

from __future__ import annotations

import json
import re

_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
# Attributes that hold a link, on the theme's markup and the generators' (data-notice-url ...).
_ATTRIBUTE = re.compile(r'(\s(?:href|data-[a-z-]*-url)=")([^"]*)(")')
_JSON_BLOCK = re.compile(r'(<script type="application/json"[^>]*>)(.*?)(</script>)', re.DOTALL)
_JSON_HREF = re.compile(r'("href":\s*")([^"\\]*)(")')
# Mermaid chart sources (the flowchart page): `click <node> href "<url>"` lines become links in the
# drawn chart, which the attribute rewriting above never sees.
_MERMAID_BLOCK = re.compile(r'(<script type="text/x-mermaid"[^>]*>)(.*?)(</script>)', re.DOTALL)
_MERMAID_CLICK = re.compile(r'(\bclick\s+\S+\s+href\s+")([^"]*)(")')


def to_index(url: str) -> str:
    """`../notice/#p-1` -> `../notice/index.html#p-1`; anything else unchanged."""
    if not url or url.startswith(("#", "/", "?")) or _SCHEME.match(url):
        return url
    cut = min((i for i in (url.find("#"), url.find("?")) if i >= 0), default=len(url))
    path, rest = url[:cut], url[cut:]
    if path.endswith("/") or path.rsplit("/", 1)[-1] in (".", ".."):
        path = path.rstrip("/") + "/index.html"
    return path + rest


def rewrite_html(page_html: str) -> str:
    page_html = _ATTRIBUTE.sub(lambda m: m.group(1) + to_index(m.group(2)) + m.group(3), page_html)

    def json_block(match: re.Match) -> str:
        body = _JSON_HREF.sub(lambda m: m.group(1) + to_index(m.group(2)) + m.group(3), match.group(2))
        return match.group(1) + body + match.group(3)

    def mermaid_block(match: re.Match) -> str:
        body = _MERMAID_CLICK.sub(lambda m: m.group(1) + to_index(m.group(2)) + m.group(3), match.group(2))
        return match.group(1) + body + match.group(3)

    page_html = _JSON_BLOCK.sub(json_block, page_html)
    return _MERMAID_BLOCK.sub(mermaid_block, page_html)


def search_index_script(index_json: str) -> str:
    """Material's search index as the script its bundle loads on a file:// page (`var __index`),
    with every result location naming its page's index.html."""
    index = json.loads(index_json)
    for doc in index["docs"]:
        location = doc["location"]  # the home page's sections are "" and "#_2" …
        doc["location"] = "index.html" + location if location[:1] in ("", "#") else to_index(location)
    return "var __index = " + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + ";\n"
