"""Roster mode (decision/roster/, `python -m decision batch`).

The rosters here are built from the engine's own test cases (decision/cases/*.yaml), written
the way a register is (Chinese headers, option labels, 是/否, dates as 2023/2/1 ...), so each
row's expected outcome is known twice: from the case file and from decide() on the facts.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import decision
from decision import roster
from decision.roster import xlsx

ROOT = Path(__file__).resolve().parent.parent
CASES_AS_OF = "2025-06-30"  # decision/cases/README.md: the cases' default as_of
CFG = roster.config()


def engine_cases() -> list[dict]:
    cases = []
    for path in sorted((ROOT / "decision" / "cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            if not case.get("expect", {}).get("invalid"):
                facts = {"as_of": CASES_AS_OF, **case["facts"]}
                cases.append({"name": case["name"], "facts": facts, "expect": case["expect"]})
    return cases


CASES = engine_cases()


def cell_text(key: str, value, style: int = 0) -> str:
    """A fact value written as a person would: labels, 是/否, dates in several formats."""
    question = CFG["questions"][key]
    if question["type"] == "bool":
        return ["是", "否", "有", "无"][(0 if value else 1) + 2 * (style % 2)]
    if question["type"] == "choice":
        for option in question["options"]:
            if option["value"] == value:
                return option["label"] if style % 3 else value
    if question["type"] == "date":
        day = dt.date.fromisoformat(value)
        return [value, f"{day.year}/{day.month}/{day.day}", f"{day.year}年{day.month}月{day.day}日"][
            style % 3
        ]
    return str(value)


def roster_rows(cases: list[dict], header_of=lambda key: CFG["names"][key], past=None) -> list[list[str]]:
    keys = CFG["keys"]
    header = ["姓名", *(header_of(k) for k in keys)]
    if past is not None:
        header.append(CFG["past_header"])
    rows = [header]
    for n, case in enumerate(cases):
        row = [f"党员{n}", *(cell_text(k, case["facts"][k], n) if k in case["facts"] else "" for k in keys)]
        if past is not None:
            row.append(past(case) or "")
        rows.append(row)
    return rows


def to_csv(rows: list[list[str]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def to_xlsx(rows: list[list[str]]) -> bytes:
    """A real workbook (openpyxl): dates as date cells, 是/否 as booleans, numbers as numbers."""
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for r, row in enumerate(rows):
        values = []
        for c, value in enumerate(row):
            if r and value in ("是", "否") and c % 2:
                values.append(value == "是")
            elif r and value and value[0].isdigit():
                try:
                    values.append(dt.date.fromisoformat(roster.parse_date(value)))
                except roster.CellError:
                    values.append(int(value) if value.isdigit() else value)
            else:
                values.append(value)
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def outcome_view(result: dict) -> list[tuple]:
    return [
        (r["row"], r["status"], r["disposition"], r["next_question"], r["next_deadline"], len(r["errors"]))
        for r in result["rows"]
    ]


# --------------------------------------------------------------------------- every row = decide()


def test_every_engine_case_as_a_roster_row_gives_the_engines_outcome():
    assert len(CASES) >= 40
    result = roster.process_rows(roster_rows(CASES))
    assert result["total"] == len(CASES)
    assert result["errors"] == []
    blank_read = 0
    for case, row in zip(CASES, result["rows"], strict=True):
        # The roster has every column: a blank one that can only mean "did not happen"
        # (roster_headers.yaml blank_means) is read so, and the row says it.
        facts = dict(case["facts"])
        for column, implied in CFG["blank_means"].items():
            if column not in facts:
                facts.update({k: v for k, v in implied.items() if k not in case["facts"]})
        assert bool(row["notes"]) == (facts != case["facts"]), case["name"]
        blank_read += facts != case["facts"]
        outcome = decision.decide(facts)
        assert row["status"] == outcome["status"], case["name"]
        assert row["disposition"] == outcome.get("disposition"), case["name"]
        assert row["next_question"] == (
            outcome.get("next_question") if outcome["status"] == "incomplete" else None
        )
        assert row["citations"] == outcome.get("citations", [])
        expect = case["expect"] if facts == case["facts"] else {}
        if "disposition" in expect:
            assert row["disposition"] == expect["disposition"], case["name"]
        if "next_question" in expect:
            assert row["next_question"] == expect["next_question"], case["name"]
    assert blank_read > 0  # the cases include rows whose suspension is not given
    counted = sum(result["counts"].values())
    assert counted == len(CASES)
    assert sum(result["missing"].values()) == result["counts"].get("incomplete", 0) > 0
    for label, n in result["missing"].items():
        assert n == sum(1 for r in result["rows"] if r["next_question_label"] == label)
    dispositions = {r["disposition"] for r in result["rows"] if r["disposition"]}
    assert len(dispositions) >= 10, dispositions  # the cases cover (nearly) every disposition


def test_next_deadline_and_the_30_day_flag():
    facts = {"last_contact": "2022-01-10", "contact": "lost", "member": "full", "abroad": "no"}
    outcome = decision.decide(
        {**facts, "suspended": True, "suspended_since": "2023-06-30", "as_of": "2025-06-20"}
    )
    assert outcome["deadlines"], "keep_suspended carries the two-year deadline"
    deadline = outcome["deadlines"][0]["date"]
    rows = [
        [
            "最后联系日期",
            "是否取得联系",
            "党员类别",
            "是否在国（境）外",
            "是否已停止党籍",
            "停止党籍日期",
            "评估日期",
        ],
        [
            "2022-01-10",
            "多方查找仍未取得联系",
            "正式党员",
            "不在国（境）外",
            "是",
            "2023-06-30",
            "2025-06-20",
        ],
        [
            "2022-01-10",
            "多方查找仍未取得联系",
            "正式党员",
            "不在国（境）外",
            "是",
            "2023-06-30",
            "2025-01-01",
        ],
    ]
    result = roster.process_rows(rows)
    soon, later = result["rows"]
    assert soon["next_deadline"]["date"] == deadline
    assert soon["next_deadline"]["days"] == (dt.date.fromisoformat(deadline) - dt.date(2025, 6, 20)).days
    assert 0 <= soon["next_deadline"]["days"] <= 30 < later["next_deadline"]["days"]
    table = list(csv.reader(io.StringIO(roster.results_csv(result)[1:])))
    flag = table[0].index("30天内需办理")
    assert [table[1][flag], table[2][flag]] == ["是", ""]


def test_next_deadline_prefers_the_first_upcoming_one():
    outcome = {"deadlines": [{"what": "a", "date": "2025-01-01"}, {"what": "b", "date": "2025-09-01"}]}
    assert roster.next_deadline(outcome, "2025-06-01")["what"] == "b"
    overdue = roster.next_deadline(outcome, "2026-01-01")
    assert overdue["what"] == "b" and overdue["days"] < 0
    assert roster.next_deadline({"deadlines": []}, "2025-06-01") is None


# --------------------------------------------------------------------------- encodings and formats


def encodings_of(text: str) -> dict[str, bytes]:
    return {
        "UTF-8": text.encode("utf-8"),
        "UTF-8 (BOM)": b"\xef\xbb\xbf" + text.encode("utf-8"),
        "GBK/GB18030": text.encode("gbk"),
        "UTF-16": text.encode("utf-16"),
    }


def test_every_encoding_and_xlsx_give_the_same_results():
    rows = roster_rows(CASES[:30])
    reference = roster.process_rows(rows, as_of=CASES_AS_OF)
    assert reference["errors"] == []
    for name, data in encodings_of(to_csv(rows)).items():
        result = roster.process(data, "roster.csv", as_of=CASES_AS_OF)
        assert result["encoding"] == name
        assert outcome_view(result) == outcome_view(reference), name
    workbook = roster.process(to_xlsx(rows), "roster.xlsx", as_of=CASES_AS_OF)
    assert workbook["format"] == "xlsx"
    assert outcome_view(workbook) == outcome_view(reference)


def test_gbk_is_detected_not_mistaken_for_utf8():
    data = to_csv(roster_rows(CASES[:3])).encode("gbk")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text, encoding = roster.decode(data)
    assert encoding == "GBK/GB18030" and "最后联系日期" in text


def test_undecodable_bytes_get_a_clear_message():
    data = "最后联系日期\n2023-02-01\n".encode() + b"\xff\xfe\xfd\x80\x80"
    with pytest.raises(roster.RosterError) as info:
        roster.process(data)
    assert "编码" in info.value.message_zh and "UTF-8" in info.value.message_zh
    assert "decode" in info.value.message


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (b"", "空"),
        (b"  \r\n\r\n ", "空"),
        ("最后联系日期,是否取得联系\r\n".encode(), "只有表头"),
        ("\ufeff最后联系日期,是否取得联系\r\n,\r\n\r\n".encode(), "只有表头"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"PK\x03\x04not really a zip", "损坏"),
        ("姓名,籍贯\r\n张三,安庆\r\n".encode(), "没有可识别的列名"),
    ],
    ids=[
        "empty",
        "blank",
        "headers-only",
        "headers-and-empty-rows",
        "legacy-xls",
        "broken-xlsx",
        "no-known-column",
    ],
)
def test_unusable_files_get_a_chinese_message(data, phrase):
    with pytest.raises(roster.RosterError) as info:
        roster.process(data, "f")
    assert phrase in info.value.message_zh
    assert info.value.message and info.value.message.isascii()


def test_a_50_mb_file_is_refused_with_its_size():
    data = ("最后联系日期\r\n" + "2023-02-01\r\n" * (50 * 1024 * 1024 // 12)).encode()
    assert len(data) >= 50 * 1000 * 1000
    with pytest.raises(roster.RosterError) as info:
        roster.process(data)
    assert "文件过大" in info.value.message_zh and "50" in info.value.message_zh
    assert f"{roster.MAX_BYTES // 1024 // 1024} MB" in info.value.message_zh


def test_xlsx_reader_dates_numbers_booleans_and_the_1904_system():
    import openpyxl

    for epoch in (openpyxl.utils.datetime.CALENDAR_WINDOWS_1900, openpyxl.utils.datetime.CALENDAR_MAC_1904):
        workbook = openpyxl.Workbook()
        workbook.epoch = epoch
        sheet = workbook.active
        sheet.append(["最后联系日期", "失联月数", "有无违纪违法行为", "姓名"])
        sheet.append([dt.date(2023, 2, 1), 7, False, "张三"])
        sheet.append([dt.date(1900, 1, 15), 7.0, True, None])
        sheet["F4"] = "远处的格"
        buffer = io.BytesIO()
        workbook.save(buffer)
        rows = xlsx.read_xlsx(buffer.getvalue())
        assert rows[:3] == [
            ["最后联系日期", "失联月数", "有无违纪违法行为", "姓名"],
            ["2023-02-01", "7", "否", "张三"],
            ["1900-01-15", "7", "是"],
        ], epoch
        assert rows[3] == ["", "", "", "", "", "远处的格"]


def test_excel_serial_numbers_are_dates():
    assert xlsx.serial_to_date(44958) == dt.date(2023, 2, 1)
    assert xlsx.serial_to_date(61) == dt.date(1900, 3, 1)  # after Lotus' fictitious 1900-02-29
    assert xlsx.serial_to_date(43496, date1904=True) == dt.date(2023, 2, 1)
    # A date column that lost its format, or a typo (20230): never guessed, the message names
    # the date the serial would be.
    for raw, date in (("44958", "2023年2月1日"), ("20230", "1955年5月21日")):
        with pytest.raises(roster.CellError) as info:
            roster.parse_date(raw)
        assert date in info.value.message_zh and "不是日期" in info.value.message_zh


# --------------------------------------------------------------------------- cells and headers


@pytest.mark.parametrize(
    "raw", ["2023-02-01", "2023/2/1", "2023年2月1日", "2023.02.01", "20230201", "2023-2-1 00:00"]
)
def test_date_spellings(raw):
    assert roster.convert("last_contact", raw) == "2023-02-01"


@pytest.mark.parametrize(
    ("key", "raw", "value"),
    [
        ("violations", "是", True),
        ("violations", "无", False),
        ("violations", "Y", True),
        ("violations", "否 ", False),
        ("contact", "restored", "restored"),
        ("contact", "已重新取得联系", "restored"),
        ("contact", "仍未联系", "lost"),
        ("contact", "是", "restored"),
        ("contact", "否", "lost"),
        ("member", "预备党员", "probationary"),
        ("abroad", "定居", "settled"),
        ("abroad", "出国（境）留学、工作或居住（未定居）", "temporary"),
        ("abroad", "出国(境)留学、工作或居住(未定居)", "temporary"),
        ("months_out_of_contact", "7", 7),
        ("months_out_of_contact", "7个月", 7),
        ("months_out_of_contact", "7.0", 7),
    ],
)
def test_cell_values(key, raw, value):
    assert roster.convert(key, raw) == value


@pytest.mark.parametrize(
    ("key", "raw", "phrase"),
    [
        ("last_contact", "2023-02-30", "不是存在的日期"),
        ("last_contact", "去年", "不是日期"),
        ("violations", "可能", "是"),
        ("contact", "也许", "可填"),
        ("months_out_of_contact", "-3", "整数"),
    ],
)
def test_bad_cells_say_why_in_chinese(key, raw, phrase):
    with pytest.raises(roster.CellError) as info:
        roster.convert(key, raw)
    assert phrase in info.value.message_zh and raw in info.value.message_zh


def test_option_labels_from_the_questions_are_accepted_for_every_choice():
    for key, question in CFG["questions"].items():
        for option in question["options"]:
            assert roster.convert(key, option["label"]) == option["value"], (key, option)


def header_variants() -> dict[str, callable]:
    decorate = {"（": "(", "）": ")"}
    return {
        "contract keys": lambda key: key,
        "question names": lambda key: CFG["names"][key],
        "question texts": lambda key: CFG["questions"][key]["text"],
        "decorated names": lambda key: "* " + "".join(decorate.get(c, c) for c in CFG["names"][key]) + "：",
        "aliases": lambda key: (CFG["aliases"].get(key) or [CFG["names"][key]])[0],
        "upper-case keys": lambda key: key.upper(),
    }


@pytest.mark.parametrize("variant", list(header_variants()))
def test_header_variants_give_the_same_results(variant):
    reference = roster.process_rows(roster_rows(CASES[:25]))
    result = roster.process_rows(roster_rows(CASES[:25], header_variants()[variant]))
    assert result["warnings"] == []
    assert [c["key"] for c in result["columns"][1:]] == CFG["keys"]
    assert outcome_view(result) == outcome_view(reference)


def test_a_title_row_above_the_header_is_skipped_and_row_numbers_stay_excels():
    rows = roster_rows(CASES[:3])
    titled = [["某某县委组织部失联党员名册（2017年）"], [], *rows]
    result = roster.process_rows(titled)
    assert result["header"] == rows[0]
    assert [r["row"] for r in result["rows"]] == [4, 5, 6]
    assert outcome_view(result) == [(r + 2, *rest) for r, *rest in outcome_view(roster.process_rows(rows))]


def test_unknown_and_repeated_columns_are_kept_and_reported():
    rows = [
        ["姓名", "籍贯", "最后联系日期", "last_contact", "是否取得联系"],
        ["张三", "安庆", "2020-01-01", "2024-01-01", "多方查找仍未取得联系"],
    ]
    result = roster.process_rows(rows, as_of="2025-06-30")
    roles = [(c["role"], c["key"]) for c in result["columns"]]
    assert roles == [
        ("identity", None),
        ("other", None),
        ("fact", "last_contact"),
        ("other", None),
        ("fact", "contact"),
    ]
    messages = " ".join(w["message_zh"] for w in result["warnings"])
    assert "B 列「籍贯」" in messages and "D 列「last_contact」" in messages and "C 列" in messages
    assert result["rows"][0]["label"] == "张三"
    out = list(csv.reader(io.StringIO(roster.results_csv(result)[1:])))
    assert out[1][1:6] == rows[1]  # every original cell, in place


def test_ambiguous_alias_tables_are_refused(monkeypatch):
    table = decision.rules()["roster_headers"]
    bad = {**table, "facts": {**table["facts"], "contact": [*table["facts"]["contact"], "最后联系日期"]}}
    monkeypatch.setattr(decision, "rules", lambda: {**decision.engine.rules(), "roster_headers": bad})
    roster.config.cache_clear()
    try:
        with pytest.raises(ValueError, match="最后联系日期"):
            roster.config()
    finally:
        monkeypatch.undo()
        roster.config.cache_clear()
    assert roster.config()["headers"]  # restored


def test_every_alias_table_key_is_a_question_and_every_question_has_a_column():
    table = decision.rules()["roster_headers"]
    assert set(table["facts"]) <= set(CFG["questions"])
    template = list(csv.reader(io.StringIO(roster.template_csv()[1:])))
    mapped = {c["key"] for c in roster.map_headers(template[0])[0] if c["key"]}
    assert mapped == set(CFG["questions"]) | {roster.PAST_KEY}


# --------------------------------------------------------------------------- bad rows


def test_bad_rows_are_reported_and_every_other_row_is_processed():
    good = roster_rows(CASES[:6])
    header = good[0]
    col = {key: header.index(CFG["names"][key]) for key in CFG["keys"]}
    rows = [header, *good[1:3]]
    bad_date = list(good[3])
    bad_date[col["last_contact"]] = "2023-02-30"
    bad_choice = list(good[4])
    bad_choice[col["contact"]] = "也许"
    bad_choice[col["violations"]] = "可能"
    after_as_of = list(good[5])
    after_as_of[col["last_contact"]] = "2030-01-01"
    after_as_of[col["months_out_of_contact"]] = ""
    after_as_of[col["as_of"]] = "2025-06-30"
    rows += [bad_date, bad_choice, after_as_of, good[6]]
    result = roster.process_rows(rows)
    assert [r["row"] for r in result["rows"]] == [2, 3, 4, 5, 6, 7]
    assert [r["status"] == "invalid" for r in result["rows"]] == [False, False, True, True, True, False]
    for index, case in ((0, CASES[0]), (1, CASES[1]), (5, CASES[5])):
        assert result["rows"][index]["disposition"] == decision.decide(case["facts"]).get("disposition")
    errors = {(e["row"], e["key"]): e for e in result["errors"]}
    assert set(errors) == {(4, "last_contact"), (5, "contact"), (5, "violations"), (6, "last_contact")}
    e = errors[(4, "last_contact")]
    assert e["letter"] == roster.column_letter(col["last_contact"]) and e["column"] == col["last_contact"] + 1
    assert e["header"] == CFG["names"]["last_contact"] and "2023-02-30" in e["reason_zh"]
    assert "晚于评估日期" in errors[(6, "last_contact")]["reason_zh"]  # the engine's own InvalidCase
    assert result["counts"]["invalid"] == 3
    summary = "\n".join(roster.summary_lines(result))
    assert f"第 4 行 {e['letter']} 列「{e['header']}」" in summary


# --------------------------------------------------------------------------- 回头看


def test_review_flags_differences_with_reason_and_paragraphs():
    complete = [c for c in CASES if decision.decide(c["facts"])["status"] == "complete"][:20]
    labels = CFG["dispositions"]
    other = {code: next(c for c in labels if c != code) for code in labels}

    def past(case):
        code = decision.decide(case["facts"])["disposition"]
        return labels[code] if complete.index(case) % 2 else labels[other[code]]

    result = roster.process_rows(roster_rows(complete, past=past), labels={"p-3-1": "第三部分第1项"})
    assert result["review"]["checked"] == len(complete)
    for n, row in enumerate(result["rows"]):
        review = row["review"]
        if n % 2:
            assert review["state"] == "same"
        else:
            assert review["state"] == "differs"
            assert row["disposition_label"] in review["text"] and review["past_label"] in review["text"]
            assert row["reason"] and row["reason"] in review["text"]
            assert row["citations"]
    assert result["review"]["differs"] == len(complete) - len(complete) // 2
    pairs = result["review"]["pairs"]
    assert sum(p["rows"] for p in pairs) == result["review"]["differs"]
    assert [p["rows"] for p in pairs] == sorted((p["rows"] for p in pairs), reverse=True)
    for pair in pairs:
        assert pair["rows"] == sum(
            1
            for r in result["rows"]
            if r["review"]["state"] == "differs"
            and (r["review"]["past_label"], r["disposition_label"]) == (pair["past"], pair["now"])
        )
    table = list(csv.DictReader(io.StringIO(roster.results_csv(result)[1:])))
    for line, row in zip(table, result["rows"], strict=True):
        assert line["回头看"] == roster.REVIEW_LABELS[row["review"]["state"]]
        assert line["回头看说明"] == row["review"]["text"]
        assert ("第三部分第1项" in line["依据段落"]) == ("p-3-1" in row["citations"])
        assert line["依据段落"].count("、") == len(row["citations"]) - 1


def test_review_of_incomplete_and_unreadable_rows():
    incomplete = [c for c in CASES if decision.decide(c["facts"])["status"] == "incomplete"][:1]
    complete = [c for c in CASES if decision.decide(c["facts"])["status"] == "complete"][:2]
    answers = iter(["除名", "乱写一通", ""])
    result = roster.process_rows(roster_rows(incomplete + complete, past=lambda case: next(answers)))
    first, unreadable, blank = result["rows"]
    assert (
        first["review"]["state"] == "undetermined" and first["next_question_label"] in first["review"]["text"]
    )
    assert unreadable["review"]["state"] == "unreadable"
    assert unreadable["status"] == "complete"  # a bad past cell does not stop the row's own outcome
    assert [e["key"] for e in unreadable["errors"]] == [roster.PAST_KEY]
    assert blank["review"] is None
    assert result["review"] == {
        "checked": 2,
        "same": 0,
        "differs": 0,
        "undetermined": 1,
        "unreadable": 1,
        "pairs": [],
    }


@pytest.mark.parametrize("raw", ["劝退", "劝其退党", "persuade_withdrawal"])
def test_past_disposition_spellings(raw):
    assert roster.parse_past(raw) == "persuade_withdrawal"


def test_review_without_the_column_is_absent():
    assert roster.process_rows(roster_rows(CASES[:2]))["review"] is None


# --------------------------------------------------------------------------- outputs


def test_results_csv_has_a_bom_the_original_columns_and_one_line_per_row():
    rows = roster_rows(CASES[:12], past=lambda case: "限期改正")
    result = roster.process_rows(rows)
    text = roster.results_csv(result)
    assert text.startswith("\ufeff")
    table = list(csv.reader(io.StringIO(text[1:])))
    assert table[0] == ["行号", *rows[0], *roster.RESULT_HEADERS[1:]]
    assert len(table) == len(rows)
    for line, source, row in zip(table[1:], rows[1:], result["rows"], strict=True):
        assert line[1 : 1 + len(source)] == source
        assert line[0] == str(row["row"])
        assert line[table[0].index("处置代码")] == (row["disposition"] or "")


def test_template_round_trip():
    text = roster.template_csv()
    assert text.startswith("\ufeff")
    result = roster.process(text.encode("utf-8"), "template.csv", as_of="2026-11-01")
    assert result["warnings"] == [] and result["errors"] == []
    (row,) = result["rows"]
    assert row["status"] == "complete"
    assert row["review"]["state"] == "same"  # the example's 原处置结果 is what the rules say


def test_process_json_reports_bad_files_without_raising():
    import json

    bad = json.loads(roster.process_json(b"", "x.csv"))
    assert bad == {"ok": False, "message": "the file is empty", "message_zh": "文件是空的，没有任何内容。"}
    data = roster.template_csv().encode()
    good = json.loads(roster.process_json(data, "t.csv", "2026-11-01"))
    assert good["ok"] and good["total"] == 1 and "rows" not in good  # rows come a page at a time
    (row,) = json.loads(roster.page_json("main", "", False, 0, 50))["rows"]
    assert "cells" not in row
    assert roster.last_results_csv() == roster.results_csv(roster.process(data, "t.csv", "2026-11-01"))
    json.loads(roster.process_json(b"", "x.csv"))
    assert roster.last_results_csv() == ""  # a bad file forgets the previous one
    assert json.loads(roster.page_json("main", "", False, 0, 50)) == {"matched": 0, "offset": 0, "rows": []}


def test_pages_of_rows_follow_the_filter_and_the_deadline_order():
    """The page's virtualised tables ask the worker for rows in view: every filter selects the
    same rows, in the same order, as filtering the full result would."""
    import json

    rows = roster_rows(CASES, past=lambda case: "除名")
    data = to_csv(rows).encode("utf-8")
    full = roster.process(data, "名册.csv", as_of=CASES_AS_OF)
    summary = json.loads(roster.process_json(data, "名册.csv", CASES_AS_OF))

    def every(table, filter_code="", soon=False, size=7):
        out, offset = [], 0
        while True:
            page = json.loads(roster.page_json(table, filter_code, soon, offset, size))
            out += [r["row"] for r in page["rows"]]
            offset += size
            if offset >= page["matched"]:
                assert len(out) == page["matched"]
                return out

    assert every("main") == [r["row"] for r in full["rows"]]
    for code in full["counts"]:
        assert every("main", code) == [
            r["row"] for r in full["rows"] if (r["disposition"] or r["status"]) == code
        ]
    due = [
        r for r in full["rows"] if r["next_deadline"] and r["next_deadline"]["days"] <= full["window_days"]
    ]
    assert due and summary["soon_count"] == len(due)
    assert every("main", "", True) == [
        r["row"] for r in sorted(due, key=lambda r: (r["next_deadline"]["days"], r["row"]))
    ]
    flagged = [r["row"] for r in full["rows"] if r["review"] and r["review"]["state"] != "same"]
    assert flagged and every("review") == flagged and summary["flagged_count"] == len(flagged)
    differs = [r["row"] for r in full["rows"] if r["review"] and r["review"]["state"] == "differs"]
    assert every("main", "review-differs") == differs
    # A request beyond the end, or for too many rows, is bounded, not an error.
    assert json.loads(roster.page_json("main", "", False, 10**9, 10**9))["rows"] == []
    assert (
        len(json.loads(roster.page_json("main", "", False, 0, 10**9))["rows"]) <= roster.worker.PAGE_ROWS_MAX
    )


def test_progress_is_reported_up_to_the_total():
    calls = []
    roster.process_rows(roster_rows(CASES[:40]), progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 40) and calls[-1] == (40, 40)
    import gc

    assert gc.isenabled()  # switched off during the loop only
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


# --------------------------------------------------------------------------- command line


def run_cli(*args, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "decision", "batch", *args],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        check=False,
    )


def test_cli_prints_the_same_csv_as_the_page(tmp_path):
    rows = roster_rows(CASES[:15], past=lambda case: "除名")
    path = tmp_path / "名册.csv"
    path.write_bytes(to_csv(rows).encode("gbk"))
    proc = run_cli(str(path), "--as-of", CASES_AS_OF)
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout.startswith(b"\xef\xbb\xbf")
    expected = roster.process(
        path.read_bytes(), "名册.csv", as_of=CASES_AS_OF, labels=roster.paragraph_labels()
    )
    assert proc.stdout.decode("utf-8") == roster.results_csv(expected)
    assert "共 15 行" in proc.stderr.decode() and "回头看" in proc.stderr.decode()
    from_stdin = run_cli("-", "--as-of", CASES_AS_OF, "--quiet", stdin=path.read_bytes())
    assert from_stdin.stdout == proc.stdout and from_stdin.stderr == b""


def test_cli_reads_xlsx(tmp_path):
    rows = roster_rows(CASES[:5])
    path = tmp_path / "roster.xlsx"
    path.write_bytes(to_xlsx(rows))
    proc = run_cli(str(path), "--as-of", CASES_AS_OF, "--quiet")
    assert proc.returncode == 0, proc.stderr.decode()
    table = list(csv.reader(io.StringIO(proc.stdout.decode("utf-8-sig"))))
    reference = roster.process_rows(rows, as_of=CASES_AS_OF)
    code = table[0].index("处置代码")
    assert [line[code] for line in table[1:]] == [r["disposition"] or "" for r in reference["rows"]]


@pytest.mark.parametrize(
    ("content", "args", "phrase"),
    [
        (b"", [], "文件是空的"),
        ("最后联系日期\r\n".encode(), [], "只有表头"),
        (None, [], "无法读取文件"),
        ("最后联系日期\r\n2020-01-01\r\n".encode(), ["--as-of", "2025-02-30"], "不是存在的日期"),
    ],
    ids=["empty", "headers-only", "missing-file", "bad-as-of"],
)
def test_cli_bad_input_exits_2_with_one_line(tmp_path, content, args, phrase):
    path = tmp_path / "roster.csv"
    if content is not None:
        path.write_bytes(content)
    proc = run_cli(str(path), *args)
    stderr = proc.stderr.decode()
    assert proc.returncode == 2 and proc.stdout == b""
    assert phrase in stderr and stderr.count("\n") == 1 and "Traceback" not in stderr


def handmade_xlsx(strict: bool = False) -> bytes:
    """A workbook as other tools write it: inline strings, rich-text shared strings with a phonetic
    run, a custom CJK date format, an absolute relationship target, cells without `r`."""
    import zipfile

    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    parts = {
        "xl/workbook.xml": f'<workbook {main} {rel}><sheets><sheet name="名册" sheetId="7" r:id="rId9"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId9" Type="worksheet" Target="/xl/worksheets/data.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            f"<sst {main}><si><r><t>最后</t></r><r><t>联系日期</t></r><rPh><t>ふりがな</t></rPh></si>"
            "<si><t> 多方查找仍未取得联系 </t></si></sst>"
        ),
        "xl/styles.xml": (
            f'<styleSheet {main}><numFmts><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/>'
            '<numFmt numFmtId="177" formatCode="0.00E+00"/></numFmts>'
            '<cellXfs><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="177"/></cellXfs></styleSheet>'
        ),
        "xl/worksheets/data.xml": (
            f"<worksheet {main}><sheetData>"
            '<row r="1"><c t="s"><v>0</v></c><c t="inlineStr"><is><t>是否取得联系</t></is></c>'
            '<c t="inlineStr"><is><t>失联月数</t></is></c></row>'
            '<row r="3"><c r="A3" s="1"><v>44958</v></c><c r="B3" t="s"><v>1</v></c><c r="C3" s="2"><v>12</v></c></row>'
            "</sheetData></worksheet>"
        ),
    }
    if strict:  # Excel's "Strict Open XML" flavour: other namespace URIs, ISO date cells
        parts = {
            name: text.replace(
                "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                "http://purl.oclc.org/ooxml/spreadsheetml/main",
            )
            .replace(
                "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                "http://purl.oclc.org/ooxml/officeDocument/relationships",
            )
            .replace('<c r="A3" s="1"><v>44958</v></c>', '<c r="A3" t="d"><v>2023-02-01T00:00:00</v></c>')
            for name, text in parts.items()
        }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("strict", [False, True], ids=["transitional", "strict"])
def test_xlsx_reader_on_a_handmade_workbook(strict):
    import zipfile

    data = handmade_xlsx(strict)
    workbook = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/data.xml")
    assert (b"purl.oclc.org" in workbook) == strict and (b't="d"' in workbook) == strict
    rows = xlsx.read_xlsx(data)
    assert rows == [
        ["最后联系日期", "是否取得联系", "失联月数"],
        [],
        ["2023-02-01", "多方查找仍未取得联系", "12"],
    ]
    result = roster.process(data, "名册.xlsx", as_of="2025-06-30")
    (row,) = result["rows"]
    assert row["row"] == 3 and row["errors"] == []
    assert (
        row["status"]
        == decision.decide(
            {
                "last_contact": "2023-02-01",
                "contact": "lost",
                "months_out_of_contact": 12,
                "as_of": "2025-06-30",
            }
        )["status"]
    )


def test_cli_json_output(tmp_path):
    import json

    path = tmp_path / "roster.csv"
    path.write_bytes(roster.template_csv().encode("utf-8"))
    proc = run_cli(str(path), "--as-of", "2026-11-01", "--json", "--quiet")
    assert proc.returncode == 0 and proc.stderr == b""
    result = json.loads(proc.stdout)
    example = decision.rules()["roster_headers"]["example"]
    assert result["total"] == 1 and result["rows"][0]["disposition"] == example["past_disposition"]
    assert result["rows"][0]["review"]["state"] == "same" and "cells" not in result["rows"][0]


def test_training_sample_covers_every_disposition_and_review_state():
    from build_scripts.pages import roster_page

    result = roster.process(roster_page.sample_csv().encode("utf-8"), "sample.csv")
    assert result["errors"] == [] and result["warnings"] == []
    assert set(result["counts"]) == {*CFG["dispositions"], "incomplete"}
    assert all(n == 1 for n in result["counts"].values())
    assert result["review"]["differs"] >= 2 and result["review"]["same"] >= 5
    assert result["review"]["undetermined"] == 1
    table = list(csv.DictReader(io.StringIO(roster.results_csv(result)[1:])))
    assert all(line["姓名"].startswith("示例") and line["备注"] for line in table)  # the situation, kept


def test_citations_are_labelled_from_the_compiled_rules_without_the_build_scripts(monkeypatch):
    """The runtime (Pyodide, an installed package) names paragraphs from rules.json alone."""
    import sys

    monkeypatch.setitem(sys.modules, "build_scripts", None)  # importing it now raises ImportError
    monkeypatch.setitem(sys.modules, "build_scripts.pages.notice", None)
    rows = [["last_contact", "contact", "member"], ["2020-01-01", "lost", "probationary"]]
    result = roster.process_rows(rows, as_of="2025-01-01")
    assert result["paragraph_labels"]["p-4-2"] == "第四部分第2项"
