"""The decision wizard: the engine bundle for Pyodide and the wizard page.

Generated (in memory, never into docs/):
- assets/engine/decision.zip: the `decision` package (decision/**/*.py, the bridge
  decision/wizard_bridge.py among them, decision/rules.json) and `wizard_paragraphs.json`
  (the notice's paragraph texts, for the printed checklist).  Deterministic: sorted entries, fixed timestamps, so the same
  sources give the same bytes.
- wizard/index.md: the wizard page.  Its first question is rendered here, at build time, by
  the same engine under CPython (`wizard_bridge.view({})`), so it is answerable before
  Pyodide has loaded.  The page also embeds every question object and the engine's
  vocabulary (as JSON), which the script uses to show answers while the engine loads.

The browser side is docs/assets/js/wizard.mjs (UI glue) and wizard-worker.mjs (Pyodide).
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path

from mkdocs.structure.files import File

# Imported now, while the hooks file is being loaded: MkDocs restores sys.path afterwards, so a
# lazy import of the repository's packages at build time would not find them.
import decision
from build_scripts import notice
from decision import wizard_bridge

ROOT = Path(__file__).resolve().parent.parent
DECISION = ROOT / "decision"

PAGE = "wizard/index.md"
ZIP_PATH = "assets/engine/decision.zip"
# Where the published notice lives, relative to the wizard page (paragraph anchors `#p-…`).
NOTICE_URL = "../notice/"
# Static pages describing each disposition, for when the engine cannot load.
DISPOSITIONS_URL = "../dispositions/"

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


def bootstrap() -> dict:
    """What the page embeds: the first screen, every question, the vocabulary."""
    first = wizard_bridge.view({})
    if first["outcome"] is None or first["outcome"].get("status") != "incomplete":
        raise SystemExit(f"build: the engine does not ask a first question for an empty case: {first}")
    return {
        "first": first,
        "questions": decision.questions(),
        "vocabulary": decision.vocabulary(),
        "digest": decision.rules_digest(),
    }


# --- the page -------------------------------------------------------------------------------

e = html.escape


def _cite_links(cites: list[str], texts: dict) -> str:
    return "、".join(
        f'<a href="{e(NOTICE_URL)}#{e(pid)}">{e(texts.get(pid, {}).get("label", pid))}</a>' for pid in cites
    )


def render_question(question: dict, texts: dict, questions: dict) -> str:
    """The same markup wizard.mjs builds (renderQuestion): keep the two in step."""
    key = question["key"]
    qid = f"wq-{key}"
    described = f' aria-describedby="{qid}-hint"' if question.get("hint") else ""
    lines = [
        f'<form class="wizard-question" method="dialog" data-question="{e(key)}" novalidate>',
        f"<fieldset{described}>",
        f'<legend><h2 id="{qid}-title" tabindex="-1">{e(question["text"])}</h2></legend>',
    ]
    if question.get("hint"):
        lines.append(f'<p class="wizard-hint" id="{qid}-hint">{e(question["hint"])}</p>')
    if question["type"] in ("choice", "bool"):
        lines.append('<div class="wizard-options">')
        for n, option in enumerate(question.get("options") or []):
            value = json.dumps(option["value"], ensure_ascii=False)
            lines.append(
                f'<label class="wizard-option"><input type="radio" name="{qid}" id="{qid}-{n}" '
                f'value="{e(value)}"> <span>{e(option["label"])}</span></label>'
            )
        lines.append("</div>")
    else:
        kind = "date" if question["type"] == "date" else "number"
        extra = ' min="0" step="1" inputmode="numeric"' if kind == "number" else ""
        lines.append(
            f'<label class="wizard-field" for="{qid}-input">{e(question.get("name") or question["text"])}</label>'
            f'<input type="{kind}" id="{qid}-input" name="{qid}"{extra} required>'
        )
        lines.append('<div class="wizard-preview" data-wizard-preview aria-live="polite"></div>')
    lines.append("</fieldset>")
    for alt in question.get("alternatives") or []:
        other = questions.get(alt)
        if other:
            lines.append(
                f'<p class="wizard-alternative"><button type="button" class="wizard-linkbutton" '
                f'data-alternative="{e(alt)}">改为回答：{e(other["text"])}</button></p>'
            )
    cites = question.get("cites") or []
    if cites:
        lines.append(
            f'<p class="wizard-why"><a class="wizard-why-link" href="{e(NOTICE_URL)}#{e(cites[0])}">为什么问这个</a>'
            f"：{e(question.get('why') or '')}（依据：{_cite_links(cites, texts)}）</p>"
        )
    lines.append(
        '<div class="wizard-buttons"><button type="submit" class="md-button md-button--primary">下一步</button></div>'
    )
    lines.append("</form>")
    return "\n".join(lines)


def page_markdown(data: dict) -> str:
    first = data["first"]
    texts = notice_texts()
    questions = {q["key"]: q for q in data["questions"]}
    question_html = render_question(first["outcome"]["question"], texts, questions)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f"""---
title: 处置向导
template: wizard.html
wizard_bundle: "{data["bundle"]["sha256"]}"
search:
  exclude: true
---

# 处置向导

回答几个关于本案的问题，向导依据《通知》给出处置方式、办理步骤和可打印的工作清单。所有判断都在您的浏览器中完成，案情不会发送到任何地方，也不会被保存；链接（网址 # 之后的部分）记录了您的回答，可收藏或转给同事。

<div class="wizard" id="wizard" data-wizard data-state="loading" data-notice-url="{e(NOTICE_URL)}" data-dispositions-url="{e(DISPOSITIONS_URL)}" data-digest="{e(data["digest"])}">
<div class="wizard-status" data-wizard-status role="status" aria-live="polite"><span data-wizard-status-text>正在加载判断引擎……您可以先回答第一个问题。</span> <progress data-wizard-progress max="4" value="0"></progress></div>
<div class="wizard-alert" data-wizard-alert role="alert" hidden></div>
<section class="wizard-summary" data-wizard-summary aria-label="已回答的问题" hidden></section>
<section class="wizard-step" data-wizard-step aria-label="当前问题">
{question_html}
</section>
<section class="wizard-result" data-wizard-result hidden></section>
<div class="wizard-tools" data-wizard-tools></div>
<noscript><p>处置向导需要浏览器启用 JavaScript。也可以查阅<a href="{e(DISPOSITIONS_URL)}">各处置方式的说明页</a>。</p></noscript>
</div>

<script type="application/json" id="wizard-data">{payload}</script>
"""


def notice_texts() -> dict:
    return json.loads(paragraphs_json())


def files(config) -> Iterator[File]:
    bundle = engine_zip()
    yield File.generated(config, ZIP_PATH, content=bundle)
    data = bootstrap()
    data["bundle"] = {"url": ZIP_PATH, "sha256": hashlib.sha256(bundle).hexdigest()[:16]}
    yield File.generated(config, PAGE, content=page_markdown(data))
