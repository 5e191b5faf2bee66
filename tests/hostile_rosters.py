"""A corpus of hostile roster files, generated (never committed) into a directory.

Each item is what an attacker or a careless user would hand the roster page or
`python -m decision batch`: formula cells, XML tricks, zip bombs small enough to mail,
broken zips, a CSV of commas, an unclosed quote.  Used by tests/test_roster_hostile.py
(messages, exit codes, no traceback, in the CLI and the browser) and by
benchmarks/hostile_roster.py (time and peak memory of each refusal).

`phrase` is a part of the Chinese message the user must see: on standard error for the CLI,
in the page's alert (`where == "alert"`, the file is refused) or problem list
(`where == "problems"`, the file is processed and the row reported).
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

HEADER = ["姓名", "最后联系日期", "是否取得联系", "党员类别"]
GOOD_ROW = ["张三", "2020-01-01", "多方查找仍未取得联系", "正式党员"]


@dataclass
class Hostile:
    name: str  # file name (its extension is what a user would pick)
    attack: str  # what it does, for the benchmark's table
    build: Callable[[Path], None]  # writes the file at the path
    phrase: str  # part of the Chinese message
    exit_code: int = 2  # the CLI's; 0 when the file is processed and the row reported
    where: str = "alert"  # in the page: "alert" (refused) or "problems" (row reported)
    browser: bool = True  # False for what a file picker cannot produce (/dev/zero)


# --------------------------------------------------------------------------- CSV


def csv_bytes(rows: Iterable[list[str]]) -> bytes:
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


FORMULAS = [
    '=HYPERLINK("http://x","点此")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-1+1",
    "@SUM(1,1)",
    "\t=1+1",
    "\r=1+1",
]


def formula_rows() -> list[list[str]]:
    """Formulas in names, in an unknown column's header and cells, and in a bad fact cell."""
    rows = [[*HEADER, "=1+2", "备注"]]
    for n, formula in enumerate(FORMULAS):
        rows.append([formula, "2020-01-01", "多方查找仍未取得联系", "正式党员", formula, formula])
        rows.append([f"党员{n}", formula, "多方查找仍未取得联系", "正式党员", "", "-5"])
    return rows


def write(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def comma_header(path: Path) -> None:
    path.write_bytes(b"," * (10 * 1024 * 1024) + "\r\n张三\r\n".encode())


def blank_lines(path: Path) -> None:
    path.write_bytes("最后联系日期\r\n2020-01-01\r\n".encode() + b"\n" * (19 * 1024 * 1024))


def unclosed_quote_rows() -> bytes:
    rows = [HEADER] + [[f"党员{n}", *GOOD_ROW[1:]] for n in range(6)]
    text = csv_bytes(rows).decode("utf-8")
    return text.replace("党员2,", '"党员2,', 1).encode("utf-8")


# --------------------------------------------------------------------------- XLSX


SHEET_END = "</sheetData></worksheet>"


def sheet_xml(rows_xml: str, prolog: str = "") -> str:
    return f'<?xml version="1.0"?>{prolog}<worksheet xmlns="{MAIN}"><sheetData>{rows_xml}{SHEET_END}'


def sheet_head(rows_xml: str) -> str:
    """The sheet up to `rows_xml`, to be continued by a streamed part."""
    return sheet_xml(rows_xml).removesuffix(SHEET_END)


def header_row_xml() -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>' for i, h in enumerate(HEADER)
    )
    return f'<row r="1">{cells}</row>'


def data_row_xml(number: int = 2) -> str:
    cells = "".join(
        f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(GOOD_ROW)
    )
    return f'<row r="{number}">{cells}</row>'


def workbook_parts(sheet: str | bytes, shared: str | bytes | None = None) -> dict[str, str | bytes]:
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets><sheet name="名册" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    return parts


def write_zip(parts: dict[str, str | bytes | Callable[[], Iterable[bytes]]]) -> Callable[[Path], None]:
    """A workbook; a part given as a function of chunks is streamed (a 170 MB part is never in memory)."""

    def build(path: Path) -> None:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
            for name, content in parts.items():
                if callable(content):
                    with archive.open(name, "w", force_zip64=True) as out:
                        for chunk in content():
                            out.write(chunk)
                else:
                    archive.writestr(name, content)

    return build


