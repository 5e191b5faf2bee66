"""The one-command server (build_scripts/tools/serve.py) sends what an intranet server must:
MIME types for .wasm/.mjs, the CSP header, cache headers that never mix two deployments."""

from __future__ import annotations

import socket
import subprocess
import sys
import urllib.request
from email.utils import formatdate
from urllib.error import HTTPError

import pytest
from conftest import ROOT

from build_scripts.plumbing import csp
from build_scripts.tools.serve import IMMUTABLE, REVALIDATE, cache_control


def head(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers, method="HEAD")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers
    except HTTPError as error:
        return error.code, error.headers


def first(site_dir, pattern: str) -> str:
    found = sorted(site_dir.glob(pattern))
    if not found:
        pytest.fail(f"no {pattern} in the built site")
    return found[0].relative_to(site_dir).as_posix()


def test_mime_types_for_pyodide(site_dir, base_url):
    for pattern, mime in [
        ("assets/vendor/pyodide/*.wasm", "application/wasm"),
        ("assets/vendor/pyodide/*.mjs", "text/javascript"),
        ("assets/vendor/pyodide/*.zip", "application/zip"),
    ]:
        status, headers = head(base_url + first(site_dir, pattern))
        assert status == 200
        assert headers["Content-Type"].split(";")[0] == mime, pattern


def test_every_response_carries_the_site_policy(site_dir, base_url):
    policy = (site_dir / csp.POLICY_FILE).read_text(encoding="utf-8").strip()
    assert "frame-ancestors 'self'" in policy
    for path in ["", "about/check/", first(site_dir, "assets/vendor/pyodide/*.mjs"), "no-such-page/"]:
        _, headers = head(base_url + path)
        assert headers["Content-Security-Policy"] == policy, path
        assert headers["X-Content-Type-Options"] == "nosniff"


def test_cache_headers(site_dir, base_url):
    bundle = first(site_dir, "assets/javascripts/bundle.*.min.js")
    assert head(base_url + bundle)[1]["Cache-Control"] == IMMUTABLE
    for path in ["", "assets/css/site.css", first(site_dir, "assets/vendor/pyodide/*.wasm")]:
        assert head(base_url + path)[1]["Cache-Control"] == REVALIDATE, path
    # no-cache means "revalidate": an unchanged file answers 304 Not Modified.
    status, _ = head(base_url + "index.html", **{"If-Modified-Since": formatdate(usegmt=True)})
    assert status == 304


def test_cache_rule():
    assert cache_control("/assets/stylesheets/main.57a0d79d.min.css") == IMMUTABLE
    assert cache_control("/assets/javascripts/bundle.a5f9d56c.min.js?v=1") == IMMUTABLE
    assert cache_control("/assets/vendor/pyodide/pyodide.mjs") == REVALIDATE
    assert cache_control("/assets/vendor/mermaid/mermaid.min.js") == REVALIDATE
    assert cache_control("/") == REVALIDATE
    # The engine's files under their content hash; the same files unversioned, and the
    # worker script (its `v` is the bundle's, not its own), are revalidated.
    assert cache_control("/assets/engine/decision.snapshot?v=0123456789abcdef") == IMMUTABLE
    assert cache_control("/sub/assets/engine/decision.zip?v=0123456789abcdef") == IMMUTABLE
    assert cache_control("/assets/engine/decision.zip") == REVALIDATE
    assert cache_control("/assets/engine/decision.zip?v=") == REVALIDATE
    assert cache_control("/assets/js/wizard-worker.mjs?v=0123456789abcdef") == REVALIDATE


def run_serve(*args: str):
    return subprocess.run(
        [sys.executable, str(ROOT / "build_scripts" / "tools" / "serve.py"), *args],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )


def test_serve_explains_a_missing_site_in_both_languages(tmp_path):
    result = run_serve("--dir", str(tmp_path / "nothing"))
    assert result.returncode == 1
    assert "找不到站点文件" in result.stderr and "build the site first" in result.stderr
    assert "Traceback" not in result.stderr


def test_serve_explains_a_busy_port_in_both_languages(site_dir):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = run_serve("--dir", str(site_dir), "--port", str(port))
    assert result.returncode == 1
    assert f"--port {port + 1}" in result.stderr and "cannot listen" in result.stderr
    assert "Traceback" not in result.stderr
