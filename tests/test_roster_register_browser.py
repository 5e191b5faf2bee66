"""The generated 失联党员台账 (tests/real_register.py) on the roster page: the same outcomes as
`python -m decision batch`, the 列名对照 step and its file, the layout at 1366 px and 360 px,
and the printed 回头看 report.
"""

from __future__ import annotations

import json
import re

import pytest
import real_register as rr

from decision import roster
from decision.roster import mapping

pytestmark = pytest.mark.browser

ENGINE_TIMEOUT = 120_000
AS_OF = rr.AS_OF.isoformat()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def load(page, base_url, data: bytes, name: str = "台账.xlsx"):
    page.goto(base_url + "roster/")
    page.wait_for_selector("#roster[data-state=ready]", timeout=ENGINE_TIMEOUT)
    page.fill("[data-roster-as-of]", AS_OF)
    page.set_input_files("[data-roster-file]", files=[{"name": name, "mimeType": XLSX, "buffer": data}])
    page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)


def test_the_register_on_the_page_matches_the_command_line(base_url, guarded_page, tmp_path):
    page = guarded_page
    people = rr.members()
    data = rr.to_xlsx(people)
    expected = roster.process(data, "台账.xlsx", as_of=AS_OF)
    load(page, base_url, data)
    counts = {
        b.get_attribute("data-code"): int(b.query_selector("strong").inner_text())
        for b in page.query_selector_all(".roster-count")
    }
    assert counts == expected["counts"]
    assert counts.get("invalid", 0) <= 15  # at most 5 % 数据有误
    first = page.locator("[data-roster-tbody] tr").first.inner_text()
    assert expected["rows"][0]["label"] in first  # named by 姓名（所在党支部）

    # 列名对照: the free-text causes are listed; nothing is chosen for the user
    assert page.locator("[data-roster-mapping]").is_visible()
    values = page.locator("select[data-map-key=cause]")
    assert values.count() >= 4
    assert all(values.nth(i).input_value() == "" for i in range(values.count()))
    page.select_option("select[data-map-key=cause][data-map-value=外出务工]", "objective")
    page.select_option("select[data-map-key=cause][data-map-value=下落不明]", "unknown")
    with page.expect_download() as info:
        page.click("[data-roster-mapping-save]")
    saved = tmp_path / "对照.json"
    info.value.save_as(saved)
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["values"] == {"cause": {"外出务工": "objective", "下落不明": "unknown"}}
    chosen = mapping.load(saved.read_bytes())
    after = roster.process(data, "台账.xlsx", as_of=AS_OF, mapping=chosen)
    page.click("[data-roster-mapping-apply]")
    page.wait_for_function(
        "n => document.querySelectorAll('select[data-map-key=cause]').length === n",
        arg=len(next(v for v in after["unmapped"]["values"] if v["key"] == "cause")["values"]),
        timeout=ENGINE_TIMEOUT,
    )
    page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
    counts = {
        b.get_attribute("data-code"): int(b.query_selector("strong").inner_text())
        for b in page.query_selector_all(".roster-count")
    }
    assert counts == after["counts"]
    page.guard.check()


def test_layout_at_1366_and_360_and_the_printed_report(base_url, browser, tmp_path):
    data = rr.to_xlsx(rr.members())
    expected = roster.process(data, "台账.xlsx", as_of=AS_OF)
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    try:
        page = context.new_page()
        load(page, base_url, data)
        # no results column squeezed to a couple of characters
        widths = page.evaluate(
            "() => [...document.querySelector('[data-roster-tbody] tr').children].map(td => td.getBoundingClientRect().width)"
        )
        font = page.evaluate(
            "() => parseFloat(getComputedStyle(document.querySelector('[data-roster-tbody] td')).fontSize)"
        )
        print("column widths at 1366 px:", [round(w) for w in widths], "font", font)
        assert min(widths) >= 3 * font
        page.fill("[data-roster-unit]", "XX镇党委")
        page.evaluate("window.print = () => {}")
        page.click("[data-roster-print-review]")
        page.emulate_media(media="print")
        report = page.locator("[data-roster-report]").inner_text()
        review = expected["review"]
        assert f"一、处置有偏差（{review['deviation']}人）" in report
        assert f"二、后续应办（{review['follow_up']}人）" in report
        for branch in {
            r["branch"] for r in expected["rows"] if r["review"] and r["review"]["state"] == "deviation"
        }:
            assert branch in report
        assert "经办人" in report and "2026年4月6日" in report
        pdf = page.pdf(format="A4")
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        findings = review["deviation"] + review["follow_up"]
        print(f"printed report: {pages} A4 pages for {expected['total']} rows, {findings} findings")
        assert 1 <= pages <= 2 + findings // 10
        page.emulate_media(media="screen")

        page.set_viewport_size({"width": 360, "height": 740})
        display = page.evaluate(
            "() => getComputedStyle(document.querySelector('[data-roster-tbody] tr')).display"
        )
        assert display == "block"  # one card per member
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0
    finally:
        context.close()
