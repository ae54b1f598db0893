"""bot.language.facts stays a package of small modules whose imports only point down.

The readers share one Reader and one vocabulary; the assembly runs the readers. A reader that
imported the assembly (or another layer above it) would make an import cycle and tangle the
families of rules back into one module.
"""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "bot" / "language" / "facts"
MODULE = "bot.language.facts"

# lower layers first; a module may import only from layers below its own
LAYERS = {"results": 0, "reader": 1, "phrases": 2, "doses": 2, "second_passes": 4, "assembly": 5, "__init__": 6}
READER = 3  # every other module: one family of readers


def _layer(name: str) -> int:
    return LAYERS.get(name, READER)


def _imported(path: Path) -> set[str]:
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(MODULE + "."):
            out.add(node.module.removeprefix(MODULE + ".").split(".")[0])
        elif isinstance(node, ast.Import):
            out |= {a.name.removeprefix(MODULE + ".").split(".")[0] for a in node.names
                    if a.name.startswith(MODULE + ".")}
    return out


def test_every_module_is_small() -> None:
    sizes = {p.name: len(p.read_text().splitlines()) for p in PACKAGE.glob("*.py")}
    assert len(sizes) > 10
    assert {name: n for name, n in sizes.items() if n > 500} == {}


def test_imports_only_point_down() -> None:
    upward = {}
    for path in PACKAGE.glob("*.py"):
        here = _layer(path.stem)
        bad = sorted(m for m in _imported(path) if _layer(m) >= here)
        if bad:
            upward[path.stem] = bad
    assert upward == {}


def test_the_layer_check_sees_an_upward_import(tmp_path: Path) -> None:
    module = tmp_path / "age.py"
    module.write_text("from bot.language.facts.assembly import understand\n"
                      "from bot.language.facts.reader import Reader\n")
    assert _imported(module) == {"assembly", "reader"}
    assert [m for m in _imported(module) if _layer(m) >= _layer("age")] == ["assembly"]
