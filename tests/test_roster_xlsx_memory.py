"""The XLSX reader keeps a value the sheet repeats once: its rows hold one string object per
distinct short value, not one per cell (the reader streams the sheet; what it keeps is the rows,
so that is where its memory goes).  Peak figures: benchmarks/roster_xlsx_memory.py."""

from __future__ import annotations

import io

import openpyxl

from decision.roster import xlsx


def inline_sheet(rows: list[list[str]]) -> bytes:
    """A write-only workbook: every text cell an inline string, parsed as a new object each time."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_repeated_values_are_one_object_and_long_ones_are_not_merged():
    long_text = "情况说明" * 10  # 40 characters: over the sharing bound, kept as read
    rows = [["姓名", "党员类别", "最后联系日期", "备注"]]
    rows += [[f"党员{n}", "正式党员", "2020-01-01", long_text] for n in range(50)]
    table = xlsx.read_xlsx(inline_sheet(rows))
    assert [list(r) for r in table] == rows  # the values themselves are unchanged
    assert len({id(r[1]) for r in table[1:]}) == 1 and len({id(r[2]) for r in table[1:]}) == 1
    assert len({id(r[0]) for r in table[1:]}) == 50  # distinct names stay distinct
    assert len({id(r[3]) for r in table[1:]}) == 50  # long text is not looked up
