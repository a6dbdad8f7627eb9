"""The layering contract, read from the source (ast), so it stays true as the code grows. It is a
rule about folders, so a new module is covered by where it is put:

- front ends (``bot/frontends/``) and ``bench/`` never import ``retrieval``: they go through
  ``bot.engine`` and the few modules of the engine's surface;
- ``retrieval`` knows nothing about bots; nothing imports a front end but another front end (and
  ``python -m bot``);
- ``bench/`` assigns to no attribute of anything but its own objects (no patching the engine);
- no import cycle, counting imports inside functions too.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGES = ("bot", "retrieval", "prompts")
FRONT_END_FOLDER = "bot.frontends"
ENGINE_SURFACE = {"bot", "bot.engine", "bot.answer", "bot.settings", "bot.citations"}  # "bot": the package itself


def is_front_end(name: str) -> bool:
    return name == FRONT_END_FOLDER or name.startswith(FRONT_END_FOLDER + ".") or name == "bot.__main__"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources(*folders: str) -> dict[str, ast.Module]:
    return {module_name(p): ast.parse(p.read_text(encoding="utf-8"))
            for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))}


def imports(tree: ast.Module) -> set[str]:
    """Every module an ``import`` anywhere in ``tree`` names (top level or inside a function)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def ours(names: set[str], known: set[str]) -> set[str]:
    return {n for n in names if n in known}


def test_front_ends_and_bench_do_not_import_retrieval() -> None:
    offenders = {
        name: sorted(n for n in imports(tree) if n == "retrieval" or n.startswith("retrieval."))
        for name, tree in {**sources("bot"), **sources("bench")}.items()
        if is_front_end(name) or name.startswith("bench.")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_front_ends_use_only_the_engine_surface() -> None:
    known = set(sources(*PACKAGES))
    wrong = {name: sorted(n for n in ours(imports(tree), known) - ENGINE_SURFACE if not is_front_end(n))
             for name, tree in {**sources("bot"), **sources("bench")}.items()
             if is_front_end(name) or name.startswith("bench.")}
    assert {k: v for k, v in wrong.items() if v} == {}


def test_retrieval_knows_nothing_about_bots_and_nothing_imports_a_front_end() -> None:
    trees = sources(*PACKAGES)
    for name, tree in trees.items():
        names = imports(tree)
        if name.startswith("retrieval"):
            assert not {n for n in names if n == "bot" or n.startswith("bot.")}, name
        if not is_front_end(name):
            assert not {n for n in names & set(trees) if is_front_end(n)}, f"{name} imports a front end"


def test_bench_does_not_assign_to_other_objects_attributes() -> None:
    for name, tree in sources("bench").items():
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else (
                [node.target] if isinstance(node, ast.AugAssign | ast.AnnAssign) else [])
            for target in targets:
                if isinstance(target, ast.Attribute):
                    base = target.value
                    assert isinstance(base, ast.Name) and base.id == "self", \
                        f"{name}:{node.lineno} assigns to {ast.unparse(target)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "setattr":
                raise AssertionError(f"{name}:{node.lineno} calls setattr")


def test_no_import_cycles_even_inside_functions() -> None:
    trees = sources(*PACKAGES)
    known = set(trees)
    graph = {name: ours(imports(tree), known) - {name} for name, tree in trees.items()}
    done: set[str] = set()

    def visit(node: str, path: list[str]) -> None:
        if node in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(node):], node]))
        if node in done:
            return
        for nxt in sorted(graph[node]):
            visit(nxt, [*path, node])
        done.add(node)

    for name in sorted(graph):
        visit(name, [])


def test_the_checks_see_real_imports() -> None:
    """Guards the guard: the parser finds known imports, including one inside a function."""
    cli = sources("bot")["bot.frontends.cli"]
    assert "bot.engine" in imports(cli) and "bot.frontends.terminal" in imports(cli)
    assert "retrieval.sources.loaders" in imports(sources("bot")["bot.engine"])
