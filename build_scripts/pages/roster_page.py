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

from build_scripts.pages import browser_floor
from build_scripts.plumbing import engine_bundle, engine_snapshot, strict_yaml

ROOT = Path(__file__).resolve().parents[2]
PAGE = "roster/index.md"
TEMPLATE_PATH = "assets/roster/roster-template.csv"
TEMPLATE_NAME = "失联党员名册模板.csv"
TEMPLATE_XLSX_PATH = "assets/roster/roster-template.xlsx"
TEMPLATE_XLSX_NAME = "失联党员名册模板.xlsx"
SAMPLE_PATH = "assets/roster/roster-sample.csv"
SAMPLE_NAME = "示例名册（培训用）.csv"
CASES_DIR = ROOT / "decision" / "cases"
CASES_AS_OF = "2025-06-30"  # decision/cases/README.md: the cases' default as_of
NOTICE_URL = "../notice/"


def e(text) -> str:
    return html.escape(str(text), quote=True)


DATE_FORMS = (
    "日期，如 2013年5月6日，也可写作 2013/5/6、2013.5.6、<span class='input-form' data-search-exclude>2013-05-06</span>（全角数字也可）或 Excel 日期；"
    "只到月的 2013年5月、2013.05、2013.5、2013-05、201305 也可，结论取决于具体日期时会请您补充"
)


def _values_text(key: str, cfg: dict) -> str:
    kind = cfg["types"].get(key)
    question = cfg["questions"].get(key, {})
    if kind == "bool":
        return "是 / 否（也可填 有 / 无）"
    if kind == "choice":
        labels = [o.get("label") or o["value"] for o in question.get("options", [])]
        spellings = [w for words in cfg.get("value_words", {}).get(key, {}).values() for w in words]
        return " / ".join(labels) + (f"（也可填 {'、'.join(spellings)}）" if spellings else "")
    if kind == "date":
        return "评估日期须写到日" if key == "as_of" else DATE_FORMS
    if kind == "int":
        return "整数（月），如 7"
    return ""


def column_reference() -> str:
    """Markdown table of every column a roster may have, from the rules (Chinese first)."""
    from decision import roster

    cfg = roster.config()
    values = roster_values()
    lines = [
        "| 列名 | 也可写作 | 可填的值 | 含义（向导中的问题） |",
        "|---|---|---|---|",
    ]
    for key in cfg["keys"]:
        question = cfg["questions"].get(key, {})
        # The engine's own key is accepted as a header too, but readers are shown the Chinese names.
        aliases = "、".join(a for a in cfg["aliases"].get(key, []) if a != key and not a.isascii()) or "—"
        meaning = question.get("text") or (
            "判断所依据的日期；不填则用页面上的评估日期" if key == "as_of" else ""
        )
        lines.append(
            f"| {cfg['names'][key]} | {_cell(aliases)} | {_cell(_values_text(key, {**cfg, 'value_words': values}))} "
            f"| {_cell(meaning)} |"
        )
    extra_meaning = {
        "restored_on": "重新取得联系的日期。填了即视为已取得联系；与失联时间一起算出失联持续的月数",
        "membership_status": "停止党籍即已停止党籍（停止党籍日期空着的，需要时再请您补充）；正常即未停止党籍",
        "disposition_date": "回头看：原处置作出的日期，按当时的事实判断原处置是否恰当（停止党籍的可不填，用停止党籍日期）",
    }
    for key, spec in cfg["extra"].items():
        if spec.get("type") == "date":
            kinds = DATE_FORMS
        else:
            kinds = " / ".join(
                f"{words[0]}（也可填 {'、'.join(words[1:])}）" for words in spec["values"].values()
            )
        lines.append(
            f"| {spec['header']} | {_cell('、'.join(spec.get('aliases', [])))} | {_cell(kinds)} "
            f"| {_cell(extra_meaning.get(key, ''))} |"
        )
    past = cfg["past_header"]
    table = decision_rules()["roster_headers"]["past_disposition"]
    lines.append(
        f"| {past} | {_cell('、'.join(a for a in cfg['past_aliases'] if not a.isascii()))} | "
        f"{_cell(' / '.join(cfg['dispositions'].values()))}；尚未处置的填 {_cell('、'.join(table.get('none', [])))} "
        "或空着 | 回头看：通知下发前已作出的处置（可不填） |"
    )
    ignored = "、".join(table_ignore())
    return (
        "\n".join(lines)
        + f"\n\n**标识列**（原样保留，用于辨认党员，不参与判断）：{'、'.join(cfg['identity_names'])}。"
        + "结果和报告中以“姓名（所在党支部）”称呼每名党员，并保留 Excel 行号。\n\n"
        + f"**个人信息列**（原样保留，不参与判断，也不提示）：{ignored}。\n\n"
        + "**其他列**原样保留，并在“列名对照”中请您指定对应的事实或“不使用此列”；"
        "无法识别的值（如失联原因写“外出务工”）按“缺少”处理，也可在“列名对照”中由您指定对应的选项或“不确定”，"
        "本工具不替您猜测。对照可保存为文件，命令行用 `python -m decision batch 名册.xlsx --columns 列名对照.json` 使用。"
    )


