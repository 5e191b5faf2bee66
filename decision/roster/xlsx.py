"""A small XLSX reader: the first worksheet as rows of strings.  Standard library only.

Roster files usually come from Excel.  The engine runs under Pyodide with no wheels, so
this reads the Office Open XML package directly with `zipfile` and `xml.etree`:
workbook -> first sheet (through the relationships part) -> cells, with shared strings,
inline strings, booleans, formulas' cached values, and numbers.  A number in a cell whose
style is a date format is returned as an ISO date (`YYYY-MM-DD`), honouring the 1904 date
system; "Strict Open XML" workbooks and ISO date cells are read too.  Everything else a
roster does not need (formatting, merged cells, other sheets) is ignored.

A workbook is hostile until bounded (decision/limits.py): a part is refused from the zip
directory (encrypted, an unknown compression method, declared larger than MAX_PART_BYTES)
before it is inflated; every part is streamed and each element dropped once read; rows,
columns, cells and shared strings are counted and refused before the memory they would need
is allocated; a shared-string index must be in range (a negative one never reads another
string).  Every failure is an `XlsxError` with one Chinese message, never a traceback.
"""

from __future__ import annotations

import datetime as _dt
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from typing import IO
from xml.etree import ElementTree as ET

from decision import limits
from decision.errors import BilingualError
from decision.limits import MAX_CELL_ELEMENTS, MAX_SMALL_PART_ELEMENTS, MAX_STYLE_ELEMENTS

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
# "Strict Open XML" workbooks (an Excel save-as option) use other namespace URIs for the same
# markup: tags are matched in both (parts are streamed, never rewritten).
STRICT_M = "http://purl.oclc.org/ooxml/spreadsheetml/main"
STRICT_R = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_M = "{" + NS["m"] + "}"
_R = "{" + NS["r"] + "}"
_R_STRICT = "{" + STRICT_R + "}"
_REL = "{" + NS["rel"] + "}"


def _tags(local: str) -> frozenset[str]:
    return frozenset({_M + local, "{" + STRICT_M + "}" + local})


_WORKBOOK_PR, _SHEET, _SI, _NUM_FMT, _XF, _CELL_XFS = (
    _tags(name) for name in ("workbookPr", "sheet", "si", "numFmt", "xf", "cellXfs")
)
_SHEET_DATA, _ROW, _CELL, _V_TAGS, _IS_TAGS, _T_TAGS, _RUN = (
    _tags(name) for name in ("sheetData", "row", "c", "v", "is", "t", "r")
)

# Built-in number formats that display dates (ECMA-376 18.8.30, plus the CJK ones Excel
# uses in Chinese locales: 27-36 and 50-58).
DATE_FORMAT_IDS = set(range(14, 18)) | {22} | set(range(27, 37)) | set(range(50, 59))
_QUOTED_OR_ESCAPED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


class XlsxError(BilingualError, ValueError):
    """The file is not a readable XLSX workbook.  `message_zh` is for users."""


def is_xlsx(data: bytes) -> bool:
    """Cheap test on the leading bytes: an XLSX file is a ZIP archive."""
    return data[:4] == b"PK\x03\x04"


_COLUMNS: dict[str, int] = {}


def _column_index(letters: str) -> int:
    """'C' -> 2, 'AA' -> 26 (memoised: a sheet repeats the same few; only 1-3 letters, so the
    memo holds at most Excel's 16,384 columns plus the lower-case spellings)."""
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for ch in letters.upper():
            index = index * 26 + (ord(ch) - 64)
        index -= 1
        if len(_COLUMNS) < 2 * limits.EXCEL_MAX_COLUMNS:
            _COLUMNS[letters] = index
    return index


def _is_date_format(code: str) -> bool:
    stripped = _QUOTED_OR_ESCAPED.sub("", code).lower()
    return any(ch in stripped for ch in "ymd")


def serial_to_date(serial: float, date1904: bool = False) -> _dt.date:
    """Excel serial day number to a date (1900 system with Lotus' 1900-02-29, or 1904)."""
    days = int(serial)
    if date1904:
        return _dt.date(1904, 1, 1) + _dt.timedelta(days=days)
    if days < 60:  # before the fictitious 1900-02-29
        return _dt.date(1899, 12, 31) + _dt.timedelta(days=days)
    return _dt.date(1899, 12, 30) + _dt.timedelta(days=days)


