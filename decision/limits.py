"""Every bound on user input, in one place.  Standard library only (imported under Pyodide).

A roster or a case file is hostile until bounded: each limit here is checked *before* the
memory it guards is allocated (a declared zip part size before inflating it, a column index
before padding a row to it, a byte count before reading further).  A refusal is one Chinese
message for users and one English line for developers; the messages live beside the code
that checks (decision/roster/xlsx.py, decision/roster/decode.py and csv_rows.py, decision/case_file.py).

The figures leave a wide margin above what a real register needs and stay far below what
costs seconds or hundreds of MB (benchmarks/hostile_roster.py measures both sides).
"""

from __future__ import annotations

# --------------------------------------------------------------------------- roster files

# Whole file, CSV or XLSX, as read from disk, standard input or the page's file picker.
# A 10,000-row register is 1-2 MB; 100,000 rows are about 12 MB of CSV.
ROSTER_MAX_BYTES = 20 * 1024 * 1024

# Data rows decided per file (a larger register is split by Party organisation).
ROSTER_MAX_ROWS = 100_000

# Physical rows a sheet or CSV file may number, blank ones included.  Excel's own limit: a
# workbook Excel wrote never names a row beyond it (`<row r="2000000000">` is refused at once),
# and Excel may write formatted blank rows down to it, which cost one shared empty list each.
MAX_SHEET_ROWS = 1_048_576

# Columns a row may have (a register has about 30).  A cell with a value beyond it is refused
# before the row is padded to it; an XLSX cell reference past Excel's last column (XFD) too.
MAX_COLUMNS = 1_000
EXCEL_MAX_COLUMNS = 16_384

# Cells in the whole sheet or CSV file, empty ones included (100,000 rows x 30 columns = 3 M).
MAX_CELLS = 4_000_000

# Uncompressed bytes of one XLSX part (sheet, shared strings, styles, workbook), as declared in
# the zip directory and enforced while inflating (zipfile stops at the declared size and then
# fails the CRC check).  A 100,000-row sheet is about 60 MB of XML.
MAX_PART_BYTES = 96 * 1024 * 1024

# Entries of the shared-string table (a 100,000-row register uses about 200,000).
MAX_SHARED_STRINGS = 1_000_000

# Characters of one cell, CSV or XLSX: Excel's own limit, so a register never reaches it.  A
# longer cell is cut to it and its row reported (a fact is never read from a cut cell).
MAX_CELL_CHARS = 32_767

# Characters of cell text in one sheet, counting a shared string every time a cell refers to
# it (a 1 MB string referred to by 3,000 cells is 3 G characters of output): a 100,000-row
# register of 30 columns holds about 20 M.
MAX_TEXT_CHARS = 32 * 1024 * 1024

# Rows whose quotes do not close (a name typed as `"张三`): each one is reported and the file
# re-read from the next line; past this many the file is refused as not really CSV.
MAX_BROKEN_QUOTE_ROWS = 100

# --------------------------------------------------------------------------- case files

# Nesting depth of a case's JSON (an exported case is 3 deep): checked before parsing, since a
# 20 KB file nested 10,000 deep overflows the browser's WebAssembly stack in json.loads.
CASE_MAX_DEPTH = 20

# One case as JSON (the wizard's 导入案情 and `python -m decision decide`): an exported case
# is under 2 KB.
CASE_MAX_BYTES = 100_000

# Keys of one case object (the contract has about 25 facts).  Unknown keys are refused all at
# once, before the engine runs, so thousands of them cost nothing.
CASE_MAX_KEYS = 100

# --------------------------------------------------------------------------- XLSX structure

# Elements held at once inside one cell or one shared string (rich text runs with their fonts:
# a few dozen in practice).  The reader drops every other element as soon as it ends.
MAX_CELL_ELEMENTS = 10_000

# Elements of the workbook directory and its relationships (one per sheet, name, view ...).
MAX_SMALL_PART_ELEMENTS = 100_000

# Nesting depth of any XLSX part, counted as elements open (a cell with rich text is about 6
# deep): checked on each start tag, so 14 M nested elements are refused at the 65th.
MAX_XML_DEPTH = 64

# Bytes of an XLSX part fed to the parser without one tag completing: one tag name, attribute
# value, comment or text node that long (an Excel cell's 32,767 characters are at most about
# 200 KB).  Older expat versions (before 2.6) rescan an unfinished token on every chunk fed, so
# an unbounded 95 MB attribute costs minutes.
MAX_TOKEN_BYTES = 8 * 1024 * 1024

# Merged regions of one worksheet (mergeCells); each region is filled from its anchor cell.
MAX_MERGED_REGIONS = 100_000

# Elements of the style sheet (Excel itself stops at 64,000 cell formats).
MAX_STYLE_ELEMENTS = 500_000
