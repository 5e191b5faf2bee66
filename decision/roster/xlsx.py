"""A small XLSX reader: one worksheet as rows of strings.  Standard library only.

Roster files usually come from Excel.  The engine runs under Pyodide with no wheels, so
this reads the Office Open XML package directly with `zipfile` and `xml.etree`:
workbook -> its sheets in order (through the relationships part; without it the file is
refused rather than guessed) -> the first visible worksheet whose rows the caller accepts
(has a header row: a 填表说明 sheet is skipped) -> cells, with shared strings, inline strings,
booleans (1/0, true/false), formulas' cached values, and numbers.  A number in a cell whose
style is a date format is returned as an ISO date (`YYYY-MM-DD`), honouring the 1904 date
system; "Strict Open XML" workbooks and ISO date cells are read too.  The rows' `notices`
(cells.Table) name every other sheet, hidden ones included: none is dropped without a word.

Cells that would be misread as blank are not: a merged region's anchor value is filled into
the rows below it in its column (and said in a notice); the other cells it covers, a formula
saved without its value, and a cell cut at MAX_CELL_CHARS are flagged (cells.FlaggedRow), so
the row is reported instead of decided on a blank.

A workbook is hostile until bounded (decision/limits.py): a part is refused from the zip
directory (encrypted, an unknown compression method, declared larger than MAX_PART_BYTES)
before it is inflated; every part is streamed and each element dropped once read; nesting
depth is counted on start tags and a token's size while it is fed (`_events`, the same bounds
on every expat version); rows, columns, cells, merged regions, shared strings and the sheet's
expanded text are counted and refused before the memory they would need is allocated; rows
must be numbered in order; a shared-string index must be in range (a negative one never reads
another string).  The sheet is never held inflated: what the reader keeps is its rows, and a
short value the sheet repeats is kept once (`_SHARED_CHARS`).  Every failure is an `XlsxError` with one Chinese message, never a traceback.

Speed: the sheet and the shared strings are read in one loop over each feed's events
(`_batches`: no generator step per element), the tags are bounded by two counts before any
exact count (`_sheet_rows`), and the cyclic collector is off during the read (`read_xlsx`).
"""

from __future__ import annotations

import collections
import datetime as _dt
import gc
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, cast
from xml.etree import ElementTree as ET

