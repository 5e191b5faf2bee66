"""The roster (名册) page and its template file, generated from the rules at build time.

Generated (in memory, never into docs/):
- roster/index.md: the page.  Its column reference (headers, other accepted headers,
  accepted values) is rendered from decision/rules (questions, roster_headers, vocabulary)
  through decision.roster, the same tables the engine reads files with.
- assets/roster/roster-template.csv: headers and one example row (decision.roster.template_csv).

The browser side is docs/assets/js/roster.mjs (UI glue) and roster-worker.mjs, which runs
decision.roster under Pyodide from the wizard's engine bundle (build_scripts/plumbing/engine_bundle.py).
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
from collections.abc import Iterator
from pathlib import Path

import yaml

from build_scripts.pages import browser_floor
from build_scripts.plumbing import engine_bundle, engine_snapshot

ROOT = Path(__file__).resolve().parents[2]
PAGE = "roster/index.md"
TEMPLATE_PATH = "assets/roster/roster-template.csv"
TEMPLATE_NAME = "失联党员名册模板.csv"
SAMPLE_PATH = "assets/roster/roster-sample.csv"
SAMPLE_NAME = "示例名册（培训用）.csv"
CASES_DIR = ROOT / "decision" / "cases"
CASES_AS_OF = "2025-06-30"  # decision/cases/README.md: the cases' default as_of
NOTICE_URL = "../notice/"


def e(text) -> str:
    return html.escape(str(text), quote=True)


def _values_text(key: str, cfg: dict) -> str:
    kind = cfg["types"].get(key)
    question = cfg["questions"].get(key, {})
    if kind == "bool":
        return "是 / 否（也可填 有 / 无）"
    if kind == "choice":
        return " / ".join(o.get("label") or o["value"] for o in question.get("options", []))
    if kind == "date":
        return "日期，如 2023-02-01、2023/2/1、2023年2月1日"
    if kind == "int":
        return "整数（月），如 7"
    return ""


def column_reference() -> str:
    """Markdown table of every column a roster may have, from the rules."""
    from decision import roster

    cfg = roster.config()
    order = cfg["keys"]
    lines = [
        "| 列名 | 也可写作 | 可填的值 | 含义（向导中的问题） |",
        "|---|---|---|---|",
    ]
    for key in order:
        question = cfg["questions"].get(key, {})
        aliases = "、".join([key, *cfg["aliases"].get(key, [])])
        meaning = question.get("text") or (
            "判断所依据的日期；不填则用页面上的评估日期" if key == "as_of" else ""
        )
        lines.append(
            f"| {cfg['names'][key]} | {_cell(aliases)} | {_cell(_values_text(key, cfg))} | {_cell(meaning)} |"
        )
    past = cfg["past_header"]
    lines.append(
        f"| {past} | {_cell('、'.join([roster.PAST_KEY, *cfg['past_aliases']]))} | "
        f"{_cell(' / '.join(cfg['dispositions'].values()))} | 回头看：通知下发前已作出的处置（可不填） |"
    )
    return "\n".join(lines)


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def page_markdown() -> str:
    from decision import roster

    cfg = roster.config()
    # Versioned like the wizard's (cached for good under their hashes, build_scripts/tools/serve.py);
    # the worker restores the same memory snapshot as the wizard (the roster modules are imported
    # in it), so the two pages share one download.
    zipped = engine_bundle.engine_zip()
    bundle = f"../{engine_bundle.ZIP_PATH}?v={hashlib.sha256(zipped).hexdigest()[:16]}"
    snapshot = f"../{engine_snapshot.SNAPSHOT_PATH}?v={engine_snapshot.cache_key(zipped)[:16]}"
    identity = "、".join(cfg["identity_names"])
    return f"""---
title: 名册批量处理
---

# 名册批量处理与“回头看”

通知要求“汇总建立失联党员中尚未取得联系的党员名册”（<a href="{NOTICE_URL}#p-5-1">第五部分第1项</a>），并对通知下发之前已经作出组织处置的党员认真开展“回头看”（<a href="{NOTICE_URL}#p-5-3">第五部分第3项</a>）。本页用与处置向导相同的判断引擎，逐行处理整个名册。

!!! note "文件不会离开本机"
    名册只在您的浏览器中读取和处理，不上传到任何地方，也不会被保存；关闭或刷新页面即清除。需要留存时，请用“导出结果（CSV）”保存到本机。

