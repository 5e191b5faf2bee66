"""The XLSX reader's fast loops read what the plain event stream reads, and refuse what it refuses:
the parser's own event queue against read_events, the collector switched back on after every
read, the depth bound in the sheet and the shared strings, and the two-count bound before the
exact tag count (benchmarks/roster_xlsx_memory.py measures the speed)."""

from __future__ import annotations

import gc
import io
import zipfile

import pytest
from hostile_rosters import GOOD_ROW, HEADER, MAIN, data_row_xml, header_row_xml, sheet_xml, workbook_parts

from decision import limits
from decision.roster import xlsx


def workbook(sheet: str | bytes, shared: str | bytes | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in workbook_parts(sheet, shared).items():
            archive.writestr(name, content)
    return out.getvalue()


def shared_workbook() -> bytes:
    """Header inline, data rows through shared strings, a number, a date-less style, a formula."""
    texts = GOOD_ROW + ["备注<&>"]
    shared = f'<sst xmlns="{MAIN}">' + "".join(f"<si><t>{escaped(t)}</t></si>" for t in texts) + "</sst>"
    cells = "".join(f'<c r="{chr(65 + i)}2" t="s"><v>{i}</v></c>' for i in range(len(GOOD_ROW)))
    cells += '<c r="E2" t="s"><v>4</v></c><c r="F2"><v>12.50</v></c><c r="G2"><f>1+1</f></c>'
    rich = '<c r="A3" t="inlineStr"><is><r><t>李</t></r><r><t>四</t></r><rPh><t>li</t></rPh></is></c>'
    return workbook(sheet_xml(header_row_xml() + f'<row r="2">{cells}</row><row r="3">{rich}</row>'), shared)


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def test_the_parsers_own_queue_and_read_events_give_the_same_rows(monkeypatch):
    for data in (
        shared_workbook(),
        workbook(sheet_xml(header_row_xml() + data_row_xml(2) + data_row_xml(5))),
    ):
        fast = xlsx.read_xlsx(data)
        monkeypatch.setattr(xlsx, "_queue_of", lambda parser: None)
        plain = xlsx.read_xlsx(data)
        monkeypatch.undo()
        assert [list(r) for r in fast] == [list(r) for r in plain]
        assert [getattr(r, "flags", {}) for r in fast] == [getattr(r, "flags", {}) for r in plain]
    rows = xlsx.read_xlsx(shared_workbook())
    assert list(rows[1]) == GOOD_ROW + ["备注<&>", "12.5", ""]
    assert rows[1].flags[6] is xlsx.NO_CACHED_VALUE
    assert list(rows[2]) == ["李四"]
    assert [list(r) for r in xlsx.read_xlsx(workbook(sheet_xml(header_row_xml())))] == [HEADER]


def test_a_parse_error_comes_after_its_feeds_events_either_way(monkeypatch):
    broken = workbook(sheet_xml(header_row_xml() + data_row_xml(2)).replace("</sheetData>", "</sheetDta>"))
    for queue in (xlsx._queue_of, lambda parser: None):
        monkeypatch.setattr(xlsx, "_queue_of", queue)
        with pytest.raises(xlsx.XlsxError) as refused:
            xlsx.read_xlsx(broken)
        assert refused.value.message_zh == xlsx.BROKEN_ZIP_ZH and "ParseError" in refused.value.message


def test_the_collector_is_on_again_after_a_read_and_a_refusal():
    assert gc.isenabled()
    xlsx.read_xlsx(shared_workbook())
    assert gc.isenabled()
    with pytest.raises(xlsx.XlsxError):
        xlsx.read_xlsx(workbook(sheet_xml('<row r="3"/><row r="2"/>')))
    assert gc.isenabled()
    gc.disable()  # a caller that turned it off keeps it off
    try:
        xlsx.read_xlsx(shared_workbook())
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.mark.parametrize("where", ["cell", "sheet", "shared"])
def test_depth_is_bounded_in_every_loop_and_a_parse_error_in_the_same_feed_wins(where):
    def build(depth: int, tail: str = "") -> bytes:
        nest = "<x>" * depth + "</x>" * depth
        if where == "shared":
            return workbook(sheet_xml(header_row_xml()), f'<sst xmlns="{MAIN}"><si>{nest}{tail}</si></sst>')
        if where == "cell":
            return workbook(sheet_xml(f'<row r="1"><c r="A1"><is>{nest}{tail}</is></c></row>'))
        return workbook(sheet_xml(f"<row r='1'/>{nest}{tail}"))

    opened = {"cell": 5, "sheet": 2, "shared": 2}[where]  # elements open around the nest
    xlsx.read_xlsx(build(limits.MAX_XML_DEPTH - opened))
    with pytest.raises(xlsx.XlsxError, match="nested more than 64"):
        xlsx.read_xlsx(build(limits.MAX_XML_DEPTH - opened + 1))
    with pytest.raises(xlsx.XlsxError) as refused:  # as read_events raised it while the rest was read
        xlsx.read_xlsx(build(limits.MAX_XML_DEPTH + 10, "</y>"))
    assert "ParseError" in refused.value.message


def test_the_tag_count_bound_reads_a_sheet_with_many_other_c_tags_and_counts_cells_exactly(monkeypatch):
    monkeypatch.setattr(limits, "MAX_SHEET_ROWS", 1000)  # the part is large enough to be counted
    monkeypatch.setattr(limits, "MAX_CELLS", 3 * len(HEADER))
    cols = "<cols>" + '<col min="1" max="1" width="9"/>' * 2000 + "</cols>"
    rows = header_row_xml() + data_row_xml(2)
    sheet = f'<worksheet xmlns="{MAIN}">{cols}<sheetData>{rows}</sheetData></worksheet>'
    assert sheet.count("<c") > limits.MAX_CELLS and len(sheet) > 6 * limits.MAX_SHEET_ROWS
    counted = spy_counts(monkeypatch)
    assert [list(r) for r in xlsx.read_xlsx(workbook(sheet))] == [HEADER, GOOD_ROW]
    assert counted == [1, 3]  # the bound ("<row", "<c") was over, so the exact count ran: not over
    counted.clear()
    small = sheet.replace(cols, "")
    monkeypatch.setattr(limits, "MAX_SHEET_ROWS", len(small) // 6 - 1)
    assert [list(r) for r in xlsx.read_xlsx(workbook(small))] == [HEADER, GOOD_ROW]
    assert counted == [1]  # within the bound: no exact count
    counted.clear()
    monkeypatch.setattr(limits, "MAX_SHEET_ROWS", 1000)
    over = sheet.replace("</sheetData>", data_row_xml(3) + data_row_xml(4) + "</sheetData>")
    with pytest.raises(xlsx.XlsxError, match=f"more than {3 * len(HEADER)} cells"):
        xlsx.read_xlsx(workbook(over))
    assert counted == [1, 3]


def spy_counts(monkeypatch) -> list[int]:
    """The size of the first family of tags of each counting pass over a part."""
    counted: list[int] = []
    count = xlsx._count_tags

    def spied(archive, name, families, stop=None):
        counted.append(len(families[0]))
        return count(archive, name, families, stop)

    monkeypatch.setattr(xlsx, "_count_tags", spied)
    return counted
