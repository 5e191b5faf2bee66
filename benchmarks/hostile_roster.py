"""Benchmark: each hostile roster file (tests/hostile_rosters.py) through the CLI and the browser.

Prints one table row per file: attack -> message -> seconds -> peak memory, asserts nothing
(then the same for hostile case files, through `decide` and the wizard's 导入案情)
(targets, judged by people: each refusal within 2 s and 300 MB).  Usage:

    .venv/bin/python benchmarks/hostile_roster.py [--site site] [--no-browser] [--no-cli] [--no-cases]
        [--only NAME ...]

CLI: `python -m decision batch FILE` in a subprocess; seconds are wall time, peak memory is the
child's own maximum resident set (os.wait4's rusage, so no other process counts).
Browser: the roster page in Debian's Chromium; seconds from choosing the file to the page's
message (its own clock, data-total-ms, or the driver's when the file is refused); peak memory
is the worker's wasm heap after the file (Pyodide's memory only grows, so this is its peak)
and the renderer process's VmHWM (benchmarks/roster_10k.py explains both).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

AS_OF = "2026-11-01"


def short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def cli_run(path: Path) -> tuple[int, str, float, float]:
    """(exit status, last line of stderr, wall seconds, peak RSS in MiB) of one batch run."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "decision", "batch", "--as-of", AS_OF, str(path)],
            cwd=ROOT,
            stdout=out,
            stderr=err,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        err.seek(0)
        text = err.read().decode("utf-8", "replace")
    lines = [line for line in text.splitlines() if line.strip()]
    if "Traceback" in text:
        message = "TRACEBACK: " + (lines[-1] if lines else "")
    elif proc.returncode == 0:
        wanted = [line for line in lines if "第" in line and "行" in line and "：" in line]
        message = (wanted or lines or [""])[0]
    else:
        message = lines[-1].split(" | ", 1)[-1] if lines else ""
    return proc.returncode, message, wall, usage.ru_maxrss / 1024


def bench_cli(items) -> None:
    print("\nCLI: python -m decision batch FILE")
    print(f"{'attack':58} | exit | {'seconds':>7} | {'peak MiB':>8} | message")
    for item, path in items:
        code, message, wall, peak = cli_run(path)
        print(f"{item.attack[:58]:58} | {code:4} | {wall:7.2f} | {peak:8.0f} | {short(message)}")


# Case files for `decide` and the wizard's 导入案情 (decision/case_file.py): attack -> bytes.
CASE_ATTACKS = {
    "case nested 10,000 deep (20 KB)": b"[" * 10_000 + b"]" * 10_000,
    "case nested 10,000 deep inside a fact": b'{"contact": ' + b"[" * 10_000 + b"]" * 10_000 + b"}",
    "case: unclosed string of 49,000 escaped quotes": b'{"a": "' + b'\\"' * 49_000,
    "case in UTF-16 (Notepad's Unicode)": '{"contact": "lost", "member": "full"}'.encode("utf-16"),
}


def case_cli_run(path: Path) -> tuple[int, str, float, float]:
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "decision", "decide", str(path)], cwd=ROOT, stdout=out, stderr=err
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        err.seek(0)
        text = err.read().decode("utf-8", "replace").strip()
    message = text.split(" | ", 1)[-1] if text else "(outcome printed)"
    return os.waitstatus_to_exitcode(status), message, wall, usage.ru_maxrss / 1024


def bench_cases_cli(directory: Path) -> None:
    print("\nCLI: python -m decision decide FILE")
    print(f"{'attack':58} | exit | {'seconds':>7} | {'peak MiB':>8} | message")
    for attack, data in CASE_ATTACKS.items():
        path = directory / "case.json"
        path.write_bytes(data)
        code, message, wall, peak = case_cli_run(path)
        print(f"{attack[:58]:58} | {code:4} | {wall:7.2f} | {peak:8.0f} | {short(message)}")