<div class="roster" id="roster" data-state="loading" {browser_floor.watchdog_attributes("roster", "../")} data-bundle="{e(bundle)}" data-snapshot="{e(snapshot)}" data-notice-url="{e(NOTICE_URL)}" data-max-bytes="{roster.MAX_BYTES}" data-too-big="{e(roster.TOO_BIG_ZH)}">

<ol class="roster-steps">
<li><a href="../{TEMPLATE_PATH}" download="{e(TEMPLATE_NAME)}">下载名册模板（CSV）</a>，每行填写一名党员，不知道的可以空着。也可以直接使用现有名册，列名见本页末尾的对照表。培训时可先用<a href="../{SAMPLE_PATH}" download="{e(SAMPLE_NAME)}">示例名册</a>（每种处置一例，含“回头看”不一致的例子）试用。</li>
<li><label>评估日期 <input type="date" data-roster-as-of></label>（计算失联时长和期限的日期，默认今天）</li>
<li><label>选择名册文件（CSV 或 Excel .xlsx）<input type="file" data-roster-file accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"></label></li>
</ol>

<div class="roster-status" data-roster-status data-watchdog-status role="status" aria-live="polite" hidden><span data-roster-status-text data-watchdog-status-text>正在加载判断引擎……</span> <progress data-roster-progress max="1"></progress></div>
<div class="roster-alert load-problem" data-load-problem role="alert" hidden></div>
<div class="roster-alert" data-roster-alert role="alert" hidden></div>

<section class="roster-results" data-roster-results hidden aria-label="处理结果">
<p data-roster-file-info></p>
<h2 id="roster-counts">各类处置的行数</h2>
<ul class="roster-counts" data-roster-counts></ul>
<p data-roster-missing hidden></p>
<p><strong data-roster-soon-count>0</strong> 行在 {roster.ACTION_WINDOW_DAYS} 天内（含已逾期）有需要办理的事项。</p>
<details class="roster-problems warning" data-roster-problems hidden open><summary>需要核对的数据：<span data-roster-problem-count></span></summary><ul data-roster-problem-list></ul></details>
<div class="roster-tools">
<label><input type="checkbox" data-roster-soon> {roster.ACTION_WINDOW_DAYS} 天内需办理（按期限先后排列）</label>
<label>筛选 <select data-roster-filter><option value="">全部</option></select></label>
<span data-roster-shown></span>
<button type="button" class="md-button md-button--primary" data-roster-export>导出结果（CSV）</button>
</div>
<div class="roster-table-wrap" data-roster-main>
<table class="roster-table">
<thead><tr><th>行号</th><th>姓名/编号</th><th>处置结果</th><th>下一期限</th><th>缺少的事实 / 数据问题</th><th>回头看</th><th>依据</th></tr></thead>
<tbody class="roster-spacer" data-roster-tbody-top aria-hidden="true" hidden><tr><td colspan="7"></td></tr></tbody>
<tbody data-roster-tbody></tbody>
<tbody class="roster-spacer" data-roster-tbody-bottom aria-hidden="true" hidden><tr><td colspan="7"></td></tr></tbody>
</table>
</div>
<p class="roster-print-note">本表打印的是页面上当前显示的行；完整结果请用“导出结果（CSV）”保存后打印。</p>

<section class="roster-review" data-roster-review hidden aria-labelledby="roster-review-title">
<h2 id="roster-review-title">“回头看”汇总</h2>
<p data-roster-review-summary></p>
<div class="roster-table-wrap" data-roster-review-pairs-wrap hidden>
<table class="roster-table">
<caption>不一致的情形</caption>
<thead><tr><th>原处置</th><th>按通知应为</th><th>行数</th></tr></thead>
<tbody data-roster-review-pairs></tbody>
</table>
</div>
<p>下表列出原处置结果与按通知得出的处置不一致、或无法比对的行，供逐一梳理“事实是否清楚、理由是否充分、处置是否恰当、手续是否完备”。工具结论仅供参考，以党组织研究决定为准；对把握不准的问题，请及时请示。</p>
<div class="roster-table-wrap">
<table class="roster-table">
<thead><tr><th>行号</th><th>姓名/编号</th><th>原处置</th><th>按通知应为</th><th>说明</th><th>依据</th></tr></thead>
<tbody class="roster-spacer" data-roster-review-tbody-top aria-hidden="true" hidden><tr><td colspan="6"></td></tr></tbody>
<tbody data-roster-review-tbody></tbody>
<tbody class="roster-spacer" data-roster-review-tbody-bottom aria-hidden="true" hidden><tr><td colspan="6"></td></tr></tbody>
</table>
</div>
<p data-roster-review-empty hidden>所有填写了原处置结果的行均与通知一致。</p>
<button type="button" class="md-button" data-roster-print-review>打印“回头看”汇总</button>
</section>
</section>

