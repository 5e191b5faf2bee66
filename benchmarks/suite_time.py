"""Benchmark: how long the README's test command takes, cold and warm (the suite-time target:
cold <= 15 min, warm <= 6 min on a 2-core machine).

Cold: a fresh `git clone` of the committed tree into a temporary directory, nothing installed in it
(no .venv, no node_modules, no built site; system packages such as Debian's chromium are what the
machine has), then `make test`.  Warm: `make test` again in the same clone.  Prints figures and the
load average (the machine may be shared), asserts nothing.  Usage:

    .venv/bin/python benchmarks/suite_time.py [--repo .] [--keep] [--warm-only DIR]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_make_test(clone: Path, label: str) -> float:
    load = os.getloadavg()
    started = time.monotonic()
    result = subprocess.run(["make", "test"], cwd=clone, capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    summary = [line for line in result.stdout.splitlines() if re.search(r"\d+ (passed|failed)", line)]
    gates = re.findall(r"^(axe-core over .*|360px: .*)$", result.stdout, re.MULTILINE)
    print(f"{label}: {seconds / 60:.1f} min ({seconds:.0f} s), exit {result.returncode}")
    print(f"  load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} ({os.cpu_count()} CPUs)")
    for line in summary[-1:] + gates:
        print(f"  {line.strip('= ')}")
    if result.returncode != 0:
        failed = [line for line in result.stdout.splitlines() if line.startswith("FAILED")]
        print("  " + "\n  ".join(failed[:20] or result.stderr.splitlines()[-10:]))
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", default=str(ROOT), help="repository to clone (its committed HEAD)")
    parser.add_argument("--keep", action="store_true", help="keep the clone")
    parser.add_argument("--warm-only", type=Path, help="an existing clone: time one warm run only")
    args = parser.parse_args()
    if args.warm_only:
        run_make_test(args.warm_only, "warm")
        return
    clone = Path(tempfile.mkdtemp(prefix="suite-time-")) / "repo"
    subprocess.run(["git", "clone", "--quiet", args.repo, str(clone)], check=True)
    head = subprocess.run(
        ["git", "log", "-1", "--format=%h %s"], cwd=clone, capture_output=True, text=True, check=True
    )
    print(f"clone of {args.repo} at {head.stdout.strip()}")
    try:
        run_make_test(clone, "cold")
        run_make_test(clone, "warm")
    finally:
        if args.keep:
            print(f"clone kept at {clone}")
        else:
            shutil.rmtree(clone.parent, ignore_errors=True)


if __name__ == "__main__":
    main()
