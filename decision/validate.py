"""Validation of case facts (standard library only).

`validate(facts, questions)` returns the facts in canonical form, or raises `InvalidCase`
naming the key and what was wrong, in English (`message`) and Chinese (`message_zh`).
"""

from __future__ import annotations

import datetime as _dt
import math
from typing import Any

from . import dates
from .errors import BilingualError


class InvalidCase(BilingualError, ValueError):
    """Invalid case facts.  `key` is the offending fact key (None for the whole case)."""

    def __init__(self, key: str | None, message: str, message_zh: str):
        super().__init__(message, message_zh)
        self.key = key


def _short(value: Any) -> str:
    try:
        text = repr(value)
    except (RecursionError, ValueError):  # absurdly nested, or an int too long to print
        return f"<{type(value).__name__}>"
    return text if len(text) <= 40 else text[:37] + "..."


def _check_date(key: str, name: str, value: Any) -> _dt.date:
    if not isinstance(value, str):
        raise InvalidCase(
            key,
            f"{key}: expected a date string YYYY-MM-DD, got {type(value).__name__} {_short(value)}",
            f"“{name}”应为 YYYY-MM-DD 格式的日期",
        )
    try:
        day = dates.parse(value)
    except ValueError:
        if dates.DATE_RE.match(value):
            raise InvalidCase(
                key, f"{key}: {value!r} is not a real calendar date", f"“{name}”的日期 {value} 不存在"
            ) from None
        raise InvalidCase(
            key,
            f"{key}: {_short(value)} is not a date in YYYY-MM-DD form",
            f"“{name}”应为 YYYY-MM-DD 格式的日期",
        ) from None
    if not dates.MIN_DATE <= day <= dates.MAX_DATE:
        raise InvalidCase(
            key,
            f"{key}: {value} is outside the supported range "
            f"{dates.MIN_DATE.isoformat()}..{dates.MAX_DATE.isoformat()}",
            f"“{name}”的日期 {value} 超出可受理的范围（1900年至2999年）",
        )
    return day


def _check_int(key: str, name: str, value: Any, spec: dict) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            what = f"a number with a fraction part ({value!r})"
        elif isinstance(value, float):
            what = f"a non-integer number ({value!r})"
        else:
            what = f"{type(value).__name__} {_short(value)}"
        raise InvalidCase(key, f"{key}: expected a whole number, got {what}", f"“{name}”应为整数")
    low, high = spec.get("min", 0), spec.get("max")
    if value < low or (high is not None and value > high):
        raise InvalidCase(
            key,
            f"{key}: {_short(value)} is out of range {low}..{high}",
            f"“{name}”应在 {low} 到 {high} 之间，不能为负数",
        )
    return value


def _check_bool(key: str, name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidCase(
            key,
            f"{key}: expected true or false, got {type(value).__name__} {_short(value)}",
            f"“{name}”应为“是”或“否”（true/false）",
        )
    return value


def _check_choice(key: str, name: str, value: Any, spec: dict) -> str:
    if isinstance(value, str):
        for option in spec["options"]:
            if value == option["value"]:
                return value
    labels = {option["value"]: option["label"] for option in spec["options"]}
    allowed = list(labels)
    raise InvalidCase(
        key,
        f"{key}: {_short(value)} is not one of {', '.join(allowed)}",
        "“" + name + "”的取值应为以下之一：" + "、".join(f"{v}（{labels[v]}）" for v in allowed),
    )


def validate(facts: Any, questions: dict[str, dict], today: _dt.date | None = None) -> tuple[dict, dict]:
    """Return (facts, parsed_dates).  `facts` keeps JSON values; `as_of` is filled in.

    `None` for a key means "not answered" and is dropped.
    """
    if not isinstance(facts, dict):
        raise InvalidCase(
            None, f"a case must be a JSON object, got {type(facts).__name__}", "案情数据应为 JSON 对象（{…}）"
        )
    out: dict[str, Any] = {}
    parsed: dict[str, _dt.date] = {}
    if not facts.keys() <= questions.keys():  # one set test; the loop names the first unknown key
        for key in facts:
            if not isinstance(key, str) or key not in questions:
                raise InvalidCase(str(key), f"unknown key {_short(key)}", f"不认识的字段 {_short(key)}")
    for key, value in facts.items():
        if value is None:
            continue
        spec = questions[key]
        kind = spec["type"]
        if kind == "bool" and (value is True or value is False):  # the common case, checked inline
            out[key] = value
            continue
        name = spec.get("name") or key
        if kind == "date":
            parsed[key] = _check_date(key, name, value)
            out[key] = value
        elif kind == "int":
            out[key] = _check_int(key, name, value, spec)
        elif kind == "bool":
            out[key] = _check_bool(key, name, value)
        else:
            out[key] = _check_choice(key, name, value, spec)
    if "as_of" not in parsed:
        parsed["as_of"] = today or dates.today()
        out["as_of"] = parsed["as_of"].isoformat()
    as_of = parsed["as_of"]
    for key in ("last_contact", "suspended_since"):
        if key in parsed and parsed[key] > as_of:
            raise InvalidCase(
                key,
                f"{key}: {out[key]} is after as_of {out['as_of']}",
                f"“{questions[key].get('name') or key}”{out[key]} 晚于评估日期 {out['as_of']}",
            )
    # Canonical key order: the order of the questions.
    ordered = {key: out[key] for key in questions if key in out}
    return ordered, parsed
