"""YAML for the editorial data: like yaml.safe_load, but a key given twice is an error.

PyYAML silently keeps the last of two equal keys, so a paragraph listed twice in
notice_notes.yaml (or a second `words:` in search_synonyms.yaml) would lose data unnoticed, and a
second `disposition:` under a rule would silently change what the engine answers.  Every YAML
the build reads (rules, cases, training cases, glossary, coverage reasons …) goes through here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class DuplicateKeyError(ValueError):
    pass


class _Loader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        # `<<` merge keys (cases share facts with anchors) are not keys of the mapping itself.
        keys = [
            self.construct_object(key, deep=deep)
            for key, _ in node.value
            if key.tag != "tag:yaml.org,2002:merge"
        ]
        duplicates = sorted({str(k) for k in keys if keys.count(k) > 1})
        if duplicates:
            raise DuplicateKeyError(f"keys given twice: {duplicates} (line {node.start_mark.line + 1})")
        return super().construct_mapping(node, deep=deep)


def parse(path: Path) -> Any:
    """The YAML file's data; DuplicateKeyError (naming the file, the keys and the line) when a
    mapping gives a key twice, yaml.YAMLError when it is not YAML."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # a SafeLoader subclass
    except DuplicateKeyError as exc:
        raise DuplicateKeyError(f"{path.name}: {exc}") from None


def load(path: Path) -> Any:
    """parse(), for build steps: a duplicate key ends the build with its message."""
    try:
        return parse(path)
    except DuplicateKeyError as exc:
        raise SystemExit(str(exc)) from None