def repeated(head: str, unit: str, count: int, tail: str) -> Callable[[], Iterable[bytes]]:
    def chunks() -> Iterable[bytes]:
        yield head.encode()
        per_block = max(1, 1_000_000 // len(unit))
        block = (unit * per_block).encode()
        for _ in range(count // per_block):
            yield block
        yield (unit * (count % per_block)).encode()
        yield tail.encode()

    return chunks


def patched_zip(
    parts: dict[str, str | bytes], patch: Callable[[bytearray, zipfile.ZipInfo], None]
) -> Callable[[Path], None]:
    """A workbook whose sheet entry is then altered in the raw bytes (flags, method, data)."""

    def build(path: Path) -> None:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, content in parts.items():
                archive.writestr(name, content)
        raw = bytearray(buffer.getvalue())
        info = zipfile.ZipFile(io.BytesIO(bytes(raw))).getinfo("xl/worksheets/sheet1.xml")
        patch(raw, info)
        path.write_bytes(bytes(raw))

    return build


def _central(raw: bytearray, info: zipfile.ZipInfo) -> int:
    """Offset of the sheet's central directory record."""
    name = info.filename.encode()
    at = raw.find(b"PK\x01\x02")
    while at != -1:
        length = struct.unpack_from("<H", raw, at + 28)[0]
        if raw[at + 46 : at + 46 + length] == name:
            return at
        at = raw.find(b"PK\x01\x02", at + 4)
    raise AssertionError("no central record")


def set_encrypted(raw: bytearray, info: zipfile.ZipInfo) -> None:
    for at in (info.header_offset + 6, _central(raw, info) + 8):
        struct.pack_into("<H", raw, at, struct.unpack_from("<H", raw, at)[0] | 0x1)


def set_method(raw: bytearray, info: zipfile.ZipInfo) -> None:
    for at in (info.header_offset + 8, _central(raw, info) + 10):
        struct.pack_into("<H", raw, at, 99)  # AES (WinZip): not a method zipfile reads


def corrupt_data(raw: bytearray, info: zipfile.ZipInfo) -> None:
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(2, min(info.compress_size, 40), 3):
        raw[start + offset] ^= 0x5A


def plain_sheet() -> str:
    return sheet_xml(header_row_xml() + data_row_xml())


def shared_sheet(index: str) -> str:
    return sheet_xml(header_row_xml() + f'<row r="2"><c r="A2" t="s"><v>{index}</v></c></row>')


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10 if n > 1 else "&lol;" * 10}">'
        for n in range(1, 10)
    )
    + "]>"
)


def html_rows() -> list[list[str]]:
    return [
        [*HEADER, "备注"],
        [
            "<img src=x onerror=\"document.title='pwned'\">",
            "2020-01-01",
            "多方查找仍未取得联系",
            "正式党员",
            "<script>x</script>",
        ],
    ]


# --------------------------------------------------------------------------- the corpus


