"""Benchmark: the wizard from the portable build (file://) against the served build (HTTP).

Prints figures, asserts nothing.  Cold loads in Debian's Chromium, each in a fresh browser
context, served and portable interleaved so that a busy machine slows them alike.  Medians, in
ms from navigation start (performance marks set by wizard.mjs and build_scripts/portable):

- first question: the page script has attached its handlers;
- data loaded (portable only): the worker's bundle and payload data scripts have arrived and its
  Blob worker is started;
- booted: Pyodide is up (worker progress stage 2; in the portable build this includes decoding
  the base64 payload and gunzipping the wasm);
- ready: the engine imported and one warm-up decision made.

Also prints the size of the portable build, unpacked and as its zip if one is in dist/.

    .venv/bin/python benchmarks/portable_load.py [--site site] [--portable site-portable] [--loads 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"]
TIMEOUT = 180_000
MARKS = ("wizard:first-question", "portable:data-loaded:worker-wizard", "wizard:stage-2", "wizard:ready")


def load(browser, url) -> dict[str, float]:
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.wait_for_selector("[data-wizard][data-state=ready]", timeout=TIMEOUT)
    marks = page.evaluate(
        "() => Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, m.startTime]))"
    )
    context.close()
    return marks


def size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", default=ROOT / "site", type=Path)
    parser.add_argument("--portable", default=ROOT / "site-portable", type=Path)
    parser.add_argument("--loads", default=5, type=int)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    from build_scripts.tools.serve import serve_in_thread

    server, base = serve_in_thread(args.site.resolve())
    runs: dict[str, list[dict[str, float]]] = {"served": [], "portable": []}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            for _ in range(args.loads):
                runs["served"].append(load(browser, base + "wizard/"))
                runs["portable"].append(
                    load(browser, (args.portable.resolve() / "wizard" / "index.html").as_uri())
                )
            browser.close()
    finally:
        server.shutdown()
    print(f"wizard, cold loads (median of {args.loads}, ms from navigation start)")
    print(f"{'':12}" + "".join(f"{m.split(':', 1)[1][:22]:>24}" for m in MARKS))
    for kind, loads in runs.items():
        cells = []
        for mark in MARKS:
            values = [run[mark] for run in loads if mark in run]
            cells.append(f"{statistics.median(values):24.0f}" if values else f"{'-':>24}")
        print(f"{kind:12}" + "".join(cells))
    count, total = size(args.portable)
    print(f"portable build: {count} files, {total / 1e6:.1f} MB unpacked")
    for zip_path in sorted((ROOT / "dist").glob("site-portable-*.zip")):
        print(f"portable zip: {zip_path.name} {zip_path.stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
