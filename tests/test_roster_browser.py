"""In the browser: the roster page from a chosen file to the exported CSV.

The page runs decision.roster under Pyodide in its worker; the exported file must be byte for
byte what the command line prints for the same file and date.
"""

from __future__ import annotations

import csv
import io

import pytest
from playwright.sync_api import expect
from test_roster import CASES, CASES_AS_OF, roster_rows, to_csv, to_xlsx

from decision import roster

pytestmark = pytest.mark.browser

ENGINE_TIMEOUT = 120_000


def open_roster(page, base_url):
    page.goto(base_url + "roster/")
    page.wait_for_selector("#roster[data-state=ready]", timeout=ENGINE_TIMEOUT)
    page.fill("[data-roster-as-of]", CASES_AS_OF)


def choose(page, name: str, data: bytes, mime: str = "text/csv"):
    page.set_input_files("[data-roster-file]", files=[{"name": name, "mimeType": mime, "buffer": data}])


def test_file_to_exported_csv_round_trip(base_url, guarded_page, tmp_path):
    page = guarded_page
    rows = roster_rows(CASES[:40], past=lambda case: "除名")
    rows[5][rows[0].index("最后联系日期")] = "2023-02-30"  # a bad row: reported, the others processed
    header = rows[0]
    for n, since in enumerate(["2023-07-20", "2023-07-01", "2023-07-10"]):  # two years end within 30 days
        row = dict.fromkeys(header, "")
        row.update(
            {"姓名": f"停止党籍{n}", "最后联系日期": "2022-01-10", "是否取得联系": "多方查找仍未取得联系"}
        )
        row.update({"党员类别": "正式党员", "是否在国（境）外": "不在国（境）外", "停止党籍日期": since})
        rows.append([row[h] for h in header])
    data = to_csv(rows).encode("gbk")  # as Excel in a Chinese locale saves it
    expected = roster.process(data, "名册.csv", as_of=CASES_AS_OF, labels=roster.paragraph_labels())

    open_roster(page, base_url)
    choose(page, "名册.csv", data)
    page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
    assert "已处理 43 行" in page.inner_text("[data-roster-status]")
    assert "GBK" in page.inner_text("[data-roster-file-info]")

    counts = {
        button.get_attribute("data-code"): int(button.query_selector("strong").inner_text())
        for button in page.query_selector_all(".roster-count")
    }
    assert counts == expected["counts"]
    # The tables are virtualised: their rows come from the worker a moment after each change, so
    # each count is awaited (expect retries), never read at once.
    expect(page.locator("[data-roster-tbody] tr")).to_have_count(43)
    assert expected["missing"]  # the cases include incomplete rows
    missing = page.inner_text("[data-roster-missing]")
    for label, n in expected["missing"].items():
        assert f"「{label}」{n} 行" in missing
    # a bad cell is a missing fact, shown on its member's row (not a failed row)
    bad = page.locator("[data-roster-tbody] tr").nth(4).inner_text()
    assert "不是存在的日期" in bad and "按缺少处理" in bad

    soon = [r for r in expected["rows"] if r["next_deadline"] and r["next_deadline"]["days"] <= 30]
    assert len(soon) >= 4
    page.check("[data-roster-soon]")
    expect(page.locator("[data-roster-tbody] tr")).to_have_count(len(soon))
    shown = [
        int(cell.inner_text()) for cell in page.query_selector_all("[data-roster-tbody] tr td:nth-child(2)")
    ]
    assert shown == [r["row"] for r in sorted(soon, key=lambda r: (r["next_deadline"]["days"], r["row"]))]
    assert page.inner_text("[data-roster-soon-count]") == str(len(soon))
    page.uncheck("[data-roster-soon]")

    review = expected["review"]
    summary = page.inner_text("[data-roster-review-summary]")
    assert (
        f"处置有偏差 {review['deviation']} 人" in summary and f"后续应办 {review['follow_up']} 人" in summary
    )
    pairs = page.query_selector_all("[data-roster-review-pairs] tr")
    assert [p.inner_text().split("\t") for p in pairs] == [
        [p["finding_label"], p["past"], p["now"], str(p["rows"])] for p in review["pairs"]
    ]
    assert review["pairs"]
    flagged = [
        r
        for r in expected["rows"]
        if r["review"] and r["review"]["state"] in ("deviation", "follow_up", "undetermined", "unreadable")
    ]
    expect(page.locator("[data-roster-review-tbody] tr")).to_have_count(len(flagged))

    with page.expect_download() as download_info:
        page.click("[data-roster-export]")
    download = download_info.value
    assert download.suggested_filename == "名册-处置结果.csv"
    saved = tmp_path / "out.csv"
    download.save_as(saved)
    exported = saved.read_bytes()
    assert exported.startswith(b"\xef\xbb\xbf")
    assert exported.decode("utf-8") == roster.results_csv(expected)
    table = list(csv.reader(io.StringIO(exported.decode("utf-8-sig"))))
    assert len(table) == 44 and table[0][0] == "行号"
    page.guard.check()


