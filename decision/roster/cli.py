"""`python -m decision batch ROSTER`: the command line's roster mode.

Hooked in by decision/cli.py's SUBCOMMAND_MODULES.  Prints the results CSV (the same file the
page exports) or, with --json, the full result; the summary goes to standard error in Chinese.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from decision.roster.decode import MAX_BYTES, RosterError, read_bounded, too_big_message
from decision.roster.evaluate import process
from decision.roster.headers import CellError, parse_date
from decision.roster.mapping import MAX_BYTES as MAPPING_MAX
from decision.roster.mapping import load as load_mapping
from decision.roster.report import results_csv_pieces, summary_lines
from decision.roster.tables import paragraph_labels


def register(subparsers: Any) -> None:
    """`python -m decision batch ROSTER` (hooked in by decision/cli.py's SUBCOMMAND_MODULES)."""
    p = subparsers.add_parser(
        "batch",
        help="decide every row of a roster (CSV or XLSX); print the results as CSV",
        description="Decide every row of a roster (CSV in UTF-8/UTF-8 BOM/GBK/UTF-16, or XLSX) and print "
        "the results as CSV with a UTF-8 BOM (the same file the roster page exports). A summary in Chinese "
        "goes to standard error. Exit 0 when the file was processed (bad rows are reported in it), 2 when "
        "the file cannot be used at all.",
    )
    p.add_argument("file", metavar="ROSTER", help="roster file, or - for standard input")
    p.add_argument(
        "--as-of", metavar="YYYY-MM-DD", help="assessment date for rows without one (default: today)"
    )
    p.add_argument(
        "--columns",
        metavar="FILE",
        help="column mapping saved by the roster page (列名对照): unrecognised headers and values -> facts",
    )
    p.add_argument("--json", action="store_true", help="print the full result as JSON instead of CSV")
    p.add_argument("--quiet", action="store_true", help="no summary on standard error")
    p.set_defaults(func=cmd_batch)


def cmd_batch(args: Any) -> int:
    import os
    import sys

    from decision.cli import EXIT_INVALID, EXIT_OK, fail, terminal_safe, write_failed, write_out

    as_of = None
    if args.as_of:
        try:
            as_of = str(parse_date(args.as_of))  # a day: a month-only date raises CellError
        except CellError as exc:
            return fail(f"--as-of: {exc.message}", exc.message_zh)
    mapping = None
    if args.columns:
        try:
            with open(args.columns, "rb") as handle:
                mapping = load_mapping(handle.read(MAPPING_MAX + 1))
        except OSError as exc:
            return fail(
                f"cannot read {args.columns}: {exc.strerror or exc}",
                f"无法读取文件 {args.columns}",
                EXIT_INVALID,
            )
        except RosterError as exc:
            return fail(exc.message, exc.message_zh, EXIT_INVALID)
    try:
        if args.file == "-":
            data = read_bounded(sys.stdin.buffer)
            name = "stdin"
        else:
            size = os.path.getsize(args.file)
            if size > MAX_BYTES:
                return fail(f"file of {size} bytes exceeds {MAX_BYTES}", too_big_message(size), EXIT_INVALID)
            with open(args.file, "rb") as handle:  # bounded: /dev/zero has size 0
                data = read_bounded(handle)
            name = os.path.basename(args.file)
        result = process(data, name, as_of=as_of, labels=paragraph_labels(), mapping=mapping)
    except OSError as exc:
        return fail(f"cannot read {args.file}: {exc.strerror or exc}", f"无法读取文件 {args.file}")
    except RosterError as exc:
        return fail(exc.message, exc.message_zh, EXIT_INVALID)
    pieces: Iterable[bytes]
    if args.json:
        for row in result["rows"]:
            row.pop("cells", None)
        pieces = [(json.dumps(result, ensure_ascii=False, indent=1) + "\n").encode("utf-8")]
    else:
        pieces = results_csv_pieces(result)  # the CSV in pieces: never one whole string
    try:
        for piece in pieces:
            write_out(piece)
    except BrokenPipeError:
        raise
    except OSError as exc:
        return write_failed(exc)
    if not args.quiet:
        lines = list(summary_lines(result))
        shown = lines[:40]
        if len(lines) > len(shown):
            shown.append(f"……另有 {len(lines) - len(shown)} 条提示，见结果文件的“错误”列。")
        sys.stderr.write("\n".join(terminal_safe(line) for line in shown) + "\n")
    return EXIT_OK
