"""YAML for the editorial data: like yaml.safe_load, but a key given twice is an error.

PyYAML silently keeps the last of two equal keys, so a paragraph listed twice in
notice_notes.yaml (or a second `words:` in search_synonyms.yaml) would lose data unnoticed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class DuplicateKeyError(ValueError):
    pass


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        duplicates = sorted({str(k) for k in keys if keys.count(k) > 1})
        if duplicates:
            raise DuplicateKeyError(f"keys given twice: {duplicates} (line {node.start_mark.line + 1})")
        return super().construct_mapping(node, deep=deep)


def load(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader subclass
    except DuplicateKeyError as exc:
        raise SystemExit(f"{path.name}: {exc}") from None