from decision import limits
from decision.errors import BilingualError
from decision.limits import MAX_CELL_ELEMENTS, MAX_SMALL_PART_ELEMENTS, MAX_STYLE_ELEMENTS
from decision.roster.cells import Flag, FlaggedRow, Table, cut_flag, shown

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
_SHEET_DATA, _ROW, _CELL, _V_TAGS, _IS_TAGS, _T_TAGS, _RUN, _F_TAGS, _MERGE_CELL = (
    _tags(name) for name in ("sheetData", "row", "c", "v", "is", "t", "r", "f", "mergeCell")
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


def read_xlsx(data: bytes, accept: Callable[[list], bool] | None = None) -> Table:
    """Rows of the workbook's first visible worksheet whose rows `accept` (has a header row), each
    a list of cell strings ('' when empty); `notices` name the sheets not read.

    Blank rows are one shared empty list (a sheet may number rows up to MAX_SHEET_ROWS):
    callers must not modify the rows in place.  A row with a cell not read as it stands (cut,
    a formula without its value, covered by a merged region) is a cells.FlaggedRow.
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
    # The parse allocates millions of short-lived elements and holds none in a cycle (an element
    # refers only to its children, and each is dropped once read): reference counting frees them,
    # and the cyclic collector's passes over every object allocated meanwhile cost about as
    # much as the parse.  It is off for the read and on again after it, whatever happens.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _read(archive, names, accept)
    except XlsxError:
        raise
    # A corrupt deflate stream (zlib.error), a truncated one (EOFError), a failed CRC
    # (BadZipFile), bad XML, a non-numeric attribute: all one message, never a traceback.
    except (ET.ParseError, KeyError, ValueError, zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
        raise XlsxError(f"unreadable workbook: {type(exc).__name__}: {exc}", BROKEN_ZIP_ZH) from exc
    finally:
        if collecting:
            gc.enable()


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


def _count_tags(
    archive: zipfile.ZipFile, name: str, families: list[tuple[bytes, ...]], stop: list[int] | None = None
) -> list[int]:
    """Occurrences of each family of start tags in a part, counted in one pass over the inflated
    bytes in C, before any element is built: a sheet of millions of empty cells or rows is
    refused in a fraction of the time parsing it would take.  (Tags written with a namespace
    prefix are not counted here; the parse checks the same limits as it goes.)  With `stop`
    (a limit for each family), the count ends as soon as one family is over its limit: the
    counts returned are then partial, and that one is over."""
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
            if stop is not None and any(count > limit for count, limit in zip(counts, stop)):
                return counts
            tail = window[-(longest - 1) :]


def _could_exceed(archive: zipfile.ZipFile, name: str, smallest_tag: int, limit: int) -> bool:
    """Whether the part is large enough to hold more than `limit` tags of that smallest size
    (most files are not, and skip the counting pass)."""
    return archive.getinfo(name).file_size > smallest_tag * limit


_FEED = 64 * 1024  # bytes fed to the parser at a time ...
_MAX_FEED = 4 * 1024 * 1024  # ... doubling up to this while one token is still unfinished


def _batches(stream: IO[bytes]) -> Iterator[tuple[collections.deque | list, BaseException | None]]:
    """(batch, error) for each feed of a part: the batch its (event, element) pairs, start and end
    tags, which the caller loops over in place (no generator step per element).  Bounded on
    every expat as `_events` says, except depth, which the caller counts.

    A parse error is raised after its feed's batch, as XMLPullParser.read_events raises it after
    the events before it; `error` is that error, for a caller that stops in the batch (too
    deep): it raises the parse error instead, as read_events would have while the caller read
    the rest of the batch.  The batch is the parser's own event queue where it is a deque (every
    CPython since 3.4, Pyodide's too); read through read_events otherwise.
    """
    parser: ET.XMLPullParser = ET.XMLPullParser(events=("start", "end"))
    queue = _queue_of(parser)
    quiet = 0  # bytes fed since the last event
    size = _FEED
    while True:
        chunk = stream.read(size)
        if not chunk:
            break
        parser.feed(chunk)
        quiet += len(chunk)
        error: BaseException | None = None
        batch: collections.deque | list
        if queue is not None:
            if queue and isinstance(queue[-1], BaseException):
                error = queue.pop()
            batch = queue
        else:
            batch = []
            try:
                batch.extend(cast(Iterator[tuple[str, ET.Element]], parser.read_events()))
            except SyntaxError as exc:
                error = exc
        if batch:
            quiet = 0
        yield batch, error
        batch.clear()
        if error is not None:
            raise error
        if quiet > limits.MAX_TOKEN_BYTES:
            raise _token_too_long()
        size = _FEED if not quiet else min(2 * size, _MAX_FEED)
    parser.close()
    yield list(cast(Iterator[tuple[str, ET.Element]], parser.read_events())), None


def _queue_of(parser: ET.XMLPullParser) -> collections.deque | None:
    """The parser's own event queue, or None where it is not the deque read_events reads."""
    queue = getattr(parser, "_events_queue", None)
    return queue if isinstance(queue, collections.deque) else None


def _events(stream: IO[bytes]) -> Iterator[tuple[str, ET.Element]]:
    """(event, element) for each start and end tag of a part, bounded on every expat:

    - depth is counted on start tags and refused past MAX_XML_DEPTH, so a part of millions of
      nested elements never builds more than one feed's worth of them;
    - once more than MAX_TOKEN_BYTES were fed without a tag completing (one comment, attribute
      value, tag name or text node that long), the part is refused (a token at most one feed
      longer may complete first);
    - while a token is unfinished (a feed produced no event), the next feed is twice as large,
      so an expat that rescans the token on every feed (before 2.6) does linear work, not
      quadratic, up to that bound.
    """
    path: list[ET.Element] = []  # the open elements
    for batch, error in _batches(stream):
        events = iter(batch)
        for event, element in events:
            if event == "start":
                path.append(element)
                if len(path) > limits.MAX_XML_DEPTH:
                    _dismantle(path, events)
                    raise error if error is not None else _too_deep()
            else:
                path.pop()
            yield event, element


def _dismantle(path: list[ET.Element], events: Iterator[tuple[str, ET.Element]]) -> None:
    """Cut the chain of nested elements one feed built (thousands deep) link by link, deepest
    first: freed as one chain, each element frees its child in turn, and that recursion
    overflows the browser's WebAssembly stack (Pyodide's fatal error)."""
    chain = path + [element for event, element in events if event == "start"]
    for element in reversed(chain):
        del element[:]


def _token_too_long() -> XlsxError:
    return XlsxError(
        f"an XML token longer than {limits.MAX_TOKEN_BYTES} bytes",
        f"Excel 工作簿中有一段连续内容超过 {limits.MAX_TOKEN_BYTES // 1024 // 1024} MB（单个标记、属性、注释或文字），"
        "不像是名册，可能已损坏。请在 Excel 或 WPS 中重新“另存为” .xlsx 或 CSV 后再试。",
    )


def _too_deep() -> XlsxError:
    return XlsxError(
        f"XML nested more than {limits.MAX_XML_DEPTH} deep",
        f"Excel 工作簿的内容嵌套超过 {limits.MAX_XML_DEPTH} 层，不像是名册，可能已损坏。"
        "请在 Excel 或 WPS 中重新“另存为” .xlsx 或 CSV 后再试。",
    )


def _attr(element: ET.Element, name: str) -> str | None:
    """An attribute in the relationships namespace (transitional or strict)."""
    value = element.get(_R + name)
    return value if value is not None else element.get(_R_STRICT + name)


def _too_many(what: str, limit: int, what_zh: str) -> XlsxError:
    return XlsxError(
        f"more than {limit} {what}",
        f"Excel 工作簿的{what_zh}超过 {limit:,} 个，不像是名册，可能已损坏。请检查文件，或拆分后再试。",
    )


@dataclass
class _Sheet:
    name: str
    hidden: bool
    rel_id: str | None
    path: str | None = None  # from the relationships; None when it names no worksheet


def _workbook(archive: zipfile.ZipFile) -> tuple[bool, list[_Sheet]]:
    """(date1904, the sheets in the workbook's order, with their state)."""
    date1904, sheets = False, []
    with _open_part(archive, "xl/workbook.xml") as stream:
        for element in _small_part(stream, "workbook elements", "目录项"):
            if element.tag in _WORKBOOK_PR:
                date1904 = element.get("date1904", "0").lower() in ("1", "true")
            elif element.tag in _SHEET:
                sheets.append(
                    _Sheet(
                        name=(element.get("name") or "")[:31],  # Excel's own limit on sheet names
                        hidden=element.get("state", "visible") in ("hidden", "veryHidden"),
                        rel_id=_attr(element, "id"),
                    )
                )
    return date1904, sheets


def _small_part(stream: IO[bytes], what: str, what_zh: str) -> Iterator[ET.Element]:
    """Each element of a small part (workbook, relationships) once it has ended, refused past
    MAX_SMALL_PART_ELEMENTS; each is cleared once the caller has read it."""
    count = 0
    for event, element in _events(stream):
        if event != "end":
            continue
        count += 1
        if count > MAX_SMALL_PART_ELEMENTS:
            raise _too_many(what, MAX_SMALL_PART_ELEMENTS, what_zh)
        yield element
        element.clear()


# Relationship types of sheets that hold no cells (a chart, a dialog, an Excel 4 macro sheet).
_NOT_WORKSHEETS = ("chartsheet", "dialogsheet", "macrosheet")


def _sheet_paths(archive: zipfile.ZipFile, names: set[str], sheets: list[_Sheet]) -> None:
    """Each sheet's part, from the workbook's relationships.  Without them there is no saying
    which part is which sheet (guessing sheet1.xml may read another sheet than the first)."""
    rels = "xl/_rels/workbook.xml.rels"
    if rels not in names:
        raise XlsxError(
            "workbook without xl/_rels/workbook.xml.rels",
            "Excel 工作簿缺少工作表的关系表，无法确定各工作表的数据，文件可能已损坏。"
            "请在 Excel 或 WPS 中重新“另存为” .xlsx 或 CSV 后再试。",
        )
    wanted = {sheet.rel_id for sheet in sheets if sheet.rel_id}
    targets: dict[str, str] = {}
    with _open_part(archive, rels) as stream:
        for element in _small_part(stream, "relationships", "关系项"):
            rel_id = element.get("Id")
            if (
                element.tag == _REL + "Relationship"
                and rel_id in wanted
                and not element.get("Type", "").lower().endswith(_NOT_WORKSHEETS)
            ):
                target = element.get("Target", "")
                targets[rel_id] = (
                    target.lstrip("/")
                    if target.startswith("/")
                    else posixpath.normpath(posixpath.join("xl", target))
                )
    for sheet in sheets:
        sheet.path = targets.get(sheet.rel_id or "")


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The shared-string table, streamed: at most MAX_SHARED_STRINGS entries, and no element
    kept once read (a table that unpacks to 100 MB never becomes a tree).  One loop over each
    feed's events, with the depth bound of `_events`."""
    shared: list[str] = []
    root: ET.Element | None = None
    depth = 0
    parts = 0  # elements inside the current <si>
    si_tags, max_depth, max_parts = _SI, limits.MAX_XML_DEPTH, MAX_CELL_ELEMENTS
    with _open_part(archive, "xl/sharedStrings.xml") as stream:
        for batch, error in _batches(stream):
            events = iter(batch)
            for event, element in events:
                if event == "start":
                    depth += 1
                    if depth > max_depth:
                        _dismantle_tree(root, events)
                        raise error if error is not None else _too_deep()
                    if root is None:
                        root = element
                    continue
                depth -= 1
                if element.tag in si_tags:
                    if len(shared) >= limits.MAX_SHARED_STRINGS:
                        raise _too_many("shared strings", limits.MAX_SHARED_STRINGS, "共享文字")
                    shared.append(_text(element).strip())
                    parts = 0
                    if root is not None:
                        del root[:]
                else:
                    parts += 1
                    if parts > max_parts:
                        raise _too_many(
                            "elements in one shared string", MAX_CELL_ELEMENTS, "单条文字内的元素"
                        )
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


def _read(archive: zipfile.ZipFile, names: set[str], accept: Callable[[list], bool] | None) -> Table:
    """The first visible worksheet that `accept`s its rows (has a header row), or else the first
    visible one; notices name every other sheet, which is not read."""
    date1904, sheets = _workbook(archive)
    if not sheets:
        raise XlsxError("workbook has no sheet", "Excel 工作簿中没有工作表。")
    _sheet_paths(archive, names, sheets)
    shared: list[str] = []
    strings = "xl/sharedStrings.xml"
    if strings in names:
        if (
            _could_exceed(archive, strings, len("<si/>"), limits.MAX_SHARED_STRINGS)
            and _count_tags(archive, strings, [(b"<si>", b"<si ", b"<si/")], [limits.MAX_SHARED_STRINGS])[0]
            > limits.MAX_SHARED_STRINGS
        ):
            raise _too_many("shared strings", limits.MAX_SHARED_STRINGS, "共享文字")
        shared = _shared_strings(archive)
    date_styles = _date_styles(archive) if "xl/styles.xml" in names else set()
    chosen: tuple[_Sheet, Table] | None = None
    first: tuple[_Sheet, Table] | None = None
    no_header: list[_Sheet] = []
    tried = 0  # bytes of the sheets read: together at most one part's worth
    for sheet in sheets:
        if sheet.hidden or sheet.path is None:
            continue
        if sheet.path not in names:
            raise XlsxError(
                f"missing worksheet {sheet.path[:60]}",
                f"Excel 工作簿缺少工作表「{sheet.name}」的数据，文件可能已损坏。请在 Excel 或 WPS 中重新保存后再试。",
            )
        size = archive.getinfo(sheet.path).file_size
        if first is not None and tried + size > limits.MAX_PART_BYTES:
            break
        tried += size
        rows = _sheet_rows(archive, sheet.path, shared, date_styles, date1904)
        if first is None:
            first = (sheet, rows)
        if accept is None or accept(rows):
            chosen = (sheet, rows)
            break
        no_header.append(sheet)
    if first is None:
        raise XlsxError(
            "workbook has no visible worksheet",
            "Excel 工作簿中没有可见的工作表（工作表都已隐藏，或只有图表）。请在 Excel 中取消隐藏名册所在的工作表后再试。",
        )
    sheet, rows = chosen or first
    others = [other for other in sheets if other is not sheet]
    if others:
        rows.notices.insert(0, _other_sheets_notice(sheet, others, no_header if chosen else []))
    return rows


def _other_sheets_notice(read: _Sheet, others: list[_Sheet], no_header: list[_Sheet]) -> dict:
    def names(group: list[_Sheet]) -> str:
        listed = "".join(f"「{shown(s.name, 31)}」" for s in group[:5])
        return listed + (f"等 {len(group)} 个" if len(group) > 5 else "")

    hidden = [s for s in others if s.hidden]
    skipped = [s for s in others if s not in no_header and not s.hidden]
    parts = []
    if no_header:
        parts.append(f"工作表{names(no_header)}中没有可识别的列名，已跳过")
    if skipped:
        parts.append(f"工作表{names(skipped)}未处理")
    if hidden:
        parts.append(f"隐藏的工作表{names(hidden)}未处理")
    return {
        "message": f"workbook has {len(others) + 1} sheets; only {read.name[:31]!r} was read",
        "message_zh": f"工作簿共有 {len(others) + 1} 个工作表，本次只处理了「{shown(read.name, 31)}」；"
        + "；".join(parts)
        + "。如需处理其他工作表，请把它们分别另存为文件，或合并到一个工作表后再处理。",
    }


def _sheet_rows(
    archive: zipfile.ZipFile, path: str, shared: list[str], date_styles: set[int], date1904: bool
) -> Table:
    if _could_exceed(archive, path, len("<row/>"), limits.MAX_SHEET_ROWS):
        # First an upper bound, two counts instead of six (every "<row " is a "<row", every "<c "
        # a "<c"): a register is far below both limits and is done.  Only a sheet that may hold
        # too many rows or cells is counted exactly, in a second pass.
        bounds = [limits.MAX_SHEET_ROWS, limits.MAX_CELLS]  # each pass ends once one is over
        rows, cells = _count_tags(archive, path, [(b"<row",), (b"<c",)], bounds)
        if rows > limits.MAX_SHEET_ROWS or cells > limits.MAX_CELLS:
            rows, cells = _count_tags(
                archive, path, [(b"<row ", b"<row>", b"<row/"), (b"<c ", b"<c>", b"<c/")], bounds
            )
            if rows > limits.MAX_SHEET_ROWS:
                raise _too_many_rows()
            if cells > limits.MAX_CELLS:
                raise _too_many_cells()
    with _open_part(archive, path) as stream:
        return _rows(stream, shared, date_styles, date1904)


# A sheet's cells repeat a few values (党员类别, 是/否, dates) in every row; each cell's text is a
# new string as parsed.  Values up to this long are kept once and shared by every cell that
# holds them (an inline-string sheet of 100,000 rows: 612,000 cells, most of them repeats); the
# table of them is bounded and dropped after the sheet.
_SHARED_CHARS = 32
_SHARED_VALUES = 200_000
EMPTY_ROW: list[str] = []  # every blank row (shared: rows are never modified in place)
_REF = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7})")


