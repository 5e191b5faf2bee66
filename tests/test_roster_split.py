"""A file split across workers gives what one worker gives (decision/roster/worker.py).

The browser's primary worker plans the file, decides one range and merges the ranges its helpers
send as JSON (docs/arch/0009-roster-split-across-workers.md).  Here the same functions run in one
process: the merged result, the summary, every page and the export must equal one worker's.
The browser side (helpers restored from the snapshot, a helper's failure): test_roster_split_browser.py.
"""

from __future__ import annotations

import gc
import itertools
import json

import pytest
from test_roster import CASES, CASES_AS_OF, CFG, roster_rows, to_csv, to_xlsx

from decision import roster
from decision.roster import worker

PASTS = [*CFG["dispositions"].values(), "", "不详"]


def split_roster(count: int) -> list[list[str]]:
    """`count` rows of the engine's cases, with a 原处置结果 of every kind, some bad cells and
    month-only dates, so that errors, issues, notes and 回头看 all fall in every range."""
    rows = roster_rows(CASES, past=lambda case: "")
    header, body = rows[0], rows[1:]
    last = header.index("最后联系日期")
    many = [header]
    for i in range(count):
        row = list(body[i % len(body)])
        row[0] = f"党员{i}"
        row[-1] = PASTS[i % len(PASTS)]
        if i % 1999 == 3:
            row[last] = "年" * 40_000  # a cell over the length limit: the row is 数据有误
        elif i % 97 == 5:
            row[last] = "2023-02-30"  # a cell not understood
        elif i % 89 == 7:
            row[last] = "2023年5月"  # a month-only date
        many.append(row)
    return many


@pytest.fixture(scope="module")
def big() -> bytes:
    return to_csv(split_roster(worker.SPLIT_MIN_ROWS + 500)).encode("utf-8")


def chunks(data: bytes, filename: str, as_of: str, index: int, parts: int, chunk: int = 1000) -> list[str]:
    return list(worker.part_chunks(data, filename, as_of, index, parts, chunk=chunk))


def split_run(data: bytes, filename: str, parts: int, as_of: str = CASES_AS_OF) -> str:
    """The primary and its helpers as the browser runs them (the primary's range in chunks, the
    helpers' chunks merged between them); returns the primary's summary JSON."""
    started = json.loads(worker.start_json(data, filename, as_of, parts=parts))
    assert started["ok"] and len(started["ranges"]) == parts
    sent = {index: chunks(data, filename, as_of, index, parts) for index in range(1, parts)}
    assert all(len(texts) > 1 for texts in sent.values())
    seen = []
    while not worker.part_done(0):
        assert worker.decide_part(0, lambda done, total: seen.append((done, total)), count=700) is None
        for index, texts in sent.items():
            if texts:
                assert worker.merge_part_json(index, texts.pop(0))
    length = started["ranges"][0][1]
    assert seen[0] == (700, length) and seen[-1] == (length, length)
    for index, texts in sent.items():
        for text in texts:
            assert worker.merge_part_json(index, text)
        assert worker.part_done(index)
    assert not gc.isenabled()  # off while the file is split (millions of acyclic objects)
    summary = worker.finish_json()
    assert gc.isenabled()
    return summary


def every_page() -> list:
    pages = []
    for table, filter_code, soon in [
        ("main", "", False),
        ("main", "", True),
        ("main", "incomplete", False),
        ("main", "review-deviation", False),
        ("review", "", False),
        ("report", "", False),
    ]:
        pages.append(json.loads(worker.page_json(table, filter_code, soon, 0, worker.PAGE_ROWS_MAX)))
        pages.append(json.loads(worker.page_json(table, filter_code, soon, 4000, worker.PAGE_ROWS_MAX)))
    return pages


@pytest.mark.parametrize("parts", [2, 3, 4])
def test_a_split_file_gives_what_one_worker_gives(big, parts):
    expected = roster.process(big, "名册.csv", as_of=CASES_AS_OF)
    one = roster.process_json(big, "名册.csv", CASES_AS_OF)
    one_csv = roster.last_results_csv()
    one_pages = every_page()
    assert expected["errors"] and expected["issues"] and expected["review"]  # the file exercises them
    assert any(r["notes"] for r in expected["rows"])

    summary = split_run(big, "名册.csv", parts)
    assert worker._last_result == expected  # every row (cells too), counts, problems, 回头看
    assert summary == one
    assert every_page() == one_pages
    assert roster.last_results_csv() == one_csv


def test_a_split_workbook_gives_what_one_worker_gives():
    data = to_xlsx(split_roster(worker.SPLIT_MIN_ROWS))
    one = roster.process_json(data, "名册.xlsx", CASES_AS_OF)
    one_csv = roster.last_results_csv()
    assert split_run(data, "名册.xlsx", 2) == one
    assert roster.last_results_csv() == one_csv


def test_a_small_file_is_not_split():
    data = to_csv(split_roster(worker.SPLIT_MIN_ROWS - 1)).encode("utf-8")
    started = json.loads(worker.start_json(data, "x.csv", CASES_AS_OF, parts=4))
    assert started["ranges"] == [[0, worker.SPLIT_MIN_ROWS - 1]]


@pytest.mark.parametrize("total", [worker.SPLIT_MIN_ROWS, 9_999, 100_000])
@pytest.mark.parametrize("parts", [1, 2, 3, 4, 9])
def test_ranges_cover_every_row_once(total, parts):
    spans = worker.ranges(total, parts)
    assert len(spans) == min(parts, worker.MAX_PARTS)
    assert spans[0][0] == 0 and spans[-1][1] == total
    assert all(a[1] == b[0] for a, b in itertools.pairwise(spans))
    assert max(b - a for a, b in spans) - min(b - a for a, b in spans) <= 1


def test_a_helpers_wrong_or_broken_answer_is_refused_and_decided_by_the_primary(big):
    one = roster.process_json(big, "名册.csv", CASES_AS_OF)
    started = json.loads(worker.start_json(big, "名册.csv", CASES_AS_OF, parts=2))
    assert started["ok"]
    good = chunks(big, "名册.csv", CASES_AS_OF, 1, 2)
    other_day = chunks(big, "名册.csv", "2025-07-01", 1, 2)[0]
    other_range = chunks(big, "名册.csv", CASES_AS_OF, 0, 2)[0]
    (refused,) = chunks(b"", "名册.csv", CASES_AS_OF, 1, 2)
    assert json.loads(refused)["ok"] is False
    cut = good[0][: len(good[0]) // 2]
    for text in (other_day, other_range, refused, cut, good[1], "null", "[]"):
        assert worker.merge_part_json(1, text) is False
    assert worker.merge_part_json(1, good[0])
    assert worker.merge_part_json(1, good[0]) is False  # the same rows twice
    with pytest.raises(ValueError):
        worker.finish_json()  # range 1 is not complete
    assert worker.decide_part(0) is None
    worker.drop_part(1)  # the helper failed half way: the primary decides its range itself
    assert worker.decide_part(1) is None
    assert worker.finish_json() == one


def test_a_bad_file_is_refused_once_by_the_primary():
    answer = json.loads(worker.start_json(b"", "x.csv", CASES_AS_OF, parts=2))
    assert answer["ok"] is False and answer["message_zh"]
