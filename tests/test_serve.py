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


def get(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except HTTPError as error:
        return error.code, error.headers, b""


@pytest.mark.parametrize("pattern", ["assets/vendor/pyodide/*.wasm", "wizard/", "search/search_index.json"])
def test_precompressed_copies_are_sent_to_browsers_that_accept_gzip(site_dir, base_url, pattern):
    import gzip

    path = pattern if pattern.endswith("/") or "*" not in pattern else first(site_dir, pattern)
    plain = (site_dir / path / "index.html" if path.endswith("/") else site_dir / path).read_bytes()
    status, headers, body = get(base_url + path, **{"Accept-Encoding": "gzip, deflate, br"})
    assert status == 200 and headers["Content-Encoding"] == "gzip" and headers["Vary"] == "Accept-Encoding"
    assert len(body) < len(plain) * 0.9 and gzip.decompress(body) == plain
    assert int(headers["Content-Length"]) == len(body)
    assert headers["Content-Security-Policy"] and headers["Cache-Control"]  # the usual headers too
    # A client that does not accept gzip gets the file as it is.
    status, headers, body = get(base_url + path)
    assert status == 200 and "Content-Encoding" not in headers and body == plain
    # Revalidation of the compressed copy: 304, nothing sent again.
    status, _, _ = get(
        base_url + path, **{"Accept-Encoding": "gzip", "If-Modified-Since": formatdate(usegmt=True)}
    )
    assert status == 304


def test_a_file_changed_after_the_build_is_sent_as_it_now_is(site_dir, tmp_path):
    import gzip
    import os
    import shutil

    from build_scripts.tools.serve import serve_in_thread

    copy = tmp_path / "site"
    copy.mkdir()
    shutil.copy2(site_dir / "index.html", copy / "index.html")
    shutil.copy2(site_dir / "index.html.gz", copy / "index.html.gz")
    assert gzip.decompress((copy / "index.html.gz").read_bytes()) == (copy / "index.html").read_bytes()
    edited = (copy / "index.html").read_bytes().replace(b"</body>", b"<!-- edited --></body>")
    (copy / "index.html").write_bytes(edited)
    stat = (copy / "index.html.gz").stat()
    os.utime(copy / "index.html", (stat.st_atime, stat.st_mtime + 5))
    server, url = serve_in_thread(copy)
    try:
        status, headers, body = get(url, **{"Accept-Encoding": "gzip"})
    finally:
        server.shutdown()
    assert status == 200 and "Content-Encoding" not in headers and body == edited


def test_already_compressed_files_get_no_copy(site_dir):
    assert list(site_dir.glob("assets/engine/*.gz")) == []  # the bundle (zip) and the snapshot (gzip)
    assert list(site_dir.rglob("*.gz.gz")) == []


def test_the_wizard_states_its_download_from_the_files(site_dir):
    """The wizard's "首次打开需下载约 N MB": both figures measured from the files it loads."""
    import json
    import re

    html = (site_dir / "wizard" / "index.html").read_text(encoding="utf-8")
    sizes = json.loads(re.search(r'"download": (\{[^}]*\})', html).group(1))
    found = [*site_dir.glob("assets/vendor/pyodide/*"), *site_dir.glob("assets/engine/decision.*")]
    files = [f for f in found if f.suffix != ".gz"]
    raw = sum(f.stat().st_size for f in files)
    sent = 0
    for f in files:
        packed = f.with_name(f.name + ".gz")
        sent += packed.stat().st_size if packed.is_file() else f.stat().st_size
    assert sizes == {"raw": round(raw / 1e6), "gzip": round(sent / 1e6)}
    assert sizes["gzip"] < sizes["raw"]
