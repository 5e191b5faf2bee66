"""Shared helpers for the pages generated from the rules.

The disposition pages, the flowchart, the coverage table and the training material all restate
rules, so all of them are generated at build time from `decision.rules()` and the engine's own
answers (`decision.decide`).  This module holds what they share: URLs of other parts of the site,
labels of conditions, citations quoted from the notice, and `explore()`, the engine's decision
tree found by asking it every question it asks.
"""

from __future__ import annotations

import datetime as _dt
import html
import posixpath
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import decision
from build_scripts.pages import notice
from decision import dates

# Pages other generators own (their src_uri).  One constant each: if a page moves, change it here.
# Markdown links use these paths (mkdocs checks them at build); HTML uses the URLs derived from them.
# The link gate (tests/test_links.py) and tests/test_rule_pages.py check every link.
NOTICE_PAGE = "notice.md"  # the published notice, with an anchor per paragraph id (#p-…)
WIZARD_PAGE = "wizard/index.md"  # the decision wizard; facts go in the fragment (#key=value&…)

# Pages generated here (src_uri of the in-memory Markdown files).
DISPOSITIONS_INDEX = "dispositions/index.md"
FLOWCHART_PAGE = "flowchart.md"
COVERAGE_PAGE = "coverage.md"
TRAINING_INDEX = "training/index.md"
QUIZ_PAGE = "training/quiz.md"
HANDOUT_PAGE = "training/handout.md"

# The assessment date used to walk the engine (any fixed date: the rules only compare intervals).
EXPLORE_AS_OF = "2025-06-30"


def disposition_page(code: str) -> str:
    return f"dispositions/{code}.md"


def rule_anchor(rule_id: str) -> str:
    return f"rule-{rule_id}"


# ---- URLs ----------------------------------------------------------------------------------


def page_url(src_uri: str) -> str:
    """The site-root-relative URL a Markdown page is served at (use_directory_urls: true)."""
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        stem = stem[: -len("index")]
        return stem
    return stem + "/"


def relative(from_src: str, target_url: str) -> str:
    """A link from the page `from_src` to a site-root-relative URL (which may carry #fragment)."""
    path, _, fragment = target_url.partition("#")
    base = page_url(from_src) or "."
    rel = posixpath.relpath(path or ".", base)
    if path.endswith("/") and not rel.endswith("/"):
        rel += "/"
    if rel == "./":
        rel = ""
    return rel + (f"#{fragment}" if fragment else "")


def md_link(from_src: str, target_src: str, fragment: str = "") -> str:
    """A Markdown link target from one page's source to another's (mkdocs validates and rewrites it)."""
    rel = posixpath.relpath(target_src, posixpath.dirname(from_src) or ".")
    return rel + (f"#{fragment}" if fragment else "")


def notice_href(from_src: str, pid: str) -> str:
    """URL (for HTML) of a paragraph's anchor on the notice page."""
    return relative(from_src, f"{page_url(NOTICE_PAGE)}#{pid}")


def notice_md(from_src: str, pid: str) -> str:
    """Markdown link target of a paragraph's anchor on the notice page."""
    return md_link(from_src, NOTICE_PAGE, pid)


def disposition_href(from_src: str, code: str, rule_id: str | None = None) -> str:
    url = page_url(disposition_page(code)) + (f"#{rule_anchor(rule_id)}" if rule_id else "")
    return relative(from_src, url)


def disposition_md(from_src: str, code: str, rule_id: str | None = None) -> str:
    return md_link(from_src, disposition_page(code), rule_anchor(rule_id) if rule_id else "")


def wizard_href(from_src: str, facts: dict) -> str:
    """URL of the wizard with the facts in the fragment (never the query string: nothing is sent)."""
    from urllib.parse import urlencode

    query = urlencode([(k, fact_text(v)) for k, v in facts.items()])
    return relative(from_src, page_url(WIZARD_PAGE)) + "#" + query


def fact_text(value: Any) -> str:
    return "true" if value is True else "false" if value is False else str(value)


def esc(text: Any) -> str:
    return html.escape(str(text), quote=True)


# ---- the compiled rules, with labels -------------------------------------------------------


@cache
def rules() -> dict:
    return decision.rules()


@cache
def vocabulary() -> dict:
    return decision.vocabulary()


@cache
def questions_by_key() -> dict[str, dict]:
    return {q["key"]: q for q in decision.questions()}


def disposition_codes() -> list[str]:
    """Every disposition code, in the vocabulary's order (the contract's order)."""
    return list(vocabulary()["dispositions"])


def disposition_label(code: str) -> str:
    return vocabulary()["dispositions"][code]


def body_label(code: str | None) -> str:
    if not code:
        return ""
    return vocabulary()["bodies"].get(code, code)


def rules_for(code: str) -> list[dict]:
    return [r for r in rules()["dispositions"] if r["disposition"] == code]


