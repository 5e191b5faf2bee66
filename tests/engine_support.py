"""Helpers shared by tests/test_engine*.py (not a test module)."""

from __future__ import annotations

from pathlib import Path

from build_scripts.plumbing import strict_yaml

ROOT = Path(__file__).resolve().parent.parent
CASES_DIR = ROOT / "decision" / "cases"
DEFAULT_AS_OF = "2025-06-30"


def compile_rules() -> None:
    from build_scripts.plumbing import compile_rules as cr

    cr.main()


def load_cases() -> list[tuple[str, dict]]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for n, case in enumerate(strict_yaml.load(path) or [], 1):
            cases.append((f"{path.stem}#{n} {case.get('name', '?')}", case))
    return cases