class _Budget:
    """Cells and characters of cell text read from one sheet (a shared string counted at every
    cell that refers to it), refused past limits.MAX_CELLS and MAX_TEXT_CHARS."""

    def __init__(self, cells: int = 0, chars: int = 0) -> None:
        self.cells = cells
        self.chars = chars

    def cell(self) -> None:
        self.cells += 1
        if self.cells > limits.MAX_CELLS:
            raise _too_many_cells()

    def text(self, length: int) -> None:
        self.chars += length
        if self.chars > limits.MAX_TEXT_CHARS:
            raise _too_much_text()


def _too_much_text() -> XlsxError:
    return XlsxError(
        f"more than {limits.MAX_TEXT_CHARS} characters of cell text",
        f"Excel 工作表的文字总量超过 {limits.MAX_TEXT_CHARS // 1024 // 1024} M 个字（同一段文字被许多单元格引用时"
        "按每次引用计算），不像是名册。请检查文件，或按党组织拆分后再试。",
    )


_DIGITS = "0123456789"


def _rows(stream: IO[bytes], shared: list[str], date_styles: set[int], date1904: bool) -> Table:
    """The sheet's rows, streamed with every limit checked before the memory it guards is used.

    Depth 1 is <worksheet>, 2 <sheetData> (and <cols>, <mergeCells> ...), 3 <row> (and
    <mergeCell>), 4 <c>, 5+ a cell's <v>, <is>, <f>.  An element is dropped from its parent as
    soon as it ends, except inside a cell (read when the cell ends): so at most one cell's
    elements, bounded by MAX_CELL_ELEMENTS, are ever held, whatever the sheet holds.  Depth is
    refused past MAX_XML_DEPTH on start tags, as `_events` does.

    This loop runs once per element of the sheet (two million for 100,000 rows): what it uses
    is bound to local names, the commonest case is tested first, and a cell whose column letters
    were seen before costs one dictionary look-up.
    """
    rows = Table()
    append_row = rows.append
    open_at: list[ET.Element | None] = [None] * 4  # the open element at depths 1-3
    depth = 0
    kept = 0  # elements at depth 5+ held since the last depth-4 element ended
    cells = chars = 0  # as _Budget counts them
    max_cells, max_chars, max_kept, max_depth = (
        limits.MAX_CELLS,
        limits.MAX_TEXT_CHARS,
        MAX_CELL_ELEMENTS,
        limits.MAX_XML_DEPTH,
    )
    max_cell_chars, max_columns, excel_columns = (
        limits.MAX_CELL_CHARS,
        limits.MAX_COLUMNS,
        limits.EXCEL_MAX_COLUMNS,
    )
    cell_tags, row_tags, sheet_data_tags, merge_tags = _CELL, _ROW, _SHEET_DATA, _MERGE_CELL
    is_tags, t_tags, v_tags = _IS_TAGS, _T_TAGS, _V_TAGS
    columns_get = _COLUMNS.get
    cell_value = _cell_value
    in_sheet_data = False
    row_number = 0
    values: list[str] = []
    flags: dict[int, Flag] = {}
    merges: list[tuple[int, int, int, int]] = []
    next_col = 0
    repeated: dict[str, str] = {}  # short cell values seen, each kept once (bounded: _SHARED_VALUES)
    repeated_get = repeated.get
    for batch, error in _batches(stream):
        events = iter(batch)
        for event, element in events:
            if event == "end":
                depth -= 1
                if depth >= 4:  # inside a cell (or inside something else that deep)
                    kept += 1
                    if kept > max_kept:
                        raise _too_many("elements in one cell", MAX_CELL_ELEMENTS, "单个单元格内的元素")
                    continue
            else:
                depth += 1
                if depth > 4:  # inside a cell: read when the cell ends
                    if depth > max_depth:
                        _dismantle_tree(open_at[1], events)
                        raise error if error is not None else _too_deep()
                elif depth == 3:
                    open_at[3] = element
                    if in_sheet_data and element.tag in row_tags:
                        row_number = _row_number(element.get("r"), len(rows) + 1)
                        if row_number <= len(rows):
                            raise _row_out_of_order(row_number, len(rows))
                        values, flags, next_col = [], {}, 0
                elif depth < 3:
                    open_at[depth] = element
                    if depth == 2:
                        in_sheet_data = element.tag in sheet_data_tags
                # (a cell, at depth 4, is never a parent here: what it holds is read when it ends)
                continue
            parent = open_at[depth]
            if depth == 3 and in_sheet_data and element.tag in cell_tags:
                cells += 1
                if cells > max_cells:
                    raise _too_many_cells()
                ref = element.get("r")
                if ref:
                    col = columns_get(ref.rstrip(_DIGITS))
                    if col is None:
                        col = _cell_column(ref, row_number)
                else:
                    col = next_col
                if col >= excel_columns:
                    raise _bad_column(column_name(col) + str(row_number), row_number)
                next_col = col + 1
                # The two commonest cells read here, as _cell_value reads them: an inline string
                # (<is><t>text</t></is>, what most generators write) and a shared string's index
                # in range; every other cell goes through _cell_value.
                flag = None
                once = False  # the value is already one object per distinct text (a shared string)
                if len(element) == 1:
                    child = element[0]
                    tag = child.tag
                    if tag in is_tags:
                        if len(child) == 1 and child[0].tag in t_tags:
                            value = (child[0].text or "").strip()
                        else:
                            value = _text(child).strip()
                    elif tag in v_tags and element.get("t") == "s":
                        raw = child.text
                        if raw and raw.isdigit() and len(raw) < 12 and (index := int(raw)) < len(shared):
                            value = shared[index]
                            once = True
                        else:
                            value, flag = cell_value(element, shared, date_styles, date1904)
                    else:
                        value, flag = cell_value(element, shared, date_styles, date1904)
                else:
                    value, flag = cell_value(element, shared, date_styles, date1904)
                if value or flag:  # only a cell with a value pads its row (styled empty cells cost nothing)
                    if col >= max_columns:
                        raise _bad_column(ref or column_name(col) + str(row_number), row_number)
                    length = len(value)
                    if length > max_cell_chars:
                        flag = cut_flag(length, max_cell_chars)
                        value = value[:max_cell_chars]
                        length = max_cell_chars
                    chars += length
                    if chars > max_chars:
                        raise _too_much_text()
                    if length <= _SHARED_CHARS and not once:  # one object for a value the sheet repeats
                        seen = repeated_get(value)
                        if seen is not None:
                            value = seen
                        elif len(repeated) < _SHARED_VALUES:
                            repeated[value] = value
                    if flag is not None:
                        flags[col] = flag
                    width = len(values)
                    if col == width:
                        values.append(value)
                    elif col < width:
                        values[col] = value
                    else:
                        values.extend([""] * (col - width))
                        values.append(value)
            elif depth == 2 and in_sheet_data and element.tag in row_tags:
                if row_number > len(rows) + 1:  # rows Excel left out because they are empty
                    rows.extend([EMPTY_ROW] * (row_number - 1 - len(rows)))
                append_row(FlaggedRow(values, flags) if flags else values or EMPTY_ROW)
                values = []
            elif depth == 2 and element.tag in merge_tags:
                if len(merges) >= limits.MAX_MERGED_REGIONS:
                    raise _too_many("merged regions", limits.MAX_MERGED_REGIONS, "合并单元格区域")
                region = _region(element.get("ref") or "")
                if region is not None:
                    merges.append(region)
            kept = 0
            if parent is not None:
                del parent[:]
    if merges:
        _fill_merged(rows, merges, _Budget(cells, chars))
    return rows


