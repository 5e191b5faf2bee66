"""Link and anchor integrity of a built site: every internal link, asset and #fragment resolves.

Pages are discovered from the built site (every *.html), so new pages are covered without a list.
Run: `python -m build_scripts.tools.check_links site/` (exit 1 and one line per broken link).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

# Attributes that name another resource of the site.
LINK_ATTRS = {
    "a": "href",
    "area": "href",
    "link": "href",
    "script": "src",
    "img": "src",
    "source": "src",
    "iframe": "src",
    "audio": "src",
    "video": "src",
    "embed": "src",
    "form": "action",
}
BASE = "http://site.invalid/"


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[tuple[str, str]] = []  # (tag, url)

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        for key in ("id", "name") if tag in ("a", "map") else ("id",):
            if values.get(key):
                self.ids.add(values[key] or "")
        # URLs handed to page scripts (data-notice-url="../notice/"): links all the same.
        for key, value in values.items():
            if key.startswith("data-") and key.endswith(("-url", "-href", "-src")) and value:
                self.links.append((f"{tag} {key}", value))
        attr = LINK_ATTRS.get(tag)
        if attr and values.get(attr) is not None:
            if tag == "link" and (values.get("rel") or "") in ("canonical", "alternate"):
                return  # may legitimately point at the public URL of the site
            self.links.append((tag, values[attr] or ""))
        if tag == "img" and values.get("srcset"):
            for candidate in (values["srcset"] or "").split(","):
                if candidate.strip():
                    self.links.append((tag, candidate.split()[0]))


@dataclass
class Report:
    pages: int = 0
    links: int = 0  # internal links and assets checked
    fragments: int = 0  # of which with a #fragment checked against the target's ids
    external: list[str] = field(default_factory=list)  # links off the site (for people; listed only)
    broken: list[str] = field(default_factory=list)


def parse(path: Path) -> _PageParser:
    parser = _PageParser()
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return parser


def page_url(site_dir: Path, path: Path) -> str:
    return BASE + path.relative_to(site_dir).as_posix()


def target_file(site_dir: Path, url_path: str) -> Path | None:
    """The file a URL path of the site serves, as the server and mkdocs' directory URLs do."""
    rel = unquote(url_path).lstrip("/")
    candidate = site_dir / rel
    if rel == "" or rel.endswith("/") or candidate.is_dir():
        candidate = candidate / "index.html"
    try:
        candidate.resolve().relative_to(site_dir.resolve())
    except ValueError:
        return None  # escapes the site
    return candidate if candidate.is_file() else None


def check_site(site_dir: Path) -> Report:
    site_dir = Path(site_dir)
    report = Report()
    parsed = {path: parse(path) for path in sorted(site_dir.rglob("*.html"))}
    ids = {path.resolve(): p.ids for path, p in parsed.items()}
    report.pages = len(parsed)
    for path, page in parsed.items():
        here = page_url(site_dir, path)
        where = path.relative_to(site_dir).as_posix()
        # 404.html is served at any depth: mkdocs gives it absolute (/...) links, resolve from root.
        for tag, raw in page.links:
            url = raw.strip()
            if not url or url.startswith(("mailto:", "tel:", "data:", "blob:", "javascript:")):
                if url.startswith("javascript:"):
                    report.broken.append(f"{where}: <{tag}> javascript: URL {url[:60]}")
                continue
            absolute = urljoin(here, url)
            parts = urlsplit(absolute)
            if f"{parts.scheme}://{parts.netloc}/" != BASE:
                report.external.append(f"{where}: {url}")
                continue
            report.links += 1
            target = target_file(site_dir, parts.path)
            if target is None:
                report.broken.append(f"{where}: <{tag}> {url} -> no file for {parts.path}")
                continue
            # A fragment of key=value pairs is page state, not an anchor: the wizard takes a case's
            # facts from it (wizard/#as_of=…&contact=…).  tests/test_rule_pages.py checks those facts.
            if parts.fragment and "=" not in parts.fragment and target.suffix == ".html":
                report.fragments += 1
                fragment = unquote(parts.fragment)
                if fragment not in ids.get(target.resolve(), set()):
                    rel = target.relative_to(site_dir).as_posix()
                    report.broken.append(f"{where}: <{tag}> {url} -> no id {fragment!r} in {rel}")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site_dir", nargs="?", default="site", type=Path)
    report = check_site(parser.parse_args().site_dir)
    for line in report.broken:
        print(line)
    print(
        f"{report.pages} pages, {report.links} internal links ({report.fragments} with #fragment), "
        f"{len(report.external)} external, {len(report.broken)} broken"
    )
    sys.exit(1 if report.broken else 0)


if __name__ == "__main__":
    main()