def test_xlsx_in_the_browser(base_url, guarded_page):
    page = guarded_page
    rows = roster_rows(CASES[:10])
    expected = roster.process_rows(rows, as_of=CASES_AS_OF)
    open_roster(page, base_url)
    choose(
        page,
        "roster.xlsx",
        to_xlsx(rows),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
    assert "Excel" in page.inner_text("[data-roster-file-info]")
    shown = [cell.inner_text() for cell in page.query_selector_all("[data-roster-tbody] tr td:nth-child(3)")]
    labels = [
        r["disposition_label"] or ("缺少事实" if r["status"] == "incomplete" else "数据有误")
        for r in expected["rows"]
    ]
    assert shown == labels
    page.guard.check()


BAD_FILES = [
    ("empty.csv", b"", "文件是空的"),
    ("headers.csv", "\ufeff最后联系日期,是否取得联系\r\n".encode(), "只有表头"),
    ("garbled.csv", b"\x81\x30\xff\xfe\xfd" * 20, "无法识别文件的文字编码"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "旧版 Excel"),
    ("huge.csv", b"0" * (50 * 1024 * 1024), "文件过大（50.0 MB）"),
]


def test_bad_files_get_a_clear_message(base_url, guarded_page, tmp_path):
    """One page, one file after another, as a user would retry."""
    page = guarded_page
    open_roster(page, base_url)
    for name, data, phrase in BAD_FILES:
        path = tmp_path / name
        path.write_bytes(data)  # a path, not a buffer: Playwright refuses buffers over 50 MB
        page.set_input_files("[data-roster-file]", str(path))
        page.wait_for_function(
            "phrase => document.querySelector('[data-roster-alert]').textContent.includes(phrase)",
            arg=phrase,
            timeout=ENGINE_TIMEOUT,
        )
        assert page.locator("[data-roster-alert]").is_visible(), name
        assert page.locator("[data-roster-results]").is_hidden(), name
    page.guard.check()


def test_template_download_and_printable_review(base_url, guarded_page):
    page = guarded_page
    open_roster(page, base_url)
    with page.expect_download() as download_info:
        page.click("a[download='失联党员名册模板.csv']")
    download = download_info.value
    assert download.suggested_filename == "失联党员名册模板.csv"
    with open(download.path(), "rb") as handle:
        template = handle.read()
    assert template.decode("utf-8") == roster.template_csv()

    choose(page, "名册模板.csv", template)
    page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
    page.fill("[data-roster-unit]", "某某党委")
    page.evaluate("window.print = () => {}")  # the report is built; no print dialog in a test
    page.click("[data-roster-print-review]")
    page.emulate_media(media="print")
    report = page.locator("[data-roster-report]")
    assert report.is_visible() and "某某党委失联党员处置“回头看”情况报告" in report.inner_text()
    assert "经办人" in report.inner_text() and "审核人" in report.inner_text()
    assert page.locator("[data-roster-main]").is_hidden()
    assert page.locator("[data-roster-review]").is_hidden()
    assert page.locator(".roster-steps").is_hidden()
    page.guard.check()


def test_results_state_passes_the_site_gates(base_url, browser):
    """axe (0 serious/critical), CSP, egress, console and the 360 px checks on a filled-in page."""
    from site_gates import Auditor, audit

    rows = roster_rows(CASES[:30], past=lambda case: "停止党籍")
    rows[3][rows[0].index("是否取得联系")] = "也许"
    auditor = Auditor(browser)
    try:
        findings = auditor.start("roster/ (results)")
        page = auditor.page
        open_roster(page, base_url)
        choose(page, "名册.csv", to_csv(rows).encode("utf-8"))
        page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
        audit(page, findings)
    finally:
        auditor.close()
    problems = findings.blocking_axe() + findings.csp + findings.external + findings.errors + findings.console
    assert not problems + findings.narrow, findings.summary()


def test_long_roster_keeps_few_rows_in_the_page(base_url, guarded_page):
    """Virtualised tables: 3,000 rows, of which about 60 are in the DOM at any time; scrolling to
    the end shows the last rows, and a filter change shows its own rows from the top."""
    page = guarded_page
    rows = roster_rows(CASES, past=lambda case: "除名")
    header, body = rows[0], rows[1:]
    many = [header] + [body[i % len(body)] for i in range(3000)]
    data = to_csv(many).encode("utf-8")
    expected = roster.process(data, "名册.csv", as_of=CASES_AS_OF)

    open_roster(page, base_url)
    choose(page, "名册.csv", data)
    page.wait_for_selector("#roster[data-state=done]", timeout=ENGINE_TIMEOUT)
    page.wait_for_selector("[data-roster-tbody] tr")
    drawn = page.locator("[data-roster-tbody] tr").count()
    assert 20 <= drawn <= 120, drawn
    assert page.inner_text("[data-roster-shown]") == "显示全部 3000 行"

    def first_and_last_drawn():
        numbers = [
            int(c.inner_text()) for c in page.query_selector_all("[data-roster-tbody] tr td:nth-child(2)")
        ]
        return numbers[0], numbers[-1]

    assert first_and_last_drawn()[0] == expected["rows"][0]["row"]
    # Scroll to the end of the table: the last rows are drawn, still only a window of them.
    page.evaluate("document.querySelector('[data-roster-tbody-bottom]').scrollIntoView({block: 'end'})")
    page.wait_for_function(
        f"() => [...document.querySelectorAll('[data-roster-tbody] tr td:nth-child(2)')]"
        f".some(td => td.textContent === '{expected['rows'][-1]['row']}')",
        timeout=20_000,
    )
    assert page.locator("[data-roster-tbody] tr").count() <= 120
    assert first_and_last_drawn()[1] == expected["rows"][-1]["row"]

    # A filter: its count line and its first rows, from the top of its own selection.
    code = max(expected["counts"], key=expected["counts"].get)
    page.select_option("[data-roster-filter]", code)
    n = expected["counts"][code]
    page.wait_for_function(
        f"() => document.querySelector('[data-roster-shown]').textContent.startsWith('符合条件 {n} 行')"
    )
    chosen = [r["row"] for r in expected["rows"] if (r["disposition"] or r["status"]) == code]
    page.evaluate("document.querySelector('[data-roster-main]').scrollIntoView({block: 'start'})")
    page.wait_for_function(
        f"() => document.querySelector('[data-roster-tbody] tr td:nth-child(2)')?.textContent === '{chosen[0]}'",
        timeout=20_000,
    )
    assert page.locator("[data-roster-tbody] tr").count() <= 120
    page.guard.check()
