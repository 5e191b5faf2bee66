"""The portable build's post-processing, run over the built site by build_scripts/build.py (the
`post --portable` step) after MkDocs has rendered it: each page's module scripts become classic
bundles and its folder links get index.html; then the data scripts, the inlined search index and
the shim are written, and the files only a server can deliver are dropped."""

from __future__ import annotations

import shutil
from pathlib import Path

from build_scripts.portable import links, payload, scripts

SHIM_SOURCE = Path(__file__).resolve().parent / "js" / "portable.js"
# Served-only files: the portable build delivers these through its data scripts.
SERVED_ONLY = [
    "assets/vendor/pyodide",
    payload.ENGINE_ZIP,
    payload.ENGINE_SNAPSHOT,
    "search/search_index.json",
]


def on_post_page(output: str, page_url: str, page_modules: set[str]) -> str:
    """One page: module scripts to classic bundles (their site paths are added to `page_modules`)."""
    output = scripts.rewrite(output, page_url, page_modules)
    return links.rewrite_html(output)


def on_post_build(site_dir: Path, docs_dir: Path, page_modules: set[str], search_wrapper: str) -> None:
    """The whole site, after every page: `search_wrapper` is the site path of the search worker."""
    shim = site_dir / scripts.SHIM
    shim.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SHIM_SOURCE, shim)
    index = site_dir / "search" / "search_index.json"
    (site_dir / "search" / "search_index.js").write_text(
        links.search_index_script(index.read_text(encoding="utf-8")), encoding="utf-8"
    )
    payload.write(site_dir, docs_dir, page_modules, search_wrapper)
    for rel in SERVED_ONLY:
        path = site_dir / rel
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    for module in (site_dir / "assets" / "js").rglob("*.mjs"):
        module.unlink()
