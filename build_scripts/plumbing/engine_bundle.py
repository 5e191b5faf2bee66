"""The engine bundle: assets/engine/decision.zip, everything the browser's workers run.

Contents: the `decision` package (decision/**/*.py, the wizard bridge and the roster package
among them) with the data compile_rules.py writes into it: decision/rules.json and
decision/notice_paragraphs.json (the notice's paragraph texts, for the wizard's printed checklist).  Deterministic: sorted entries, fixed
timestamps, so the same sources give the same bytes.  Emitted by the wizard page's generator
(pages/wizard.py), which puts the bundle's digest into the page; the roster page loads the same file.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DECISION = ROOT / "decision"
ZIP_PATH = "assets/engine/decision.zip"
ZIP_DATE = (2017, 2, 3, 0, 0, 0)  # the notice's date: any fixed value makes the zip reproducible


COMPILED = ("rules.json", "notice_paragraphs.json")  # written into decision/ by compile_rules.py


def paragraphs_json() -> bytes:
    """The notice's paragraph texts as the bundle ships them ({pid: {"text": …}}, reading order)."""
    return _compiled("notice_paragraphs.json")


def _compiled(name: str) -> bytes:
    path = DECISION / name
    if not path.is_file():
        raise SystemExit(f"build: decision/{name} is missing; run `make rules` first")
    return path.read_bytes()


def bundle_members() -> dict[str, bytes]:
    """Archive path -> bytes, for everything the worker needs."""
    members: dict[str, bytes] = {}
    for path in sorted(DECISION.rglob("*.py")):  # the package and any subpackage it grows
        if "__pycache__" not in path.parts:
            members[f"decision/{path.relative_to(DECISION).as_posix()}"] = path.read_bytes()
    for name in COMPILED:
        members[f"decision/{name}"] = _compiled(name)
    return members


def engine_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in sorted(bundle_members().items()):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever machine builds it
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()
