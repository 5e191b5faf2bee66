"""The wizard's view of one case, computed by the `decision` engine.  Standard library only.

This module runs in two places, unchanged:
- in the browser, under Pyodide, inside the wizard's Web Worker (the build ships it with the
  rest of the `decision` package, its compiled data included, in assets/engine/decision.zip);
- at build time, under CPython, to render the first question into the wizard page.

It encodes no rule.  It turns the URL fragment's raw strings into typed facts (by each
question's declared type), lets `decision.decide` judge them, and gathers what the page
shows: the answers that mattered (in asking order), the answers that did not, the next
question or the outcome, the Chinese labels of every code, and the text of every paragraph
the outcome cites.  An invalid answer is reported (English and Chinese) and left out; the
other answers are kept and decided on.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import decision

# A fragment is typed by a person or pasted from a chat: bound the work it can cause.
MAX_PAIRS = 60
MAX_VALUE_CHARS = 200
# Compiled into the package by build_scripts/plumbing/compile_rules.py, beside rules.json.
PARAGRAPHS_FILE = Path(__file__).resolve().parent / "notice_paragraphs.json"

_paragraphs: dict | None = None


def paragraphs() -> dict:
    """{pid: {"text": …, "label": …}} of the notice: texts and labels as compiled beside the rules."""
    global _paragraphs
    if _paragraphs is None:
        if not PARAGRAPHS_FILE.is_file():
            raise RuntimeError(
                "decision/notice_paragraphs.json is missing: run `make rules` "
                "(python -m build_scripts.plumbing.compile_rules)"
            )
        compiled = json.loads(PARAGRAPHS_FILE.read_text(encoding="utf-8"))
        texts = {pid: p["text"] for pid, p in compiled.items()}
        labels = decision.rules()["paragraph_labels"]
        _paragraphs = {pid: {"text": text, "label": labels[pid]} for pid, text in texts.items()}
    return _paragraphs


_questions_cache: list[dict] | None = None
_outcomes: dict[str, dict] = {}
MAX_CACHED = 4000


def _questions() -> list[dict]:
    global _questions_cache
    if _questions_cache is None:
        _questions_cache = decision.questions()
    return _questions_cache


def _decide(case: dict) -> dict:
    """decision.decide, memoised: each answer replays the interview's prefixes (see
    _relevant_keys), which earlier answers have mostly decided already.  Outcomes are shared,
    so nothing here may modify one."""
    key = json.dumps(case, sort_keys=True)
    outcome = _outcomes.get(key)
    if outcome is None:
        outcome = decision.decide(case)  # InvalidCase propagates and is not cached
        if len(_outcomes) >= MAX_CACHED:
            _outcomes.clear()
        _outcomes[key] = outcome
    return outcome


def _question_types() -> dict[str, str]:
    return {q["key"]: q["type"] for q in _questions()}


def _coerce(key: str, raw: str, types: dict[str, str]) -> Any:
    """Fragment string -> the JSON type the contract gives the key.  A string that does not
    fit is passed on as is, so that the engine names what is wrong with it."""
    kind = types.get(key)
    if kind == "bool":
        return {"true": True, "false": False}.get(raw, raw)
    if kind == "int":
        return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 7 else raw
    return raw


def _error(key: str | None, message: str, message_zh: str) -> dict:
    return {"key": key, "message": message, "message_zh": message_zh}


def facts_from_pairs(pairs: Any) -> tuple[dict, list[dict]]:
    """[[key, value], …] from the URL fragment -> (typed facts, errors)."""
    types = _question_types()
    facts: dict = {}
    errors: list[dict] = []
    seen: set[str] = set()
    pairs = list(pairs)
    if len(pairs) > MAX_PAIRS:
        errors.append(
            _error(
                None,
                f"fragment has {len(pairs)} parameters; at most {MAX_PAIRS} are read",
                f"链接中的参数过多（{len(pairs)} 个），只读取前 {MAX_PAIRS} 个。",
            )
        )
        pairs = pairs[:MAX_PAIRS]
    for pair in pairs:
        key, raw = str(pair[0]), str(pair[1])
        if len(key) > MAX_VALUE_CHARS or len(raw) > MAX_VALUE_CHARS:
            errors.append(
                _error(
                    key[:40],
                    f"parameter {key[:40]!r} is too long (limit {MAX_VALUE_CHARS} characters)",
                    f"链接中的参数“{key[:40]}”过长，已忽略。",
                )
            )
            continue
        if key in seen:
            facts.pop(key, None)
            errors.append(
                _error(
                    key,
                    f"{key!r} appears more than once in the fragment",
                    f"链接中“{key}”出现了不止一次，无法确定取哪个值，已忽略，请重新回答。",
                )
            )
            continue
        seen.add(key)
        facts[key] = _coerce(key, raw, types)
    for error in errors:
        if error["key"] in facts:
            facts.pop(error["key"])
    return facts, errors


def _decide_valid(facts: dict, today: str | None) -> tuple[dict, dict | None, list[dict]]:
    """Drop each invalid fact the engine names, until it decides. -> (valid facts, outcome, errors)."""
    facts = dict(facts)
    errors: list[dict] = []
    for _ in range(len(facts) + 1):
        case = dict(facts)
        if today and "as_of" not in case:
            case["as_of"] = today
        try:
            return facts, _decide(case), errors
        except decision.InvalidCase as exc:
            errors.append(_error(exc.key, exc.message, exc.message_zh))
            if exc.key in facts:
                del facts[exc.key]
            elif exc.key == "as_of" and today:
                today = None  # the page's own date was refused: let the engine use its default
            else:
                return facts, None, errors
    return facts, None, errors  # pragma: no cover - each round removes a fact


def _relevant_keys(facts: dict, today: str | None) -> list[str]:
    """The given facts the engine actually needs for this case, in the order it asks them.

    Replays the interview: start from nothing, give the engine each fact it asks for (or
    the alternative the user answered instead), then the optional facts it reports as
    mattering.  A fact never asked for did not matter."""
    alternatives = {q["key"]: q.get("alternatives") or [] for q in _questions()}
    used: list[str] = ["as_of"] if "as_of" in facts else []

    def run() -> dict:
        case = {k: facts[k] for k in used}
        if today and "as_of" not in case:
            case["as_of"] = today
        return _decide(case)

    for _ in range(len(facts) + 2):
        outcome = run()
        wanted = []
        if outcome["status"] == "incomplete":
            wanted = [outcome["next_question"], *alternatives.get(outcome["next_question"], [])]
        else:
            wanted = [k for k in outcome.get("optional_questions") or [] if k not in used]
        given = next((k for k in wanted if k in facts and k not in used), None)
        if given is None:
            break
        used.append(given)
    full = _decide({**({"as_of": today} if today else {}), **facts})
    if (outcome["status"], outcome.get("rule"), outcome.get("disposition")) != (
        full["status"],
        full.get("rule"),
        full.get("disposition"),
    ):
        # Facts the engine reads without asking for them (a conflict between a date and a month
        # count given together ...): the replay cannot tell which mattered, so claim none is unused.
        order = [q["key"] for q in _questions()]
        return sorted(facts, key=lambda k: order.index(k) if k in order else len(order))
    return used


def _name(question: dict | None, key: str) -> str:
    """The short Chinese name of a fact (最后联系日期), for the summary of answers."""
    if question is None:
        return key
    return question.get("name") or question["text"]


def _value_label(question: dict | None, value: Any) -> str:
    if question is None:
        return str(value)
    for option in question.get("options") or []:
        if option["value"] == value:
            return option["label"]
    return str(value)


def _labels(outcome: dict) -> dict:
    vocab = decision.vocabulary()
    bodies = vocab.get("bodies", {})

    def body(code):
        return bodies.get(code, code) if code else None

    return {
        "disposition": outcome.get("disposition_label")
        or vocab.get("dispositions", {}).get(outcome.get("disposition"), ""),
        "decided_by": body(outcome.get("decided_by")),
        "pre_review": [body(code) for code in outcome.get("pre_review") or []],
        "approver": body(outcome.get("approver")),
        "filed_with": body(outcome.get("filed_with")),
        "actions": [vocab.get("actions", {}).get(code, code) for code in outcome.get("actions") or []],
    }


def _cited(outcome: dict) -> list[str]:
    """Every paragraph id the outcome cites, in order of first mention."""
    ids: list[str] = []

    def add(cites):
        for pid in cites or []:
            if pid not in ids:
                ids.append(pid)

    for item in outcome.get("findings") or []:
        add(item.get("cites"))
    add(outcome.get("citations"))
    for step in outcome.get("steps") or []:
        add(step.get("cites"))
    for note in outcome.get("notes") or []:
        add(note.get("cites"))
    question = outcome.get("question") or {}
    add(question.get("cites"))
    return ids


def _quoted(outcome: dict) -> list[str]:
    """The paragraphs the printed checklist quotes in full: those the disposition, its steps,
    deadlines and notes rest on (the 为什么 chain's own citations are printed as labels).  A
    sub-item is left out when its whole paragraph is quoted; order is the notice's."""
    ids: list[str] = list(outcome.get("citations") or [])
    for group in ("steps", "deadlines", "notes"):
        for item in outcome.get(group) or []:
            ids += item.get("cites") or []
    order = {pid: n for n, pid in enumerate(paragraphs())}
    unique = set(ids)
    kept = [pid for pid in unique if not any(pid.startswith(other + "-") for other in unique)]
    return sorted((pid for pid in kept if pid in order), key=order.__getitem__)


def view(request: dict) -> dict:
    """One screen of the wizard.

    request: {"pairs": [[key, raw string], …]} (URL fragment) or {"facts": {…}} (an imported
    case, already typed), and "today": the browser's local date (YYYY-MM-DD), the default
    assessment date when the case gives no `as_of`.
    """
    today = request.get("today")
    errors: list[dict]
    if "facts" in request:
        if not isinstance(request["facts"], dict):
            return {
                "facts": {},
                "errors": [_error(None, "case must be a JSON object", "案情数据必须是一个 JSON 对象。")],
                "outcome": None,
            }
        from decision import case_file

        try:  # thousands of unknown keys would each cost the engine a run in _decide_valid
            given, errors = dict(case_file.facts_of(request["facts"], [q["key"] for q in _questions()])), []
        except case_file.CaseFileError as exc:
            return {"facts": {}, "errors": [_error(None, exc.message, exc.message_zh)], "outcome": None}
    else:
        given, errors = facts_from_pairs(request.get("pairs") or [])
    facts, outcome, more = _decide_valid(given, today)
    errors += more
    result: dict = {"facts": facts, "errors": errors, "outcome": outcome, "digest": decision.rules_digest()}
    if outcome is None:
        return result
    questions = {q["key"]: q for q in _questions()}
    relevant = _relevant_keys(facts, today)
    result["answered"] = [
        {
            "key": key,
            "text": _name(questions.get(key), key),
            "value": facts[key],
            "value_label": _value_label(questions.get(key), facts[key]),
        }
        for key in relevant
        if key != "as_of"
    ]
    result["unused"] = [
        {
            "key": key,
            "text": _name(questions.get(key), key),
            "value": value,
            "value_label": _value_label(questions.get(key), value),
        }
        for key, value in facts.items()
        if key not in relevant and key != "as_of"
    ]
    result["as_of"] = (outcome.get("facts") or {}).get("as_of") or facts.get("as_of") or today
    if outcome["status"] == "complete":
        from decision import documents

        result["labels"] = _labels(outcome)
        result["paper"] = documents.checklist(outcome)
        result["optional"] = [questions[k] for k in outcome.get("optional_questions") or [] if k in questions]
        # Optional facts the user did set and that matter stay offered, so they can be unset.
        result["optional"] += [
            questions[k]
            for k in relevant
            if k in questions
            and k != "as_of"
            and k not in (outcome.get("optional_questions") or [])
            and _is_optional(k)
        ]
    texts = paragraphs()
    result["paragraphs"] = {pid: texts[pid] for pid in _cited(outcome) if pid in texts}
    result["quoted"] = _quoted(outcome) if outcome["status"] == "complete" else []
    return result


def _is_optional(key: str) -> bool:
    """A fact with a default (the engine lists it in optional_questions when it matters)."""
    return any(q["key"] == key and q.get("default") is not None for q in _questions())


def preview(request: dict) -> dict:
    """What one tentative answer would establish, before the user commits it.

    For a date such as 最后联系日期 or 停止党籍日期 this is the engine's own finding with the
    computed threshold (months out of contact, the end of the two years ...).  request: as for
    `view`, plus "key" and "value" (the raw string typed so far).  -> {"findings": [...],
    "error": message_zh or None}.  The findings are those the answer adds to the case's 为什么
    chain, without the final conclusion: the user has not answered yet.
    """
    today = request.get("today")
    key, raw = str(request.get("key") or ""), str(request.get("value") or "")
    given, _ = facts_from_pairs(request.get("pairs") or [])
    given.pop(key, None)
    base, before, _ = _decide_valid(given, today)
    if before is None or not key or len(raw) > MAX_VALUE_CHARS:
        return {"findings": [], "error": None}
    tentative = {**base, key: _coerce(key, raw, _question_types())}
    case = {**tentative}
    if today and "as_of" not in case:
        case["as_of"] = today
    try:
        after = _decide(case)
    except decision.InvalidCase as exc:
        return {"findings": [], "error": exc.message_zh}
    known = [f["text"] for f in before.get("findings") or []]
    findings = list(after.get("findings") or [])
    if after["status"] == "complete" and findings:
        findings = findings[:-1]  # the conclusion (decision/README.md: one per fact, then the conclusion)
    return {"findings": [f for f in findings if f["text"] not in known], "error": None}


def import_case(request: dict) -> dict:
    """The wizard's 导入案情: the file's text, read exactly as `python -m decision decide` reads
    a file (decision/case_file.py), then `view`.  request: {"text": the file as text, "today"}.
    A file that is not a case, or names keys that are not facts, is refused as a whole
    ("refused": true) before the engine runs; the page then keeps the current case."""
    from decision import case_file

    try:
        facts = case_file.read_case(
            str(request.get("text") or "").encode("utf-8"), [q["key"] for q in _questions()]
        )
    except case_file.CaseFileError as exc:
        return {
            "facts": {},
            "outcome": None,
            "errors": [_error(None, exc.message, exc.message_zh)],
            "refused": True,
        }
    if not isinstance(facts, dict):  # the engine's own message, as the command line prints it
        try:
            decision.decide(facts)
        except decision.InvalidCase as exc:
            return {
                "facts": {},
                "outcome": None,
                "errors": [_error(None, exc.message, exc.message_zh)],
                "refused": True,
            }
    result = view({"facts": facts, "today": request.get("today")})
    # The file's 纪实 record (decision/documents/record.py), checked like the facts; a record
    # that does not check is reported and the case is still opened, without it.
    from decision.documents import record as record_mod

    try:
        document = case_file.parse(str(request.get("text") or "").encode("utf-8"))
        raw = (
            document.get("record")
            if isinstance(document, dict) and document.get("format") == case_file.EXPORT_FORMAT
            else None
        )
        result["record"] = record_mod.read(raw)
    except case_file.CaseFileError as exc:
        result["record"] = record_mod.read(None)
        result["record_error"] = exc.message_zh
    return result


def paper(request: dict) -> dict:
    """What the page prints and downloads for one case: the checklist model, the 纪实 record as
    checked, and the document drafts with their .docx files (base64).  request: {"facts": typed
    facts (the view's), "record": the record as the page holds it, "today", "docx": bool}.
    Names and free text arrive here in a worker message, never through a URL."""
    import base64

    from decision import documents
    from decision.case_file import CaseFileError
    from decision.documents import record as record_mod

    facts = request.get("facts")
    if not isinstance(facts, dict):
        return {"error": "案情数据必须是一个 JSON 对象。"}
    case = dict(facts)
    if request.get("today") and "as_of" not in case:
        case["as_of"] = request["today"]
    try:
        outcome = _decide(case)
    except decision.InvalidCase as exc:
        return {"error": exc.message_zh}
    if outcome["status"] != "complete":
        return {"error": "案情尚未答完。"}
    blank = bool(request.get("blank"))
    try:
        record = record_mod.read(None if blank else request.get("record"))
    except CaseFileError as exc:
        return {"error": exc.message_zh, "checklist": documents.checklist(outcome)}
    drafts = documents.blank_drafts(outcome) if blank else documents.drafts(outcome, record)
    result: dict = {
        "checklist": documents.checklist(outcome),
        "record": record,
        "unknown_steps": record_mod.unknown_steps(record, outcome),
        "drafts": drafts,
        "error": None,
    }
    if request.get("docx"):
        created = (outcome.get("facts") or {}).get("as_of") or "2017-02-03"
        result["files"] = [
            {
                "name": f"{draft['file']}.docx",
                "base64": base64.b64encode(documents.docx_bytes(draft, created=created)).decode("ascii"),
            }
            for draft in drafts
        ]
    return result


OPERATIONS = {"view": view, "preview": preview, "import": import_case, "paper": paper}


def view_json(request_json: str) -> str:
    """The worker's entry point: JSON in, JSON out (no Python objects cross into JavaScript)."""
    try:
        request = json.loads(request_json)
        operation = OPERATIONS[request.get("op", "view")]
    except (ValueError, KeyError, AttributeError):
        return json.dumps(
            {
                "facts": {},
                "outcome": None,
                "errors": [_error(None, "request is not valid", "请求数据格式错误。")],
            }
        )
    return json.dumps(operation(request), ensure_ascii=False)
