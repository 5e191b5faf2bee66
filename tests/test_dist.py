"""`make dist` packages the built site as a reproducible zip with a SHA-256 checksum, with
what an intranet needs beside it: the one-command server, an nginx server block and a Chinese README.
IIS's web.config is generated into the site root by the build."""

from __future__ import annotations

import hashlib
import socket
import subprocess
import sys
import time
import urllib.request
import xml.etree.ElementTree as ET
import zipfile

import pytest

from build_scripts.plumbing import csp
from build_scripts.tools import deploy_files
from build_scripts.tools.dist import build_dist

STAMP = (2026, 1, 2, 3, 4, 6)


def test_dist_zip_holds_the_site_the_server_and_the_configs(site_dir, tmp_path):
    zip_path, checksum = build_dist(site_dir, tmp_path / "dist", "9.9.9-test", STAMP)
    assert zip_path.name == "site-9.9.9-test.zip"
    digest, name = checksum.read_text(encoding="utf-8").split()
    assert name == zip_path.name
    assert digest == hashlib.sha256(zip_path.read_bytes()).hexdigest()

    top = "site-9.9.9-test/"
    site_files = {p.relative_to(site_dir).as_posix(): p for p in site_dir.rglob("*") if p.is_file()}
    with zipfile.ZipFile(zip_path) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert all(n.startswith(top) for n in names)
        in_site = {n.removeprefix(top + "site/"): n for n in names if n.startswith(top + "site/")}
        assert set(in_site) == set(site_files)
        for rel in ("index.html", "csp-policy.txt", "web.config"):
            assert archive.read(in_site[rel]) == site_files[rel].read_bytes(), rel
        assert {n.removeprefix(top) for n in names if "/site/" not in n} == {
            "serve.py",
            "nginx-site.conf",
            "README.txt",
        }
        readme = archive.read(top + "README.txt").decode("utf-8-sig")
        assert (
            "python serve.py --host 0.0.0.0" in readme and "sha256sum -c site-9.9.9-test.zip.sha256" in readme
        )
        nginx = archive.read(top + "nginx-site.conf").decode("utf-8")
        assert (site_dir / csp.POLICY_FILE).read_text(encoding="utf-8").strip() in nginx


def test_dist_zip_is_reproducible(tmp_path):
    """Same files, same stamp: same bytes, whatever the files' own times and the order on disk."""
    site = tmp_path / "site"
    (site / "assets").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><title>t</title>", encoding="utf-8")
    (site / "csp-policy.txt").write_text("default-src 'self'\n", encoding="utf-8")
    (site / "assets" / "a.wasm").write_bytes(bytes(range(256)) * 64)
    first, _ = build_dist(site, tmp_path / "a", "1", STAMP)
    for path in site.rglob("*"):
        path.touch()
    second, _ = build_dist(site, tmp_path / "b", "1", STAMP)
    assert first.read_bytes() == second.read_bytes()
    third, _ = build_dist(site, tmp_path / "c", "1", (2026, 1, 2, 3, 4, 8))
    assert third.read_bytes() != first.read_bytes(), "the release stamp must reach the zip"


def test_dist_refuses_an_unbuilt_site(tmp_path):
    with pytest.raises(SystemExit, match="build the site first"):
        build_dist(tmp_path, tmp_path / "dist", "1", STAMP)


def test_unzipped_release_serves_itself(site_dir, tmp_path):
    """The training-room path: unzip, `python serve.py --port N`, the site answers with its headers."""
    zip_path, _ = build_dist(site_dir, tmp_path, "t", STAMP)
    with zipfile.ZipFile(zip_path) as archive:
        archive.extractall(tmp_path / "x")
    folder = tmp_path / "x" / "site-t"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Run from another directory, with no repository on the path: serve.py must stand alone.
    server = subprocess.Popen(
        [sys.executable, "-I", str(folder / "serve.py"), "--port", str(port)],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    headers, body = response.headers, response.read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("serve.py did not answer")
    finally:
        server.terminate()
        output = server.communicate(timeout=10)[0].decode("utf-8")
    assert body == (site_dir / "index.html").read_bytes()
    assert (
        headers["Content-Security-Policy"] == (site_dir / csp.POLICY_FILE).read_text(encoding="utf-8").strip()
    )
    assert "本站已启动" in output


def test_web_config_for_iis(site_dir):
    root = ET.parse(site_dir / deploy_files.WEB_CONFIG).getroot()
    mime = {m.get("fileExtension"): m.get("mimeType") for m in root.iter("mimeMap")}
    assert mime[".wasm"] == "application/wasm" and mime[".mjs"] == "text/javascript"
    headers = {h.get("name"): h.get("value") for h in root.iter("add")}
    assert (
        headers["Content-Security-Policy"] == (site_dir / csp.POLICY_FILE).read_text(encoding="utf-8").strip()
    )
    assert root.find("system.webServer/staticContent/clientCache").get("cacheControlMode") == "DisableCache"
    forever = {loc.get("path") for loc in root.iter("location")}
    assert forever == set(deploy_files.hashed_assets(site_dir)) and forever
    for path in forever:
        assert (site_dir / path).is_file()