def decision_rules() -> dict:
    import decision

    return decision.rules()


def table_ignore() -> list[str]:
    return list(decision_rules()["roster_headers"].get("ignore") or [])


def roster_values() -> dict:
    """The everyday spellings of each choice fact's values (rules/roster_headers.yaml)."""
    return decision_rules()["roster_headers"].get("values") or {}


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
<li>下载名册模板：<a href="../{TEMPLATE_XLSX_PATH}" download="{e(TEMPLATE_XLSX_NAME)}">Excel 模板（.xlsx，含下拉选项和日期格式）</a>或<a href="../{TEMPLATE_PATH}" download="{e(TEMPLATE_NAME)}">CSV 模板</a>，每行填写一名党员，不知道的可以空着。也可以直接使用现有名册，列名见本页末尾的对照表。培训时可先用<a href="../{SAMPLE_PATH}" download="{e(SAMPLE_NAME)}">示例名册</a>（每种处置一例，含“回头看”不一致的例子）试用。</li>
<li><label>评估日期 <input type="date" data-roster-as-of></label>（计算失联时长和期限的日期，默认今天）</li>
<li><label>选择名册文件（CSV 或 Excel .xlsx）<input type="file" data-roster-file accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"></label></li>
<li>（可选）<label>载入以前保存的列名对照文件 <input type="file" data-roster-mapping-load accept=".json,application/json"></label> <span data-roster-mapping-loaded></span></li>
</ol>

<div class="roster-status" data-roster-status data-watchdog-status role="status" aria-live="polite" hidden><span data-roster-status-text data-watchdog-status-text>正在加载判断引擎……</span> <progress data-roster-progress max="1"></progress></div>
<div class="roster-alert load-problem" data-load-problem role="alert" hidden></div>
<div class="roster-alert" data-roster-alert role="alert" hidden></div>

<section class="roster-results" data-roster-results hidden aria-label="处理结果">
<p data-roster-file-info></p>
<section class="roster-mapping" data-roster-mapping hidden aria-labelledby="roster-mapping-title">
<h2 id="roster-mapping-title">列名对照：请确认无法识别的列和值</h2>
<p>下列列名或填写的值本工具无法识别，相关事实按“缺少”处理。请逐项选择它对应哪一项事实（或“不使用此列”）、对应哪一个选项（或“不确定”）。本工具不会替您猜测：例如“外出务工”是客观原因还是主观原因，须由党组织根据查找情况认定。选好后点“按对照重新处理”；对照可保存为文件，下次在本页载入，或在命令行用 <code>--columns 文件</code> 使用。</p>
<div data-roster-mapping-columns></div>
<div data-roster-mapping-values></div>
<div class="roster-tools">
<button type="button" class="md-button md-button--primary" data-roster-mapping-apply>按对照重新处理</button>
<button type="button" class="md-button" data-roster-mapping-save>保存对照文件</button>
</div>
</section>
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
<span class="roster-export-status" data-roster-export-status role="status" aria-live="polite"></span>
</div>
<div class="roster-table-wrap" data-roster-main>
<table class="roster-table">
<thead><tr><th>党员（所在党支部）</th><th>行号</th><th>处置结果</th><th>下一期限</th><th>缺少的事实 / 数据问题</th><th>回头看</th><th>依据</th></tr></thead>
<tbody class="roster-spacer" data-roster-tbody-top aria-hidden="true" hidden><tr><td colspan="7"></td></tr></tbody>
<tbody data-roster-tbody></tbody>
<tbody class="roster-spacer" data-roster-tbody-bottom aria-hidden="true" hidden><tr><td colspan="7"></td></tr></tbody>
</table>
</div>
<p class="roster-print-note">本表打印的是页面上当前显示的行；完整结果请用“导出结果（CSV）”保存后打印。</p>

