"""One case as a JSON file: bytes to the facts object, bounded.  Standard library only.

Used by `python -m decision decide` and by the wizard's 导入案情 (decision/wizard_bridge.py's
"import" operation, under Pyodide), so that both read a file the same way: the browser's
JSON.parse would silently turn `1e400` into Infinity (then `null`, "not answered"), keep the
last of two duplicate keys and read `12.0` as the whole number 12.  Here duplicate keys are
refused, and `1e400` (a float infinity) and `12.0` stay floats, which the engine refuses,
naming the fact.

A file is either the facts object itself or the wizard's export, `{"format": "shilian-case",
"version": 1, "case": {...}, ...}`; its other members (the result, the digest) are ignored.
"""

from __future__ import annotations

import json
import re
from typing import Any

from decision import limits
from decision.errors import BilingualError

EXPORT_FORMAT = "shilian-case"


class CaseFileError(BilingualError):
    """Input that is not a case at all (unreadable, empty, not JSON, too big, unknown keys)."""


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _object(pairs: list[tuple[str, Any]]) -> dict:
    out: dict = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"duplicate key {key[:40]!r}")
        out[key] = value
    return out


# A string (possibly never closed: it then runs to the end, so no match ever fails and backs
# off, and the scan stays linear), or one bracket.
_TOKEN = re.compile(r'"(?:[^"\\]+|\\.)*"?|[\[\]{}]', re.DOTALL)


def nesting_depth(text: str) -> int:
    """The deepest nesting of [ and { outside strings, counted in one linear pass without
    recursion.  Brackets that do not match are left to json.loads to refuse."""
    depth = deepest = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in ("]", "}"):
            depth -= 1
    return deepest


def parse(data: bytes) -> Any:
    """Decode one JSON document; raise CaseFileError with a clear message."""
    if len(data) > limits.CASE_MAX_BYTES:
        raise CaseFileError(
            f"input of {len(data)} bytes exceeds {limits.CASE_MAX_BYTES}",
            f"文件过大（超过 {limits.CASE_MAX_BYTES // 1000} KB），不是本向导导出的案情文件",
        )
    utf16 = data.startswith((b"\xff\xfe", b"\xfe\xff"))  # Notepad's "Unicode"
    try:
        text = data.decode("utf-16" if utf16 else "utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CaseFileError(
            f"input is not UTF-8 text (byte {exc.start})", "输入不是 UTF-8 编码的文本"
        ) from None
    if not text.strip():
        raise CaseFileError("empty input: expected one JSON object", "输入为空，应为一个 JSON 对象")
    depth = nesting_depth(text)
    if depth > limits.CASE_MAX_DEPTH:  # before json.loads recurses that deep (a wasm stack dies)
        raise CaseFileError(
            f"invalid JSON: nested {depth} deep; at most {limits.CASE_MAX_DEPTH}",
            f"输入的嵌套层数（{depth} 层）超过 {limits.CASE_MAX_DEPTH} 层，不是本向导导出的案情文件",
        )
    try:
        return json.loads(text, parse_constant=_no_constants, object_pairs_hook=_object)
    except json.JSONDecodeError as exc:
        raise CaseFileError(
            f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", "输入不是有效的 JSON"
        ) from None
    except (ValueError, RecursionError) as exc:
        msg = str(exc) if isinstance(exc, ValueError) else "nested too deeply"
        zh = "输入不是有效的 JSON"
        if msg.startswith("duplicate key"):
            zh = f"输入中的字段 {msg.removeprefix('duplicate key ')} 出现了不止一次，无法确定取哪个值"
        raise CaseFileError(f"invalid JSON: {msg[:120]}", zh) from None


def facts_of(document: Any, keys: list[str]) -> Any:
    """The facts of a parsed document (the object itself, or the export's `case`), checked for
    size and for keys that are not facts, all at once, before the engine runs.  A value that
    is not an object is returned as it is: the engine names what is wrong with it."""
    if isinstance(document, dict) and document.get("format") == EXPORT_FORMAT:
        document = document.get("case")
    if not isinstance(document, dict):
        return document
    if len(document) > limits.CASE_MAX_KEYS:
        raise CaseFileError(
            f"case has {len(document)} keys; at most {limits.CASE_MAX_KEYS}",
            f"案情有 {len(document)} 个字段，超过 {limits.CASE_MAX_KEYS} 个的上限，不是本向导导出的案情文件",
        )
    known = set(keys)
    unknown = [key for key in document if key not in known]
    if unknown:
        shown = "、".join(key[:40] for key in unknown[:3]) + ("等" if len(unknown) > 3 else "")
        raise CaseFileError(
            f"{len(unknown)} unknown key(s): {', '.join(repr(k[:40]) for k in unknown[:3])}",
            f"不认识的字段 {shown}（共 {len(unknown)} 个）",
        )
    return document


def read_case(data: bytes, keys: list[str]) -> Any:
    """Bytes of a case file to its facts (see `parse` and `facts_of`)."""
    return facts_of(parse(data), keys)
