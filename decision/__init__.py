"""Decision engine for the notice on Party members who lost contact (standard library only).

Public API (see decision/README.md and decision/CONTRACT.md):
decide, InvalidCase, question, questions, vocabulary, rules_digest, rules.
"""

from .engine import decide, question, questions, rules, rules_digest, vocabulary
from .validate import InvalidCase

__all__ = ["InvalidCase", "decide", "question", "questions", "rules", "rules_digest", "vocabulary"]
