"""Code quality gates inside `make test`: ruff (lint + format check) over the repository's
Python, and mypy on the engine (`decision/`).  Configuration: pyproject.toml.

`make lint` runs the same three commands for a quick look before committing.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, check=False)


def test_ruff_lint_is_clean():
    result = run("ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = run("ruff", "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_on_the_engine_is_clean(tmp_path):
    # Configuration (files = ["decision"], flags) comes from pyproject.toml.
    result = run("mypy", "--cache-dir", str(tmp_path / "mypy-cache"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "decision" in (PYPROJECT.read_text(encoding="utf-8")), "mypy's files no longer name decision/"


# --- each gate can fail ----------------------------------------------------------------------

BAD_LINT = "import os\n\n\ndef f(x):\n    return x\n"
BAD_FORMAT = "def f( x ):\n  return {'a':x}\n"
BAD_TYPES = 'def count(items: list[str]) -> int:\n    return ",".join(items)\n'


def test_ruff_lint_fails_on_an_unused_import(tmp_path):
    bad = tmp_path / "bad_lint.py"
    bad.write_text(BAD_LINT, encoding="utf-8")
    result = run("ruff", "check", "--no-cache", "--config", str(PYPROJECT), str(bad))
    assert result.returncode == 1
    assert "F401" in result.stdout


def test_ruff_format_check_fails_on_unformatted_code(tmp_path):
    bad = tmp_path / "bad_format.py"
    bad.write_text(BAD_FORMAT, encoding="utf-8")
    result = run("ruff", "format", "--check", "--no-cache", "--config", str(PYPROJECT), str(bad))
    assert result.returncode == 1
    assert "bad_format.py" in result.stdout


def test_mypy_fails_on_a_type_error(tmp_path):
    package = tmp_path / "decision"
    package.mkdir()
    (package / "__init__.py").write_text(BAD_TYPES, encoding="utf-8")
    result = run(
        "mypy",
        "--config-file",
        str(PYPROJECT),
        "--cache-dir",
        str(tmp_path / "cache"),
        "decision",
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "Incompatible return value type" in result.stdout
