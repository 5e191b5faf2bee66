"""Paper for one case: the checklist model, the 纪实 record, the document drafts and their .docx
files.  Standard library only: the same code runs in the wizard's Pyodide worker (through
decision/wizard_bridge.py) and in `python -m decision documents CASE.json --out DIR`.

See decision/README.md, "Paper and document drafts", for the choices made.
"""

from decision.documents.docx import docx_bytes
from decision.documents.drafts import blank_drafts, drafts, zh_date
from decision.documents.paper import checklist
from decision.documents.record import read as read_record

__all__ = ["blank_drafts", "checklist", "docx_bytes", "drafts", "read_record", "zh_date"]
