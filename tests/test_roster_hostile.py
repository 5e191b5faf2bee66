"""The roster under hostile input, on the command line and in the engine.

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
from xml.etree import ElementTree as ET

import pytest
from hostile_rosters import (
    FORMULAS,
    HEADER,
    MAIN,
    corpus,
    csv_bytes,
    formula_rows,
    generate,
    unclosed_quote_rows,
)

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


@pytest.mark.parametrize("step", ["prepare", "decide_rows", "finish"])
def test_the_worker_turns_any_exception_into_a_message(monkeypatch, step):
    from decision.roster import worker

    def boom(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(worker, step, boom)
    data = "姓名,最后联系日期\n张三,2020-01-01\n".encode()
    answer = json.loads(worker.process_json(data, "x.csv", "2026-11-01"))
    assert answer == {
        "ok": False,
        "message": "internal error: MemoryError: ",
        "message_zh": worker.INTERNAL_ZH,
    }
    # a helper's failure is a refusal too (the primary then decides its range)
    (chunk,) = worker.part_chunks(data, "x.csv", "2026-11-01", 0, 1)
    assert json.loads(chunk)["ok"] is (step == "finish")


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


# --------------------------------------------------------------------------- round 2


def built(name: str, tmp_path: Path) -> bytes:
    ((_, path),) = generate(tmp_path, [name])
    return path.read_bytes()


def csv_table(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))


def test_the_first_visible_sheet_with_a_header_is_read_and_the_others_named(tmp_path):
    result = roster.process(built("sheets-50.xlsx", tmp_path), "b.xlsx", as_of=AS_OF)
    assert result["total"] == 20 and {r["label"][:4] for r in result["rows"]} == {"支部1党"}
    assert "工作簿共有 50 个工作表" in result["warnings"][0]["message_zh"]
    hidden = roster.process(built("hidden-first.xlsx", tmp_path), "h.xlsx", as_of=AS_OF)
    assert [r["label"] for r in hidden["rows"]] == ["张三"]  # not the stale hidden copy
    assert "隐藏的工作表「旧名册」未处理" in hidden["warnings"][0]["message_zh"]
    guide = roster.process(built("instructions-first.xlsx", tmp_path), "g.xlsx", as_of=AS_OF)
    assert [r["label"] for r in guide["rows"]] == ["张三"] and guide["errors"] == []
    assert "「填表说明」中没有可识别的列名，已跳过" in guide["warnings"][0]["message_zh"]
    with pytest.raises(roster.RosterError, match="rels"):
        roster.process(built("no-rels.xlsx", tmp_path), "r.xlsx", as_of=AS_OF)


def test_a_single_sheet_workbook_says_nothing_about_sheets(tmp_path):
    from hostile_rosters import GOOD_ROW, table_xml, workbook_of

    target = tmp_path / "one.xlsx"
    workbook_of([("名册", table_xml([HEADER, GOOD_ROW]), "visible")])(target)
    result = roster.process(target.read_bytes(), "one.xlsx", as_of=AS_OF)
    assert [r["label"] for r in result["rows"]] == ["张三"]
    assert not any("工作表" in w["message_zh"] for w in result["warnings"])


def suspension_csv(rows: list[list[str]]) -> dict:
    from hostile_rosters import SUSPENSION_HEADER

    return roster.process(csv_bytes([SUSPENSION_HEADER, *rows]), "s.csv", as_of=AS_OF)


def test_a_merged_suspension_date_is_read_in_every_row_it_covers(tmp_path):
    from hostile_rosters import SUSPENDED_ROW

    merged = roster.process(built("merged.xlsx", tmp_path), "m.xlsx", as_of=AS_OF)
    typed = suspension_csv([[f"党员{n}", *SUSPENDED_ROW[1:]] for n in range(3)])
    assert [r["disposition"] for r in merged["rows"]] == [r["disposition"] for r in typed["rows"]]
    assert {r["disposition"] for r in merged["rows"]} == {"keep_suspended"}
    assert all(r["notes"] == [] for r in merged["rows"])  # not read as blank
    assert any("合并单元格 F2:F4" in w["message_zh"] for w in merged["warnings"])


def test_a_cell_under_a_merge_beside_its_anchor_is_flagged_not_blank(tmp_path):
    from hostile_rosters import SUSPENDED_ROW, SUSPENSION_HEADER, table_xml, workbook_of

    rows = [SUSPENSION_HEADER, [*SUSPENDED_ROW[:4], "不在国（境）外", ""]]
    target = tmp_path / "m.xlsx"
    workbook_of([("名册", table_xml(rows, '<mergeCells><mergeCell ref="E2:F2"/></mergeCells>'), "visible")])(
        target
    )
    (row,) = roster.process(target.read_bytes(), "m.xlsx", as_of=AS_OF)["rows"]
    assert row["status"] == "invalid" and "合并单元格 E2:F2" in row["errors"][0]["reason_zh"]


def test_a_formula_without_its_value_makes_the_row_invalid(tmp_path):
    (row,) = roster.process(built("formula-no-value.xlsx", tmp_path), "f.xlsx", as_of=AS_OF)["rows"]
    assert row["status"] == "invalid" and row["disposition"] is None
    assert row["errors"][0]["letter"] == "F" and "没有保存计算结果" in row["errors"][0]["reason_zh"]


def test_a_boolean_true_is_yes(tmp_path):
    (row,) = roster.process(built("boolean-true.xlsx", tmp_path), "b.xlsx", as_of=AS_OF)["rows"]
    assert row["next_question"] == "suspended_since"  # 是否已停止党籍 read as 是
    for raw, shown in (("1", "是"), ("TRUE", "是"), ("0", "否"), ("false", "否")):
        cell = ET.fromstring(f'<c xmlns="{MAIN}" t="b"><v>{raw}</v></c>')
        assert xlsx._cell_value(cell, [], set(), False) == (shown, None)


def test_long_csv_cells_are_cut_with_a_word_and_no_row_is_lost(tmp_path):
    for name in ("long-cell.csv", "long-multiline.csv"):
        result = roster.process(built(name, tmp_path), name, as_of=AS_OF)
        assert [r["row"] for r in result["rows"]] == [2, 3, 4], name
        assert [r["label"] for r in result["rows"]] == ["党员1", "党员2", "党员3"], name
        assert result["errors"] == [] and all(r["status"] != "invalid" for r in result["rows"]), name
        assert len(result["rows"][0]["cells"][4]) == limits.MAX_CELL_CHARS
        assert any("第 2 行 E 列「备注」" in w["message_zh"] for w in result["warnings"]), name
    long_date = csv_bytes([HEADER, ["张三", "2" * 40_000, *HEADER[2:]]])
    (row,) = roster.process(long_date, "d.csv", as_of=AS_OF)["rows"]
    assert row["status"] == "invalid" and "40,000 个字" in row["errors"][0]["reason_zh"]


def test_cells_right_of_the_last_header_stay_in_the_export(tmp_path):
    data = built("beyond-header.csv", tmp_path)
    result = roster.process(data, "x.csv", as_of=AS_OF)
    assert "E 列在最后一个列名的右侧" in result["warnings"][-1]["message_zh"]
    assert "注：已去世（待核实）" in roster.results_csv(result)


def test_month_counts_and_serial_typos_are_cells_not_understood(tmp_path):
    # a cell that cannot be read is a missing fact for its row, named with its reason
    for name, phrase in (("digits-5000.csv", "应为不小于 0 的整数"), ("serial-typo.csv", "1955年5月21日")):
        (row,) = roster.process(built(name, tmp_path), name, as_of=AS_OF)["rows"]
        assert row["status"] != "invalid" and phrase in row["issues"][0]["reason_zh"], name
        assert len(row["issues"][0]["reason_zh"]) < 200  # the value is quoted short


def test_invisible_characters_and_a_title_with_a_chinese_comma_change_nothing(tmp_path):
    plain = roster.process(
        csv_bytes([HEADER, ["张三", "2020-01-01", "多方查找仍未取得联系", "正式党员"]]), "p.csv", as_of=AS_OF
    )
    for name in ("zero-width.csv", "title-comma.csv"):
        result = roster.process(built(name, tmp_path), name, as_of=AS_OF)
        assert result["errors"] == [], name
        assert [(r["status"], r["next_question"]) for r in result["rows"]] == [
            (r["status"], r["next_question"]) for r in plain["rows"]
        ], name


def test_the_cli_never_prints_a_terminal_escape(tmp_path, files):
    proc = run_cli(str(files["escapes.csv"]), "--as-of", AS_OF)
    assert proc.returncode == 0
    assert b"\x1b" not in proc.stderr and b"\x07" not in proc.stderr
    assert "\ufffd[31m2020-13-45" in proc.stderr.decode()
    assert b"\x1b" in proc.stdout  # the results keep the cells as they were


def test_an_amplified_shared_string_is_bounded(files):
    proc = run_cli(str(files["amplified-300.xlsx"]), "--as-of", AS_OF, "--quiet")
    assert proc.returncode == 0
    table = csv_table(proc.stdout.decode("utf-8"))
    assert len(table) == 300 and {len(line["姓名"]) for line in table} == {limits.MAX_CELL_CHARS}
    assert all(line["处理状态"] == "数据有误" for line in table)
    assert len(proc.stdout) < 100 * 1024 * 1024


def test_output_is_written_completely_or_the_command_fails(monkeypatch, capsys, tmp_path):
    from hostile_rosters import GOOD_ROW

    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([HEADER, GOOD_ROW]))

    class Short(io.RawIOBase):
        def writable(self):
            return True

        def write(self, data):
            return max(0, len(data) - 1)  # a device that takes one byte less than given

    class Out:
        buffer = Short()

        def flush(self):
            pass

    monkeypatch.setattr(sys, "stdout", Out())
    status = cli.main(["batch", str(path), "--quiet"])
    err = capsys.readouterr().err
    assert status == cli.EXIT_ENGINE and "结果未能完整写出" in err and err.count("\n") == 1


class CountingStream(io.BytesIO):
    """A part whose reads are recorded (sizes asked for)."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.sizes: list[int] = []

    def read(self, size: int = -1) -> bytes:
        self.sizes.append(size)
        return super().read(size)


def test_the_parser_is_fed_more_while_a_token_is_unfinished_and_bounded():
    # A 6 MB comment full of "<": the feeds double while it lasts, then drop back.
    part = b"<a>" + b"<!--" + b"<a>aaaaa" * 750_000 + b"-->" + b"<b/>" * 50_000 + b"</a>"
    stream = CountingStream(part)
    events = list(xlsx._events(stream))
    assert len(events) == 2 + 2 * 50_000
    assert max(stream.sizes) == 4 * 1024 * 1024 and stream.sizes[-1] == 64 * 1024
    assert len(stream.sizes) < 20  # about 2x the comment fed in all, not one feed per 64 KB
    with pytest.raises(xlsx.XlsxError, match="token longer"):
        list(xlsx._events(io.BytesIO(b'<a x="' + b"y" * (2 * limits.MAX_TOKEN_BYTES) + b'"/>')))
    with pytest.raises(xlsx.XlsxError, match="nested more than 64"):
        list(xlsx._events(io.BytesIO(b"<a>" * 65)))
    assert len(list(xlsx._events(io.BytesIO(b"<a>" * 64 + b"</a>" * 64)))) == 128
