"""The roster's lookup tables: column headers and cell spellings, built once from the rules.

`config()` reads rules/roster_headers.yaml, the questions and the vocabulary (all compiled into
rules.json) and checks them when first used: one header or cell value with two meanings raises
ValueError, so an ambiguous table fails the site build.  `normalise` is the comparison form every
header and cell goes through before it is looked up.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

PAST_KEY = "past_disposition"  # the column of the past disposition (回头看), beside the fact keys


def decision_package() -> Any:
    """The `decision` package, imported late: it is this package's parent."""
    import decision

    return decision


@lru_cache(maxsize=1)
def config() -> dict:
    """Header and value tables built from rules/roster_headers.yaml, questions and vocabulary.

    Raises ValueError when the tables are ambiguous (one header or cell value for two meanings).
    """
    engine = decision_package()
    table = engine.rules()["roster_headers"]
    questions = {q["key"]: q for q in engine.questions()}
    dispositions = engine.vocabulary()["dispositions"]
    aliases: dict[str, list[str]] = table["facts"]
    unknown = sorted(set(aliases) - set(questions))
    if unknown:
        raise ValueError(f"roster_headers.facts: {unknown} are not fact keys of questions.yaml")

    headers: dict[str, str] = {}  # normalised header -> fact key (or PAST_KEY)

    def add(mapping: dict[str, str], word: str, code: str, where: str) -> None:
        norm = normalise(str(word))
        if norm and mapping.setdefault(norm, code) != code:
            raise ValueError(f"roster_headers: {where} {word!r} means both {mapping[norm]} and {code}")

    names = {key: q.get("name") or key for key, q in questions.items()}
    for key, question in questions.items():
        for word in [key, names[key], question.get("text") or "", *aliases.get(key, [])]:
            add(headers, word, key, "header")
    past = table["past_disposition"]
    for word in [PAST_KEY, past["header"], *past.get("aliases", [])]:
        add(headers, word, PAST_KEY, "header")

    bool_values = _bool_table(table["bool"])

    choice_values: dict[str, dict[str, Any]] = {}
    for key, question in questions.items():
        if question.get("type") == "bool":  # 是/否 and the like, plus this question's own labels
            yes_no: dict[str, Any] = dict(bool_values)
            for option in question.get("options", []):
                add(yes_no, option["label"], option["value"], f"{key} value")
            choice_values[key] = yes_no
        if question.get("type") != "choice":
            continue
        mapping: dict[str, str] = {}
        for option in question.get("options", []):
            add(mapping, option["value"], option["value"], f"{key} value")
            if option.get("label"):
                add(mapping, option["label"], option["value"], f"{key} value")
        for code, words in table.get("values", {}).get(key, {}).items():
            for word in words:
                add(mapping, word, str(code), f"{key} value")
        choice_values[key] = mapping

    blank_means: dict[str, dict[str, Any]] = table.get("blank_means") or {}
    for column_key, implied in blank_means.items():
        for fact, value in implied.items():
            if column_key not in questions or fact not in questions or fact == column_key:
                raise ValueError(f"roster_headers.blank_means: {column_key} -> {fact} is not two fact keys")
            if value not in [o["value"] for o in questions[fact].get("options", [])]:
                raise ValueError(f"roster_headers.blank_means: {value!r} is not an option of {fact}")

    past_values: dict[str, str] = {}
    for code, label in dispositions.items():
        add(past_values, code, code, "disposition")
        add(past_values, label, code, "disposition")
    for code, words in past.get("values", {}).items():
        for word in words:
            add(past_values, word, code, "disposition")

    return {
        "keys": list(questions),
        "names": names,
        "aliases": aliases,
        "questions": questions,
        "types": {key: q.get("type", "text") for key, q in questions.items()},
        "headers": headers,
        "bool": bool_values,
        "choices": choice_values,
        "past_values": past_values,
        "past_header": past["header"],
        "past_aliases": list(past.get("aliases", [])),
        "dispositions": dispositions,
        "identity": [normalise(name) for name in table.get("identity", [])],
        "identity_names": list(table.get("identity", [])),
        "example": table.get("example", {}),
        "blank_means": blank_means,
    }


def _bool_table(table: dict) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for flag_name, flag in (("true", True), ("false", False)):
        words = table.get(flag_name, table.get(flag, []))
        for word in words:
            out[normalise_value(str(word))] = flag
    return out


_SPACES = re.compile(
    r"[\s\u3000\u00a0*＊:：\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u00ad]+"
)
_FULLWIDTH = str.maketrans({"（": "(", "）": ")", "，": ",", "／": "/", "－": "-", "—": "-"})


# No header or value in the tables is this long: a longer cell (up to 32,767 characters, each
# costing a slow translate) is compared as it is, and matches nothing.
LONGEST_LOOKUP = 200


def normalise(header: str) -> str:
    """Header comparison form: no spaces/asterisks/colons, half-width brackets, lower case."""
    if len(header) > LONGEST_LOOKUP:
        return header
    return _SPACES.sub("", header.replace("\ufeff", "")).translate(_FULLWIDTH).lower()


def normalise_value(value: str) -> str:
    if len(value) > LONGEST_LOOKUP:
        return value
    return _SPACES.sub("", value).translate(_FULLWIDTH).lower()


def paragraph_labels() -> dict[str, str]:
    """The notice's paragraph labels (第三部分第1项 …), compiled into rules.json."""
    return dict(decision_package().rules().get("paragraph_labels", {}))
