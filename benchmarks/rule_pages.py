"""Benchmark: what the pages generated from the rules cost the build, and how big they are.

Prints figures, asserts nothing: the engine walk behind the flowchart and examples (calls, graph
size), the time to generate each page's Markdown (CPU and wall clock), and, if a built site is given,
the size of each built page and of the Mermaid bundle that only the flowchart page loads.  Usage:

    .venv/bin/python benchmarks/rule_pages.py [--site SITE_DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--site", type=Path, help="a built site, to report page sizes")
    args = parser.parse_args()

    from build_scripts.plumbing import compile_rules

    compile_rules.main()
    from build_scripts.pages import coverage, disposition_pages, flowchart, training
    from build_scripts.pages import pagekit as pk

    wall, cpu = time.perf_counter(), time.process_time()
    tree = pk.explore()
    print(
        f"explore: {tree.calls} engine calls, {len(tree.paths)} complete paths, {len(tree.nodes)} graph nodes, "
        f"{len(tree.leaves_by_rule)} of {len(pk.rules()['dispositions'])} rules reachable "
        f"({time.perf_counter() - wall:.3f} s wall, {time.process_time() - cpu:.3f} s CPU)"
    )
    makers = {pk.DISPOSITIONS_INDEX: disposition_pages.index_page}
    for code in pk.disposition_codes():
        makers[pk.disposition_page(code)] = lambda code=code: disposition_pages.page(code)
    makers[pk.FLOWCHART_PAGE] = flowchart.page
    makers[pk.COVERAGE_PAGE] = coverage.page
    makers[pk.TRAINING_INDEX] = training.index_page
    makers[pk.QUIZ_PAGE] = training.quiz_page
    makers[pk.HANDOUT_PAGE] = training.handout_page
    total_wall, total_cpu = time.perf_counter(), time.process_time()
    for src, make in makers.items():
        wall, cpu = time.perf_counter(), time.process_time()
        text = make()
        size = len(text.encode("utf-8"))
        print(
            f"{src:40s} {size / 1024:7.1f} KiB Markdown  "
            f"{(time.perf_counter() - wall) * 1000:7.1f} ms wall {(time.process_time() - cpu) * 1000:7.1f} ms CPU"
        )
    print(
        f"all {len(makers)} pages: {time.perf_counter() - total_wall:.3f} s wall, "
        f"{time.process_time() - total_cpu:.3f} s CPU (after the walk)"
    )
    if args.site:
        total = 0
        for src in makers:
            path = args.site / pk.page_url(src) / "index.html"
            if path.is_file():
                total += path.stat().st_size
                print(f"built {pk.page_url(src) or '/':36s} {path.stat().st_size / 1024:7.1f} KiB")
        print(f"built pages total: {total / 1024:.1f} KiB")
        mermaid = args.site / "assets" / "vendor" / "mermaid" / "mermaid.min.js"
        if mermaid.is_file():
            print(f"mermaid.min.js (flowchart page only): {mermaid.stat().st_size / 1024 / 1024:.2f} MiB")


if __name__ == "__main__":
    main()
