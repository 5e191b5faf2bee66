"""Roster (名册) mode: decide every row of a register, and review past dispositions (回头看).

Standard library only: the same package runs in the command line (`python -m decision batch`)
and in the browser under Pyodide (the roster page's worker calls `process_json`).

Pipeline, one pass, nothing written anywhere; one module per step:

    bytes --decode.read_table--> rows of strings (CSV in UTF-8 / UTF-8 BOM / GBK-GB18030 / UTF-16,
                                 or XLSX through xlsx.py)
          --headers.map_headers--> each column is a fact key, the past disposition, or kept as is
          --headers.convert--> facts (是/否, option labels, dates such as 2023/2/1 or 2023年2月1日)
          --evaluate.process_rows--> per row: disposition, next deadline, next missing fact
          --review.review_row / cross_tab--> 回头看 flag per row, and past -> now counts
          --report--> results CSV, template, summary; worker.py and cli.py are the two callers

The lookup tables (tables.py, from rules/roster_headers.yaml) are checked when first used: one
header or cell value with two meanings raises ValueError, so an ambiguous table fails the build.
This module re-exports the names callers use, so they write `roster.process(...)`.
"""

from decision.roster.decode import MAX_BYTES, TOO_BIG_ZH, RosterError, decode, read_table, too_big_message
from decision.roster.evaluate import (
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    Progress,
    next_deadline,
    process,
    process_rows,
)
from decision.roster.headers import (
    CellError,
    column_letter,
    convert,
    header_label,
    label_for,
    map_headers,
    parse_date,
    parse_past,
)
from decision.roster.report import (
    ACTION_WINDOW_DAYS,
    RESULT_HEADERS,
    STATUS_LABELS,
    cite_labels,
    results_csv,
    results_csv_pieces,
    summary_lines,
    template_csv,
)
from decision.roster.review import REVIEW_LABELS, cross_tab, review_row
from decision.roster.tables import PAST_KEY, config, normalise, normalise_value, paragraph_labels
from decision.roster.worker import export_next, export_start, last_results_csv, page_json, process_json

__all__ = [
    "ACTION_WINDOW_DAYS",
    "HEADER_SEARCH_ROWS",
    "MAX_BYTES",
    "MAX_ROWS",
    "PAST_KEY",
    "RESULT_HEADERS",
    "REVIEW_LABELS",
    "STATUS_LABELS",
    "TOO_BIG_ZH",
    "CellError",
    "Progress",
    "RosterError",
    "cite_labels",
    "column_letter",
    "config",
    "convert",
    "cross_tab",
    "decode",
    "export_next",
    "export_start",
    "header_label",
    "label_for",
    "last_results_csv",
    "map_headers",
    "next_deadline",
    "normalise",
    "normalise_value",
    "page_json",
    "paragraph_labels",
    "parse_date",
    "parse_past",
    "process",
    "process_json",
    "process_rows",
    "read_table",
    "results_csv",
    "results_csv_pieces",
    "review_row",
    "summary_lines",
    "template_csv",
    "too_big_message",
]
