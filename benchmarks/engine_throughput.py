"""Benchmark: decisions per second over the exhaustive set of paths, on CPython.

Prints figures, asserts nothing.  Wall-clock and CPU time are both shown: on a shared machine
the CPU figure is the steadier one.  Usage:

    .venv/bin/python benchmarks/engine_throughput.py [--repeat 20]
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
    parser.add_argument("--repeat", type=int, default=20, help="passes over the exhaustive set")
    args = parser.parse_args()

    from build_scripts.plumbing import compile_rules

    compile_rules.main()
    import decision
    from build_scripts.tools.paths import enumerate_paths

    start = time.perf_counter()
    enumeration = enumerate_paths(decision.decide)
    enum_seconds = time.perf_counter() - start
    cases = [facts for facts, _ in enumeration.paths]
    partial = []  # every incomplete prefix too: what the wizard asks on each click
    for facts in cases:
        items = list(facts.items())
        partial += [dict(items[:n]) for n in range(1, len(items))]

    decide = decision.decide
    for name, batch in (("complete paths", cases), ("all prefixes (wizard clicks)", partial)):
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.repeat):
            for facts in batch:
                decide(facts)
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
        n = len(batch) * args.repeat
        print(
            f"{name:30s} {n:8d} decisions: wall {seconds:6.2f} s = {n / seconds:7.0f}/s, "
            f"CPU {cpu:6.2f} s = {n / cpu:7.0f}/s ({cpu / n * 1e6:.0f} µs each)"
        )
    print(
        f"exhaustive set: {len(enumeration.paths)} paths, {enumeration.distinct_outcomes()} distinct outcomes, "
        f"{len(enumeration.dead_ends)} dead ends, {enumeration.calls} decide() calls to enumerate "
        f"({enum_seconds:.2f} s)"
    )
    print(f"python {sys.version.split()[0]}, rules digest {decision.rules_digest()}")


if __name__ == "__main__":
    main()
