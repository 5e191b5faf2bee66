"""The portable build's part of the MkDocs hooks (build_scripts/hooks.py calls these only when
`extra.portable` is set, by mkdocs-portable.yml)."""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.structure.files import File

from build_scripts.portable import links, payload, scripts

SHIM_SOURCE = Path(__file__).resolve().parent / "js" / "portable.js"
# Served-only files: the portable build delivers these through its data scripts.
SERVED_ONLY = [
    "assets/vendor/pyodide",
    payload.ENGINE_ZIP,
    payload.ENGINE_SNAPSHOT,
    "search/search_index.json",
]

# Site paths of the module scripts the pages load (bundled after the build).
_page_modules: set[str] = set()


def enabled(config) -> bool:
    return bool(config.get("extra", {}).get("portable"))


def on_pre_build() -> None:
    _page_modules.clear()


def files(config):
    yield File.generated(config, scripts.SHIM, abs_src_path=str(SHIM_SOURCE))


def on_post_page(output: str, page) -> str:
    output = scripts.rewrite(output, page.url, _page_modules)
    return links.rewrite_html(output)


def on_post_build(site_dir: Path, docs_dir: Path) -> None:
    index = site_dir / "search" / "search_index.json"
    (site_dir / "search" / "search_index.js").write_text(
        links.search_index_script(index.read_text(encoding="utf-8")), encoding="utf-8"
    )
    payload.write(site_dir, docs_dir, _page_modules)
    for rel in SERVED_ONLY:
        path = site_dir / rel
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()
    for module in (site_dir / "assets" / "js").rglob("*.mjs"):
        module.unlink()
