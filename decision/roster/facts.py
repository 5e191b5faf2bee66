"""Register-only fact keys, and a row's facts made concrete for the engine.

Registers give facts the engine does not take as they are: the date contact was restored (取得联系时间,
which with the last contact gives the months out of contact), 党籍状态, the date a past disposition
was made, and month-only dates.  Both the row evaluation (evaluate.py) and 回头看 (review.py) turn
them into engine facts the same way, here.
"""

from __future__ import annotations

import datetime as _dt

from decision import dates as _dates
from decision.dates import Month

# Keys of register columns that are not engine facts (roster_headers.yaml `columns`).
RESTORED, STATUS, DISPOSITION_DATE = "restored_on", "membership_status", "disposition_date"


def concrete(facts: dict, late: frozenset | set = frozenset()) -> dict:
    """The facts with each month-only date on a day (the first of its month, the last for the
    keys in `late`), the register-only keys dropped, and the months out of contact derived from
    取得联系时间 when they are not given."""
    out = {}
    for key, value in facts.items():
        if type(value) is Month:
            value = (value.last() if key in late else value.first()).isoformat()
        out[key] = value
    restored = out.pop(RESTORED, None)
    if (
        restored is not None
        and out.get("contact") == "restored"
        and "months_out_of_contact" not in out
        and "last_contact" in out
        and restored >= out["last_contact"]
    ):
        out["months_out_of_contact"] = _dates.full_months_between(
            _dt.date.fromisoformat(out["last_contact"]), _dt.date.fromisoformat(restored)
        )
    return out
