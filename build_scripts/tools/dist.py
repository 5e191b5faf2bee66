"""Package the built site for an intranet: dist/site-<version>.zip and dist/site-<version>.zip.sha256.

Layout of the zip (one top folder):

    site-<version>/
      site/             the web root (web.config inside is IIS's configuration)
      serve.py          one-command server for a laptop: `python serve.py [--host 0.0.0.0]`
      nginx-site.conf   nginx server block with this release's CSP header
      README.txt        使用说明 (Chinese): the three ways to serve it, how to verify the checksum

The zip is reproducible: entries sorted, fixed permissions, and every file stamped with one release
time (SOURCE_DATE_EPOCH if set, else the commit's time), so the same commit gives the same checksum
on any machine.  The stamp must change between releases: servers revalidate with Last-Modified/ETag,
which derive from it, so two releases with one fixed date would answer 304 for changed files.  The .sha256 file is in `sha256sum` format:
`sha256sum -c site-<version>.zip.sha256` (Linux) or `certutil -hashfile site-<version>.zip SHA256`
(Windows) verifies a copy.

Version: the project's version (pyproject.toml) plus the short git commit of the build, e.g.
0.1.0-g12e7d04 (and `-dirty` when the working tree had uncommitted changes).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import subprocess
import tomllib
import zipfile
from pathlib import Path

from build_scripts.tools import deploy_files

ROOT = Path(__file__).resolve().parents[2]
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


def release_time() -> tuple[int, int, int, int, int, int]:
    """SOURCE_DATE_EPOCH, else the time of the last commit (clean tree), else now (UTC)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        try:
            dirty = subprocess.run(
                ["git", "status", "--porcelain"], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
            if not dirty:
                epoch = subprocess.run(
                    ["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True, check=True
                ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            pass
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    stamp = moment.timetuple()
    return max((stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5]), (1980, 1, 1, 0, 0, 0))


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


README = """本站（失联党员规范管理和组织处置 · 政策参考）发布包 {version}

本站是纯静态网站，不访问任何外部地址。必须通过 HTTP 访问（不能双击 HTML 文件打开），
否则处置向导无法运行。

一、培训教室或单机（一条命令）
  需要 Python 3.11 或更高版本。在本文件所在目录打开命令行，运行：
    python serve.py                  只供本机使用，浏览器打开 http://127.0.0.1:8000/
    python serve.py --host 0.0.0.0   教室里其他电脑也可访问（屏幕上会显示网址）
  按 Ctrl+C 停止。端口被占用时加 --port 8001。

二、nginx
  把 site 目录复制到服务器（例如 /srv/shilian/site），按 nginx-site.conf 配置并重新加载。

三、IIS
  把 site 目录设为网站的物理路径。目录中的 web.config 已设置 .wasm/.mjs 类型、
  安全策略（CSP）和缓存头，无需另行配置。

详细说明见站点中的“使用说明 > 内网部署”页面（about/deploy/）。

校验发布包（与 site-{version}.zip.sha256 中的值一致即完整）：
  Linux:    sha256sum -c site-{version}.zip.sha256
  Windows:  certutil -hashfile site-{version}.zip SHA256
"""


def zip_entry(name: str, data: bytes, suffix: str, stamp: tuple) -> tuple[zipfile.ZipInfo, bytes]:
    info = zipfile.ZipInfo(name, stamp)
    info.external_attr = 0o644 << 16
    info.compress_type = zipfile.ZIP_STORED if suffix in STORED_SUFFIXES else zipfile.ZIP_DEFLATED
    return info, data


def make_zip(site_dir: Path, zip_path: Path, folder: str, version: str, stamp: tuple) -> int:
    """Write the release into zip_path under `folder/`; return the number of site files."""
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    policy = (site_dir / "csp-policy.txt").read_text(encoding="utf-8").strip()
    extras = {
        "serve.py": (ROOT / "build_scripts" / "tools" / "serve.py").read_bytes(),
        deploy_files.NGINX_CONF: deploy_files.nginx_conf(policy, version).encode("utf-8"),
        "README.txt": README.format(version=version).replace("\n", "\r\n").encode("utf-8-sig"),
    }
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        for name, data in sorted(extras.items()):
            archive.writestr(*zip_entry(f"{folder}/{name}", data, Path(name).suffix, stamp), compresslevel=6)
        for path in files:
            rel = path.relative_to(site_dir).as_posix()
            entry = zip_entry(f"{folder}/site/{rel}", path.read_bytes(), path.suffix, stamp)
            archive.writestr(*entry, compresslevel=6)
    partial.replace(zip_path)
    return len(files)


def build_dist(site_dir: Path, out_dir: Path, version: str, stamp: tuple | None = None) -> tuple[Path, Path]:
    if not (site_dir / "index.html").is_file():
        raise SystemExit(f"dist: {site_dir}/index.html not found: build the site first (make build)")
    name = f"site-{version}"
    zip_path = out_dir / f"{name}.zip"
    count = make_zip(site_dir, zip_path, name, version, stamp or release_time())
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
