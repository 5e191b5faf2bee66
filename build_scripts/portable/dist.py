"""Zip the portable build: dist/site-portable-<version>.zip and its .sha256.

Layout (one top folder; the site's files directly in it, so index.html is found at once):

    site-portable-<version>/
      index.html …      the site, opened by double-clicking index.html (no server)
      README.txt        使用说明 (Chinese): unpack first, then double-click index.html

Reproducible like the served zip (build_scripts/tools/dist.py: sorted entries, fixed permissions, one
release time), so the same commit gives the same checksum.
"""

from __future__ import annotations

import argparse
import zipfile
from pathlib import Path

from build_scripts.tools import dist

README = """本站（失联党员规范管理和组织处置 · 政策参考）免安装版 {version}

不需要服务器，也不需要安装任何软件：
  1. 先把整个压缩包解压到本机（例如桌面或 D 盘），不要在压缩包里直接打开；
  2. 进入解压出的文件夹，双击 index.html，用浏览器打开即可。
  也可以把解压后的文件夹复制到 U 盘或共享文件夹，在其他电脑上同样双击 index.html。

处置向导和名册批量处理在本机浏览器中运行，首次打开需要十几秒加载判断引擎；
案情不会上传，也不会保存（除非您自己导出）。
建议使用较新版本的浏览器（Chromium 内核，如 360 安全浏览器极速模式、奇安信、QQ 浏览器、
Chrome、Edge）。如果向导一直无法加载，请到“使用说明 > 环境自检”页面检查。

校验发布包（与 site-portable-{version}.zip.sha256 中的值一致即完整）：
  Linux:    sha256sum -c site-portable-{version}.zip.sha256
  Windows:  certutil -hashfile site-portable-{version}.zip SHA256
"""


def make_zip(site_dir: Path, zip_path: Path, folder: str, version: str, stamp: tuple) -> int:
    files = sorted(p for p in site_dir.rglob("*") if p.is_file())
    readme = README.format(version=version).replace("\n", "\r\n").encode("utf-8-sig")
    zip_path.parent.mkdir(parents=True, exist_ok=True)
    partial = zip_path.with_suffix(".zip.partial")
    with zipfile.ZipFile(partial, "w") as archive:
        archive.writestr(*dist.zip_entry(f"{folder}/README.txt", readme, ".txt", stamp), compresslevel=6)
        for path in files:
            rel = path.relative_to(site_dir).as_posix()
            entry = dist.zip_entry(f"{folder}/{rel}", path.read_bytes(), path.suffix, stamp)
            archive.writestr(*entry, compresslevel=6)
    partial.replace(zip_path)
    return len(files)


def build_zip(site_dir: Path, out_dir: Path, version: str, stamp: tuple | None = None) -> tuple[Path, Path]:
    if not (site_dir / "assets" / "portable" / "portable.js").is_file():
        raise SystemExit(f"portable: {site_dir} is not a portable build: run `make portable`")
    name = f"site-portable-{version}"
    zip_path = out_dir / f"{name}.zip"
    count = make_zip(site_dir, zip_path, name, version, stamp or dist.release_time())
    checksum = out_dir / f"{name}.zip.sha256"
    checksum.write_text(f"{dist.sha256_of(zip_path)}  {zip_path.name}\n", encoding="utf-8")
    unpacked = sum(p.stat().st_size for p in site_dir.rglob("*") if p.is_file())
    print(
        f"portable: {zip_path} ({count} files, {zip_path.stat().st_size / 1e6:.1f} MB; "
        f"{unpacked / 1e6:.1f} MB unpacked)\nportable: {checksum}"
    )
    return zip_path, checksum


def main() -> None:
    parser = argparse.ArgumentParser(description="Zip the portable build with a SHA-256 checksum.")
    parser.add_argument("--site-dir", default=dist.ROOT / "site-portable", type=Path)
    parser.add_argument("--out", default=dist.ROOT / "dist", type=Path)
    parser.add_argument("--version", default=None, help="default: pyproject version + git commit")
    args = parser.parse_args()
    build_zip(args.site_dir, args.out, args.version or dist.project_version())


if __name__ == "__main__":
    main()