def rule_number(rule_id: str) -> int:
    """The rule's number among the rules of its disposition (情形一, 情形二 …), from 1."""
    rule = next(r for r in rules()["dispositions"] if r["id"] == rule_id)
    return [r["id"] for r in rules_for(rule["disposition"])].index(rule_id) + 1


CN_NUMERALS = "一二三四五六七八九十"


def cn_number(n: int) -> str:
    if n <= 10:
        return CN_NUMERALS[n - 1]
    if n < 20:
        return "十" + CN_NUMERALS[n - 11]
    return str(n)


# Derived facts are computed by the engine from dates (decision/engine.py, decision/rules/derived.yaml)
# and have no question of their own.  Their names and value labels for people are here; the boundary
# each label states is checked against the engine by tests/test_rule_pages.py
# (test_derived_labels_match_the_engine), so a change of the engine's threshold fails the build's tests.
DERIVED_LABELS: dict[str, dict[Any, str]] = {
    "in_scope": {"name": "失联是否满6个月", True: "满6个月", False: "不满6个月"},
    "suspension_expired": {
        "name": "停止党籍是否已超过2年",
        True: "已超过2年（2年期满之日以后）",
        False: "尚在2年内（含2年期满当日）",
    },
    "conflict": {"name": "所填事实是否相互矛盾", True: "相互矛盾", False: "没有矛盾"},
    "premature_suspension": {
        "name": "停止党籍决定是否早于失联满6个月",
        True: "早于失联满6个月（停止党籍时失联不满6个月）",
        False: "不早于",
    },
}


def fact_name(key: str) -> str:
    if key in DERIVED_LABELS:
        return DERIVED_LABELS[key]["name"]
    q = questions_by_key()[key]
    return q.get("name") or q["text"]


def value_label(key: str, value: Any) -> str:
    if key in DERIVED_LABELS:
        return DERIVED_LABELS[key][value]
    q = questions_by_key()[key]
    for option in q.get("options") or []:
        if option["value"] == value and type(option["value"]) is type(value):
            return option["label"]
    return fact_text(value)


def condition_text(key: str, expected: Any) -> str:
    """`key: expected` of a rule's `when`, in words: 「党员类别」为「预备党员」."""
    values = expected if isinstance(expected, list) else [expected]
    labels = "或".join(f"“{value_label(key, v)}”" for v in values)
    return f"{fact_name(key)}：{labels}"


def cites_links(from_src: str, cites: list[str]) -> str:
    """Markdown links to the notice's paragraphs, labelled 第三部分第2项（1） …"""
    return "、".join(f"[{notice.label(pid)}]({notice_md(from_src, pid)})" for pid in sort_cites(cites))


def sort_cites(cites: list[str]) -> list[str]:
    order = {pid: i for i, pid in enumerate(notice.paragraph_ids())}
    return sorted(dict.fromkeys(cites), key=lambda pid: order.get(pid, len(order)))


def quote_block(from_src: str, pid: str) -> str:
    """The paragraph as issued, quoted, with its label linking to its anchor on the notice page."""
    text = notice.paragraph_text(pid).replace("\n", " ")
    return f"> **[{notice.label(pid)}]({notice_md(from_src, pid)})** {text}\n"


def months_text(months: int) -> str:
    if months % 12 == 0:
        return f"{months // 12}年"
    return f"{months}个月"


def generated_banner(what: str) -> str:
    return (
        f'<p class="rp-generated">本页{what}由构建程序根据处置规则（<code>decision/rules</code>）自动生成，'
        f"规则版本 <code>{decision.rules_digest()}</code>。如需修改，请修改规则，不要手工编辑本页。</p>\n"
    )


# ---- the engine's decision tree -------------------------------------------------------------


def _probe_dates() -> dict[str, tuple[str, dict[bool, Any]]]:
    """For each derived fact: the source fact to answer and a value giving False / True.

    Values sit on each side of the boundary (5 and 6 months; exactly two years and one day more), so
    that the walk also shows where the engine puts the boundary.
    """
    base = dates.parse(EXPLORE_AS_OF)
    two_years = dates.add_months(base, -24)
    return {
        "in_scope": ("months_out_of_contact", {False: 5, True: 6}),
        "suspension_expired": (
            "suspended_since",
            {False: two_years.isoformat(), True: (two_years - _dt.timedelta(days=1)).isoformat()},
        ),
    }


@dataclass(eq=False)
class Node:
    """A question node (key = fact or derived fact) or an outcome leaf (rule set)."""

    id: str
    key: str | None = None  # None for a leaf
    branches: list[tuple[Any, Node]] = field(default_factory=list)
    rule: str | None = None  # leaf only
    disposition: str | None = None  # leaf only
    facts: dict = field(default_factory=dict)  # a fact set reaching this node first (as_of included)

    @property
    def leaf(self) -> bool:
        return self.key is None


@dataclass
class Tree:
    root: Node
    nodes: list[Node]  # distinct nodes (identical subtrees merged), children before parents
    leaves_by_rule: dict[str, Node]
    calls: int
    paths: list[tuple[dict, dict, dict]]  # (facts, answers by asked key, outcome) for every complete path


