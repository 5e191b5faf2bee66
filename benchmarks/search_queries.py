"""Benchmark: the site's search on the query set of tests/search_queries.yaml, in Debian's Chromium.

Prints figures, asserts nothing (the hit-rate targets are asserted by tests/test_search_queries.py):

- the search index: bytes, sections, sections with a `keywords` field;
- time to first results: page load to the first query's results (the worker downloads and indexes
  search_index.json on first use);
- per query: time from typing to the first rendered answer, p50 and p95 over all queries and
  several rounds (polled every 5 ms);
- hit@1 and hit@5, and the same without the query rewrite (Material's own worker; the index with
  its keywords field and the heading weight stay), so the wrapper's effect is visible.

Usage:

    .venv/bin/python benchmarks/search_queries.py [--site site] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from conftest import CHROMIUM, CHROMIUM_ARGS
from test_search_queries import load_queries, location, matches, run_query

from build_scripts.tools.serve import serve_in_thread


def hit_rates(page, base_url: str, queries: list[dict], times: list[float]) -> tuple[int, int]:
    hit1 = hit5 = 0
    for entry in queries:
        results = [location(h, base_url) for h in run_query(page, entry["q"], times)]
        rank = next((i for i, loc in enumerate(results, 1) if matches(loc, entry["expect"])), None)
        hit1 += rank == 1
        hit5 += rank is not None and rank <= 5
    return hit1, hit5


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", default=str(ROOT / "site"), type=Path)
    parser.add_argument("--rounds", default=3, type=int)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    index = json.loads((args.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    size = (args.site / "search" / "search_index.json").stat().st_size
    with_keywords = sum(1 for d in index["docs"] if "keywords" in d)
    print(f"index: {size / 1024:.0f} KiB, {len(index['docs'])} sections, {with_keywords} with keywords")

    queries = load_queries()
    server, base_url = serve_in_thread(args.site)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for label, wrapper in (("without", False), ("with rewrite", True)):
                context = browser.new_context(locale="zh-CN")
                page = context.new_page()
                if not wrapper:
                    # Serve every page with Material's own worker in __config instead of the wrapper.
                    def plain(route):
                        response = route.fetch()
                        body = response.text().replace(
                            "assets/javascripts/workers/search-zh.js",
                            "assets/javascripts/workers/" + _material_worker(args.site),
                        )
                        route.fulfill(response=response, body=body)

                    context.route("**/notice/", plain)
                start = time.perf_counter()
                page.goto(base_url + "notice/")
                page.locator("input.md-search__input").click()
                run_query(page, queries[0]["q"])
                first = (time.perf_counter() - start) * 1000
                times: list[float] = []
                for _ in range(args.rounds if wrapper else 1):
                    hit1, hit5 = hit_rates(page, base_url, queries, times)
                n = len(queries)
                times.sort()
                p95 = times[int(0.95 * (len(times) - 1))]
                print(
                    f"{label:>14}: hit@1 {hit1}/{n} = {hit1 / n:.1%}  hit@5 {hit5}/{n} = {hit5 / n:.1%}  "
                    f"first results {first:.0f} ms  per query p50 {statistics.median(times):.0f} ms  p95 {p95:.0f} ms"
                )
                context.close()
            browser.close()
    finally:
        server.shutdown()


def _material_worker(site: Path) -> str:
    found = sorted(p.name for p in (site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    return found[0]


if __name__ == "__main__":
    main()
