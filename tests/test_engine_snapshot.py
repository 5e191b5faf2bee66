"""The wizard's engine restored from a memory snapshot made at build time.

The build boots Pyodide in Node, imports the engine and writes the interpreter's memory
(build_scripts/plumbing/engine_snapshot.py); the worker restores it instead of booting Python
(docs/assets/js/engine-snapshot.mjs) and boots normally when the snapshot is missing or does not
restore.  Both paths are driven here in Chromium, to a result.  Speed: benchmarks/wizard_load.py.
"""

from __future__ import annotations

import gzip

import pytest
from test_wizard import READY_TIMEOUT, click_through, wait_ready, wait_settled, wizard_url
from wizard_paths import AS_OF, walk

from build_scripts.plumbing import engine_bundle, engine_snapshot

SNAPSHOT_ROUTE = "**/assets/engine/decision.snapshot*"


@pytest.fixture(scope="module")
def path():
    return walk()["correction_deadline"]


def test_the_site_snapshot_is_made_from_the_built_bundle(site_dir):
    bundle = (site_dir / engine_bundle.ZIP_PATH).read_bytes()
    built = (site_dir / engine_snapshot.SNAPSHOT_PATH).read_bytes()
    cached = engine_snapshot.CACHE / f"{engine_snapshot.cache_key(bundle)}.snapshot"
    assert cached.is_file(), "the snapshot in site/ was made from another bundle or Pyodide (rebuild)"
    assert built == cached.read_bytes()
    assert built[:2] == b"\x1f\x8b"  # gzip: the worker inflates it
    assert len(gzip.decompress(built)) > 10_000_000  # Python's memory, not an error page


def test_without_node_the_build_says_why(monkeypatch):
    monkeypatch.setattr(engine_snapshot.shutil, "which", lambda name: None)
    with pytest.raises(SystemExit, match="`node` is needed"):
        engine_snapshot.make_snapshot(b"not used")


def test_a_failing_snapshot_script_fails_the_build_with_its_message(tmp_path, monkeypatch):
    fake = tmp_path / "pyodide"
    fake.mkdir()
    (fake / "pyodide.mjs").write_text('throw new Error("no Pyodide here");\n', encoding="utf-8")
    monkeypatch.setattr(engine_snapshot, "PYODIDE_DIR", fake)
    with pytest.raises(SystemExit, match=r"failed to make the engine snapshot:[\s\S]*no Pyodide here"):
        engine_snapshot.make_snapshot(engine_bundle.engine_zip())


def finish_a_case(page, base_url, path):
    page.goto(wizard_url(base_url, f"as_of={AS_OF}"))
    wait_ready(page)
    wait_settled(page)
    click_through(page, path)
    page.wait_for_selector(
        "[data-wizard-result][data-disposition=correction_deadline]", timeout=READY_TIMEOUT
    )
    # The printed checklist quotes the notice: the paragraph texts came through too.
    assert page.locator("[data-wizard-result] blockquote[data-paragraph]").count() > 0
    return page.get_attribute("[data-wizard]", "data-engine-boot")


@pytest.mark.browser
def test_the_wizard_restores_the_snapshot(base_url, guarded_page, path):
    assert finish_a_case(guarded_page, base_url, path) == "snapshot"
    guarded_page.guard.check()


@pytest.mark.browser
@pytest.mark.parametrize(
    "response",
    [
        {"status": 404, "body": "gone"},
        {"status": 200, "body": b"\0" * 4096, "content_type": "application/octet-stream"},
    ],
    ids=["missing", "corrupt"],
)
def test_without_a_usable_snapshot_the_worker_boots_normally(base_url, guarded_page, path, response):
    page = guarded_page
    page.route(SNAPSHOT_ROUTE, lambda route: route.fulfill(**response))
    assert finish_a_case(page, base_url, path) == "plain"
    page.guard.console_errors[:] = [m for m in page.guard.console_errors if "404" not in m]
    page.guard.check()


def roster_boot(page, base_url) -> str:
    """The roster page's engine: how it booted, and one file through it (the modules work)."""
    page.goto(base_url + "roster/")
    page.wait_for_selector("#roster[data-state=ready]", timeout=READY_TIMEOUT)
    from decision import roster

    page.set_input_files(
        "[data-roster-file]",
        files=[{"name": "t.csv", "mimeType": "text/csv", "buffer": roster.template_csv().encode("utf-8")}],
    )
    page.wait_for_selector("#roster[data-state=done]", timeout=READY_TIMEOUT)
    assert "已处理 1 行" in page.inner_text("[data-roster-status]")
    return page.get_attribute("#roster", "data-engine-boot")


@pytest.mark.browser
def test_the_roster_restores_the_same_snapshot(base_url, guarded_page):
    assert roster_boot(guarded_page, base_url) == "snapshot"
    guarded_page.guard.check()


@pytest.mark.browser
def test_the_roster_boots_normally_without_the_snapshot(base_url, guarded_page):
    page = guarded_page
    page.route(SNAPSHOT_ROUTE, lambda route: route.fulfill(status=404, body="gone"))
    assert roster_boot(page, base_url) == "plain"
    page.guard.console_errors[:] = [m for m in page.guard.console_errors if "404" not in m]
    page.guard.check()