<noscript><p>名册批量处理需要浏览器启用 JavaScript。不用本页时，可以对照<a href="../dispositions/">各处置方式的说明页</a>（含可打印的办理清单）和<a href="../flowchart/">处置流程图</a>逐人办理。</p></noscript>
</div>

{browser_floor.watchdog_script("../")}

<script type="module" src="../assets/js/roster.mjs"></script>

## 使用说明

- 列名在第一行（上方可以有标题行），此后每行一名党员。结果中的行号与 Excel 中的行号一致。
- 识别的列见下表；{e(identity)} 等列原样保留在结果中，用于辨认是哪一名党员。其他无法识别的列也原样保留，并在结果中提示。
- 某一格填写有误（如日期不存在、值不在可选范围内）时，该行标为“数据有误”，并指出行号、列和原因；其他行照常处理。
- “缺少的事实”是判断该行还需要补充的下一项事实（与向导的提问顺序相同）；补充后可能还需要其他事实。
- “下一期限”是处置结论中最早的期限；已逾期的也列入“{roster.ACTION_WINDOW_DAYS} 天内需办理”。
- 回头看：在“{e(cfg["past_header"])}”列填写当时作出的处置，本页会逐行比对，并说明理由和所依据的通知条款。回头看时，评估日期宜填当时作出处置的日期（可在名册的“评估日期”列逐行填写；该列为空的行用页面上的评估日期）。
- 文件编码：支持 UTF-8（含 BOM）和 GBK/GB18030，以及 Excel 工作簿（.xlsx，读取第一个工作表）。旧版 .xls 请先另存为 .xlsx。文件不能超过 {roster.MAX_BYTES // 1024 // 1024} MB。
- 命令行：`python -m decision batch 名册.csv > 结果.csv`，结果与本页导出的 CSV 相同。

## 列名对照表

{column_reference()}
"""


def sample_csv() -> str:
    """A training roster: one engine test case (decision/cases) per disposition, plus one that
    still lacks a fact; 原处置结果 agrees on most rows and differs on every fourth (for 回头看)."""
    import decision
    from decision import roster

    cfg = roster.config()
    labels = cfg["dispositions"]
    chosen: dict[str, dict] = {}
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if case.get("expect", {}).get("invalid"):
                continue
            facts = {"as_of": CASES_AS_OF, **case["facts"]}
            outcome = decision.decide(facts)
            slot = outcome.get("disposition") or "incomplete"
            chosen.setdefault(slot, {"name": case["name"], "facts": facts, "outcome": outcome})
    order = [code for code in labels if code in chosen] + (["incomplete"] if "incomplete" in chosen else [])
    header = ["姓名", "备注", *(cfg["names"][key] for key in cfg["keys"]), cfg["past_header"]]
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for n, slot in enumerate(order):
        case = chosen[slot]
        cells = [
            roster.label_for(key, case["facts"][key]) if key in case["facts"] else "" for key in cfg["keys"]
        ]
        if slot == "incomplete":
            past = labels["correction_deadline"]
        elif n % 4 == 1:  # a past disposition that the notice does not support: flagged by 回头看
            past = labels["removal" if slot != "removal" else "suspend_membership"]
        else:
            past = labels[slot]
        writer.writerow([f"示例{n + 1}", case["name"], *cells, past])
    return "\ufeff" + out.getvalue()


def files() -> Iterator[tuple[str, str | bytes | Path]]:
    from decision import roster

    yield (TEMPLATE_PATH, roster.template_csv().encode("utf-8"))
    yield (SAMPLE_PATH, sample_csv().encode("utf-8"))
    yield (PAGE, page_markdown())