def _dismantle_tree(root: ET.Element | None, events: Iterator[tuple[str, ET.Element]]) -> None:
    """`_dismantle` for a loop that keeps no list of its open elements: every element under the
    root (the open chain, and what the rest of the feed built) is cut from its children, one at
    a time, so none is freed by a recursion as deep as the chain."""
    pending = [root] if root is not None else []
    pending += [element for event, element in events if event == "start"]
    while pending:
        element = pending.pop()
        pending.extend(element)
        del element[:]


def _row_out_of_order(number: int, after: int) -> XlsxError:
    return XlsxError(
        f"row {number} after row {after}",
        f"Excel 工作表的第 {number} 行出现在第 {after} 行之后（行号重复或倒序），文件可能已损坏。"
        "请在 Excel 或 WPS 中重新保存后再试。",
    )


def _region(ref: str) -> tuple[int, int, int, int] | None:
    """'C2:D4' -> (1, 2, 3, 3): first row, first column, last row, last column, from 0; None for
    a reference that is not a range of cells within Excel's bounds."""
    match = _RANGE.fullmatch(ref)
    if not match:
        return None
    c1, c2 = _column_index(match.group(1)), _column_index(match.group(3))
    r1, r2 = int(match.group(2)) - 1, int(match.group(4)) - 1
    if not (0 <= r1 <= r2 < limits.MAX_SHEET_ROWS and 0 <= c1 <= c2 < limits.EXCEL_MAX_COLUMNS):
        return None
    return r1, c1, r2, c2


