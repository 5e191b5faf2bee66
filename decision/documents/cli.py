"""`python -m decision documents CASE.json --out DIR` and `python -m decision record CASE.json`.

documents: decides the case in the file (the wizard's export, or a bare facts object), reads its
纪实 record, and writes every draft the outcome's procedure needs as DIR/NN-名称.docx; prints the
files written.  record: checks the file's 纪实 record and prints it as JSON.  Exit 2 with one
line for a file that is not a case, an invalid case, an invalid record, or an incomplete case.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from decision import case_file, cli
from decision.documents import docx_bytes, drafts, read_record
from decision.documents import record as record_mod


def load(path: str) -> tuple[dict, dict]:
    """(outcome, record) of a case file; raises CaseFileError or InvalidCase."""
    from decision.engine import decide, questions

    stdin: Any = getattr(sys.stdin, "buffer", sys.stdin)
    document = case_file.parse(cli.read_input(path, stdin))
    facts = case_file.facts_of(document, [q["key"] for q in questions()])
    raw = (
        document.get("record")
        if isinstance(document, dict) and document.get("format") == case_file.EXPORT_FORMAT
        else None
    )
    record = read_record(raw)
    return decide(facts), record


def _load_or_fail(path: str) -> tuple[dict, dict] | int:
    """The case's outcome and record, or the exit status after the one-line message."""
    from decision.validate import InvalidCase

    try:
        return load(path)
    except case_file.CaseFileError as exc:
        return cli.fail(exc.message, exc.message_zh)
    except InvalidCase as exc:
        return cli.fail(f"invalid case: {exc.message}", exc.message_zh)


def cmd_documents(args: argparse.Namespace) -> int:
    loaded = _load_or_fail(args.file)
    if isinstance(loaded, int):
        return loaded
    outcome, record = loaded
    if outcome["status"] != "complete":
        return cli.fail(
            f"the case is incomplete (next question: {outcome.get('next_question')})",
            "案情尚未答完，还不能确定处置方式，无法生成文书",
        )
    stale = record_mod.unknown_steps(record, outcome)
    if stale:  # named, not dropped in silence; the drafts do not use step records
        sys.stderr.write(
            cli.one_line(
                f"warning: record names steps the procedure does not have: {', '.join(s[:40] for s in stale[:3])}"
                " | 纪实记录中有本案办理程序没有的步骤（案情可能已改变），文书照常生成，请在向导中核对纪实记录"
            )
            + "\n"
        )
    try:
        os.makedirs(args.out, exist_ok=True)
        written = []
        for draft in drafts(outcome, record):
            path = os.path.join(args.out, f"{draft['file']}.docx")
            with open(path, "wb") as handle:
                handle.write(
                    docx_bytes(draft, created=(outcome.get("facts") or {}).get("as_of") or "2017-02-03")
                )
            written.append(path)
    except OSError as exc:
        return cli.fail(f"cannot write to {args.out}: {exc.strerror or exc}", f"无法写入目录 {args.out}")
    for path in written:
        sys.stdout.write(path + "\n")
    return cli.EXIT_OK


def cmd_record(args: argparse.Namespace) -> int:
    loaded = _load_or_fail(args.file)
    if isinstance(loaded, int):
        return loaded
    outcome, record = loaded
    stale = record_mod.unknown_steps(record, outcome)
    cli.write_json({"record": record, "unknown_steps": stale, "disposition": outcome.get("disposition")})
    return (
        cli.EXIT_OK
        if not stale
        else cli.fail(
            f"record names steps the procedure does not have: {', '.join(stale[:3])}",
            "纪实记录中有本案办理程序没有的步骤（案情可能已改变）",
        )
    )


def register(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "documents",
        help="write the document drafts of a case as .docx files",
        description="Decide the case in FILE and write every draft its procedure needs into DIR as .docx.",
    )
    p.add_argument(
        "file", metavar="FILE", help="a case exported by the wizard (with its 纪实 record), or a facts object"
    )
    p.add_argument("--out", required=True, metavar="DIR", help="directory to write the .docx files into")
    p.set_defaults(func=cmd_documents)
    r = subparsers.add_parser(
        "record",
        help="check the 纪实 record of a case file and print it",
        description="Read FILE, check its 纪实 record and print it as JSON; exit 2 if it is invalid.",
    )
    r.add_argument("file", metavar="FILE", help="a case exported by the wizard")
    r.set_defaults(func=cmd_record)
