"""Roster mode on registers as county offices keep them (tests/real_register.py): title rows,
the 19 columns of a 失联党员台账, Excel date cells and text dates (month-only ones too), free-text
causes, 党籍状态, 处置情况; and 回头看 judged at the date of the past disposition.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import real_register as rr

from decision import roster
from decision.dates import Month
from decision.roster import mapping

ROOT = Path(__file__).resolve().parent.parent
AS_OF = rr.AS_OF.isoformat()
PEOPLE = rr.members()


@pytest.fixture(scope="module")
def result() -> dict:
    return roster.process(rr.to_xlsx(PEOPLE), "台账.xlsx", as_of=AS_OF)


def view(result: dict) -> list[tuple]:
    return [(r["row"], r["status"], r["disposition"], r["next_question_label"]) for r in result["rows"]]


def test_the_register_is_read_without_any_mapping(result):
    assert result["total"] == len(PEOPLE) == 300
    assert result["rows"][0]["row"] == 4  # two title rows, the header, then the first member
    assert result["warnings"] == [] and result["unmapped"]["columns"] == []
    roles = {c["header"]: c["role"] for c in result["columns"]}
    assert roles["失联时间"] == "fact" and roles["处置情况"] == "past" and roles["党籍状态"] == "extra"
    assert roles["公民身份号码"] == "ignored" and roles["姓名"] == "identity"
    # the same register as a GBK CSV (dates as text) gives the same outcomes
    assert view(roster.process(rr.to_csv(PEOPLE), "台账.csv", as_of=AS_OF)) == view(result)


def test_at_most_5_percent_of_rows_are_data_errors_and_each_is_a_contradiction(result):
    invalid = [(p, r) for p, r in zip(PEOPLE, result["rows"], strict=True) if r["status"] == "invalid"]
    print(f"数据有误 {len(invalid)}/{len(PEOPLE)} = {len(invalid) / len(PEOPLE):.1%}")
    assert len(invalid) <= 0.05 * len(PEOPLE)
    assert {p.kind for p, _ in invalid} == {"contradiction"}
    for _, row in invalid:
        assert "矛盾" in row["errors"][0]["reason_zh"] and row["errors"][0]["header"] == "取得联系时间"


def test_every_member_never_found_whose_facts_suffice_gets_the_notices_outcome(result):
    outcomes = Counter()
    for person, row in zip(PEOPLE, result["rows"], strict=True):
        if person.kind in rr.EXPECTED:
            assert (row["status"], row["disposition"]) == ("complete", rr.EXPECTED[person.kind]), (
                person,
                row,
            )
            outcomes[row["disposition"]] += 1
    print(dict(outcomes))
    assert sum(outcomes.values()) >= 0.6 * len(PEOPLE)


def test_the_others_name_the_missing_fact(result):
    for person, row in zip(PEOPLE, result["rows"], strict=True):
        if person.kind in rr.ASKS:
            assert row["status"] == "incomplete" and row["next_question_label"] == rr.ASKS[person.kind]
        if person.kind == "restored":
            assert row["status"] == "complete" or row["next_question_label"], row
    assert result["missing"]


def test_free_text_causes_are_not_guessed_and_do_not_fail_the_row(result):
    seen = 0
    for person, row in zip(PEOPLE, result["rows"], strict=True):
        cause = person.cells[rr.HEADERS.index("失联原因")]
        if cause and person.kind in rr.EXPECTED:
            assert row["status"] == "complete"
            assert [i["header"] for i in row["issues"]] == ["失联原因"] and cause in row["issues"][0][
                "reason_zh"
            ]
            seen += 1
    assert seen > 100
    values = {v["value"] for entry in result["unmapped"]["values"] for v in entry["values"]}
    assert {"外出务工", "工作变动", "下落不明", "企业改制"} <= values


def test_rows_are_named_by_person_and_branch(result):
    first = PEOPLE[0].cells
    assert result["rows"][0]["label"] == f"{first[1]}（{first[6]}）"
    table = list(csv.DictReader(io.StringIO(roster.results_csv(result).lstrip("\ufeff")), strict=True))
    extra = [h for h in table[0] if h not in rr.HEADERS]
    assert all(not h.isascii() for h in extra)
    assert list(table[0])[-1] == "处置代码"  # the machine code, if kept, goes last
    assert table[0]["党员"] == result["rows"][0]["label"]


def test_review_never_calls_a_correct_suspension_wrong(result):
    states = Counter()
    for person, row in zip(PEOPLE, result["rows"], strict=True):
        review = row["review"]
        states[(person.kind, review and review["state"])] += 1
        if person.kind == "lost_suspended_recent":
            assert review["state"] == "same", row
        elif person.kind == "lost_suspended_old":
            assert review["state"] == "follow_up", row
            assert "除名" in review["text"] and "当时恰当" in review["text"] and "自" in review["text"]
        elif person.kind == "lost_removed":
            assert review["state"] == "same", row
        elif person.kind == "lost_suspended_premature":
            assert (
                review["state"] == "deviation"
                and "理由是否充分" in review["text"]
                and "未满6个月" in review["text"]
            )
    print(sorted(states.items(), key=str))
    r = result["review"]
    assert r["deviation"] and r["follow_up"] and r["same"] and r["pending"]
    for pair in r["pairs"]:
        assert pair["finding"] in ("deviation", "follow_up")


def test_cli_batch_gives_the_page_result(tmp_path, result):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(rr.to_xlsx(PEOPLE))
    proc = subprocess.run(
        [sys.executable, "-m", "decision", "batch", str(path), "--as-of", AS_OF, "--json", "--quiet"],
        capture_output=True,
        cwd=ROOT,
        check=True,
    )
    assert view(json.loads(proc.stdout)) == view(result)


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("2013-05-06", "2013-05-06"),
        ("2013/5/6", "2013-05-06"),
        ("2013.5.6", "2013-05-06"),
        ("2013年5月6日", "2013-05-06"),
        ("２０１３年５月６日", "2013-05-06"),
        ("２０１３．０５．０６", "2013-05-06"),
        ("20130506", "2013-05-06"),
        ("2013年5月", Month(2013, 5)),
        ("2013年05月份", Month(2013, 5)),
        ("2013.05", Month(2013, 5)),
        ("2013.5", Month(2013, 5)),
        ("2016.12", Month(2016, 12)),
        ("2013-05", Month(2013, 5)),
        ("201108", Month(2011, 8)),
    ],
)
def test_register_date_spellings(raw, expected):
    assert roster.convert("last_contact", raw) == expected


@pytest.mark.parametrize("raw", ["2013年13月", "201313", "2013.5.32", "去年"])
def test_impossible_dates_are_unreadable_cells(raw):
    with pytest.raises(roster.CellError):
        roster.convert("last_contact", raw)


LOST = ["姓名", "失联时间", "是否取得联系", "人员类别", "出国（境）情况"]


def one(header: list[str], cells: list[str], as_of: str = AS_OF) -> dict:
    (row,) = roster.process_rows([header, cells], as_of=as_of)["rows"]
    return row


@pytest.mark.parametrize(
    "month, status, disposition",
    [
        ("2025年9月", "incomplete", None),  # still asks 是否已停止党籍: in scope on every day
        ("2025年10月", "incomplete", None),  # the 6 months end inside the month: asks the day
        ("2025年11月", "complete", "not_in_scope"),
    ],
)
def test_a_month_only_date_at_the_6_month_threshold(month, status, disposition):
    row = one(LOST, ["甲", month, "否", "正式党员", "无"])
    assert (row["status"], row["disposition"]) == (status, disposition)
    if month == "2025年10月":
        assert row["next_question_label"] == "失联时间（具体日期）" and "只填到月" in row["notes"][0]
    elif month == "2025年9月":
        assert row["next_question"] == "suspended" and "结论相同" in row["notes"][0]


@pytest.mark.parametrize(
    "month, disposition",
    [("2024年3月", "removal"), ("2024年4月", None), ("2024年5月", "keep_suspended")],
)
def test_a_month_only_suspension_at_the_2_year_threshold(month, disposition):
    row = one(
        [*LOST, "党籍状态", "停止党籍日期"], ["甲", "2023年1月", "否", "正式党员", "无", "停止党籍", month]
    )
    assert row["disposition"] == disposition
    if disposition is None:
        assert row["status"] == "incomplete" and row["next_question_label"] == "停止党籍日期（具体日期）"


def test_membership_status_and_a_blank_suspension_date():
    header = [*LOST, "党籍状态", "停止党籍日期"]
    suspended = one(header, ["甲", "2019-01-01", "否", "正式党员", "无", "停止党籍", ""])
    assert suspended["next_question"] == "suspended_since"  # suspended, date unknown: asked
    normal = one(header, ["甲", "2019-01-01", "否", "正式党员", "无", "正常", ""])
    assert normal["disposition"] == "suspend_membership"
    contradiction = one(header, ["甲", "2019-01-01", "否", "正式党员", "无", "正常", "2020-01-01"])
    assert contradiction["status"] == "invalid" and "矛盾" in contradiction["errors"][0]["reason_zh"]


def test_a_bad_cell_matters_only_when_the_decision_needs_it():
    header = [*LOST, "失联原因", "有无违纪违法行为"]
    lost = one(header, ["甲", "2019-01-01", "否", "正式党员", "无", "下落不明", "不清楚"])
    assert lost["status"] == "incomplete" and lost["next_question"] == "suspended"
    assert {i["header"] for i in lost["issues"]} == {"失联原因", "有无违纪违法行为"}
    back = one(
        [*header, "取得联系时间"],
        ["乙", "2019-01-01", "是", "正式党员", "无", "下落不明", "不清楚", "2020-03-01"],
    )
    assert back["status"] == "incomplete" and back["next_question"] == "violations"
    assert "「不清楚」" in back["reason"] and "有无违纪违法行为" in back["reason"]


# --------------------------------------------------------------------------- mapping


RESTORED_HEADER = [
    "姓名", "失联时间", "取得联系时间", "人员类别", "出国（境）情况", "有无违纪违法行为", "是否丧失党员条件",
    "是否提出退党", "限期改正期满是否仍无转变", "失联缘由", "有无不合格表现", "能否正确认识", "是否愿意履行义务",
    "党籍状态",
]  # fmt: skip
RESTORED_ROW = [
    "丙",
    "2018-03-01",
    "2020-05-01",
    "正式党员",
    "无",
    "无",
    "否",
    "否",
    "否",
    "外出务工",
    "无",
    "是",
    "是",
    "正常",
]


def test_the_mapping_file_round_trip(tmp_path):
    rows = [RESTORED_HEADER, RESTORED_ROW]
    plain = roster.process_rows(rows, as_of=AS_OF)
    assert plain["unmapped"]["columns"] == [{"letter": "J", "header": "失联缘由"}]
    assert plain["rows"][0]["next_question"] == "cause"
    text = mapping.dump({"失联缘由": "cause"}, {"cause": {"外出务工": "objective", "下落不明": "unknown"}})
    loaded = mapping.load(text)
    mapped = roster.process_rows(rows, as_of=AS_OF, mapping=loaded)
    assert mapped["rows"][0]["disposition"] == "normal_management" and mapped["unmapped"]["columns"] == []
    unknown_row = [*RESTORED_ROW[:9], "下落不明", *RESTORED_ROW[10:]]
    unknown = roster.process_rows([RESTORED_HEADER, unknown_row], as_of=AS_OF, mapping=loaded)
    assert unknown["rows"][0]["next_question"] == "cause" and unknown["rows"][0]["issues"] == []
    # the command line takes the same file
    (tmp_path / "r.csv").write_text("\n".join(",".join(r) for r in rows), encoding="utf-8")
    (tmp_path / "对照.json").write_text(text, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "decision", "batch", str(tmp_path / "r.csv"), "--as-of", AS_OF, "--json", "--quiet",
         "--columns", str(tmp_path / "对照.json")],
        capture_output=True, cwd=ROOT, check=True,
    )  # fmt: skip
    assert json.loads(proc.stdout)["rows"][0]["disposition"] == "normal_management"


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("{", "不是本工具保存的对照文件"),
        ('{"format": "other"}', "不是本工具保存的对照文件"),
        ('{"format": "shilian-roster-columns", "columns": {"甲": "no_such_fact"}}', "对应项无法识别"),
        ('{"format": "shilian-roster-columns", "values": {"cause": {"甲": "maybe"}}}', "不是可选项"),
        ('{"format": "shilian-roster-columns", "columns": {"' + "x" * 70000 + '": "cause"}}', "超过"),
    ],
)
def test_a_bad_mapping_file_is_refused_with_one_message(tmp_path, text, phrase):
    with pytest.raises(roster.RosterError) as info:
        mapping.load(text)
    assert phrase in info.value.message_zh
    (tmp_path / "m.json").write_text(text, encoding="utf-8")
    (tmp_path / "r.csv").write_text("姓名,失联时间\n甲,2020-01-01\n", encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "decision", "batch", str(tmp_path / "r.csv"), "--columns", str(tmp_path / "m.json")],
        capture_output=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert proc.returncode == 2 and proc.stdout == b"" and phrase in proc.stderr.decode()
    assert len(proc.stderr.decode().strip().splitlines()) == 1


# --------------------------------------------------------------------------- 回头看


REVIEW_HEADER = [*LOST, "党籍状态", "停止党籍日期", "处置情况", "处置时间"]


def test_review_judges_a_removal_at_its_own_date():
    early = one(
        REVIEW_HEADER,
        [
            "甲",
            "2018-01-01",
            "否",
            "正式党员",
            "无",
            "停止党籍",
            "2019-01-01",
            "按自行脱党除名",
            "2020-06-01",
        ],
    )
    assert early["review"]["state"] == "deviation" and "处置是否恰当" in early["review"]["text"]
    assert "2020年6月1日" in early["review"]["text"] and "维持停止党籍" in early["review"]["text"]
    timely = one(
        REVIEW_HEADER,
        [
            "乙",
            "2018-01-01",
            "否",
            "正式党员",
            "无",
            "停止党籍",
            "2019-01-01",
            "按自行脱党除名",
            "2021-01-02",
        ],
    )
    assert timely["review"]["state"] == "same"


def test_review_of_a_suspension_now_due_for_removal_is_follow_up_with_its_date():
    row = one(
        REVIEW_HEADER, ["甲", "2018-01-01", "否", "正式党员", "无", "停止党籍", "2019-01-01", "停止党籍", ""]
    )
    assert row["disposition"] == "removal" and row["review"]["state"] == "follow_up"
    assert "2021年1月2日" in row["review"]["text"]  # the day after the 2 years


def test_review_of_a_member_found_after_the_suspension():
    header = [*REVIEW_HEADER, "取得联系时间"]
    row = one(
        header,
        ["甲", "2018-01-01", "是", "正式党员", "无", "停止党籍", "2019-01-01", "停止党籍", "", "2020-02-01"],
    )
    assert row["review"]["state"] in ("same", "follow_up") and "当时恰当" in row["review"]["text"]


@pytest.mark.parametrize("raw", ["继续查找", "未处置", "暂未处置"])
def test_no_disposition_yet_is_pending(raw):
    row = one(REVIEW_HEADER, ["甲", "2019-01-01", "否", "正式党员", "无", "正常", "", raw, ""])
    assert row["review"]["state"] == "pending" and "停止党籍" in row["review"]["text"]


# --------------------------------------------------------------------------- the XLSX template


def test_the_xlsx_template_has_drop_downs_and_date_columns_and_reads_back_without_mapping():
    import io as _io

    import openpyxl

    from decision.roster.template_xlsx import template_xlsx

    data = template_xlsx()
    assert data == template_xlsx()  # reproducible build
    assert len(openpyxl.load_workbook(_io.BytesIO(data)).worksheets) == 1
    result = roster.process(data, "模板.xlsx", as_of="2025-06-30")
    assert result["warnings"] == [] and result["unmapped"] == {"columns": [], "values": []}
    assert result["issues"] == [] and result["errors"] == []
    (row,) = result["rows"]
    assert row["review"]["state"] == "same"  # the example row's own past disposition
    cfg = roster.config()
    book = openpyxl.load_workbook(_io.BytesIO(data))
    sheet = book.worksheets[0]
    headers = [c.value for c in sheet[1]]
    assert [c["role"] for c in result["columns"]].count("other") == 0
    lists = {
        str(v.sqref).split(":")[0].rstrip("0123456789"): v
        for v in sheet.data_validations.dataValidation
        if v.type == "list"
    }
    dates = {
        str(v.sqref).split(":")[0].rstrip("0123456789")
        for v in sheet.data_validations.dataValidation
        if v.type == "date"
    }
    choice_columns = [
        cfg["names"][k] for k in cfg["keys"] if cfg["questions"][k].get("type") in ("choice", "bool")
    ] + ["党籍状态", cfg["past_header"]]
    date_columns = [cfg["names"][k] for k in cfg["keys"] if cfg["questions"][k].get("type") == "date"]
    for name in choice_columns:
        letter = roster.column_letter(headers.index(name))
        assert letter in lists, name
        # the drop-down's values are exactly the values the reader recognises
        options = lists[letter].formula1.strip('"').split(",")
        for option in options:
            key = next(c["key"] for c in result["columns"] if c["header"] == name)
            if key == roster.PAST_KEY:
                assert roster.parse_past(option) is not None
            else:
                roster.convert(key, option)  # raises if not recognised
    for name in [*date_columns, "取得联系时间", "处置时间"]:
        letter = roster.column_letter(headers.index(name))
        assert letter in dates, name
        assert str(sheet.column_dimensions[letter].style) == "1"  # cellXfs 1: the date format
    from openpyxl.styles.numbers import is_date_format

    example_date = sheet[f"{roster.column_letter(headers.index(cfg['names']['last_contact']))}2"]
    assert is_date_format(example_date.number_format) and example_date.is_date


def test_past_disposition_values_can_be_mapped_too():
    header = [*REVIEW_HEADER]
    row = ["甲", "2019-01-01", "否", "正式党员", "无", "停止党籍", "2020-01-01", "已作处理", ""]
    plain = one(header, row)
    assert plain["review"]["state"] == "unreadable"
    loaded = mapping.load(mapping.dump({}, {"past_disposition": {"已作处理": "suspend_membership"}}))
    (mapped,) = roster.process_rows([header, row], as_of=AS_OF, mapping=loaded)["rows"]
    assert mapped["review"]["state"] in ("same", "follow_up") and mapped["issues"] == []


def test_review_asks_for_the_day_when_a_month_only_date_decides_it():
    # lost some day in May 2013, suspended 2013-11-15: premature if lost after the 15th
    row = one(
        REVIEW_HEADER, ["甲", "2013年5月", "否", "正式党员", "无", "停止党籍", "2013-11-15", "停止党籍", ""]
    )
    assert row["review"]["state"] == "undetermined" and "具体日期" in row["review"]["text"]
    clear = one(
        REVIEW_HEADER, ["乙", "2013年4月", "否", "正式党员", "无", "停止党籍", "2013-11-15", "停止党籍", ""]
    )
    assert clear["review"]["state"] in ("same", "follow_up")


def test_review_with_a_month_only_disposition_date():
    header = REVIEW_HEADER
    # removal decided some day in February 2021; the 2 years ended on 2021-01-01: any day is after
    after = one(
        header,
        ["甲", "2018-01-01", "否", "正式党员", "无", "停止党籍", "2019-01-01", "按自行脱党除名", "2021年2月"],
    )
    assert after["review"]["state"] == "same"
    # the 2 years end on 2021-02-15: a February removal may have been premature
    unsure = one(
        header,
        ["乙", "2018-01-01", "否", "正式党员", "无", "停止党籍", "2019-02-15", "按自行脱党除名", "2021年2月"],
    )
    assert unsure["review"]["state"] == "undetermined" and "「处置时间」只填到月" in unsure["review"]["text"]