_RANGE = re.compile(r"([A-Za-z]{1,3})([0-9]{1,7}):([A-Za-z]{1,3})([0-9]{1,7})")


def _fill_merged(rows: Table, merges: list[tuple[int, int, int, int]], budget: _Budget) -> None:
    """A merged region shows its anchor's (top-left) value in every row it covers: the rows
    below the anchor get that value in the anchor's column; the other columns it covers are
    flagged (a fact is never read as blank from them).  Only existing rows and the first
    MAX_COLUMNS columns are touched; every filled or flagged cell counts as a cell read."""
    filled: list[str] = []
    for r1, c1, r2, c2 in merges:
        if r1 >= len(rows) or c1 >= limits.MAX_COLUMNS:
            continue
        anchor_row = rows[r1]
        anchor = anchor_row[c1] if c1 < len(anchor_row) else ""
        anchor_flag = getattr(anchor_row, "flags", {}).get(c1)
        if not anchor and anchor_flag is None:
            continue  # a blank merged cell reads as blank everywhere, as it shows
        where = f"{column_name(c1)}{r1 + 1}:{column_name(c2)}{r2 + 1}"
        covered = Flag(
            f"cell covered by merged region {where}",
            f"本格属于合并单元格 {where}，其内容只在 {column_name(c1)} 列，无法确定本列的值，本行未处理。"
            "请取消合并并填好各格后重新处理。",
        )
        changed = False
        for r in range(r1, min(r2, len(rows) - 1) + 1):
            row = rows[r]
            if not isinstance(row, FlaggedRow):
                row = rows[r] = FlaggedRow(row)
            for c in range(c1, min(c2, limits.MAX_COLUMNS - 1) + 1):
                if r == r1 and c == c1:
                    continue
                if c < len(row) and row[c]:
                    continue
                budget.cell()
                if len(row) <= c:
                    row.extend([""] * (c + 1 - len(row)))
                if c == c1:
                    row[c] = anchor
                    budget.text(len(anchor))
                    if anchor_flag is not None:
                        row.flags[c] = anchor_flag
                    changed = True
                else:
                    row.flags[c] = covered
        if changed:
            filled.append(where)
    if filled:
        rows.notices.append(
            {
                "message": f"{len(filled)} merged region(s) filled from their first cell: {', '.join(filled[:5])}",
                "message_zh": f"合并单元格 {'、'.join(filled[:5])}{f' 等 {len(filled)} 处' if len(filled) > 5 else ''}"
                "已按合并区域首格的值填入所覆盖的各行。",
            }
        )


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