def corpus() -> list[Hostile]:
    sheet = plain_sheet()
    return [
        # Handled before this corpus existed, kept so that they stay handled.
        Hostile("html.csv", "HTML in cells", write(csv_bytes(html_rows())), "", exit_code=0, where="none"),
        Hostile(
            "xxe.xlsx",
            "XXE (external entity)",
            write_zip(
                workbook_parts(
                    sheet_xml(
                        header_row_xml()
                        + '<row r="2"><c r="A2" t="inlineStr"><is><t>&xxe;</t></is></c></row>',
                        '<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
                    )
                )
            ),
            "无法读取",
        ),
        Hostile(
            "laughs.xlsx",
            "billion laughs",
            write_zip(
                workbook_parts(
                    sheet_xml(
                        header_row_xml()
                        + '<row r="2"><c r="A2" t="inlineStr"><is><t>&lol9;</t></is></c></row>',
                        BILLION_LAUGHS,
                    )
                )
            ),
            "无法读取",
        ),
        Hostile(
            "traversal.xlsx",
            "zip path traversal",
            write_zip(
                {
                    **workbook_parts(sheet),
                    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" Type="worksheet" Target="../../../../etc/passwd"/></Relationships>',
                    "../../../../etc/passwd": "root:x:0:0",
                }
            ),
            "缺少工作表「名册」的数据",
        ),
        Hostile("big.csv", "oversized file (21 MB)", write(b"0" * (21 * 1024 * 1024)), "文件过大"),
        # 1. Formula injection: processed; the export must not evaluate (checked by the tests).
        Hostile(
            "formulas.csv",
            "CSV formula injection",
            write(csv_bytes(formula_rows())),
            "不是日期",
            0,
            "problems",
        ),
        # 2. Tiny files that exhaust memory.
        Hostile(
            "row2e9.xlsx",
            'row r="2000000000"',
            write_zip(workbook_parts(sheet_xml(header_row_xml() + data_row_xml(2_000_000_000)))),
            "行号 2000000000 超出范围",
        ),
        Hostile(
            "zzzzzzz.xlsx",
            "column ZZZZZZZ",
            write_zip(
                workbook_parts(
                    sheet_xml(
                        header_row_xml()
                        + '<row r="2"><c r="ZZZZZZZ2" t="inlineStr"><is><t>x</t></is></c></row>'
                    )
                )
            ),
            "ZZZZZZZ2 超出范围",
        ),
        Hostile(
            "wide-row.xlsx",
            "one row of 30 M cells",
            write_zip(
                workbook_parts(
                    repeated(
                        sheet_head(header_row_xml() + '<row r="2">'), "<c/>", 30_000_000, "</row>" + SHEET_END
                    )
                )
            ),
            "超过 96 MB 的上限",
        ),
        Hostile(
            "wide-row-small.xlsx",
            "one row of 2 M cells (within the part bound)",
            write_zip(
                workbook_parts(
                    repeated(
                        sheet_head(header_row_xml() + '<row r="2">'), "<c/>", 2_000_000, "</row>" + SHEET_END
                    )
                )
            ),
            "超出范围",
        ),
        Hostile(
            "far-cell.xlsx",
            "one value in column ALN (1,001st)",
            write_zip(
                workbook_parts(
                    sheet_xml(
                        header_row_xml() + '<row r="2"><c r="ALM2" t="inlineStr"><is><t>x</t></is></c></row>'
                    )
                )
            ),
            "最多 1,000 列",
        ),
        Hostile(
            "elements.xlsx",
            "40 M empty elements",
            write_zip(
                workbook_parts(
                    repeated(
                        sheet_head(header_row_xml() + '<row r="2"><c r="A2">'),
                        "<x/>",
                        40_000_000,
                        "</c></row>" + SHEET_END,
                    )
                )
            ),
            "超过 96 MB 的上限",
        ),
        Hostile(
            "elements-small.xlsx",
            "20 M empty elements in one cell (within the part bound)",
            write_zip(
                workbook_parts(
                    repeated(
                        sheet_head(header_row_xml() + '<row r="2"><c r="A2">'),
                        "<x/>",
                        20_000_000,
                        "</c></row>" + SHEET_END,
                    )
                )
            ),
            "单个单元格内的元素",
        ),
        Hostile(
            "empty-rows.xlsx",
            "16 M empty rows (within the part bound)",
            write_zip(
                workbook_parts(repeated(sheet_head(header_row_xml()), "<row/>", 16_000_000, SHEET_END))
            ),
            "超过 1,048,576 行",
        ),
        Hostile(
            "cells.xlsx",
            "4 M empty cells in 1,000-cell rows (within the part bound)",
            write_zip(
                workbook_parts(
                    repeated(
                        sheet_head(header_row_xml()), "<row>" + "<c/>" * 1000 + "</row>", 4_100, SHEET_END
                    )
                )
            ),
            "单元格超过 4,000,000 个",
        ),
        Hostile(
            "shared-170mb.xlsx",
            "sharedStrings unpacking to 170 MB",
            write_zip(
                workbook_parts(
                    sheet,
                    repeated(f'<sst xmlns="{MAIN}">', "<si><t>失联党员名册</t></si>", 4_900_000, "</sst>"),
                )
            ),
            "共享文字表解压后有",
        ),
        Hostile(
            "shared-many.xlsx",
            "1.2 M shared strings (within the part bound)",
            write_zip(
                workbook_parts(
                    sheet, repeated(f'<sst xmlns="{MAIN}">', "<si><t>a</t></si>", 1_200_000, "</sst>")
                )
            ),
            "共享文字超过 1,000,000 个",
        ),
        Hostile("comma-header.csv", "10 MB CSV header of commas", comma_header, "超过 1,000 列的上限"),
        Hostile("blank-lines.csv", "19 M blank lines", blank_lines, "超过 1,048,576 行"),
        # 3. Broken zips.
        Hostile(
            "shared-range.xlsx",
            "shared-string index out of range",
            write_zip(workbook_parts(shared_sheet("7"), f'<sst xmlns="{MAIN}"><si><t>a</t></si></sst>')),
            "A2 引用的文字（编号 7）不存在",
        ),
        Hostile(
            "shared-negative.xlsx",
            "negative shared-string index",
            write_zip(workbook_parts(shared_sheet("-1"), f'<sst xmlns="{MAIN}"><si><t>a</t></si></sst>')),
            "A2 引用的文字（编号 -1）不存在",
        ),
        Hostile(
            "encrypted.xlsx",
            "encrypted zip entry",
            patched_zip(workbook_parts(sheet), set_encrypted),
            "设置了密码",
        ),
        Hostile(
            "method.xlsx",
            "unknown compression method",
            patched_zip(workbook_parts(sheet), set_method),
            "不支持的压缩方式",
        ),
        Hostile(
            "deflate.xlsx",
            "corrupt deflate data",
            patched_zip(workbook_parts(sheet * 20), corrupt_data),
            "无法读取，可能已损坏",
        ),
        Hostile("zero", "/dev/zero (size 0, endless)", lambda path: None, "文件过大", browser=False),
        # 4. Silent row loss.
        Hostile(
            "quote.csv",
            "unclosed quote in a name",
            write(unclosed_quote_rows()),
            '英文双引号（"）没有闭合',
            0,
            "problems",
        ),
        *round_two(),
    ]


