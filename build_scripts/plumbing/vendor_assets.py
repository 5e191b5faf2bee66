"""Front-end assets installed from npm (package-lock.json) and served by the site itself.

Intranets have no internet: nothing may come from a CDN at run time.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = ROOT / "node_modules"

# (npm file, path in the site).  Pyodide's core runtime only: the engine needs no wheels.
VENDORED = [
    ("pyodide/pyodide.mjs", "assets/vendor/pyodide/pyodide.mjs"),
    ("pyodide/pyodide.asm.mjs", "assets/vendor/pyodide/pyodide.asm.mjs"),
    ("pyodide/pyodide.asm.wasm", "assets/vendor/pyodide/pyodide.asm.wasm"),
    ("pyodide/python_stdlib.zip", "assets/vendor/pyodide/python_stdlib.zip"),
    ("pyodide/pyodide-lock.json", "assets/vendor/pyodide/pyodide-lock.json"),
    ("mermaid/dist/mermaid.min.js", "assets/vendor/mermaid/mermaid.min.js"),
]


def files() -> Iterator[tuple[str, str | bytes | Path]]:
    for npm_path, site_path in VENDORED:
        source = NODE_MODULES / npm_path
        if not source.is_file():
            raise SystemExit(f"build: {source} is missing; run `make setup` (npm ci) first")
        yield (site_path, source)
