"""Compile decision/rules/*.yaml into decision/rules.json, the form the runtime reads.

The engine's runtime must need only the standard library (it runs under Pyodide with no
wheels), so YAML is parsed here, at build time, and never at run time.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
RULES_DIR = ROOT / "decision" / "rules"
COMPILED = ROOT / "decision" / "rules.json"


def compile_rules() -> dict:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in sorted(RULES_DIR.glob("*.yaml"))}


def main() -> None:
    text = json.dumps(compile_rules(), ensure_ascii=False, indent=1, sort_keys=False) + "\n"
    if not COMPILED.exists() or COMPILED.read_text(encoding="utf-8") != text:
        COMPILED.write_text(text, encoding="utf-8")
    print(f"rules: {COMPILED.relative_to(ROOT)} ({len(text.encode())} bytes)")


if __name__ == "__main__":
    main()
