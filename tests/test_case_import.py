"""A case file is read the same way by `python -m decision decide` and by the
wizard's 导入案情 (decision/case_file.py through wizard_bridge's "import" operation), and a file
that is not a case is refused whole, before the engine runs, leaving the current case as it was.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from decision import case_file, limits, wizard_bridge

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2025-06-30"
UNKNOWN_9000 = "{" + ",".join(f'"k{n}":0' for n in range(9000)) + "}"  # 80 KB: under the size bound

DOCUMENTS = {
    "infinity": ('{"as_of": "2025-06-30", "months_out_of_contact": 1e400}', "失联月数"),
    "twelve-point-zero": ('{"as_of": "2025-06-30", "months_out_of_contact": 12.0}', "失联月数"),
    "duplicate-key": ('{"as_of": "2025-06-30", "contact": "lost", "contact": "restored"}', "contact"),
    "9000-unknown-keys": (UNKNOWN_9000, "超过 100 个的上限"),
    "unknown-key-in-export": (
        json.dumps({"format": "shilian-case", "version": 1, "case": {"as_of": AS_OF, "colour": "red"}}),
        "不认识的字段 colour",
    ),
    "nan": ('{"as_of": "2025-06-30", "months_out_of_contact": NaN}', "JSON"),
    "array": ("[1, 2]", "JSON 对象"),
    # 20 KB nested 10,000 deep: json.loads would overflow the browser's WebAssembly stack.
    "nested-10000": ("[" * 10_000 + "]" * 10_000, "嵌套层数（10000 层）超过 20 层"),
    "nested-in-a-fact": ('{"contact": ' + "{" * 30 + "}" * 30 + "}", "超过 20 层"),
}


def run_decide(text: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "decision", "decide"],
        cwd=ROOT,
        input=text.encode(),
        capture_output=True,
        check=False,
    )


def bridge_import(text: str) -> dict:
    return json.loads(wizard_bridge.view_json(json.dumps({"op": "import", "text": text, "today": AS_OF})))


@pytest.mark.parametrize("name", list(DOCUMENTS))
def test_the_cli_and_the_wizard_refuse_the_same_files_with_the_same_message(name):
    text, phrase = DOCUMENTS[name]
    proc = run_decide(text)
    view = bridge_import(text)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2 and stderr.count("\n") == 1 and "Traceback" not in stderr
    assert view["errors"], view
    assert view["errors"][0]["message_zh"] in stderr  # the same Chinese message
    assert phrase in stderr
    # The page keeps the current case when an import has errors (tests/test_wizard.py checks
    # that in the browser): nothing here may come back as facts to replace it.
    assert view["facts"] == {} or view["outcome"] is None or view["errors"]


def test_an_exported_case_is_read_the_same_way_by_both():
    exported = {
        "format": "shilian-case",
        "version": 1,
        "case": {"as_of": AS_OF, "last_contact": "2023-01-10", "contact": "lost", "member": "probationary"},
        "result": {"status": "complete", "disposition": "cancel_probation"},
        "rules_digest": "x",
    }
    text = json.dumps(exported, ensure_ascii=False)
    proc = run_decide(text)
    assert proc.returncode == 0, proc.stderr
    view = bridge_import(text)
    assert view["errors"] == [] and view["facts"] == exported["case"]
    assert json.loads(proc.stdout)["disposition"] == view["outcome"]["disposition"] == "cancel_probation"


def test_thousands_of_unknown_keys_never_reach_the_engine(monkeypatch):
    calls = []
    monkeypatch.setattr(wizard_bridge, "_decide", lambda case: calls.append(case))
    small = "{" + ",".join(f'"k{n}":0' for n in range(limits.CASE_MAX_KEYS)) + "}"
    for text in (UNKNOWN_9000, small):
        view = bridge_import(text)
        assert view["refused"] and view["outcome"] is None
    facts = {f"k{n}": 0 for n in range(9000)}
    view = json.loads(wizard_bridge.view_json(json.dumps({"facts": facts, "today": AS_OF})))
    assert view["errors"] and view["outcome"] is None
    assert calls == []


def test_case_file_bounds_and_messages():
    with pytest.raises(case_file.CaseFileError, match="exceeds"):
        case_file.parse(b" " * (limits.CASE_MAX_BYTES + 1))
    with pytest.raises(case_file.CaseFileError) as info:
        case_file.parse(b'{"a": 1, "a": 2}')
    assert "出现了不止一次" in info.value.message_zh
    assert case_file.parse(b'{"m": 12.0}') == {"m": 12.0} and isinstance(case_file.parse(b"12.0"), float)


def test_nesting_depth_is_counted_outside_strings_in_linear_time():
    assert case_file.nesting_depth('{"a": [1, {"b": "[[[{"}], "c\\"[": 2}') == 3
    assert case_file.nesting_depth('["a\\\\", ["x"]]') == 2
    assert case_file.nesting_depth("[" * 21) == 21
    # Unclosed strings full of escaped quotes: a backtracking scan would take minutes.
    for text in ['"' + '\\"' * 49_000, '["' + '\\"' * 49_000, "[" + '"",' * 33_000 + "]"]:
        assert case_file.nesting_depth(text) <= 1
    with pytest.raises(case_file.CaseFileError, match="nested 21 deep"):
        case_file.parse(b"[" * 21 + b"]" * 21)
    assert case_file.parse(b"[" * 20 + b"]" * 20) == [[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]


def test_decide_reads_a_utf16_case_file_as_the_wizard_does(tmp_path):
    text = json.dumps(
        {"as_of": AS_OF, "last_contact": "2023-01-10", "contact": "lost", "member": "probationary"}
    )
    for encoding in ("utf-16", "utf-16-be"):
        data = text.encode(encoding)
        if encoding == "utf-16-be":
            data = b"\xfe\xff" + data
        path = tmp_path / f"{encoding}.json"
        path.write_bytes(data)
        proc = subprocess.run(
            [sys.executable, "-m", "decision", "decide", str(path)],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        assert proc.returncode == 0, proc.stderr.decode()
        assert json.loads(proc.stdout)["disposition"] == "cancel_probation"


def test_the_cli_reads_at_most_one_byte_over_the_bound(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "decision", "decide", "/dev/zero"],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=60,
    )
    assert proc.returncode == 2 and b"exceeds" in proc.stderr and proc.stderr.count(b"\n") == 1


@pytest.mark.browser
def test_the_wizard_refuses_an_infinite_month_count_and_keeps_the_case(base_url, guarded_page):
    from test_wizard import READY_TIMEOUT, wizard_url
    from wizard_paths import fragment

    page = guarded_page
    case = [("last_contact", "2023-01-10"), ("contact", "lost"), ("member", "probationary")]
    page.goto(wizard_url(base_url, fragment(case)))
    page.wait_for_selector("[data-wizard-result][data-disposition=cancel_probation]", timeout=READY_TIMEOUT)
    before = page.evaluate("location.hash")
    for name in ("infinity", "duplicate-key", "twelve-point-zero", "9000-unknown-keys"):
        text, _ = DOCUMENTS[name]
        expected = bridge_import(text)["errors"][0]["message_zh"]
        page.set_input_files(
            "#wizard-import",
            files=[{"name": "case.json", "mimeType": "application/json", "buffer": text.encode()}],
        )
        page.wait_for_function(
            "t => document.querySelector('[data-wizard-alert]').textContent.includes(t)", arg=expected
        )
        assert "当前案情未改变" in page.inner_text("[data-wizard-alert]"), name
        assert page.evaluate("location.hash") == before, name
        assert page.get_attribute("[data-wizard-result]", "data-disposition") == "cancel_probation"
    page.guard.check()


DEEP = "[" * 10_000 + "]" * 10_000  # 20 KB; json.loads on it overflows Pyodide's WebAssembly stack


def worker_reply(page, request: dict, nest: int = 0) -> dict:
    """Send one request straight to the wizard's worker (as no page control would) and wait for
    its reply; with `nest`, request["facts"]["contact"] is first nested that deep (built in the
    page: the driver cannot pass it)."""
    return page.evaluate(
        """([request, nest]) => new Promise(resolve => {
            if (nest) {
                let value = [];
                for (let i = 0; i < nest; i++) value = [value];
                request.facts.contact = value;
            }
            const worker = window.__wizardBoot.worker;
            const id = 1e9 + Math.floor(Math.random() * 1e6);
            worker.addEventListener("message", event => { if (event.data.id === id) resolve(event.data); });
            worker.postMessage({ id, request });
        })""",
        [request, nest],
    )


@pytest.mark.browser
def test_a_deeply_nested_case_is_refused_and_the_wizard_goes_on(base_url, guarded_page):
    from test_wizard import READY_TIMEOUT, wizard_url
    from wizard_paths import fragment

    page = guarded_page
    case = [("last_contact", "2023-01-10"), ("contact", "lost"), ("member", "probationary")]
    page.goto(wizard_url(base_url, fragment(case)))
    page.wait_for_selector("[data-wizard-result][data-disposition=cancel_probation]", timeout=READY_TIMEOUT)
    before = page.evaluate("location.hash")
    page.set_input_files(
        "#wizard-import",
        files=[{"name": "deep.json", "mimeType": "application/json", "buffer": DEEP.encode()}],
    )
    page.wait_for_function(
        "() => document.querySelector('[data-wizard-alert]').textContent.includes('嵌套层数')"
    )
    assert "超过 20 层" in page.inner_text("[data-wizard-alert]")
    assert page.evaluate("location.hash") == before
    # The engine's own guard, behind the page's: the same file sent straight to the worker.
    reply = worker_reply(page, {"op": "import", "text": DEEP, "today": AS_OF})
    assert reply["type"] == "view", reply
    assert "嵌套层数（10000 层）超过 20 层" in json.loads(reply["json"])["errors"][0]["message_zh"]
    # ... and the engine still answers.
    page.evaluate("location.hash = '#' + new URLSearchParams([['contact', 'restored']]).toString()")
    page.wait_for_selector("[data-wizard]:not([data-pending])", timeout=READY_TIMEOUT)
    assert page.get_attribute("[data-wizard]", "data-state") == "ready"
    page.guard.check()


@pytest.mark.browser
def test_if_the_engine_dies_the_wizard_says_so_and_offers_a_reload(base_url, guarded_page):
    from test_wizard import READY_TIMEOUT, wizard_url
    from wizard_paths import fragment

    page = guarded_page
    case = [("last_contact", "2023-01-10"), ("contact", "lost"), ("member", "probationary")]
    page.goto(wizard_url(base_url, fragment(case)))
    page.wait_for_selector("[data-wizard-result][data-disposition=cancel_probation]", timeout=READY_TIMEOUT)
    # Pyodide's fatal error, as the worker reports it (the page cannot send what would cause it:
    # its own guard stops a deep file, and postMessage refuses to copy a deeply nested request).
    page.evaluate(
        """() => window.__wizardBoot.worker.onmessage({ data: { id: -1, type: "error", fatal: true,
            error: "Error: Pyodide has suffered a fatal error. Please report this to the Pyodide maintainers." } })"""
    )
    alert = page.locator("[data-wizard-alert]")
    page.wait_for_function(
        "() => document.querySelector('[data-wizard-alert]').textContent.includes('已停止工作')"
    )
    assert "您的回答保留在网址中" in alert.inner_text()
    assert page.get_attribute("[data-wizard]", "data-state") == "error"
    # A new answer does not wait for ever: the page says the engine stopped.
    page.evaluate("location.hash = '#' + new URLSearchParams([['contact', 'restored']]).toString()")
    page.wait_for_selector("[data-wizard]:not([data-pending])", timeout=READY_TIMEOUT)
    assert "已停止工作" in page.inner_text("[data-wizard]")
    hash_before = page.evaluate("location.hash")
    page.click("[data-wizard-reload]")
    page.wait_for_selector("[data-wizard][data-state=ready]", timeout=READY_TIMEOUT)
    assert page.evaluate("location.hash") == hash_before  # the case survives the reload
    assert not page.guard.external and not page.guard.errors
