"""The coverage table (coverage/): for each paragraph id of the notice, the rules that implement it
and the test cases (decision/cases/*.yaml) that exercise it.

A paragraph is implemented when a rule of decision/rules cites it: a disposition rule, a derived fact
(the 6-month and 2-year thresholds), a procedure or one of its steps, an add-on action or a
conditional note.  Questions that cite a paragraph are listed too, but do not implement it.
A case exercises a paragraph when it names it (`cites`) or when the engine decides it by a rule that
cites it.  Paragraphs no rule implements are listed with the reason, which is data
(build_scripts/pages/coverage_reasons.yaml); tests/test_rule_pages.py fails if a paragraph has neither a
rule nor a reason, or a reason for a paragraph that a rule now implements.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

import decision
from build_scripts.pages import notice
from build_scripts.pages import pagekit as pk

ROOT = Path(__file__).resolve().parents[2]
CASES_DIR = ROOT / "decision" / "cases"
REASONS = Path(__file__).resolve().with_name("coverage_reasons.yaml")
SRC = pk.COVERAGE_PAGE
# decision/cases/README.md: "as_of defaults to 2025-06-30 when omitted".
CASES_AS_OF = "2025-06-30"


@dataclass
class Case:
    file: str
    number: int
    name: str
    cites: list[str]
    rule: str | None  # the rule the engine decided it by (None: invalid or incomplete)
    status: str  # complete / incomplete / invalid

    @property
    def ref(self) -> str:
        return f"{self.file}#{self.number}"


@dataclass
class Row:
    pid: str
    rules: list[str] = field(default_factory=list)  # disposition rule ids
    others: list[str] = field(default_factory=list)  # derived facts, procedures, actions, notes (labels)
    questions: list[str] = field(default_factory=list)  # question keys
    cases: list[Case] = field(default_factory=list)

    @property
    def implemented(self) -> bool:
        return bool(self.rules or self.others)


@cache
def cases() -> tuple[Case, ...]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yaml")):
        for n, case in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or [], 1):
            facts = case.get("facts")
            if isinstance(facts, dict):  # invalid.yaml also has cases that are not even an object
                facts = {"as_of": CASES_AS_OF, **facts}
            try:
                outcome = decision.decide(facts)
            except decision.InvalidCase:
                rule, status = None, "invalid"
            else:
                status = outcome["status"]
                rule = outcome["rule"] if status == "complete" else None
            out.append(Case(path.stem, n, case.get("name", ""), list(case.get("cites") or []), rule, status))
    return tuple(out)


@cache
def reasons() -> dict[str, str]:
    return yaml.safe_load(REASONS.read_text(encoding="utf-8")) or {}


@cache
def rows() -> tuple[Row, ...]:
    r = pk.rules()
    table = {pid: Row(pid) for pid in notice.paragraph_ids()}

    def add(pid: str, attr: str, item: str) -> None:
        row = table.get(pid)
        if row is None:
            raise SystemExit(f"build: the rules cite {pid!r}, which is not a paragraph id of the notice")
        items = getattr(row, attr)
        if item not in items:
            items.append(item)

    rule_cites = {}
    for rule in r["dispositions"]:
        rule_cites[rule["id"]] = rule["cites"]
        for pid in rule["cites"]:
            add(pid, "rules", rule["id"])
    for key, derived in r["derived"].items():
        for pid in derived.get("cites", []):
            add(pid, "others", f"推算事实：{pk.fact_name(key)}")
    for proc in r["procedures"].values():
        for pid in proc.get("cites", []):
            add(pid, "others", f"程序：{proc['title']}")
        for step in proc["steps"]:
            for pid in step["cites"]:
                add(pid, "others", f"程序：{proc['title']}")
        for note in proc.get("notes", []):
            for pid in note["cites"]:
                add(pid, "others", f"说明：{proc['title']}")
    for action in r["actions"]:
        for pid in action["cites"]:
            add(pid, "others", f"附加事项：{pk.vocabulary()['actions'][action['code']]}")
    for note in r["notes"]:
        for pid in note["cites"]:
            add(pid, "others", f"条件说明：{note['id']}")
    for q in decision.questions():
        for pid in q.get("cites", []):
            add(pid, "questions", q["key"])
    for case in cases():
        exercised = set(case.cites) | set(rule_cites.get(case.rule or "", []))
        for pid in exercised:
            if pid in table:
                table[pid].cases.append(case)
    return tuple(table.values())


def unimplemented() -> list[str]:
    return [row.pid for row in rows() if not row.implemented]


def _rule_link(rule_id: str) -> str:
    rule = next(x for x in pk.rules()["dispositions"] if x["id"] == rule_id)
    label = f"{pk.disposition_label(rule['disposition'])}·情形{pk.cn_number(pk.rule_number(rule_id))}"
    return f"[{label}]({pk.disposition_md(SRC, rule['disposition'], rule_id)})"


def page() -> str:
    table = rows()
    missing = unimplemented()
    all_cases = cases()
    implemented = len(table) - len(missing)
    out = [
        "# 规则覆盖表\n",
        pk.generated_banner("表格"),
        (
            f"通知共{len(table)}个可引用的段落（含分目）。其中{implemented}个由规则（处置规则、程序、附加事项等）实施，"
            f"{len(missing)}个没有对应的规则（原因见[下文](#unimplemented)）。"
            f"规则旁共有{len(all_cases)}个测试用例（`decision/cases/*.yaml`），"
            "每次构建和测试都用判断引擎逐一运行。\n"
        ),
        (
            "“实施的规则”指引用该段的处置规则；“其他规则”指引用该段的推算事实、程序步骤、附加事项和说明；"
            "“用例”指注明测试该段、或经引擎判断适用引用该段的规则的测试用例。\n"
        ),
        "| 段落 | 实施的处置规则 | 其他规则 | 问题 | 用例 |",
        "|---|---|---|---|---|",
    ]
    for row in table:
        para = f'[{notice.label(row.pid)}]({pk.notice_md(SRC, row.pid)})<br><span class="rp-cites">`{row.pid}`</span>'
        rules_cell = "<br>".join(_rule_link(rid) for rid in row.rules) or "—"
        others = "<br>".join(row.others) or "—"
        questions = "、".join(pk.fact_name(k) for k in row.questions) or "—"
        if row.cases:
            count = f"[{len(row.cases)}](#cases-{row.pid})"
        else:
            count = "0"
        if not row.implemented:
            rules_cell = f"**无**（[原因](#why-{row.pid})）"
        out.append(f"| {para} | {rules_cell} | {others} | {questions} | {count} |")
    out.append("")
    out.append("## 没有规则实施的段落 {#unimplemented}\n")
    out.append("这些段落不规定对某一名党员如何处置（或只是引语），因此没有对应的处置规则：\n")
    for pid in missing:
        reason = reasons().get(pid, "（缺少说明）")
        out.append(
            f'- <span id="why-{pid}"></span>[{notice.label(pid)}]({pk.notice_md(SRC, pid)}) `{pid}`：{reason}'
        )
        out.append(f"    > {notice.paragraph_text(pid).replace(chr(10), ' ')}")
    out.append("")
    out.append("## 各段落的测试用例 {#cases}\n")
    for row in table:
        if not row.cases:
            continue
        items = "".join(
            f"<li><code>{pk.esc(c.ref)}</code> {pk.esc(c.name)}</li>"
            for c in sorted(row.cases, key=lambda c: (c.file, c.number))
        )
        out.append(
            f'<details id="cases-{row.pid}"><summary>{pk.esc(notice.label(row.pid))}（{row.pid}）：'
            f"{len(row.cases)}个用例</summary><ul>{items}</ul></details>\n"
        )
    return "\n".join(out)


def files() -> Iterator[tuple[str, str | bytes | Path]]:
    yield (SRC, page())