def _text(element: ET.Element) -> str:
    """Concatenated text of <t> descendants (rich text runs), skipping phonetic runs."""
    parts = []
    for child in element:
        if child.tag in _T_TAGS:
            parts.append(child.text or "")
        elif child.tag in _RUN:
            for t in child:
                if t.tag in _T_TAGS:
                    parts.append(t.text or "")
                    break
    return "".join(parts)


def _format_number(raw: str) -> str:
    try:
        value = float(raw)
    except ValueError:
        return raw
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def read_xlsx(data: bytes) -> list[list[str]]:
    """Rows of the workbook's first worksheet, each a list of cell strings ('' when empty).

    Blank rows are one shared empty list (a sheet may number rows up to MAX_SHEET_ROWS):
    callers must not modify the rows in place.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise XlsxError(f"not a ZIP archive: {exc}", BROKEN_ZIP_ZH) from exc
    if "xl/workbook.xml" not in names:
        raise XlsxError(
            "ZIP archive without xl/workbook.xml",
            "文件不是 Excel（.xlsx）工作簿。旧版 .xls 文件请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后再打开。",
        )
    try:
        return _read(archive, names)
    except XlsxError:
        raise
    # A corrupt deflate stream (zlib.error), a truncated one (EOFError), a failed CRC
    # (BadZipFile), bad XML, a non-numeric attribute: all one message, never a traceback.
    except (ET.ParseError, KeyError, ValueError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise XlsxError(f"unreadable workbook: {type(exc).__name__}: {exc}", BROKEN_ZIP_ZH) from exc


BROKEN_ZIP_ZH = "Excel 工作簿内容无法读取，可能已损坏。请在 Excel 或 WPS 中重新“另存为” .xlsx 或 CSV 后再试。"
PART_NAMES_ZH = {
    "xl/workbook.xml": "工作簿目录",
    "xl/_rels/workbook.xml.rels": "工作簿关系表",
    "xl/sharedStrings.xml": "共享文字表",
    "xl/styles.xml": "样式表",
}


def _open_part(archive: zipfile.ZipFile, name: str) -> IO[bytes]:
    """A stream of one part, refused before inflating when it is encrypted, compressed in a way
    zipfile cannot read, or declared larger than MAX_PART_BYTES (zipfile never inflates past the
    declared size: a part that lies about it fails the CRC check instead)."""
    info = archive.getinfo(name)
    if info.flag_bits & 0x1:
        raise XlsxError(
            f"{name} is encrypted",
            "Excel 工作簿的压缩包设置了密码，无法读取。请在 Excel 中取消密码后另存为 .xlsx 或 CSV 再试。",
        )
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise XlsxError(
            f"{name} uses compression method {info.compress_type}",
            "Excel 工作簿使用了不支持的压缩方式，无法读取。请在 Excel 或 WPS 中重新“另存为” .xlsx 或 CSV 后再试。",
        )
    if info.file_size > limits.MAX_PART_BYTES:
        what = PART_NAMES_ZH.get(name, "工作表")
        raise XlsxError(
            f"{name} unpacks to {info.file_size} bytes, over {limits.MAX_PART_BYTES}",
            f"Excel 工作簿中的{what}解压后有 {info.file_size / 1024 / 1024:.0f} MB，超过 "
            f"{limits.MAX_PART_BYTES // 1024 // 1024} MB 的上限，不像是名册。请检查文件，或按党组织拆分后再试。",
        )
    return archive.open(info)


def _count_tags(archive: zipfile.ZipFile, name: str, families: list[tuple[bytes, ...]]) -> list[int]:
    """Occurrences of each family of start tags in a part, counted in one pass over the inflated
    bytes in C, before any element is built: a sheet of millions of empty cells or rows is
    refused in a fraction of the time parsing it would take.  (Tags written with a namespace
    prefix are not counted here; the parse checks the same limits as it goes.)"""
    longest = max(len(tag) for tags in families for tag in tags)
    counts = [0] * len(families)
    tail = b""
    with _open_part(archive, name) as stream:
        while True:
            chunk = stream.read(1 << 20)
            if not chunk:
                return counts
            window = tail + chunk  # a tag cut by the chunk boundary is counted once, here
            for n, tags in enumerate(families):
                counts[n] += sum(window.count(tag) for tag in tags)
            tail = window[-(longest - 1) :]


def _could_exceed(archive: zipfile.ZipFile, name: str, smallest_tag: int, limit: int) -> bool:
    """Whether the part is large enough to hold more than `limit` tags of that smallest size
    (most files are not, and skip the counting pass)."""
    return archive.getinfo(name).file_size > smallest_tag * limit


def _events(stream: IO[bytes]) -> Iterator[tuple[str, ET.Element]]:
    return ET.iterparse(stream, events=("start", "end"))


def _attr(element: ET.Element, name: str) -> str | None:
    """An attribute in the relationships namespace (transitional or strict)."""
    value = element.get(_R + name)
    return value if value is not None else element.get(_R_STRICT + name)


def _too_many(what: str, limit: int, what_zh: str) -> XlsxError:
    return XlsxError(
        f"more than {limit} {what}",
        f"Excel 工作簿的{what_zh}超过 {limit:,} 个，不像是名册，可能已损坏。请检查文件，或拆分后再试。",
    )


def _workbook(archive: zipfile.ZipFile) -> tuple[bool, str | None, bool]:
    """(date1904, the first sheet's relationship id, whether the first sheet exists)."""
    date1904, rel_id, found, count = False, None, False, 0
    with _open_part(archive, "xl/workbook.xml") as stream:
        for event, element in _events(stream):
            if event != "end":
                continue
            count += 1
            if count > MAX_SMALL_PART_ELEMENTS:
                raise _too_many("workbook elements", MAX_SMALL_PART_ELEMENTS, "目录项")
            if element.tag in _WORKBOOK_PR:
                date1904 = element.get("date1904", "0").lower() in ("1", "true")
            elif element.tag in _SHEET:
                rel_id, found = _attr(element, "id"), True
                break  # the first sheet is all a roster needs (workbookPr comes before it)
            element.clear()
    return date1904, rel_id, found


def _sheet_path(archive: zipfile.ZipFile, names: set[str], rel_id: str | None) -> str:
    rels = "xl/_rels/workbook.xml.rels"
    if rels in names and rel_id:
        count = 0
        with _open_part(archive, rels) as stream:
            for event, element in _events(stream):
                if event != "end":
                    continue
                count += 1
                if count > MAX_SMALL_PART_ELEMENTS:
                    raise _too_many("relationships", MAX_SMALL_PART_ELEMENTS, "关系项")
                if element.tag == _REL + "Relationship" and element.get("Id") == rel_id:
                    target = element.get("Target", "")
                    if target.startswith("/"):
                        return target.lstrip("/")
                    return posixpath.normpath(posixpath.join("xl", target))
                element.clear()
    return "xl/worksheets/sheet1.xml"


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared-string table, streamed: at most MAX_SHARED_STRINGS entries, and no element
    kept once read (a table that unpacks to 100 MB never becomes a tree)."""
    shared: list[str] = []
    root: ET.Element | None = None
    parts = 0  # elements inside the current <si>
    with _open_part(archive, "xl/sharedStrings.xml") as stream:
        for event, element in _events(stream):
            if event == "start":
                if root is None:
                    root = element
                continue
            if element.tag in _SI:
                if len(shared) >= limits.MAX_SHARED_STRINGS:
                    raise _too_many("shared strings", limits.MAX_SHARED_STRINGS, "共享文字")
                shared.append(_text(element).strip())
                parts = 0
                if root is not None:
                    del root[:]
            else:
                parts += 1
                if parts > MAX_CELL_ELEMENTS:
                    raise _too_many("elements in one shared string", MAX_CELL_ELEMENTS, "单条文字内的元素")
    return shared


def _date_styles(archive: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell formats (cellXfs) that display dates."""
    custom: dict[int, str] = {}
    date_styles: set[int] = set()
    in_cell_xfs, index, count = False, 0, 0
    with _open_part(archive, "xl/styles.xml") as stream:
        for event, element in _events(stream):
            tag = element.tag
            if event == "start":
                if tag in _CELL_XFS:
                    in_cell_xfs = True
                continue
            count += 1
            if count > MAX_STYLE_ELEMENTS:
                raise _too_many("style elements", MAX_STYLE_ELEMENTS, "样式项")
            if tag in _NUM_FMT:
                custom[int(element.get("numFmtId", "-1"))] = element.get("formatCode", "")
            elif tag in _XF and in_cell_xfs:
                fmt_id = int(element.get("numFmtId", "0"))
                if fmt_id in DATE_FORMAT_IDS or (fmt_id in custom and _is_date_format(custom[fmt_id])):
                    date_styles.add(index)
                index += 1
            elif tag in _CELL_XFS:
                in_cell_xfs = False
            element.clear()
    return date_styles


def _read(archive: zipfile.ZipFile, names: set[str]) -> list[list[str]]:
    date1904, rel_id, found = _workbook(archive)
    if not found:
        raise XlsxError("workbook has no sheet", "Excel 工作簿中没有工作表。")
    sheet_path = _sheet_path(archive, names, rel_id)
    if sheet_path not in names:
        raise XlsxError(f"missing worksheet {sheet_path}", "Excel 工作簿缺少第一个工作表的数据。")
    if _could_exceed(archive, sheet_path, len("<row/>"), limits.MAX_SHEET_ROWS):
        rows, cells = _count_tags(
            archive, sheet_path, [(b"<row ", b"<row>", b"<row/"), (b"<c ", b"<c>", b"<c/")]
        )
        if rows > limits.MAX_SHEET_ROWS:
            raise _too_many_rows()
        if cells > limits.MAX_CELLS:
            raise _too_many_cells()
    shared: list[str] = []
    strings = "xl/sharedStrings.xml"
    if strings in names:
        if (
            _could_exceed(archive, strings, len("<si/>"), limits.MAX_SHARED_STRINGS)
            and _count_tags(archive, strings, [(b"<si>", b"<si ", b"<si/")])[0] > limits.MAX_SHARED_STRINGS
        ):
            raise _too_many("shared strings", limits.MAX_SHARED_STRINGS, "共享文字")
        shared = _shared_strings(archive)
    date_styles = _date_styles(archive) if "xl/styles.xml" in names else set()
    with _open_part(archive, sheet_path) as stream:
        return _rows(stream, shared, date_styles, date1904)


EMPTY_ROW: list[str] = []  # every blank row (shared: rows are never modified in place)
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


def _rows(stream: IO[bytes], shared: list[str], date_styles: set[int], date1904: bool) -> list[list[str]]:
    """The sheet's rows, streamed with every limit checked before the memory it guards is used.

    Depth 1 is <worksheet>, 2 <sheetData> (and <cols>, <mergeCells> ...), 3 <row>, 4 <c>,
    5+ a cell's <v>, <is>, <f>.  An element is dropped from its parent as soon as it ends,
    except inside a cell (read when the cell ends): so at most one cell's elements, bounded by
    MAX_CELL_ELEMENTS, are ever held, whatever the sheet holds.
    """
    rows: list[list[str]] = []
    open_at: list[ET.Element | None] = [None] * 5  # the open element at depths 1-4
    depth = 0
    kept = 0  # elements at depth 5+ held since the last depth-4 element ended
    cells = 0
    in_sheet_data = False
    row_number = 0
    values: list[str] = []
    next_col = 0
    for event, element in _events(stream):
        if event == "end":
            depth -= 1
            if depth >= 4:  # inside a cell (or inside something else that deep)
                kept += 1
                if kept > MAX_CELL_ELEMENTS:
                    raise _too_many("elements in one cell", MAX_CELL_ELEMENTS, "单个单元格内的元素")
                continue
        else:
            depth += 1
            if depth < 5:
                open_at[depth] = element
                if depth == 3:
                    if in_sheet_data and element.tag in _ROW:
                        row_number = _row_number(element.get("r"), len(rows) + 1)
                        values, next_col = [], 0
                elif depth == 2:
                    in_sheet_data = element.tag in _SHEET_DATA
            continue
        parent = open_at[depth]
        if depth == 3 and in_sheet_data and element.tag in _CELL:
            cells += 1
            if cells > limits.MAX_CELLS:
                raise _too_many_cells()
            ref = element.get("r")
            col = _cell_column(ref, row_number) if ref else next_col
            if col >= limits.EXCEL_MAX_COLUMNS:
                raise _bad_column(column_name(col) + str(row_number), row_number)
            next_col = col + 1
            value = _cell_value(element, shared, date_styles, date1904)
            if value:  # only a cell with a value pads its row (styled empty cells cost nothing)
                if col >= limits.MAX_COLUMNS:
                    raise _bad_column(ref or column_name(col) + str(row_number), row_number)
                if col < len(values):
                    values[col] = value
                else:
                    if col > len(values):
                        values.extend([""] * (col - len(values)))
                    values.append(value)
        elif depth == 2 and in_sheet_data and element.tag in _ROW:
            if row_number > len(rows) + 1:  # rows Excel left out because they are empty
                rows.extend([EMPTY_ROW] * (row_number - 1 - len(rows)))
            rows.append(values or EMPTY_ROW)
            values = []
        kept = 0
        if parent is not None:
            del parent[:]
    return rows


def _too_many_cells() -> XlsxError:
    return XlsxError(
        f"more than {limits.MAX_CELLS} cells",
        f"Excel 工作表的单元格超过 {limits.MAX_CELLS:,} 个，请按党组织拆分后再处理。",
    )


def _too_many_rows() -> XlsxError:
    return XlsxError(
        f"more than {limits.MAX_SHEET_ROWS} rows",
        f"Excel 工作表超过 {limits.MAX_SHEET_ROWS:,} 行（Excel 的上限），文件可能已损坏。请在 Excel 中重新保存后再试。",
    )


def _row_number(raw: str | None, next_number: int) -> int:
    if raw is None:
        number = next_number
    else:
        try:
            number = int(raw)
        except ValueError:
            number = -1
    if not 1 <= number <= limits.MAX_SHEET_ROWS:
        raise XlsxError(
            f"row number {raw[:20] if raw else number} outside 1..{limits.MAX_SHEET_ROWS}",
            f"Excel 工作表的行号 {raw[:20] if raw else number} 超出范围（1 至 {limits.MAX_SHEET_ROWS:,}），"
            "文件可能已损坏。请在 Excel 中重新保存后再试。",
        )
    return number


def _bad_column(ref: str, row_number: int) -> XlsxError:
    return XlsxError(
        f"cell {ref[:20]} (row {row_number}) is beyond column {limits.MAX_COLUMNS}",
        f"Excel 工作表第 {row_number} 行的单元格 {ref[:20]} 超出范围：名册最多 {limits.MAX_COLUMNS:,} 列。"
        "请删除多余的列后再试。",
    )


def _cell_column(ref: str, row_number: int) -> int:
    """'C7' -> 2; a reference that is not letters then digits, or past XFD, is refused."""
    index = _COLUMNS.get(ref.rstrip("0123456789"))
    if index is not None:
        return index
    match = _REF.fullmatch(ref)
    if not match:
        raise _bad_column(ref, row_number)
    index = _column_index(match.group(1))
    if index >= limits.EXCEL_MAX_COLUMNS:
        raise _bad_column(ref, row_number)
    return index


def column_name(index: int) -> str:
    """0 -> A, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_value(c: ET.Element, shared: list[str], date_styles: set[int], date1904: bool) -> str:
    kind = c.get("t", "n")
    raw = ""
    for child in c:
        if child.tag in _V_TAGS:
            raw = child.text or ""
            break
        if child.tag in _IS_TAGS:
            return _text(child).strip()
    if raw == "":
        return ""
    if kind == "s":  # an index into the shared strings: in range, never negative (shared[-1] exists)
        index = int(raw) if raw.strip().isdigit() else -1
        if not 0 <= index < len(shared):
            ref = (c.get("r") or "")[:20]
            raise XlsxError(
                f"cell {ref} refers to shared string {raw[:20]!r}; the table has {len(shared)}",
                f"Excel 工作表的单元格 {ref} 引用的文字（编号 {raw[:20]}）不存在，文件可能已损坏。"
                "请在 Excel 或 WPS 中重新保存后再试。",
            )
        return shared[index]
    if kind == "b":
        return "是" if raw.strip() == "1" else "否"
    if kind in ("str", "e", "inlineStr"):
        return raw.strip()
    if kind == "d":  # ISO 8601 date cell (strict workbooks)
        return raw.strip()[:10]
    style = c.get("s")
    if style is not None and style.isdigit() and int(style) in date_styles:
        try:
            return serial_to_date(float(raw), date1904).isoformat()
        except (ValueError, OverflowError):
            return raw
    return _format_number(raw)
