"""Gzip copies of the served site's text and WebAssembly files, made once at build time.

`make serve` (build_scripts/tools/serve.py) sends `x.gz` for `x` to a browser that accepts gzip,
and nginx does the same with `gzip_static on` (deploy_files.py): a wizard visit downloads about a
third of the bytes, with no compression work per request.  The portable build (opened from files)
has no server and gets none.  Files that are already compressed (the engine bundle, its gzipped
snapshot, images) or too small to gain are left alone.
"""

from __future__ import annotations

import gzip
from pathlib import Path

SUFFIXES = frozenset({".html", ".js", ".mjs", ".css", ".json", ".svg", ".wasm", ".txt", ".xml", ".map"})
MIN_BYTES = 1024  # smaller files gain less than a round trip's headers
MIN_GAIN = 0.1  # keep a .gz only if it is at least 10 % smaller
LEVEL = 6  # level 9 saves under 2 % more here and takes twice as long


def gzip_bytes(data: bytes) -> bytes:
    """Deterministic gzip (mtime 0): the same site gives the same files."""
    return gzip.compress(data, compresslevel=LEVEL, mtime=0)


def precompress(site_dir: Path) -> tuple[int, int, int]:
    """Write `name.gz` beside every compressible file; return (files, bytes before, bytes after)."""
    count = before = after = 0
    for path in sorted(Path(site_dir).rglob("*")):
        if path.suffix not in SUFFIXES or not path.is_file() or path.stat().st_size < MIN_BYTES:
            continue
        data = path.read_bytes()
        packed = gzip_bytes(data)
        target = path.with_name(path.name + ".gz")
        if len(packed) > len(data) * (1 - MIN_GAIN):
            target.unlink(missing_ok=True)
            continue
        target.write_bytes(packed)
        count += 1
        before += len(data)
        after += len(packed)
    return count, before, after
