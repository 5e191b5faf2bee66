"""Bytes to rows of strings: size checks, CSV encodings and delimiters, XLSX (through xlsx.py).

A file that cannot be read at all raises `RosterError` with an English `message` for developers
and a Chinese `message_zh` for users; nothing is allocated for a file over MAX_BYTES, and every
other bound (decision/limits.py) is checked by csv_rows.py and xlsx.py as they read.
"""

from __future__ import annotations

from typing import BinaryIO

from decision import limits
from decision.errors import RosterError
from decision.roster import xlsx
from decision.roster.csv_rows import read_rows

MAX_BYTES = limits.ROSTER_MAX_BYTES


def decode(data: bytes) -> tuple[str, str]:
    """Decode a CSV file's bytes; return (text, encoding name).  Raise RosterError if unreadable."""
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text, {
            "utf-8-sig": "UTF-8 (BOM)",
            "utf-8": "UTF-8",
            "gb18030": "GBK/GB18030",
            "utf-16": "UTF-16",
        }[encoding]
    raise RosterError(
        "cannot decode the file as UTF-8, UTF-8 with BOM, UTF-16 or GBK/GB18030",
        "无法识别文件的文字编码（支持 UTF-8、带 BOM 的 UTF-8、GBK/GB18030）。"
        "请在 Excel 中“另存为”“CSV UTF-8（逗号分隔）”或 .xlsx 后重新打开。",
    )


def read_table(data: bytes, filename: str | None = None) -> tuple[list[list[str]], str, str]:
    """Rows of strings from CSV or XLSX bytes; return (rows, format, encoding).

    Blank rows may be one shared list, and a CSV line whose quote never closed is a
    `csv_rows.BrokenRow`: rows are read-only."""
    if not data or not data.strip():
        raise RosterError("the file is empty", "文件是空的，没有任何内容。")
    if len(data) > MAX_BYTES:
        raise RosterError(f"file of {len(data)} bytes exceeds {MAX_BYTES}", too_big_message(len(data)))
    if xlsx.is_xlsx(data):
        try:
            return xlsx.read_xlsx(data), "xlsx", "XLSX"
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
    first_line = text.split("\n", 1)[0]
    delimiter = ","
    if first_line.count("\t") > first_line.count(",") and first_line.count("\t") > 0:
        delimiter = "\t"
    elif first_line.count(";") > first_line.count(",") and first_line.count(";") > 0:
        delimiter = ";"
    elif first_line.count("，") > 0 and first_line.count(",") == 0:
        delimiter = "，"
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