def bench_cases_browser(site: Path) -> None:
    from playwright.sync_api import sync_playwright
    from roster_10k import renderer_peak_kib

    from build_scripts.tools.serve import serve_in_thread
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    existing = {int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()}
    server, url = serve_in_thread(site)
    print(
        "\nBrowser: the wizard's 导入案情, one fresh page per file (seconds from choosing the file to the page's answer)"
    )
    print(f"{'attack':58} | {'seconds':>7} | {'renderer peak MiB':>17} | engine | message")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for attack, data in CASE_ATTACKS.items():
                page = browser.new_page()
                page.goto(url + "wizard/#contact=lost")
                page.wait_for_selector("[data-wizard][data-state=ready]", timeout=120_000)
                page.wait_for_selector("[data-wizard]:not([data-pending])", timeout=120_000)
                before = page.evaluate("location.hash")
                started = time.perf_counter()
                page.set_input_files(
                    "#wizard-import",
                    files=[{"name": "case.json", "mimeType": "application/json", "buffer": data}],
                )
                page.wait_for_function(
                    "before => !document.querySelector('[data-wizard-alert]').hidden || location.hash !== before",
                    arg=before,
                    timeout=120_000,
                )
                seconds = time.perf_counter() - started
                alert = page.locator("[data-wizard-alert]")
                message = (
                    alert.inner_text()
                    if alert.is_visible()
                    else "imported: " + page.evaluate("location.hash")
                )
                state = page.get_attribute("[data-wizard]", "data-state")
                peak = renderer_peak_kib(existing) / 1024
                print(f"{attack[:58]:58} | {seconds:7.2f} | {peak:17.0f} | {state:6} | {short(message)}")
                page.close()
            browser.close()
    finally:
        server.shutdown()


def bench_browser(items, site: Path) -> None:
    from playwright.sync_api import sync_playwright
    from roster_10k import renderer_peak_kib

    from build_scripts.tools.serve import serve_in_thread
    from tests.conftest import CHROMIUM, CHROMIUM_ARGS

    existing = {int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()}
    server, url = serve_in_thread(site)
    print("\nBrowser: the roster page, one fresh page per file")
    print(f"{'attack':58} | {'seconds':>7} | {'wasm MB':>7} | {'renderer peak MiB':>17} | message")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            for item, path in items:
                if not item.browser:
                    continue
                page = browser.new_page()
                page.goto(url + "roster/")
                page.wait_for_selector("#roster[data-state=ready]", timeout=120_000)
                page.fill("[data-roster-as-of]", AS_OF)
                page.evaluate("document.getElementById('roster').dataset.state = 'bench'")
                started = time.perf_counter()
                page.set_input_files("[data-roster-file]", str(path))
                page.wait_for_selector("#roster[data-state=done]", timeout=300_000)
                seconds = time.perf_counter() - started
                alert = page.locator("[data-roster-alert]")
                if alert.is_visible():
                    message = alert.inner_text()
                else:
                    problems = (
                        page.inner_text("[data-roster-problem-list]")
                        if page.locator("[data-roster-problems]").is_visible()
                        else ""
                    )
                    message = (problems.splitlines() or [page.inner_text("[data-roster-status]")])[0]
                wasm = page.get_attribute("#roster", "data-wasm-bytes")
                wasm_mb = int(wasm) / 1e6 if wasm else float("nan")
                peak = renderer_peak_kib(existing) / 1024
                print(
                    f"{item.attack[:58]:58} | {seconds:7.2f} | {wasm_mb:7.0f} | {peak:17.0f} | {short(message)}"
                )
                page.close()
            browser.close()
    finally:
        server.shutdown()


def main() -> None:
    import hostile_rosters

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=Path(os.environ.get("SITE_DIR", ROOT / "site")))
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--no-cli", action="store_true")
    parser.add_argument("--no-cases", action="store_true", help="no hostile case files (decide, 导入案情)")
    parser.add_argument("--only", nargs="*", help="file names from the corpus (e.g. row2e9.xlsx)")
    args = parser.parse_args()
    print(f"load average before: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with tempfile.TemporaryDirectory() as tmp:
        items = hostile_rosters.generate(Path(tmp), args.only)
        if not args.no_cli:
            bench_cli(items)
            if not args.no_cases:
                bench_cases_cli(Path(tmp))
        if not args.no_browser:
            bench_browser(items, args.site)
            if not args.no_cases:
                bench_cases_browser(args.site)


if __name__ == "__main__":
    main()
