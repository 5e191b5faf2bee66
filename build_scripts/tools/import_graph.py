"""Draw the import graph of build_scripts/ and decision/ and check the layering.

    python -m build_scripts.tools.import_graph          (prints the floors and every arrow)

Every import counts, at module level or inside a function.  The rules (tests/test_import_graph.py
runs them):
- build_scripts/ has three floors: the top (build.py, registry.py, tools/, portable/dist.py: the
  commands), the generators and post-processors (pages/, the rest of portable/), the shared leaves
  (plumbing/).  An import goes down a floor, or stays in its own folder; commands may use commands.
- no module imports a private name (`_x`) of another module;
- decision/ (the runtime) imports nothing from build_scripts/ and has no circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("build_scripts", "decision")
TOP, GENERATORS, LEAVES = 3, 2, 1
FLOOR_NAMES = {TOP: "top (commands)", GENERATORS: "generators and post-processing", LEAVES: "shared leaves"}


def floor(module: str) -> int | None:
    """The floor of a build_scripts module (None outside build_scripts or for its __init__)."""
    parts = module.split(".")
    if parts[0] != "build_scripts" or len(parts) == 1:
        return None
    if parts[1] in ("build", "registry", "tools") or module == "build_scripts.portable.dist":
        return TOP
    if parts[1] in ("pages", "portable"):
        return GENERATORS
    if parts[1] == "plumbing":
        return LEAVES
    return None


def package_of(module: str, is_package: bool) -> str:
    return module if is_package else module.rpartition(".")[0]


def read_sources(root: Path = ROOT) -> dict[str, tuple[str, bool]]:
    """Module name -> (source text, is a package's __init__)."""
    sources: dict[str, tuple[str, bool]] = {}
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" in path.parts:
                continue
            parts = list(path.relative_to(root).with_suffix("").parts)
            is_package = parts[-1] == "__init__"
            if is_package:
                parts.pop()
            sources[".".join(parts)] = (path.read_text(encoding="utf-8"), is_package)
    return sources


def imports(module: str, source: str, is_package: bool, known: set[str]) -> list[tuple[str, str | None]]:
    """(imported module, imported private name or None) for every import in the source that
    names one of the `known` modules."""
    found: list[tuple[str, str | None]] = []
    tree = ast.parse(source)
    bound: dict[str, str] = {}  # local name -> module, for `mod._private` attribute use
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    found.append((alias.name, None))
                    bound[alias.asname or alias.name] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package_of(module, is_package).split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                if full in known:  # a submodule
                    found.append((full, None))
                    bound[alias.asname or alias.name] = full
                elif base in known:
                    found.append((base, alias.name if alias.name.startswith("_") else None))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in bound
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append((bound[node.value.id], node.attr))
    return found


def graph(sources: dict[str, tuple[str, bool]]) -> dict[str, list[tuple[str, str | None]]]:
    known = set(sources)
    return {m: imports(m, text, is_pkg, known) for m, (text, is_pkg) in sources.items()}


def problems(sources: dict[str, tuple[str, bool]]) -> list[str]:
    """Every breach of the rules above, one line each (empty: the layering holds)."""
    edges = graph(sources)
    out: list[str] = []
    for module, targets in sorted(edges.items()):
        here = floor(module)
        own = package_of(module, sources[module][1])
        for target, private in sorted(set(targets), key=lambda t: (t[0], t[1] or "")):
            if target == module:
                continue
            if private and private.startswith("_"):
                out.append(f"{module} uses {target}.{private}, a private name of another module")
            if module.startswith("decision") and target.startswith("build_scripts"):
                out.append(f"{module} (runtime) imports {target} (build code)")
            there = floor(target)
            if here is None or there is None:
                continue
            same_folder = package_of(target, sources[target][1]) == own
            if there > here or (there == here and not same_folder and here != TOP):
                out.append(f"{module} ({FLOOR_NAMES[here]}) imports {target} ({FLOOR_NAMES[there]}): upward")
    out += [f"circle in decision/: {' -> '.join(c)}" for c in cycles(edges, prefix="decision")]
    return out


def cycles(edges: dict[str, list[tuple[str, str | None]]], prefix: str) -> list[list[str]]:
    """One circle per strongly connected group of modules under `prefix` (Tarjan)."""
    nodes = sorted(m for m in edges if m.split(".")[0] == prefix)
    succ = {
        m: sorted({t for t, _ in edges[m] if t in edges and t.split(".")[0] == prefix and t != m})
        for m in nodes
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in succ[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append([*sorted(group), min(group)])

    for v in nodes:
        if v not in index:
            visit(v)
    return groups


def main() -> None:
    sources = read_sources()
    edges = graph(sources)
    for level in (TOP, GENERATORS, LEAVES):
        print(f"build_scripts, {FLOOR_NAMES[level]}:")
        for module in sorted(m for m in edges if floor(m) == level):
            targets = sorted({t for t, _ in edges[module] if t != module and t.startswith("build_scripts")})
            print(
                f"  {module.removeprefix('build_scripts.')}"
                + (f" -> {', '.join(t.removeprefix('build_scripts.') for t in targets)}" if targets else "")
            )
    arrows = sum(len({t for t, _ in edges[m] if t != m}) for m in edges)
    found = problems(sources)
    print(f"{len(edges)} modules, {arrows} arrows; {len(found)} problems")
    for line in found:
        print("  " + line)
    raise SystemExit(1 if found else 0)


if __name__ == "__main__":
    main()
