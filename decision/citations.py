"""Citations as users read them (第三部分第3项（1）), from the compiled rules' paragraph labels.

One formatter for every place that prints a citation on paper or in a document: the checklist
model, the document drafts (decision/documents) and whoever else needs it.  Standard library only.
"""

from __future__ import annotations

from decision import engine


def label(pid: str) -> str:
    """第三部分第3项（1） for p-3-3-1; the id itself only if the rules do not know it."""
    return str(engine.rules().get("paragraph_labels", {}).get(pid, pid))


def labels(pids: list[str] | tuple[str, ...]) -> str:
    """Several citations, in the order given, without repeats: 第二部分第1项、第三部分第3项（1）."""
    seen: list[str] = []
    for pid in pids or []:
        text = label(pid)
        if text not in seen:
            seen.append(text)
    return "、".join(seen)


def basis(pids: list[str] | tuple[str, ...]) -> str:
    """《通知》第二部分第1项、… : the notice named once, then its paragraphs."""
    text = labels(pids)
    return f"《通知》{text}" if text else "《通知》"