@cache
def explore() -> Tree:
    """The engine's decision tree, found by answering every question it asks with every answer.

    Choice and yes/no questions take each option; the date questions behind a derived fact take one
    value on each side of its boundary (see _probe_dates).  Identical subtrees are merged, so the
    result is a small graph: one node per distinct question state, one leaf per rule reached.
    """
    all_rules = {r["id"]: r for r in rules()["dispositions"]}
    derived = rules()["derived"]
    probes = _probe_dates()
    interned: dict[tuple, Node] = {}
    nodes: list[Node] = []
    leaves: dict[str, Node] = {}
    paths: list[tuple[dict, dict, dict]] = []
    calls = 0

    def intern(signature: tuple, make) -> Node:
        node = interned.get(signature)
        if node is None:
            node = make()
            interned[signature] = node
            nodes.append(node)
        return node

    def asked_key(outcome: dict) -> str:
        asked = outcome["next_question"]
        for key in all_rules[outcome["rule"]]["when"]:
            if key in derived and derived[key].get("source") == asked:
                return key
        return asked

    def visit(facts: dict, answers: dict) -> Node:
        nonlocal calls
        calls += 1
        outcome = decision.decide(facts)
        if outcome["status"] == "complete":
            paths.append((facts, answers, outcome))
            rule_id = outcome["rule"]

            def make_leaf() -> Node:
                return Node(id=f"r_{rule_id}", rule=rule_id, disposition=outcome["disposition"], facts=facts)

            leaf = intern(("leaf", rule_id), make_leaf)
            leaves[rule_id] = leaf
            return leaf
        key = asked_key(outcome)
        branches: list[tuple[Any, Node]] = []
        if key in probes:
            source, values = probes[key]
            for value in (False, True):
                branches.append((value, visit({**facts, source: values[value]}, {**answers, key: value})))
        else:
            for option in outcome["question"]["options"]:
                value = option["value"]
                branches.append((value, visit({**facts, key: value}, {**answers, key: value})))
        signature = (key, tuple((repr(v), id(child)) for v, child in branches))
        return intern(signature, lambda: Node(id=f"q{len(nodes)}", key=key, branches=branches, facts=facts))

    root = visit({"as_of": EXPLORE_AS_OF}, {})
    return Tree(root=root, nodes=nodes, leaves_by_rule=leaves, calls=calls, paths=paths)


def _ordinariness(facts: dict) -> tuple:
    """Sort key for examples: fewest facts, then fewest 'yes' answers, then the earliest options."""
    index = 0
    for key, value in facts.items():
        q = questions_by_key().get(key)
        values = [o["value"] for o in (q or {}).get("options") or []]
        if value in values:
            index += values.index(value)
    return (len(facts), sum(1 for v in facts.values() if v is True), index)


def _decided_by(facts: dict) -> str | None:
    outcome = decision.decide(facts)
    return outcome["rule"] if outcome["status"] == "complete" else None


@cache
def example_facts(rule_id: str) -> dict | None:
    """The most ordinary fact set the walk found that the engine decides by this rule (None if none)."""
    found = [facts for facts, _, outcome in explore().paths if outcome["rule"] == rule_id]
    if not found:
        # A rule with `when_given` is never reached by answering questions: add its given facts to
        # the walked paths and keep those the engine then decides by this rule.
        rule = next(r for r in rules()["dispositions"] if r["id"] == rule_id)
        given = rule.get("when_given") or {}
        if given:
            candidates = ({**facts, **given} for facts, _, _ in explore().paths)
            found = [f for f in candidates if _decided_by(f) == rule_id]
    return dict(min(found, key=_ordinariness)) if found else None


@cache
def implied_conditions(rule_id: str) -> dict[str, Any]:
    """What every path to the rule answered, among the facts the rule itself does not name: what the
    rules before it require (e.g. no violations).  A value, or a list when several (but not all)
    answers lead there.  Derived facts by their own key."""
    rule = next(r for r in rules()["dispositions"] if r["id"] == rule_id)
    answer_sets = [answers for _, answers, outcome in explore().paths if outcome["rule"] == rule_id]
    if not answer_sets:
        return {}
    implied: dict[str, Any] = {}
    for key in answer_sets[0]:
        if key in rule["when"] or key in rule.get("when_given", {}) or not all(key in a for a in answer_sets):
            continue
        seen: list = []
        for a in answer_sets:
            if not any(a[key] == v and type(a[key]) is type(v) for v in seen):
                seen.append(a[key])
        if key in DERIVED_LABELS:
            options = [False, True]
        else:
            options = [o["value"] for o in questions_by_key()[key].get("options") or []]
        if len(seen) < len(options):
            implied[key] = seen[0] if len(seen) == 1 else [v for v in options if v in seen]
    return implied


def unreachable_rules() -> list[str]:
    """Rules no answer to the engine's questions leads to (safety nets, `when_given` rules)."""
    reached = explore().leaves_by_rule
    return [r["id"] for r in rules()["dispositions"] if r["id"] not in reached]
