"""导出结果 in pieces: the streamed CSV is the same bytes as `results_csv`, piece by piece.

The page's export (docs/assets/js/roster-worker.mjs) sends `export_next()`'s pieces to the page
as they come; the command line writes `results_csv`.  Both go through one row writer, so the
formula guard and every cell are the same; these tests hold them to the same bytes.
"""

from __future__ import annotations

import csv
import io
import json

import pytest
from hostile_rosters import FORMULAS, GOOD_ROW, HEADER, csv_bytes, formula_rows
from test_roster_hostile import live_formulas

from decision import roster
from decision.roster import report

AS_OF = "2026-11-01"


def register(rows: int) -> bytes:
    """`rows` members: the formula rows (names, an unknown column, bad dates) spread among
    ordinary ones with Chinese text, so that pieces end inside no character and no formula."""
    formulas = formula_rows()
    out = [formulas[0]]
    body = formulas[1:]
    for n in range(rows):
        if n % 300 < len(body):
            out.append(body[n % 300])
        else:
            out.append(
                [f"党员{n}", f"20{10 + n % 15}-0{1 + n % 9}-1{n % 10}", *GOOD_ROW[2:], "", f"备注{n}，第二行"]
            )
    return csv_bytes(out)


def test_the_pieces_are_the_whole_csv_byte_for_byte():
    result = roster.process(register(4321), "名册.csv", as_of=AS_OF)
    assert result["total"] == 4321
    whole = report.results_csv(result).encode("utf-8")
    pieces = list(report.results_csv_pieces(result))
    assert b"".join(pieces) == whole
    # 4,321 rows and the header line: 2,000 records a piece.
    assert len(pieces) == 3
    assert pieces[0].startswith(b"\xef\xbb\xbf") and not any(
        p.startswith(b"\xef\xbb\xbf") for p in pieces[1:]
    )
    records = [list(csv.reader(io.StringIO(p.decode("utf-8").lstrip("\ufeff"), newline=""))) for p in pieces]
    assert [len(r) for r in records] == [2000, 2000, 322]  # each piece ends at a record's end
    assert records[1][0][0] == "2001" and records[2][-1][0] == "4322"  # 行号: the file's line numbers


def test_formula_cells_stay_neutralised_in_every_piece():
    result = roster.process(register(2500), "f.csv", as_of=AS_OF)
    pieces = list(report.results_csv_pieces(result, rows_per_piece=7))  # pieces split the formula rows
    text = b"".join(pieces).decode("utf-8")
    assert text == report.results_csv(result)
    assert live_formulas(text) == []
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert table[0][1 + len(HEADER)] == "'=1+2"  # the unknown column's header
    names = [line[1] for line in table[1 : 1 + 2 * len(FORMULAS) : 2]]
    assert names == ["'" + formula.strip() for formula in FORMULAS]


def test_small_files_and_odd_piece_sizes():
    result = roster.process(roster.template_csv().encode(), "t.csv", as_of=AS_OF)
    whole = report.results_csv(result).encode("utf-8")
    for size in (1, 2, 3, 2000, 0, -5):
        pieces = list(report.results_csv_pieces(result, rows_per_piece=size))
        assert b"".join(pieces) == whole, size
        assert len(pieces) == (2 if size in (1, 0, -5) else 1), size  # at least one record a piece


def test_the_worker_streams_its_last_file():
    data = register(2345)
    assert json.loads(roster.process_json(data, "w.csv", AS_OF))["ok"]
    total = roster.export_start(1000)
    assert total == 2345
    pieces = []
    while (piece := roster.export_next()) is not None:
        pieces.append(piece)
    assert len(pieces) == 3
    assert b"".join(pieces) == roster.last_results_csv().encode("utf-8")
    assert b"".join(pieces) == report.results_csv(roster.process(data, "w.csv", as_of=AS_OF)).encode("utf-8")
    assert roster.export_next() is None  # finished: stays finished


def test_a_new_file_ends_an_export_and_a_bad_one_exports_nothing():
    assert json.loads(roster.process_json(register(50), "a.csv", AS_OF))["ok"]
    roster.export_start(10)
    first = roster.export_next()
    assert first is not None and first.startswith(b"\xef\xbb\xbf")
    json.loads(roster.process_json(b"", "x.csv"))
    assert roster.export_next() is None  # the old file's pieces are gone with it
    assert roster.export_start() == 0 and roster.export_next() is None


@pytest.mark.browser
def test_the_page_downloads_the_pieces_as_one_file(base_url, guarded_page, tmp_path):
    """4,100 rows: three pieces in the browser, the downloaded file byte for byte the CLI's."""
    page = guarded_page
    data = register(4100)
    expected = roster.process(data, "名册.csv", as_of=AS_OF, labels=roster.paragraph_labels())
    page.goto(base_url + "roster/")
    page.wait_for_selector("#roster[data-state=ready]", timeout=120_000)
    page.fill("[data-roster-as-of]", AS_OF)
    page.set_input_files(
        "[data-roster-file]", files=[{"name": "名册.csv", "mimeType": "text/csv", "buffer": data}]
    )
    page.wait_for_selector("#roster[data-state=done]", timeout=300_000)
    # The progress line as the pieces come, and the button's state meanwhile.
    page.evaluate(
        """() => {
        const button = document.querySelector('[data-roster-export]');
        const status = document.querySelector('[data-roster-export-status]');
        window.seen = [];
        new MutationObserver(() => window.seen.push([status.textContent, button.disabled]))
          .observe(status, { childList: true, characterData: true, subtree: true });
      }"""
    )
    with page.expect_download(timeout=120_000) as download_info:
        page.click("[data-roster-export]")
    saved = tmp_path / "out.csv"
    download_info.value.save_as(saved)
    assert download_info.value.suggested_filename == "名册-处置结果.csv"
    assert saved.read_bytes() == report.results_csv(expected).encode("utf-8")
    seen = page.evaluate("window.seen")
    assert seen[0] == ["导出中……", True]
    assert ["导出中……已写出 1999 / 4100 行", True] in seen and ["导出中……已写出 4100 / 4100 行", True] in seen
    assert seen[-1] == ["", False]
    assert page.inner_text("[data-roster-export-status]") == ""
    assert page.locator("[data-roster-export]").is_enabled()
    page.guard.check()
