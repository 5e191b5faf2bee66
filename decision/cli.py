"""Command line: `python -m decision decide [FILE]` (and subcommands registered by other modules).

Exit statuses: 0 for a complete or incomplete outcome; 2 for invalid input (one line on standard
error, never a traceback); 1 if the engine itself cannot run (e.g. rules.json not compiled).

Adding a subcommand: write a module with `register(subparsers)` that adds its parser and calls
`parser.set_defaults(func=handler)`, where `handler(args) -> int` returns the exit status, and
list the module in SUBCOMMAND_MODULES.  A module that is missing or has no `register` is skipped.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from typing import Any, BinaryIO, NoReturn

from . import case_file, limits
from .case_file import CaseFileError

SUBCOMMAND_MODULES = ["decision.roster.cli", "decision.documents.cli"]

EXIT_OK, EXIT_ENGINE, EXIT_INVALID = 0, 1, 2


# Input that is not a case at all (unreadable, empty, not JSON, too big, unknown keys).
InputError = CaseFileError


# Control characters (a terminal's escape sequences start with ESC or the C1 CSI) and the
# bidirectional overrides that reorder what a terminal shows: never printed from a user's file.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    return " ".join(str(text).split())


def terminal_safe(text: str) -> str:
    """Text as a terminal may print it: each control or bidi character shown as U+FFFD."""
    return _UNPRINTABLE.sub("\ufffd", str(text))


def fail(message: str, message_zh: str = "", status: int = EXIT_INVALID) -> int:
    line = f"error: {message}" + (f" | {message_zh}" if message_zh else "")
    try:
        sys.stderr.write(terminal_safe(one_line(line)) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return status


def parse_case(data: bytes) -> Any:
    """Decode one JSON case from bytes; raise InputError with a clear message."""
    return case_file.parse(data)


def read_input(path: str | None, stdin: BinaryIO) -> bytes:
    # One byte more than a case file may have: enough to refuse it, however long the input is.
    if path is None or path == "-":
        return stdin.read(limits.CASE_MAX_BYTES + 1)
    try:
        with open(path, "rb") as handle:
            return handle.read(limits.CASE_MAX_BYTES + 1)
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc.strerror or exc}", f"无法读取文件 {path}") from None


class OutputError(OSError):
    """Standard output took less than all of the results (a full disk, a closed file)."""


def write_out(data: bytes) -> None:
    """All of `data` to standard output, or OutputError: written in 1 MiB pieces, each write's
    count checked (a single write of more than 2 GiB is cut short by the kernel)."""
    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    if out is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    sys.stdout.flush()
    view = memoryview(data)
    step = 1 << 20
    for start in range(0, len(view), step):
        piece = view[start : start + step]
        written = out.write(piece)
        if written is not None and written != len(piece):
            raise OutputError(f"wrote {start + written} of {len(view)} bytes")
    out.flush()


def write_failed(exc: OSError) -> int:
    return fail(
        f"cannot write the output: {exc.strerror or exc}",
        "结果未能完整写出（磁盘已满或输出已关闭），请检查后重试。",
        EXIT_ENGINE,
    )


def write_json(obj: Any, compact: bool = False) -> None:
    text = json.dumps(
        obj, ensure_ascii=False, indent=None if compact else 2, separators=(",", ":") if compact else None
    )
    write_out((text + "\n").encode("utf-8"))


def cmd_decide(args: argparse.Namespace) -> int:
    from .engine import decide, questions
    from .validate import InvalidCase

    try:
        stdin: Any = getattr(sys.stdin, "buffer", sys.stdin)
        facts = case_file.read_case(read_input(args.file, stdin), [q["key"] for q in questions()])
        outcome = decide(facts)
    except InputError as exc:
        return fail(exc.message, exc.message_zh)
    except InvalidCase as exc:
        return fail(f"invalid case: {exc.message}", exc.message_zh)
    except RuntimeError as exc:
        return fail(str(exc), status=EXIT_ENGINE)
    try:
        write_json(outcome, compact=args.compact)
    except BrokenPipeError:
        raise
    except OSError as exc:
        return write_failed(exc)
    return EXIT_OK


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "decide",
        help="decide one case (JSON object) from FILE or standard input",
        description="Print the outcome of one case as JSON. Exit 0 for complete "
        "and incomplete outcomes, 2 for invalid input.",
    )
    p.add_argument(
        "file",
        nargs="?",
        metavar="FILE",
        help="JSON file with the case facts, or a case exported by the wizard (default: stdin)",
    )
    p.add_argument("--compact", action="store_true", help="print the outcome on one line")
    p.set_defaults(func=cmd_decide)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one line, exit 2, no usage dump
        raise SystemExit(fail(f"{self.prog}: {message}", "命令行参数有误"))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m decision",
        description="Decision engine for the notice on Party members who lost contact.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    register(subparsers)
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        if callable(getattr(module, "register", None)):
            module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_usage(sys.stderr)
        return fail("no command given (try: python -m decision decide FILE)", "未指定命令")
    try:
        return int(args.func(args))
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:
        return 130
    except (Exception, MemoryError) as exc:  # noqa: BLE001 - one line, never a traceback
        return fail(
            f"internal error: {type(exc).__name__}: {str(exc)[:200]}",
            "程序内部错误，未能完成。请把输入文件另存后重试，或告知维护人员。",
            EXIT_ENGINE,
        )
