"""The engine's one error type for input a person gave: English for developers, Chinese for users.

Every refusal of user input (a case's facts, a case file, a roster file, a roster cell, an XLSX
workbook) is a `BilingualError`: `message` (English, also the exception's text) and `message_zh`
(one plain Chinese sentence for the page or the CLI).  The subclasses keep the names the contract
and the callers use (`InvalidCase`, `CaseFileError`, `RosterError`, `CellError`, `XlsxError`); those
that were `ValueError`s stay `ValueError`s.
"""

from __future__ import annotations


class BilingualError(Exception):
    """Refused input.  `message` English, `message_zh` Chinese."""

    def __init__(self, message: str, message_zh: str):
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh


class RosterError(BilingualError, ValueError):
    """A roster file as a whole cannot be processed (raised by roster/decode.py and roster/csv_rows.py)."""
