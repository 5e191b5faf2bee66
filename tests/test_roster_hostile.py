"""Issue 11: the roster under hostile input, on the command line and in the engine.

The corpus (tests/hostile_rosters.py) is generated into a temporary directory; each file must
get its Chinese message and exit status, with no traceback.  Timings and memory are measured by
benchmarks/hostile_roster.py, not here.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_rosters import FORMULAS, HEADER, corpus, csv_bytes, formula_rows, generate, unclosed_quote_rows

from decision import cli, limits, roster
from decision.roster import csv_rows, report, xlsx

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-01"
CORPUS = corpus()


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "decision", "batch", *args],
        cwd=ROOT,
        capture_output=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict:
    directory = tmp_path_factory.mktemp("hostile")
    return {item.name: path for item, path in generate(directory)}


@pytest.mark.parametrize("item", CORPUS, ids=[item.name for item in CORPUS])
def test_every_hostile_file_gets_its_message_and_exit_status(item, files):
    proc = run_cli(str(files[item.name]), "--as-of", AS_OF)
    stderr = proc.stderr.decode("utf-8")
    assert "Traceback" not in stderr and "MemoryError" not in stderr
    assert proc.returncode == item.exit_code, stderr
    assert item.phrase in stderr
    if item.exit_code == 2:
        assert proc.stdout == b"" and stderr.count("\n") == 1 and stderr.startswith("error: ")
    else:
        assert proc.stdout.startswith(b"\xef\xbb\xbf")


# --------------------------------------------------------------------------- 1. formulas

DANGEROUS = ("=", "+", "-", "@", "\t", "\r", "\n")
PRODUCT_NUMBERS = {"行号", "距评估日天数"}  # written by the product as numbers


def live_formulas(text: str) -> list[tuple[str, str]]:
    """(column, cell) of every cell a spreadsheet would evaluate; the product's own integers
    (a negative number of days) are numbers, not formulas."""
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    header = table[0]
    found = [("header", cell) for cell in header if cell.startswith(DANGEROUS)]
    for line in table[1:]:
        for name, cell in zip(header, line, strict=True):
            if name.lstrip("'") in PRODUCT_NUMBERS and re.fullmatch(r"-?\d+", cell):
                continue
            if cell.startswith(DANGEROUS):
                found.append((name, cell))
    return found


def test_the_exported_csv_has_no_live_formula_and_keeps_every_cell(tmp_path):
    data = csv_bytes(formula_rows())
    path = tmp_path / "formulas.csv"
    path.write_bytes(data)
    proc = run_cli(str(path), "--as-of", AS_OF, "--quiet")
    assert proc.returncode == 0, proc.stderr.decode()
    text = proc.stdout.decode("utf-8")
    assert live_formulas(text) == []
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert table[0][1 + len(HEADER)] == "'=1+2"  # the unknown column's header
    names = [line[1] for line in table[1::2]]
    # What was read (stripped: "\t=1+1" is read as "=1+1") comes back behind an apostrophe.
    assert names == ["'" + formula.strip() for formula in FORMULAS]
    assert [line[-len(RESULT_TAIL) - 1] for line in table[2::2]] == ["'-5"] * len(FORMULAS)
    # The engine read the cells as they are: a formula in a date column is a bad date (a cell
    # not understood, so a missing fact).
    result = roster.process(data, "f.csv", as_of=AS_OF)
    bad = [e["value"] for e in result["issues"]]
    assert bad == [formula.strip() for formula in FORMULAS]


RESULT_TAIL = roster.RESULT_HEADERS[1:]


def test_dates_and_negative_days_the_product_writes_stay_numbers():
    header = [*HEADER, "是否已停止党籍", "停止党籍日期", "是否在国（境）外"]
    row = ["张三", "2010-01-01", "多方查找仍未取得联系", "正式党员", "是", "2024-11-02", "不在国（境）外"]
    result = roster.process(csv_bytes([header, row]), "r.csv", as_of=AS_OF)
    deadline = result["rows"][0]["next_deadline"]
    assert deadline == {**deadline, "date": "2026-11-02", "days": 1}
    deadline["days"] = -3  # as the same row reads a few days later: overdue
    table = list(csv.DictReader(io.StringIO(roster.results_csv(result).lstrip("\ufeff"))))
    assert table[0]["距评估日天数"] == "-3"  # a number a spreadsheet can sort and sum
    assert table[0]["下一期限日期"] == "2026-11-02"
    assert table[0]["最后联系日期"] == "2010-01-01" and table[0]["行号"] == "2"


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+86 138", "'+86 138"),
        ("-5", "'-5"),
        ("@x", "'@x"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("张=三", "张=三"),
        ("", ""),
        (-30, -30),
        (7, 7),
    ],
)
def test_spreadsheet_text(cell, shown):
    assert report.spreadsheet_text(cell) == shown


def test_the_template_has_no_live_formula():
    assert live_formulas(roster.template_csv()) == []


# --------------------------------------------------------------------------- 2./3. XLSX bounds


def test_an_empty_styled_cell_far_right_costs_nothing_and_is_accepted():
    """Excel writes styled empty cells up to XFD and formatted rows down to 1,048,576: only a
    value beyond MAX_COLUMNS, or a row beyond Excel's last, is refused."""
    import zipfile

    from hostile_rosters import header_row_xml, sheet_xml, workbook_parts

    sheet = sheet_xml(
        header_row_xml()
        + '<row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c>'
        + '<c r="B2" t="inlineStr"><is><t>2020-01-01</t></is></c><c r="XFD2" s="1"/></row>'
        + '<row r="1048576" s="1"/>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in workbook_parts(sheet).items():
            archive.writestr(name, content)
    rows = xlsx.read_xlsx(buffer.getvalue())
    assert len(rows) == limits.MAX_SHEET_ROWS
    assert rows[1] == ["张三", "2020-01-01"]
    assert rows[2] is rows[-1] is xlsx.EMPTY_ROW  # blank rows share one list


def test_limits_are_where_the_code_reads_them():
    assert roster.MAX_BYTES == limits.ROSTER_MAX_BYTES
    assert roster.MAX_ROWS == limits.ROSTER_MAX_ROWS


# --------------------------------------------------------------------------- 4. unclosed quote


def test_an_unclosed_quote_loses_no_row():
    result = roster.process(unclosed_quote_rows(), "q.csv", as_of=AS_OF)
    assert [r["row"] for r in result["rows"]] == [2, 3, 4, 5, 6, 7]
    broken = result["rows"][2]
    assert broken["status"] == "invalid" and broken["label"] == '"党员2'
    assert [e["reason_zh"] for e in broken["errors"]] == [csv_rows.BrokenRow.message_zh]
    assert all(r["status"] != "invalid" for n, r in enumerate(result["rows"]) if n != 2)
    assert [r["label"] for r in result["rows"]] == ["党员0", "党员1", '"党员2', "党员3", "党员4", "党员5"]


def test_a_stray_quote_mid_file_is_caught_too():
    text = '姓名,最后联系日期\r\n甲,2020-01-01\r\n"乙,2020-01-01\r\n丙,"2020-01-01"\r\n丁,2020-01-01\r\n'
    result = roster.process(text.encode(), "q.csv", as_of=AS_OF)
    assert [r["label"] for r in result["rows"]] == ["甲", '"乙', "丙", "丁"]
    assert [r["status"] == "invalid" for r in result["rows"]] == [False, True, False, False]


def test_quoted_multi_line_cells_are_still_one_cell():
    text = '姓名,最后联系日期,备注\r\n甲,2020-01-01,"第一行\r\n第二行"\r\n乙,2020-01-01,x\r\n'
    result = roster.process(text.encode(), "q.csv", as_of=AS_OF)
    assert [r["cells"][2] for r in result["rows"]] == ["第一行\r\n第二行", "x"]
    assert result["errors"] == []


def test_too_many_unclosed_quotes_refuse_the_file():
    lines = ["姓名,最后联系日期"] + [f'"甲{n},2020-01-01' for n in range(limits.MAX_BROKEN_QUOTE_ROWS + 1)]
    with pytest.raises(roster.RosterError) as info:
        roster.process("\r\n".join(lines).encode(), "q.csv")
    assert "引号没有闭合" in info.value.message_zh


# --------------------------------------------------------------------------- 5. blank means no

BLANK_HEADER = ["姓名", "最后联系日期", "是否取得联系", "党员类别", "是否在国（境）外"]
BLANK_ROW = ["张三", "2023-01-01", "多方查找仍未取得联系", "正式党员", "不在国（境）外"]


def decide_row(header: list[str], row: list[str]) -> dict:
    (result,) = roster.process_rows([header, row], as_of=AS_OF)["rows"]
    return result


def test_a_blank_suspension_date_means_not_suspended_and_says_so():
    without = decide_row(BLANK_HEADER, BLANK_ROW)
    assert without["status"] == "incomplete" and without["next_question"] == "suspended"
    blank = decide_row([*BLANK_HEADER, "停止党籍时间"], [*BLANK_ROW, ""])
    explicit = decide_row([*BLANK_HEADER, "是否已停止党籍"], [*BLANK_ROW, "否"])
    assert blank["next_question"] != "suspended"
    assert (blank["status"], blank["disposition"], blank["next_question"]) == (
        explicit["status"],
        explicit["disposition"],
        explicit["next_question"],
    )
    assert blank["notes"] == ["「停止党籍时间」为空，按“是否已停止党籍：否”处理。"]
    assert explicit["notes"] == []
    table = list(
        csv.DictReader(
            io.StringIO(
                roster.results_csv(
                    roster.process_rows([[*BLANK_HEADER, "停止党籍时间"], [*BLANK_ROW, ""]], as_of=AS_OF)
                ).lstrip("\ufeff")
            )
        )
    )
    assert table[0]["说明"] == blank["notes"][0]


def test_a_blank_date_never_overrides_an_answer_in_another_column():
    header = [*BLANK_HEADER, "是否已停止党籍", "停止党籍日期"]
    stated = decide_row(header, [*BLANK_ROW, "是", ""])
    assert stated["notes"] == [] and stated["next_question"] == "suspended_since"


def test_every_blank_means_entry_is_checked(monkeypatch):
    table = roster.config.__wrapped__  # the uncached builder

    import decision

    rules = decision.rules()
    rules["roster_headers"]["blank_means"] = {"suspended_since": {"suspended": "maybe"}}
    monkeypatch.setattr(decision, "rules", lambda: rules)
    with pytest.raises(ValueError, match="blank_means"):
        table()


# --------------------------------------------------------------------------- no traceback


def test_the_worker_turns_any_exception_into_a_message(monkeypatch):
    from decision.roster import worker

    def boom(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(worker, "process", boom)
    answer = json.loads(worker.process_json(b"x", "x.csv"))
    assert answer == {
        "ok": False,
        "message": "internal error: MemoryError: ",
        "message_zh": worker.INTERNAL_ZH,
    }


def test_the_cli_turns_any_exception_into_one_line(monkeypatch, capsys):
    from decision.roster import cli as roster_cli

    def boom(*args, **kwargs):
        raise KeyError("x")

    monkeypatch.setattr(roster_cli, "process", boom)
    status = cli.main(["batch", str(ROOT / "README.md")])
    err = capsys.readouterr().err
    assert status == cli.EXIT_ENGINE and err.count("\n") == 1 and "internal error: KeyError" in err


def test_standard_input_is_read_bounded():
    proc = subprocess.run(
        [sys.executable, "-m", "decision", "batch", "-"],
        cwd=ROOT,
        input=b"0" * (limits.ROSTER_MAX_BYTES + 10),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 2 and "文件过大" in proc.stderr.decode() and proc.stderr.count(b"\n") == 1