# --------------------------------------------------------------------------- round 2

SUSPENSION_HEADER = ["姓名", "最后联系日期", "是否取得联系", "党员类别", "是否在国（境）外", "停止党籍日期"]
SUSPENDED_ROW = ["张三", "2023-01-01", "多方查找仍未取得联系", "正式党员", "不在国（境）外", "2025-06-01"]


def cell_xml(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'


def row_xml(number: int, values: list[str], first_column: int = 0) -> str:
    cells = "".join(
        cell_xml(f"{chr(65 + first_column + i)}{number}", v) for i, v in enumerate(values) if v != ""
    )
    return f'<row r="{number}">{cells}</row>'


def table_xml(rows: list[list[str]], extra: str = "") -> str:
    """A sheet of inline strings, rows numbered from 1; `extra` goes after sheetData."""
    body = "".join(row_xml(n, values) for n, values in enumerate(rows, 1))
    return f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{body}</sheetData>{extra}</worksheet>'


def workbook_of(
    sheets: list[tuple[str, str | Callable[[], Iterable[bytes]], str]],
    extra: dict[str, str | bytes | Callable[[], Iterable[bytes]]] | None = None,
    rels: bool = True,
) -> Callable[[Path], None]:
    """A workbook of several sheets: (name, sheet XML, state: visible | hidden | veryHidden)."""
    entries = "".join(
        f'<sheet name="{name}" sheetId="{n}" r:id="rId{n}"'
        + (f' state="{state}"' if state != "visible" else "")
        + "/>"
        for n, (name, _, state) in enumerate(sheets, 1)
    )
    parts: dict[str, str | bytes | Callable[[], Iterable[bytes]]] = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>{entries}</sheets></workbook>',
    }
    if rels:
        parts["xl/_rels/workbook.xml.rels"] = (
            f'<Relationships xmlns="{PKG}">'
            + "".join(
                f'<Relationship Id="rId{n}" Type="{RELS}/worksheet" Target="worksheets/sheet{n}.xml"/>'
                for n in range(1, len(sheets) + 1)
            )
            + "</Relationships>"
        )
    for n, (_, xml, _) in enumerate(sheets, 1):
        parts[f"xl/worksheets/sheet{n}.xml"] = xml
    parts.update(extra or {})
    return write_zip(parts)


def branch_sheets(count: int, rows: int) -> list[tuple[str, str, str]]:
    return [
        (
            f"第{b + 1}支部",
            table_xml([HEADER] + [[f"支部{b + 1}党员{n}", *GOOD_ROW[1:]] for n in range(rows)]),
            "visible",
        )
        for b in range(count)
    ]


