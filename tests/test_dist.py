"""Issue 7: `make dist` packages the built site as a reproducible zip with a SHA-256 checksum."""

from __future__ import annotations

import hashlib
import zipfile

from build_scripts.dist import build_dist


def test_dist_zip_holds_the_whole_site_and_its_checksum_verifies(site_dir, tmp_path):
    zip_path, checksum = build_dist(site_dir, tmp_path / "dist", "9.9.9-test")
    assert zip_path.name == "site-9.9.9-test.zip"
    digest, name = checksum.read_text(encoding="utf-8").split()
    assert name == zip_path.name
    assert digest == hashlib.sha256(zip_path.read_bytes()).hexdigest()

    site_files = {p.relative_to(site_dir).as_posix(): p for p in site_dir.rglob("*") if p.is_file()}
    with zipfile.ZipFile(zip_path) as archive:
        assert archive.testzip() is None
        names = {n.removeprefix("site-9.9.9-test/"): n for n in archive.namelist()}
        assert set(names) == set(site_files)
        for rel in ("index.html", "csp-policy.txt", "assets/vendor/pyodide/pyodide.asm.wasm"):
            if rel in site_files:
                assert archive.read(names[rel]) == site_files[rel].read_bytes(), rel


def test_dist_zip_is_reproducible(site_dir, tmp_path):
    first, _ = build_dist(site_dir, tmp_path / "a", "1")
    second, _ = build_dist(site_dir, tmp_path / "b", "1")
    assert first.read_bytes() == second.read_bytes()


def test_dist_refuses_an_unbuilt_site(tmp_path):
    import pytest

    with pytest.raises(SystemExit, match="build the site first"):
        build_dist(tmp_path, tmp_path / "dist", "1")
