"""The import graph (build_scripts/tools/import_graph.py): build_scripts/ imports only run down
(commands -> generators and post-processing -> shared leaves), decision/ has no circle and never
imports build code, and no module reaches into another's private names."""

from __future__ import annotations

from build_scripts.tools import import_graph


def test_the_tree_keeps_its_layering():
    assert import_graph.problems(import_graph.read_sources()) == []


def _with(sources, module, extra_line):
    text, is_package = sources[module]
    return {**sources, module: (text + "\n" + extra_line + "\n", is_package)}


def test_an_upward_import_in_build_scripts_is_reported():
    sources = import_graph.read_sources()
    # A shared leaf importing a generator, and a generator importing the build's top.
    broken = _with(sources, "build_scripts.plumbing.engine_bundle", "from build_scripts.pages import wizard")
    broken = _with(
        broken, "build_scripts.pages.flowchart", "def f():\n    from build_scripts import registry"
    )
    found = import_graph.problems(broken)
    assert any("plumbing.engine_bundle" in p and "pages.wizard" in p and "upward" in p for p in found), found
    assert any("pages.flowchart" in p and "build_scripts.registry" in p for p in found), found


def test_a_sideways_import_between_folders_of_one_floor_is_reported():
    sources = import_graph.read_sources()
    broken = _with(sources, "build_scripts.portable.payload", "from build_scripts.pages import search_tuning")
    assert any("portable.payload" in p and "pages.search_tuning" in p for p in import_graph.problems(broken))


def test_a_circle_in_decision_is_reported():
    sources = import_graph.read_sources()
    broken = _with(
        sources, "decision.roster.csv_rows", "def f():\n    from decision.roster.decode import decode"
    )
    found = import_graph.problems(broken)
    assert (
        "circle in decision/: decision.roster.csv_rows -> decision.roster.decode -> decision.roster.csv_rows"
        in found
    )


def test_the_runtime_importing_build_code_is_reported():
    sources = import_graph.read_sources()
    broken = _with(sources, "decision.wizard_bridge", "from build_scripts.plumbing import notice")
    assert "decision.wizard_bridge (runtime) imports build_scripts.plumbing.notice (build code)" in (
        import_graph.problems(broken)
    )


def test_a_private_name_of_another_module_is_reported():
    sources = import_graph.read_sources()
    broken = _with(sources, "build_scripts.portable.dist", "x = dist._entry")
    broken = _with(broken, "build_scripts.pages.wizard", "from build_scripts.plumbing.csp import _SCRIPT")
    found = import_graph.problems(broken)
    assert (
        "build_scripts.portable.dist uses build_scripts.tools.dist._entry, a private name of another module"
        in found
    )
    assert (
        "build_scripts.pages.wizard uses build_scripts.plumbing.csp._SCRIPT, a private name of another module"
        in found
    )
