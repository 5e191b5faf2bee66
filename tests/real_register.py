"""A register as county offices keep it: a 失联党员台账 exported from the member-information
system and completed by hand (for the roster tests and benchmarks).

Two title rows above the header; the 19 columns registers use (序号 … 备注); dates as Excel date
cells and as text in every spelling registers use (2013-05-06, 2013/5/6, 2013.5.6, 2013年5月6日,
full-width digits, and month-only 2013年5月, 2016.12, 201108); 失联原因 in free text (外出务工,
工作变动, 下落不明, 企业改制 …); 党籍状态 and 停止党籍日期; 处置情况 with past dispositions and
继续查找.  Each row carries the truth it was built from (`Member.kind`), so a test can check the
outcome the register gets against the situation, not against the engine's own answer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass, field

from decision.dates import add_months

AS_OF = dt.date(2026, 4, 6)
HEADERS = [
    "序号",
    "姓名",
    "性别",
    "公民身份号码",
    "出生日期",
    "人员类别",
    "所在党支部",
    "入党日期",
    "失联时间",
    "失联原因",
    "是否取得联系",
    "取得联系时间",
    "出国（境）情况",
    "有无违纪违法行为",
    "党籍状态",
    "停止党籍日期",
    "处置情况",
    "联系电话",
    "备注",
]
TITLE = [["XX县失联党员排查台账"], ["填报单位：XX镇党委", "", "", "", "", "", "", "", "截至2026年3月31日"]]
BRANCHES = [
    "第一村党支部",
    "第二村党支部",
    "镇机关党支部",
    "农贸市场党支部",
    "城东社区党支部",
    "原县纺织厂党支部",
]
CAUSES = ["外出务工", "工作变动", "下落不明", "企业改制", "外出经商", "不详", "单位破产", "家庭变故"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国伟芳秀英敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华"

# kind -> (share of rows, what the register should give)
KINDS = {
    "lost_unsuspended": 0.24,  # still unreachable, never suspended -> 停止党籍
    "lost_suspended_recent": 0.14,  # suspended correctly within 2 years -> 继续停止党籍 (回头看 一致)
    "lost_suspended_old": 0.18,  # suspended correctly over 2 years ago -> 除名 (回头看 后续应办)
    "lost_suspended_premature": 0.03,  # suspended before 6 months out of contact (回头看 处置有偏差)
    "lost_suspended_no_date": 0.05,  # 党籍状态 停止党籍, date blank -> asks for the date
    "lost_removed": 0.03,  # already removed (自行脱党) -> 除名, 回头看 一致
    "lost_probationary": 0.04,  # -> 取消预备党员资格
    "lost_abroad": 0.03,  # abroad, not suspended
    "lost_month_at_6": 0.03,  # month-only date in the month the 6 months end -> asks the day
    "lost_month_at_2y": 0.02,  # month-only suspension in the month the 2 years end -> asks the day
    "lost_abroad_blank": 0.02,  # 出国（境）情况 blank -> asks it
    "restored": 0.17,  # back in contact, free-text cause -> names the missing fact
    "contradiction": 0.02,  # 否 with a date of restored contact -> 数据有误
}
EXPECTED = {  # the disposition the notice gives each kind of member still unreachable
    "lost_unsuspended": "suspend_membership",
    "lost_suspended_recent": "keep_suspended",
    "lost_suspended_old": "removal",
    "lost_removed": "removal",
    "lost_probationary": "cancel_probation",
    "lost_abroad": "suspend_membership",
}
ASKS = {  # the missing fact (its column) the register should name
    "lost_suspended_no_date": "停止党籍日期",
    "lost_month_at_6": "失联时间（具体日期）",
    "lost_month_at_2y": "停止党籍日期（具体日期）",
    "lost_abroad_blank": "是否在国（境）外",
}


@dataclass
class Member:
    kind: str
    cells: list = field(default_factory=list)  # values: str, or datetime.date for a date cell


def _fullwidth(text: str) -> str:
    return text.translate({ord(str(n)): chr(0xFF10 + n) for n in range(10)})


def date_cell(rng: random.Random, day: dt.date, month_only: bool = False) -> object:
    """A date written as registers write it; month-only forms when asked."""
    if month_only:
        form = rng.randrange(5)
        return [
            f"{day.year}年{day.month}月",
            f"{day.year}.{day.month:02d}",
            f"{day.year}.{day.month}",
            f"{day.year}{day.month:02d}",
            f"{day.year}-{day.month:02d}",
        ][form]
    form = rng.randrange(8)
    if form < 3:
        return day  # an Excel date cell (text in CSV: 2013-05-06)
    return [
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        _fullwidth(f"{day.year}年{day.month}月{day.day}日"),
        f"{day.year}{day.month:02d}{day.day:02d}",
    ][form - 3]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def members(n: int = 300, seed: int = 19, as_of: dt.date = AS_OF) -> list[Member]:
    rng = random.Random(seed)
    kinds = [kind for kind, share in KINDS.items() for _ in range(round(share * n))]
    while len(kinds) < n:
        kinds.append("lost_unsuspended")
    kinds = kinds[:n]
    rng.shuffle(kinds)
    out = []
    for index, kind in enumerate(kinds):
        out.append(_member(rng, index + 1, kind, as_of))
    return out


def _member(rng: random.Random, number: int, kind: str, as_of: dt.date) -> Member:
    born = _day(rng, dt.date(1955, 1, 1), dt.date(1998, 12, 31))
    joined = _day(rng, add_months(born, 12 * 20), add_months(born, 12 * 26))
    name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
    member = "预备党员" if kind == "lost_probationary" else rng.choice(["正式党员"] * 9 + ["正式"])
    contact, restored_on, abroad, violations = "否", "", rng.choice(["无"] * 6 + ["否", "未出国"]), ""
    status, since, disposition, month_only = (
        "正常",
        "",
        rng.choice(["继续查找", "", "未处置"]),
        rng.random() < 0.2,
    )
    lost = _day(rng, add_months(as_of, -12 * 12), add_months(as_of, -9))  # well over 6 months
    if kind == "lost_suspended_recent":
        since_day = _day(rng, add_months(as_of, -22), add_months(as_of, -1))
        lost = _day(rng, add_months(since_day, -30), add_months(since_day, -7))
    elif kind in ("lost_suspended_old", "lost_removed"):
        since_day = _day(rng, add_months(as_of, -12 * 9), add_months(as_of, -26))
        lost = _day(rng, add_months(since_day, -30), add_months(since_day, -7))
    elif kind == "lost_suspended_premature":
        lost = _day(rng, add_months(as_of, -60), add_months(as_of, -30))
        since_day = _day(rng, add_months(lost, 1), add_months(lost, 5))
    elif kind == "lost_month_at_2y":
        since_day = dt.date(as_of.year - 2, as_of.month, 15)
        lost = add_months(since_day, -12)
    elif kind == "lost_month_at_6":
        lost = add_months(as_of, -6)
    else:
        since_day = None
    if kind in ("lost_suspended_recent", "lost_suspended_old", "lost_suspended_premature", "lost_removed"):
        status, since = "停止党籍", date_cell(rng, since_day, month_only and kind == "lost_suspended_old")
        disposition = rng.choice(["停止党籍", "停止党籍", "已停止党籍"])
        if kind == "lost_removed":
            status, disposition = rng.choice(["停止党籍", ""]), "按自行脱党除名"
    elif kind == "lost_suspended_no_date":
        status, disposition = "停止党籍", "停止党籍"
    elif kind == "lost_month_at_2y":
        status, since, disposition = "停止党籍", date_cell(rng, since_day, True), "停止党籍"
    elif kind in ("lost_abroad", "lost_abroad_blank"):
        abroad = "出国（境）" if kind == "lost_abroad" else ""
    elif kind in ("restored", "contradiction"):
        back = _day(rng, add_months(lost, 8), as_of - dt.timedelta(days=10))
        contact = "是" if kind == "restored" else "否"
        restored_on = date_cell(rng, back)
        violations = rng.choice(["无", "无", "否", "有"])
        disposition = rng.choice(["纳入正常管理", "限期改正", "", "继续查找"])
    lost_cell = date_cell(rng, lost, kind == "lost_month_at_6" or (month_only and kind == "lost_unsuspended"))
    id_number = (
        f"34080{rng.randrange(10, 99)}{born:%Y%m%d}{rng.randrange(100, 999)}{rng.choice('0123456789X')}"
    )
    return Member(
        kind,
        [
            str(number),
            name,
            rng.choice(["男", "男", "女"]),
            id_number,
            born,
            member,
            rng.choice(BRANCHES),
            joined,
            lost_cell,
            rng.choice(CAUSES + [""]),
            contact,
            restored_on,
            abroad,
            violations,
            status,
            since,
            disposition,
            f"1{rng.randrange(30, 99)}{rng.randrange(10**7, 10**8)}" if rng.random() < 0.6 else "",
            "",
        ],
    )


def text(value: object) -> str:
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def to_csv(people: list[Member], encoding: str = "gb18030") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows(TITLE)
    writer.writerow(HEADERS)
    for person in people:
        writer.writerow([text(v) for v in person.cells])
    return out.getvalue().encode(encoding)


def to_xlsx(people: list[Member]) -> bytes:
    """The register as Excel saves it (openpyxl: date cells carry a date format)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in [*TITLE, HEADERS]:
        sheet.append(row)
    for person in people:
        sheet.append(person.cells)
    for row in sheet.iter_rows(min_row=len(TITLE) + 2):
        for cell in row:
            if isinstance(cell.value, (dt.date, dt.datetime)):
                cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
