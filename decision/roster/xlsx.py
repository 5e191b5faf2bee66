"""A small XLSX reader: the first worksheet as rows of strings.  Standard library only.

Roster files usually come from Excel.  The engine runs under Pyodide with no wheels, so
this reads the Office Open XML package directly with `zipfile` and `xml.etree`:
workbook -> first sheet (through the relationships part) -> cells, with shared strings,
inline strings, booleans, formulas' cached values, and numbers.  A number in a cell whose
style is a date format is returned as an ISO date (`YYYY-MM-DD`), honouring the 1904 date
system; "Strict Open XML" workbooks and ISO date cells are read too.  Everything else a
roster does not need (formatting, merged cells, other sheets) is ignored.
"""

from __future__ import annotations

import datetime as _dt
import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree as ET

NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
# "Strict Open XML" workbooks (an Excel save-as option) use other namespace URIs for the same
# markup: their parts are read with these URIs mapped to the transitional ones.
STRICT = {
    b"http://purl.oclc.org/ooxml/spreadsheetml/main": NS["m"].encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": NS["r"].encode(),
}
_M = "{" + NS["m"] + "}"
_R = "{" + NS["r"] + "}"

# Built-in number formats that display dates (ECMA-376 18.8.30, plus the CJK ones Excel
# uses in Chinese locales: 27-36 and 50-58).
DATE_FORMAT_IDS = set(range(14, 18)) | {22} | set(range(27, 37)) | set(range(50, 59))
_QUOTED_OR_ESCAPED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')

MAX_CELLS = 5_000_000  # a guard against zip bombs; a 10,000-row roster has ~250,000


class XlsxError(ValueError):
    """The file is not a readable XLSX workbook.  `message_zh` is for users."""

    def __init__(self, message: str, message_zh: str):
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


def is_xlsx(data: bytes) -> bool:
    """Cheap test on the leading bytes: an XLSX file is a ZIP archive."""
    return data[:4] == b"PK\x03\x04"


_COLUMNS: dict[str, int] = {}


def _column_index(ref: str) -> int:
    """'C7' -> 2, 'AA10' -> 26 (memoised on the letters: a sheet repeats the same few)."""
    letters = ref.rstrip("0123456789")
    index = _COLUMNS.get(letters)
    if index is None:
        index = 0
        for ch in letters.upper():
            if "A" <= ch <= "Z":
                index = index * 26 + (ord(ch) - 64)
        index -= 1
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
        if child.tag == _M + "t":
            parts.append(child.text or "")
        elif child.tag == _M + "r":
            t = child.find(_M + "t")
            if t is not None:
                parts.append(t.text or "")
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
    """Rows of the workbook's first worksheet, each a list of cell strings ('' when empty)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise XlsxError(
            f"not a ZIP archive: {exc}", "文件不是有效的 Excel（.xlsx）工作簿，可能已损坏。"
        ) from exc
    if "xl/workbook.xml" not in names:
        raise XlsxError(
            "ZIP archive without xl/workbook.xml",
            "文件不是 Excel（.xlsx）工作簿。旧版 .xls 文件请在 Excel 中另存为 .xlsx 或 CSV（UTF-8）后再打开。",
        )
    try:
        return _read(archive, names)
    except XlsxError:
        raise
    except (ET.ParseError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise XlsxError(
            f"unreadable workbook: {exc}", "Excel 工作簿内容无法读取，可能已损坏。请另存为 CSV 后再试。"
        ) from exc


def _read(archive: zipfile.ZipFile, names: set[str]) -> list[list[str]]:
    raw_workbook = archive.read("xl/workbook.xml")
    strict = next(iter(STRICT)) in raw_workbook

    def part(name: str) -> bytes:
        data = archive.read(name)
        if strict:
            for old, new in STRICT.items():
                data = data.replace(old, new)
        return data

    workbook = ET.fromstring(part("xl/workbook.xml"))
    pr = workbook.find("m:workbookPr", NS)
    date1904 = pr is not None and pr.get("date1904", "0").lower() in ("1", "true")
    sheet = workbook.find("m:sheets/m:sheet", NS)
    if sheet is None:
        raise XlsxError("workbook has no sheet", "Excel 工作簿中没有工作表。")
    sheet_path = "xl/worksheets/sheet1.xml"
    rel_id = sheet.get(_R + "id")
    if "xl/_rels/workbook.xml.rels" in names and rel_id:
        rels = ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        for rel in rels.findall("rel:Relationship", NS):
            if rel.get("Id") == rel_id:
                target = rel.get("Target", "")
                sheet_path = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
                break
    if sheet_path not in names:
        raise XlsxError(f"missing worksheet {sheet_path}", "Excel 工作簿缺少第一个工作表的数据。")

    shared: list[str] = []
    if "xl/sharedStrings.xml" in names:
        root = ET.fromstring(part("xl/sharedStrings.xml"))
        shared = [_text(si).strip() for si in root.findall("m:si", NS)]

    date_styles: set[int] = set()
    if "xl/styles.xml" in names:
        styles = ET.fromstring(part("xl/styles.xml"))
        custom = {
            int(fmt.get("numFmtId", "-1")): fmt.get("formatCode", "")
            for fmt in styles.findall("m:numFmts/m:numFmt", NS)
        }
        for index, xf in enumerate(styles.findall("m:cellXfs/m:xf", NS)):
            fmt_id = int(xf.get("numFmtId", "0"))
            if fmt_id in DATE_FORMAT_IDS or (fmt_id in custom and _is_date_format(custom[fmt_id])):
                date_styles.add(index)

    rows: list[list[str]] = []
    cells = 0
    row_tag, cell_tag = _M + "row", _M + "c"
    # Streamed (a sheet's XML is ten times its compressed size); strict ones are rare and rewritten.
    with io.BytesIO(part(sheet_path)) if strict else archive.open(sheet_path) as stream:
        for _event, element in ET.iterparse(stream):
            if element.tag != row_tag:
                continue
            row_number = int(element.get("r", len(rows) + 1))
            while len(rows) < row_number - 1:  # rows Excel left out because they are empty
                rows.append([])
            values: list[str] = []
            for c in element:
                if c.tag != cell_tag:
                    continue
                cells += 1
                ref = c.get("r")
                col = _column_index(ref) if ref else len(values)
                while len(values) < col:
                    values.append("")
                values.append(_cell_value(c, shared, date_styles, date1904))
            if cells > MAX_CELLS:
                raise XlsxError("too many cells", "Excel 工作表的单元格过多，请拆分后再处理。")
            while values and values[-1] == "":
                values.pop()
            rows.append(values)
            element.clear()
    return rows


_V, _IS = _M + "v", _M + "is"


def _cell_value(c: ET.Element, shared: list[str], date_styles: set[int], date1904: bool) -> str:
    kind = c.get("t", "n")
    raw = ""
    for child in c:
        if child.tag == _V:
            raw = child.text or ""
            break
        if child.tag == _IS:
            return _text(child).strip()
    if raw == "":
        return ""
    if kind == "s":
        return shared[int(raw)]
    if kind == "b":
        return "是" if raw.strip() == "1" else "否"
    if kind in ("str", "e", "inlineStr"):
        return raw.strip()
    if kind == "d":  # ISO 8601 date cell (strict workbooks)
        return raw.strip()[:10]
    style = c.get("s")
    if style is not None and int(style) in date_styles:
        try:
            return serial_to_date(float(raw), date1904).isoformat()
        except (ValueError, OverflowError):
            return raw
    return _format_number(raw)
