"""The paragraph ids of decision/CONTRACT.md §1, written out independently of the parser."""

SPEC_IDS = (
    ["p-title", "p-addressee", "p-intro"]
    + [f"p-1-{i}" for i in range(5)]
    + [f"p-2-{i}" for i in range(5)]
    + ["p-3-0", "p-3-1", "p-3-2"]
    + [f"p-3-2-{i}" for i in range(1, 5)]
    + ["p-3-3"]
    + [f"p-3-3-{i}" for i in range(1, 6)]
    + ["p-3-withdrawal", "p-3-appeal", "p-4-0", "p-4-1", "p-4-1-abroad", "p-4-1-settled", "p-4-2"]
    + [f"p-5-{i}" for i in range(5)]
    + ["p-signature"]
)
