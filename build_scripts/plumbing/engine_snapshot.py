"""The wizard engine's memory snapshot: Pyodide with the engine already imported, made at build time.

Booting Python (about half of a cold load) and importing the engine happen once, here, in Node
(`build_scripts/plumbing/engine_snapshot.mjs` runs the vendored Pyodide exactly as the worker does);
the worker then restores the interpreter's memory instead (docs/assets/js/engine-snapshot.mjs).
The snapshot is only valid for the Pyodide build that made it (Pyodide checks a build id) and
for the engine bundle it imported, so its URL carries the bundle's hash like the bundle's, and
a worker that cannot restore it boots normally.

The file is gzip-compressed here (31 MB of memory, about 6 MB on the wire whatever the server's
compression settings) and inflated by the worker as it arrives (DecompressionStream).

Needs Node (as `npm ci` already does); the build fails with a clear message without it.
Snapshots are cached in node_modules/.cache/engine-snapshot/ keyed by the bundle, the Pyodide
files and the script, so a rebuild of unchanged sources does not run Node again.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from build_scripts.plumbing import engine_bundle

ROOT = Path(__file__).resolve().parents[2]
PYODIDE_DIR = ROOT / "node_modules" / "pyodide"
SCRIPT = Path(__file__).with_suffix(".mjs")
CACHE = ROOT / "node_modules" / ".cache" / "engine-snapshot"
SNAPSHOT_PATH = "assets/engine/decision.snapshot"
# Where docs/assets/js/wizard-worker.mjs unpacks the bundle (keep the two equal).
ENGINE_DIR = "/home/pyodide/wizard-engine"
# What the snapshot depends on besides the bundle.
PYODIDE_FILES = ["pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip"]
TIMEOUT_S = 600
KEEP = 3


def cache_key(bundle: bytes) -> str:
    digest = hashlib.sha256(bundle)
    for name in PYODIDE_FILES:
        digest.update((PYODIDE_DIR / name).read_bytes())
    digest.update(SCRIPT.read_bytes())
    digest.update(ENGINE_DIR.encode())
    digest.update(b"gzip-6")  # the cached file's format
    return digest.hexdigest()[:32]


def make_snapshot(bundle: bytes) -> bytes:
    node = shutil.which("node")
    if node is None:
        raise SystemExit(
            "build: `node` is needed to make the wizard engine's snapshot (Node 20, as for npm ci)"
        )
    if not (PYODIDE_DIR / "pyodide.mjs").is_file():
        raise SystemExit(f"build: {PYODIDE_DIR} is missing; run `make setup` (npm ci) first")
    with tempfile.TemporaryDirectory() as tmp:
        zip_path, out = Path(tmp) / "decision.zip", Path(tmp) / "decision.snapshot"
        zip_path.write_bytes(bundle)
        try:
            result = subprocess.run(
                [node, str(SCRIPT), str(PYODIDE_DIR), str(zip_path), ENGINE_DIR, str(out)],
                capture_output=True,
                timeout=TIMEOUT_S,
                check=False,
            )
        except subprocess.TimeoutExpired:
            raise SystemExit(
                f"build: the engine snapshot (node {SCRIPT.name}) took over {TIMEOUT_S} s"
            ) from None
        if result.returncode != 0 or not out.is_file():
            tail = result.stderr.decode("utf-8", "replace")[-1500:]
            raise SystemExit(f"build: node {SCRIPT.name} failed to make the engine snapshot:\n{tail}")
        return out.read_bytes()


def snapshot(bundle: bytes) -> bytes:
    cached = CACHE / f"{cache_key(bundle)}.snapshot"
    if cached.is_file():
        return cached.read_bytes()
    data = gzip.compress(make_snapshot(bundle), compresslevel=6, mtime=0)  # mtime 0: same input, same bytes
    CACHE.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(".partial")
    partial.write_bytes(data)
    partial.replace(cached)  # atomic: parallel builds never read half a file
    kept = sorted(CACHE.glob("*.snapshot"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:  # 30 MB each: keep the few newest
        old.unlink(missing_ok=True)
    return data


def files() -> Iterator[tuple[str, str | bytes | Path]]:
    yield (SNAPSHOT_PATH, snapshot(engine_bundle.engine_zip()))
