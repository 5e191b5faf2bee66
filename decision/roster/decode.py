"""Bytes to rows of strings: size checks, CSV encodings and delimiters, XLSX (through xlsx.py).

A file that cannot be read at all raises `RosterError` with an English `message` for developers
and a Chinese `message_zh` for users; nothing is allocated for a file over MAX_BYTES, and every
other bound (decision/limits.py) is checked by csv_rows.py and xlsx.py as they read.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from decision import limits
from decision.errors import RosterError
from decision.roster import xlsx
from decision.roster.csv_rows import read_rows

MAX_BYTES = limits.ROSTER_MAX_BYTES


ENCODING_NAMES = {"utf-8-sig": "UTF-8 (BOM)", "utf-8": "UTF-8", "gb18030": "GBK/GB18030", "utf-16": "UTF-16"}


def decode(data: bytes) -> tuple[str, str]:
    """Decode a CSV file's bytes; return (text, encoding name).  Raise RosterError if unreadable,
    naming the line of the first byte that no encoding reads, or of the first NUL."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    failures: list[tuple[str, int]] = []  # (encoding, offset of the first byte it cannot read)
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            failures.append((encoding, exc.start))
            continue
        nul = text.find("\x00")
        if nul != -1:
            line = text.count("\n", 0, nul) + 1
            raise RosterError(
                f"NUL character on line {line}",
                f"文件第 {line} 行含有空字符（NUL），不是正常的文本表格，文件可能已损坏或不是 CSV。"
                "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或 .xlsx 后再试。",
            )
        return text, ENCODING_NAMES[encoding]
    # Name the line where the file's own encoding stopped: UTF-8 if it read any non-ASCII text
    # before failing (GB18030 reads most UTF-8 bytes as other characters), else the one that
    # read furthest.
    encoding, offset = max(failures, key=lambda failure: failure[1])
    if failures[0][0] == "utf-8" and max(data[: failures[0][1]], default=0) >= 0x80:
        encoding, offset = failures[0]
    unit = b"\n\x00" if encoding == "utf-16" and data.startswith(b"\xff\xfe") else b"\n"
    line = data.count(unit, 0, offset) + 1
    if line == 1:  # nothing read at all: the encoding itself is not one of ours
        raise RosterError(
            "cannot decode the file as UTF-8, UTF-8 with BOM, UTF-16 or GBK/GB18030",
            "无法识别文件的文字编码（支持 UTF-8、带 BOM 的 UTF-8、UTF-16、GBK/GB18030）。"
            "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或 .xlsx 后重新打开。",
        )
    raise RosterError(
        f"cannot decode line {line} (byte {offset}) as {ENCODING_NAMES[encoding]}",
        f"文件第 {line} 行有无法识别的文字（按 {ENCODING_NAMES[encoding]} 编码读取，前面各行都能读出）。"
        "支持的编码为 UTF-8、带 BOM 的 UTF-8、UTF-16、GBK/GB18030。请检查该行，或在 Excel 中"
        "“另存为”“CSV UTF-8（逗号分隔）”或 .xlsx 后重新打开。",
    )


DELIMITERS = [",", "\t", ";", "，"]  # in order of preference when the lines are no help
DELIMITER_LINES = 20  # non-blank lines looked at


DELIMITER_SAMPLE = 1 << 20  # characters looked at: 19 M blank lines cost nothing


def guess_delimiter(text: str) -> str:
    """The delimiter that splits most of the first DELIMITER_LINES non-blank lines of the text's
    first DELIMITER_SAMPLE characters (a title row such as “XX党委，失联党员名册” above a
    comma-separated header must not decide it)."""
    lines = [line for line in text[:DELIMITER_SAMPLE].splitlines() if line.strip()][:DELIMITER_LINES]
    best, best_score = ",", (0, 0, 0)
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        # lines split, then the cells of the most common count (a title has one "，")
        used = [n for n in counts if n]
        score = (len(used), max((used.count(n) for n in set(used)), default=0), sum(used))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def read_table(
    data: bytes, filename: str | None = None, accept: Callable[[list], bool] | None = None
) -> tuple[list[list[str]], str, str]:
    """Rows of strings from CSV or XLSX bytes; return (rows, format, encoding).

    Blank rows may be one shared list, a CSV line whose quote never closed is a
    `csv_rows.BrokenRow`, a row with a cell not read as it stands a `cells.FlaggedRow`: rows
    are read-only.  `accept` picks the worksheet of a workbook (the first visible one whose rows
    it accepts); the rows' `notices` (cells.Table) then name the sheets not read."""
    if not data or not data.strip():
        raise RosterError("the file is empty", "文件是空的，没有任何内容。")
    if len(data) > MAX_BYTES:
        raise RosterError(f"file of {len(data)} bytes exceeds {MAX_BYTES}", too_big_message(len(data)))
    if xlsx.is_xlsx(data):
        try:
            return xlsx.read_xlsx(data, accept), "xlsx", "XLSX"
        except xlsx.XlsxError as exc:
            raise RosterError(exc.message, exc.message_zh) from exc
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterError(
            "legacy .xls (OLE2) files are not supported",
            "暂不支持旧版 Excel（.xls）文件。请在 Excel 中“另存为” .xlsx 或“CSV UTF-8（逗号分隔）”后重新打开。",
        )
    if data.startswith((b"%PDF", b"PK")):
        raise RosterError("not a CSV or XLSX file", "文件不是 CSV 或 Excel（.xlsx）表格。")
    text, encoding = decode(data)
    delimiter = guess_delimiter(text)
    return read_rows(text, delimiter), "csv", encoding


# {size} is filled in with the size in MB (one decimal); the page fills it in the same way,
# from this template, without reading the file.
TOO_BIG_ZH = (
    "文件过大（{size} MB），超过 "
    + str(MAX_BYTES // 1024 // 1024)
    + " MB 的上限。请按党组织拆分为几个文件分别处理。"
)


def too_big_message(size: int) -> str:
    return TOO_BIG_ZH.replace("{size}", f"{size / 1024 / 1024:.1f}")


def read_bounded(stream: BinaryIO) -> bytes:
    """At most MAX_BYTES + 1 bytes of a stream: a device or a pipe that never ends (/dev/zero,
    whose size is 0) is cut off and then refused like any file over the limit."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise RosterError(
            f"input exceeds {MAX_BYTES} bytes",
            TOO_BIG_ZH.replace("（{size} MB）", "").replace("{size}", ""),
        )
    return data