NO_CACHED_VALUE = Flag(
    "formula without a saved value",
    "本格是公式，但文件中没有保存计算结果（常见于由其他软件生成的文件），无法读取其值，本行未处理。"
    "请在 Excel 或 WPS 中打开并保存后重新处理。",
)


def _cell_value(
    c: ET.Element, shared: list[str], date_styles: set[int], date1904: bool
) -> tuple[str, Flag | None]:
    """A cell's text, and a Flag when it cannot be read as it stands."""
    kind = c.get("t", "n")
    raw: str | None = None
    formula = False
    for child in c:
        if child.tag in _V_TAGS:
            raw = child.text or ""
            break
        if child.tag in _IS_TAGS:
            return _text(child).strip(), None
        if child.tag in _F_TAGS:
            formula = True
    if raw is None:  # a formula without <v>: its value was never saved (never read as blank)
        return "", NO_CACHED_VALUE if formula else None
    if raw == "":
        return "", None
    if kind == "s":  # an index into the shared strings: in range, never negative (shared[-1] exists)
        index = int(raw) if raw.strip().isdigit() and len(raw) < 12 else -1
        if not 0 <= index < len(shared):
            ref = (c.get("r") or "")[:20]
            raise XlsxError(
                f"cell {ref} refers to shared string {raw[:20]!r}; the table has {len(shared)}",
                f"Excel 工作表的单元格 {ref} 引用的文字（编号 {raw[:20]}）不存在，文件可能已损坏。"
                "请在 Excel 或 WPS 中重新保存后再试。",
            )
        return shared[index], None
    if kind == "b":  # 1/0 as Excel writes them; true/false as some other writers do
        flag = raw.strip().lower()
        if flag in ("1", "true"):
            return "是", None
        if flag in ("0", "false"):
            return "否", None
        return raw.strip(), None
    if kind in ("str", "e", "inlineStr"):
        return raw.strip(), None
    if kind == "d":  # ISO 8601 date cell (strict workbooks)
        return raw.strip()[:10], None
    style = c.get("s")
    if style is not None and style.isdigit() and int(style) in date_styles:
        try:
            return serial_to_date(float(raw), date1904).isoformat(), None
        except (ValueError, OverflowError):
            return raw, None
    return _format_number(raw), None
