"""The engine package runs unchanged under Pyodide (the vendored npm build, in Node) and gives the
same outcome as CPython for every path of the exhaustive set and every case file."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from tests.engine_support import DEFAULT_AS_OF, ROOT, compile_rules, load_cases

compile_rules()

import decision
from build_scripts.tools import paths

SCRIPT = ROOT / "tests" / "js" / "engine_in_pyodide.mjs"


def _cpython(facts):
    try:
        return decision.decide(facts)
    except decision.InvalidCase as exc:
        return {"invalid": exc.key}


def test_pyodide_gives_the_same_outcomes(tmp_path):
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").is_file():
        pytest.fail("node and node_modules/pyodide are needed: run `make setup`")
    cases = [facts for facts, _ in paths.enumerate_paths(decision.decide).paths]
    for _, case in load_cases():
        facts = case["facts"]
        if isinstance(facts, dict):
            facts = {"as_of": DEFAULT_AS_OF, **facts}
        if not isinstance(facts, dict) or not any(isinstance(v, float) for v in facts.values()):
            cases.append(facts)  # (inf/NaN cannot travel as strict JSON; 6.0 would arrive as 6)
    (tmp_path / "cases.json").write_text(json.dumps(cases), encoding="utf-8")
    result = subprocess.run(
        [node, str(SCRIPT), str(tmp_path / "cases.json")],
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr.decode()[-2000:]
    data = json.loads(result.stdout)
    assert data["python"].startswith("3.") and data["digest"] == decision.rules_digest()
    assert len(data["results"]) == len(cases)
    for facts, theirs in zip(cases, data["results"], strict=True):
        assert theirs == _cpython(facts), facts
    print(f"\npyodide: Python {data['python']}, {len(cases)} cases identical to CPython")
