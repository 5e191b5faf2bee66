"""The engine bundle: assets/engine/decision.zip, everything the browser's workers run.

Contents: the `decision` package (decision/**/*.py, the wizard bridge and the roster package
among them, and decision/rules.json) and `wizard_paragraphs.json` beside it (the notice's
paragraph texts, for the wizard's printed checklist).  Deterministic: sorted entries, fixed
timestamps, so the same sources give the same bytes.  Emitted by the wizard page's generator
(pages/wizard.py), which puts the bundle's digest into the page; the roster page loads the same file.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from build_scripts.pages import notice

ROOT = Path(__file__).resolve().parents[2]
DECISION = ROOT / "decision"
ZIP_PATH = "assets/engine/decision.zip"
ZIP_DATE = (2017, 2, 3, 0, 0, 0)  # the notice's date: any fixed value makes the zip reproducible


def paragraphs_json() -> bytes:
    # Texts only: the labels (第三部分第1项 …) are in rules.json, which the bundle ships too.
    data = {pid: {"text": text} for pid, text in notice.texts_by_id().items()}
    return json.dumps(data, ensure_ascii=False).encode("utf-8")  # reading order: the print quotes in it


def bundle_members() -> dict[str, bytes]:
    """Archive path -> bytes, for everything the worker needs."""
    members: dict[str, bytes] = {}
    for path in sorted(DECISION.rglob("*.py")):  # the package and any subpackage it grows
        if "__pycache__" not in path.parts:
            members[f"decision/{path.relative_to(DECISION).as_posix()}"] = path.read_bytes()
    rules = DECISION / "rules.json"
    if not rules.is_file():
        raise SystemExit("build: decision/rules.json is missing; run `make rules` first")
    members["decision/rules.json"] = rules.read_bytes()
    members["wizard_paragraphs.json"] = paragraphs_json()
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
