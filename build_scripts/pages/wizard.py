"""The decision wizard's page, and the engine bundle it loads.

Generated (in memory, never into docs/):
- assets/engine/decision.zip: the engine bundle (built by plumbing/engine_bundle.py); its
  digest goes into the page, so a new engine is never served with an old page.
- wizard/index.md: the wizard page.  Its first question is rendered here, at build time, by
  the same engine under CPython (`wizard_bridge.view({})`), so it is answerable before
  Pyodide has loaded.  The page also embeds every question object and the engine's
  vocabulary (as JSON), which the script uses to show answers while the engine loads.

The browser side is docs/assets/js/wizard/ (UI glue, entry main.mjs) and wizard-worker.mjs (Pyodide).
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterator

import decision
from build_scripts.pages import browser_floor, notice
from build_scripts.plumbing import engine_bundle, engine_snapshot, precompress, vendor_assets
from decision import wizard_bridge

PAGE = "wizard/index.md"
# Where the published notice lives, relative to the wizard page (paragraph anchors `#p-…`).
NOTICE_URL = "../notice/"
# Static pages describing each disposition, for when the engine cannot load.
DISPOSITIONS_URL = "../dispositions/"
# The printable flowchart, also readable without the engine.
FLOWCHART_URL = "../flowchart/"


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


def _cite_links(cites: list[str]) -> str:
    return "、".join(f'<a href="{e(NOTICE_URL)}#{e(pid)}">{e(notice.label(pid))}</a>' for pid in cites)


def render_question(question: dict, questions: dict) -> str:
    """The same markup docs/assets/js/wizard/render.mjs builds (renderQuestion): keep the two in step."""
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
            f"：{e(question.get('why') or '')}（依据：{_cite_links(cites)}）</p>"
        )
    lines.append(
        '<div class="wizard-buttons"><button type="submit" class="md-button md-button--primary">下一步</button></div>'
    )
    lines.append("</form>")
    return "\n".join(lines)


def page_markdown(data: dict) -> str:
    first = data["first"]
    questions = {q["key"]: q for q in data["questions"]}
    question_html = render_question(first["outcome"]["question"], questions)
    payload = json.dumps(data, ensure_ascii=False, sort_keys=True).replace("</", "<\\/")
    return f"""---
title: 处置向导
template: wizard.html
wizard_bundle: "{data["bundle"]["sha256"]}"
wizard_snapshot: "{data["bundle"]["snapshot"]}"
search:
  exclude: true
---

# 处置向导

回答几个关于本案的问题，向导依据《通知》给出处置方式、办理步骤和可打印的工作清单。所有判断都在您的浏览器中完成，案情不会发送到任何地方，也不会被保存；链接（网址 # 之后的部分）记录了您的回答，可收藏或转给同事。

<div class="wizard" id="wizard" data-wizard data-state="loading" data-notice-url="{e(NOTICE_URL)}" {browser_floor.watchdog_attributes("wizard", "../")} data-digest="{e(data["digest"])}">
<div class="wizard-status" data-wizard-status data-watchdog-status role="status" aria-live="polite" hidden><span data-wizard-status-text data-watchdog-status-text>正在加载判断引擎……您可以先回答第一个问题。</span> <progress data-wizard-progress max="4" value="0"></progress></div>
<div class="wizard-alert load-problem" data-load-problem role="alert" hidden></div>
<div class="wizard-alert" data-wizard-alert role="alert" hidden></div>
<section class="wizard-summary" data-wizard-summary aria-label="已回答的问题" hidden></section>
<section class="wizard-step" data-wizard-step aria-label="当前问题">
{question_html}
</section>
<section class="wizard-result" data-wizard-result hidden></section>
<div class="wizard-tools" data-wizard-tools></div>
<noscript><p>处置向导需要浏览器启用 JavaScript。也可以查阅<a href="{e(DISPOSITIONS_URL)}">各处置方式的说明页</a>（含可打印的办理清单）和<a href="{e(FLOWCHART_URL)}">处置流程图</a>。</p></noscript>
</div>
{browser_floor.watchdog_script("../")}

<script type="application/json" id="wizard-data">{payload}</script>
"""


def download_megabytes(bundle: bytes) -> dict[str, int]:
    """What the engine's first load downloads (Pyodide, the bundle, the snapshot), in whole MB: as
    the files are (`raw`) and as a server that compresses sends them (`gzip`, the build's
    precompressed copies where they gain).  The page says whichever its own server does."""
    parts = [
        (vendor_assets.NODE_MODULES / npm_path).read_bytes()
        for npm_path, site_path in vendor_assets.VENDORED
        if site_path.startswith("assets/vendor/pyodide/")
    ]
    parts += [bundle, engine_snapshot.snapshot(bundle)]
    raw = sum(len(part) for part in parts)
    packed = 0
    for part in parts:
        gzipped = len(precompress.gzip_bytes(part)) if len(part) >= precompress.MIN_BYTES else len(part)
        packed += gzipped if gzipped <= len(part) * (1 - precompress.MIN_GAIN) else len(part)
    return {"raw": round(raw / 1e6), "gzip": round(packed / 1e6)}


def files() -> Iterator[tuple[str, str | bytes]]:
    bundle = engine_bundle.engine_zip()
    yield (engine_bundle.ZIP_PATH, bundle)
    data = bootstrap()
    data["bundle"] = {
        "url": engine_bundle.ZIP_PATH,
        "sha256": hashlib.sha256(bundle).hexdigest()[:16],
        # The snapshot's version: it changes with the bundle, Pyodide and the snapshot script, so the
        # file can be cached for good under it (plumbing/engine_snapshot.py).
        "snapshot": engine_snapshot.cache_key(bundle)[:16],
    }
    data["download"] = download_megabytes(bundle)
    yield (PAGE, page_markdown(data))