<section class="roster-review" data-roster-review hidden aria-labelledby="roster-review-title">
<h2 id="roster-review-title">“回头看”</h2>
<p data-roster-review-summary></p>
<p>对通知下发之前已作出的处置，本页按作出处置时的事实和日期（“处置时间”，停止党籍的用“停止党籍日期”）判断：当时不符合通知规定的，列为“处置有偏差”，并指出事实是否清楚、理由是否充分、处置是否恰当、手续是否完备中哪一点有问题；当时恰当、按通知现在应办理下一步的（如停止党籍满2年仍无法取得联系，按自行脱党除名），列为“后续应办”。“继续查找”“未处置”等按尚未处置处理。工具结论仅供参考，以党组织研究决定为准；对把握不准的问题，请及时请示。</p>
<div class="roster-table-wrap" data-roster-review-pairs-wrap hidden>
<table class="roster-table roster-table--pairs">
<caption>各类情形</caption>
<thead><tr><th>回头看结论</th><th>原处置</th><th>按通知应为</th><th>人数</th></tr></thead>
<tbody data-roster-review-pairs></tbody>
</table>
</div>
<div class="roster-table-wrap">
<table class="roster-table roster-table--review">
<thead><tr><th>党员（所在党支部）</th><th>行号</th><th>原处置</th><th>回头看</th><th>说明</th><th>依据</th></tr></thead>
<tbody class="roster-spacer" data-roster-review-tbody-top aria-hidden="true" hidden><tr><td colspan="6"></td></tr></tbody>
<tbody data-roster-review-tbody></tbody>
<tbody class="roster-spacer" data-roster-review-tbody-bottom aria-hidden="true" hidden><tr><td colspan="6"></td></tr></tbody>
</table>
</div>
<p data-roster-review-empty hidden>填写了原处置的各行均无偏差，也没有需要后续办理的事项。</p>
<div class="roster-tools">
<label>报告单位 <input type="text" data-roster-unit placeholder="如：XX镇党委" maxlength="60"></label>
<button type="button" class="md-button" data-roster-print-review>打印“回头看”报告</button>
</div>
</section>
<section class="roster-report" data-roster-report hidden aria-hidden="true"></section>
</section>

<noscript><p>名册批量处理需要浏览器启用 JavaScript。不用本页时，可以对照<a href="../dispositions/">各处置方式的说明页</a>（含可打印的办理清单）和<a href="../flowchart/">处置流程图</a>逐人办理。</p></noscript>
</div>

{browser_floor.watchdog_script("../")}

<script type="module" src="../assets/js/roster.mjs"></script>

## 使用说明

- 列名在第一行（上方可以有标题行），此后每行一名党员。结果中的行号与 Excel 中的行号一致。
- 识别的列见下表；{e(identity)} 等列原样保留在结果中，用于辨认是哪一名党员。其他无法识别的列也原样保留，并在结果中提示。
- 某一格无法识别（如日期不存在、值不在可选范围内、失联原因写的是“外出务工”等具体情形）时，该项事实按“缺少”处理，结果中写明哪一格、为什么；只有该行的判断需要这一项时才影响结论。只有同一行填写的事实相互矛盾时（如“是否取得联系”为否却填了“取得联系时间”），该行才标为“数据有误”。
- 无法识别的列和值，可在“列名对照”中逐项指定对应的事实和选项（或“不使用”“不确定”），并保存为对照文件，下次直接载入。
- 日期可写成 <span class='input-form' data-search-exclude>2013-05-06</span>、2013/5/6、2013.5.6、2013年5月6日（全角数字也可），也可以是 Excel 的日期格式。只写到月的（2013年5月、2013.05、2013.5、2013-05、201305）按“该月某一天”处理：该月任何一天结论都相同的，照常得出结论；结论取决于具体哪一天的（如恰好在满6个月、满2年的那个月），该行请您补充具体日期。
- “缺少的事实”是判断该行还需要补充的下一项事实（与向导的提问顺序相同）；补充后可能还需要其他事实。
- “下一期限”是处置结论中最早的期限；已逾期的也列入“{roster.ACTION_WINDOW_DAYS} 天内需办理”。
- 回头看：在“{e(cfg["past_header"])}”列（也可写作“处置情况”“组织处置情况”“处置结果”）填写当时作出的处置，在“处置时间”列填写作出处置的日期（停止党籍的，用“停止党籍日期”）。本页按当时的事实和日期判断原处置是否恰当（处置有偏差），再按评估日期判断现在是否应办理下一步（后续应办），并说明理由和所依据的通知条款。
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
        for case in strict_yaml.load(path) or []:
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
    from decision.roster.template_xlsx import template_xlsx

    yield (TEMPLATE_PATH, roster.template_csv().encode("utf-8"))
    yield (TEMPLATE_XLSX_PATH, template_xlsx())
    yield (SAMPLE_PATH, sample_csv().encode("utf-8"))
    yield (PAGE, page_markdown())