NESTED = 14_000_000  # elements opened and never closed: 42 MB of XML, about 90 KB zipped


def nested(head: str, tail: str = "") -> Callable[[], Iterable[bytes]]:
    return repeated(head, "<a>", NESTED, tail)


def nested_workbook(where: str) -> Callable[[Path], None]:
    sheet = plain_sheet()
    if where == "cell":
        return write_zip(
            workbook_parts(nested(sheet_head(header_row_xml() + '<row r="2"><c r="A2" t="inlineStr"><is>')))
        )
    if where == "sheet":  # beside sheetData
        return write_zip(workbook_parts(nested(sheet_xml(header_row_xml()).removesuffix("</worksheet>"))))
    if where == "shared":
        return write_zip(workbook_parts(sheet, nested(f'<sst xmlns="{MAIN}"><si>')))
    if where == "styles":
        return write_zip(
            {**workbook_parts(sheet), "xl/styles.xml": nested(f'<styleSheet xmlns="{MAIN}"><cellXfs>')}
        )
    return write_zip(
        {**workbook_parts(sheet), "xl/workbook.xml": nested(f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">')}
    )


def amplified(size: int, rows: int) -> Callable[[Path], None]:
    """One shared string of `size` characters referred to by every row in 姓名, 最后联系日期 and
    原处置结果: a few KB zipped, `size` x rows x 3 characters once expanded."""
    header = "".join(
        cell_xml(f"{c}1", h) for c, h in zip("ABCD", ["姓名", "最后联系日期", "是否取得联系", "原处置结果"])
    )
    body = "".join(
        f'<row r="{n}"><c r="A{n}" t="s"><v>0</v></c><c r="B{n}" t="s"><v>0</v></c>'
        f'<c r="C{n}" t="inlineStr"><is><t>多方查找仍未取得联系</t></is></c><c r="D{n}" t="s"><v>0</v></c></row>'
        for n in range(2, rows + 2)
    )
    shared = repeated(f'<sst xmlns="{MAIN}"><si><t>', "张", size, "</t></si></sst>")
    return write_zip(workbook_parts(sheet_xml(f'<row r="1">{header}</row>' + body), shared))


def long_token(kind: str, size: int) -> Callable[[Path], None]:
    row = header_row_xml() + data_row_xml()
    if kind == "attribute":
        return write_zip(
            workbook_parts(repeated(sheet_head(row) + '<row r="3" x="', "a", size, '"/>' + SHEET_END))
        )
    if kind == "comment":
        return write_zip(workbook_parts(repeated(sheet_head(row) + "<!--", "a", size, "-->" + SHEET_END)))
    if kind == "comment-brackets":  # a "<" every 8 bytes: still one token
        return write_zip(
            workbook_parts(repeated(sheet_head(row) + "<!--", "<a>aaaaa", size // 8, "-->" + SHEET_END))
        )
    return write_zip(workbook_parts(repeated(sheet_head(row) + "<x", "a", size, "/>" + SHEET_END)))


def merged_sheet() -> str:
    """停止党籍日期 merged down three rows (F2:F4): the value is in F2 only."""
    rows = [SUSPENSION_HEADER] + [[f"党员{n}", *SUSPENDED_ROW[1:]] for n in range(3)]
    rows[2][5] = rows[3][5] = ""
    return table_xml(rows, '<mergeCells count="1"><mergeCell ref="F2:F4"/></mergeCells>')


def formula_sheet() -> str:
    """停止党籍日期 computed by a formula saved without its value (as some tools write)."""
    head = row_xml(1, SUSPENSION_HEADER) + row_xml(2, SUSPENDED_ROW[:5])
    row = head.removesuffix("</row>") + '<c r="F2" s="0"><f>DATE(2025,6,1)</f></c></row>'
    return sheet_xml(row)


def boolean_sheet() -> str:
    header = [
        "姓名",
        "最后联系日期",
        "是否取得联系",
        "党员类别",
        "是否在国（境）外",
        "是否已停止党籍",
        "停止党籍日期",
    ]
    cells = row_xml(2, ["张三", "2023-01-01", "多方查找仍未取得联系", "正式党员", "不在国（境）外"])
    cells = cells.removesuffix("</row>") + '<c r="F2" t="b"><v>true</v></c></row>'
    return sheet_xml(row_xml(1, header) + cells)


def rows_out_of_order() -> str:
    return sheet_xml(header_row_xml() + data_row_xml(5) + data_row_xml(3) + data_row_xml(3))


def escape_rows() -> list[list[str]]:
    return [
        [*HEADER, "\x1b]0;pwned\x07备注"],
        ["\x1b[2J\x1b[31m张三", "\x1b[31m2020-13-45\x1b[0m", *GOOD_ROW[2:], "x"],
    ]


def long_csv_cell(multi_line: bool) -> bytes:
    note = ("注" * 999 + "\r\n") * 150 if multi_line else "注" * 150_000
    rows = [
        [*HEADER, "备注"],
        ["党员1", *GOOD_ROW[1:], note],
        ["党员2", *GOOD_ROW[1:], ""],
        ["党员3", *GOOD_ROW[1:], ""],
    ]
    return csv_bytes(rows)


def bad_line_csv(bad: bytes) -> bytes:
    lines = [",".join(HEADER), ",".join(GOOD_ROW)]
    return (
        ("\r\n".join(lines) + "\r\n").encode("utf-8")
        + b"\xe5\xbc"
        + bad
        + "\r\n".join(["", ",".join(GOOD_ROW), ""]).encode()
    )


def round_two() -> list[Hostile]:
    title = "XX党委，失联党员名册"
    return [
        # 1. Sheets: every one said, the register found.
        Hostile(
            "sheets-50.xlsx",
            "50 sheets of 20 (one per branch)",
            workbook_of(branch_sheets(50, 20)),
            "工作簿共有 50 个工作表，本次只处理了「第1支部」",
            0,
            "problems",
        ),
        Hostile(
            "hidden-first.xlsx",
            "hidden stale first sheet",
            workbook_of(
                [
                    ("旧名册", table_xml([HEADER, ["旧党员", *GOOD_ROW[1:]]]), "hidden"),
                    ("名册", table_xml([HEADER, GOOD_ROW]), "visible"),
                ]
            ),
            "隐藏的工作表「旧名册」未处理",
            0,
            "problems",
        ),
        Hostile(
            "instructions-first.xlsx",
            "填表说明 sheet first",
            workbook_of(
                [
                    (
                        "填表说明",
                        table_xml([["填表说明"], ["1. 日期写成 2023-02-01"], ["2. 每人一行"]]),
                        "visible",
                    ),
                    ("名册", table_xml([HEADER, GOOD_ROW]), "visible"),
                ]
            ),
            "「填表说明」中没有可识别的列名，已跳过",
            0,
            "problems",
        ),
        Hostile(
            "no-rels.xlsx",
            "no workbook relationships, second sheet first",
            workbook_of(
                [("名册", table_xml([HEADER, GOOD_ROW]), "visible"), ("草稿", table_xml([["x"]]), "visible")],
                rels=False,
            ),
            "缺少工作表的关系表",
        ),
        # 2. Depth: refused at the 65th level, wherever it is.
        *[
            Hostile(
                f"nested-{where}.xlsx",
                f"14 M nested elements in the {where}",
                nested_workbook(where),
                "嵌套超过 64 层",
            )
            for where in ("cell", "sheet", "shared", "styles", "workbook")
        ],
        # 3. Amplification: a cell is cut, the sheet's text is bounded.
        Hostile(
            "amplified-300.xlsx",
            "1 M-character shared string x 300 rows x 3 columns",
            amplified(1_000_000, 300),
            "超过单个单元格 32,767 个字的上限",
            0,
            "problems",
        ),
        Hostile(
            "amplified-3000.xlsx",
            "54 K-character shared string x 3,000 rows x 3 columns",
            amplified(54_000, 3_000),
            "文字总量超过",
        ),
        # 5. Long tokens: bounded before they reach any expat.
        Hostile(
            "attribute-95mb.xlsx",
            "one 95 MB attribute",
            long_token("attribute", 95_000_000),
            "连续内容超过 8 MB",
        ),
        Hostile(
            "comment-60mb.xlsx", "one 60 MB comment", long_token("comment", 60_000_000), "连续内容超过 8 MB"
        ),
        Hostile(
            "comment-brackets.xlsx",
            "one 60 MB comment with a < every 8 bytes",
            long_token("comment-brackets", 60_000_000),
            "连续内容超过 8 MB",
        ),
        Hostile("tag-60mb.xlsx", "one 60 MB tag name", long_token("tag", 60_000_000), "连续内容超过 8 MB"),
        # 6. CSV cells over csv's field limit: the row is read, the cell cut with a word.
        Hostile(
            "long-cell.csv",
            "CSV cell of 150,000 characters",
            write(long_csv_cell(False)),
            "有 150,000 个字",
            0,
            "problems",
        ),
        Hostile(
            "long-multiline.csv",
            "quoted multi-line 备注 of 150,000 characters",
            write(long_csv_cell(True)),
            "超过单个单元格 32,767 个字的上限",
            0,
            "problems",
        ),
        # 7. Cells right of the last header: kept, with a word.
        Hostile(
            "beyond-header.csv",
            "notes in unlabelled columns",
            write(csv_bytes([HEADER, [*GOOD_ROW, "注：已去世（待核实）"]])),
            "在最后一个列名的右侧",
            0,
            "problems",
        ),
        # 8. int() digit limit.
        Hostile(
            "digits-5000.csv",
            "5,000-digit month count",
            write(
                csv_bytes(
                    [["姓名", "失联月数", "是否取得联系"], ["张三", "7" * 5000, "多方查找仍未取得联系"]]
                )
            ),
            "应为不小于 0 的整数",
            0,
            "problems",
        ),
        # 9. Cells that would change the outcome if misread.
        Hostile(
            "merged.xlsx",
            "停止党籍日期 merged over three rows",
            write_zip(workbook_parts(merged_sheet())),
            "合并单元格 F2:F4",
            0,
            "problems",
        ),
        Hostile(
            "formula-no-value.xlsx",
            "停止党籍日期 a formula without its value",
            write_zip(workbook_parts(formula_sheet())),
            "没有保存计算结果",
            0,
            "problems",
        ),
        Hostile(
            "boolean-true.xlsx",
            "boolean cell holding true",
            write_zip(workbook_parts(boolean_sheet())),
            "",
            0,
            "none",
        ),
        # 10. Smaller ones.
        Hostile(
            "escapes.csv",
            "terminal escapes in cells and headers",
            write(csv_bytes(escape_rows())),
            "不是日期",
            0,
            "problems",
        ),
        Hostile(
            "title-comma.csv",
            "a title with ， above a comma register",
            write(csv_bytes([[title], HEADER, GOOD_ROW]).replace(f'"{title}"'.encode(), title.encode())),
            "",
            0,
            "none",
        ),
        Hostile(
            "rows-5-3-3.xlsx",
            "rows numbered 5, 3, 3",
            write_zip(workbook_parts(rows_out_of_order())),
            "行号重复或倒序",
        ),
        Hostile(
            "bad-line.csv",
            "one undecodable line",
            write(bad_line_csv(b"\xff\xfe\xfd")),
            "第 3 行有无法识别的文字",
        ),
        Hostile(
            "nul.csv",
            "a NUL on line 3",
            write(bad_line_csv(b"\x00").replace(b"\xe5\xbc\x00", "张\x00".encode())),
            "第 3 行含有空字符",
        ),
        Hostile(
            "zero-width.csv",
            "zero-width and bidi characters in values",
            write(
                csv_bytes(
                    [
                        HEADER,
                        [
                            "张三",
                            "\u200e2020-01-01\u200f",
                            "\u200b多方查找仍未取得联系",
                            "\u202a正式党员\u202c",
                        ],
                    ]
                )
            ),
            "",
            0,
            "none",
        ),
        Hostile(
            "serial-typo.csv",
            "5-digit typo in a date column",
            write(csv_bytes([HEADER, ["张三", "20230", *GOOD_ROW[2:]]])),
            "是一个数字，不是日期",
            0,
            "problems",
        ),
    ]


def generate(directory: Path, names: Iterable[str] | None = None) -> list[tuple[Hostile, Path]]:
    """Write the corpus (or the named items) into `directory`; `/dev/zero` stands for `zero`."""
    wanted = set(names) if names is not None else None
    out = []
    for item in corpus():
        if wanted is not None and item.name not in wanted:
            continue
        if item.name == "zero":
            out.append((item, Path("/dev/zero")))
            continue
        path = directory / item.name
        item.build(path)
        out.append((item, path))
    return out
