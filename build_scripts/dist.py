"""Package the built site for an intranet: dist/site-<version>.zip and dist/site-<version>.zip.sha256.

The zip is reproducible: entries sorted, fixed timestamps and permissions, so the same site gives
the same checksum on any machine.  Everything sits under one folder, site-<version>/, ready to unzip
into a web server's root.  The .sha256 file is in `sha256sum` format:
`sha256sum -c site-<version>.zip.sha256` (Linux) or `certutil -hashfile site-<version>.zip SHA256`
(Windows) verifies a copy.

Version: the project's version (pyproject.toml) plus the short git commit of the build, e.g.
0.1.0-g12e7d04 (and `-dirty` when the working tree had uncommitted changes).
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import tomllib
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXED_TIME = (2017, 2, 3, 0, 0, 0)  # the notice's date; any constant makes the zip reproducible
# Already compressed: storing them again deflated costs time and saves nothing.
STORED_SUFFIXES = {".wasm", ".zip", ".gz", ".png", ".jpg", ".jpeg", ".woff2"}


def project_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        version = tomllib.load(handle)["project"]["version"]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return version
    return f"{version}-g{commit}" + ("-dirty" if dirty.strip() else "")


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def make_zip(site_dir: Path, zip_path: Path, folder: str) -> int:
    """Write the site into zip_path under `folder/`; return the number of files."""
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for path in files:
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site_dir).as_posix()}", FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = (
                zipfile.ZIP_STORED if path.suffix in STORED_SUFFIXES else zipfile.ZIP_DEFLATED
            )
            archive.writestr(info, path.read_bytes(), compresslevel=9)
    partial.replace(zip_path)
    return len(files)


def build_dist(site_dir: Path, out_dir: Path, version: str) -> tuple[Path, Path]:
    if not (site_dir / "index.html").is_file():
        raise SystemExit(f"dist: {site_dir}/index.html not found: build the site first (make build)")
    name = f"site-{version}"
    zip_path = out_dir / f"{name}.zip"
    count = make_zip(site_dir, zip_path, name)
    checksum = out_dir / f"{name}.zip.sha256"
    checksum.write_text(f"{sha256_of(zip_path)}  {zip_path.name}\n", encoding="utf-8")
    size = zip_path.stat().st_size / 1e6
    print(f"dist: {zip_path} ({count} files, {size:.1f} MB)\ndist: {checksum}")
    return zip_path, checksum


def main() -> None:
    parser = argparse.ArgumentParser(description="Zip the built site with a SHA-256 checksum.")
    parser.add_argument("--site-dir", default=ROOT / "site", type=Path)
    parser.add_argument("--out", default=ROOT / "dist", type=Path)
    parser.add_argument("--version", default=None, help="default: pyproject version + git commit")
    args = parser.parse_args()
    build_dist(args.site_dir, args.out, args.version or project_version())


if __name__ == "__main__":
    main()
