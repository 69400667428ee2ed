"""Large specs split their types into several modules (pyright gives up on one huge module).

A small spec is generated with a tiny chunk size so the split happens with every construct that
could break it: references across modules, cycles, a recursive alias, aliases of models, a
discriminated union, functional-form TypedDicts. The split client must import, validate, pass
ruff and pyright, and export exactly what the one-module client exports."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.emit import render
from tests.support.linters import ruff_check
from tests.support.pyright import pyright_report

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "specs" / "chunking" / "split-types.yaml"
PACKAGE = "split_types_client"


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The spec generated twice: ``split`` (chunk size 6 statements) and ``whole`` (default)."""
    root = tmp_path_factory.mktemp("chunking")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        assert main(["-q", "generate", str(SPEC), "-o", str(root / "whole")]) == 0
        patch.setattr(render, "CHUNK_SIZE", 6)
        assert main(["-q", "generate", str(SPEC), "-o", str(root / "split")]) == 0
    return {"whole": root / "whole", "split": root / "split"}


def _types(project: Path) -> Path:
    return project / PACKAGE / "types"


def _part(stem: str) -> int:
    """``_models`` is part 1, ``_models_3`` part 3."""
    match = re.fullmatch(r"_(?:models|params)(?:_(\d+))?", stem)
    assert match, stem
    return int(match.group(1) or 1)


def _sibling_imports(path: Path) -> list[tuple[str, list[str]]]:
    """Relative imports of other ``types`` modules (module, names)."""
    tree = ast.parse(path.read_text())
    return [
        (node.module or "", [alias.name for alias in node.names])
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 1
    ]


def run_python(project: Path, code: str) -> str:
    prelude = (
        f"import sys\nsys.path.insert(0, {str(project)!r})\nfrom {PACKAGE} import types as t\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", prelude + code],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_small_spec_splits_only_by_the_resources_using_its_types(
    projects: dict[str, Path],
) -> None:
    """Under the default size a group of types is never cut in parts: fewer modules than with
    the tiny size, each a ``_models``/``_params`` module."""
    whole = [p.stem for p in _types(projects["whole"]).glob("_[mp]*.py")]
    split = [p.stem for p in _types(projects["split"]).glob("_[mp]*.py")]
    assert all(_part(stem) >= 1 for stem in whole)  # names only _models…/_params… modules
    assert 2 <= len(whole) < len(split)


def test_split_modules_import_only_earlier_ones(projects: dict[str, Path]) -> None:
    types = _types(projects["split"])
    models = sorted(types.glob("_models*.py"), key=lambda p: _part(p.stem))
    params = sorted(types.glob("_params*.py"), key=lambda p: _part(p.stem))
    assert len(models) >= 4 and len(params) >= 2
    crossing = 0
    for path in models + params:
        for module, names in _sibling_imports(path):
            assert "*" not in names, path.name
            if module.startswith(("_models", "_params")):
                crossing += 1
                assert _part(module) < _part(path.stem) or (
                    path.stem.startswith("_params") and module.startswith("_models")
                ), f"{path.name} imports {module}"
    assert crossing >= len(models) + len(params) - 2
    # A cycle is rebuilt in the module that holds it, never split.
    (node_home,) = [p for p in models if re.search(r"^class Node\(", p.read_text(), re.MULTILINE)]
    assert re.search(r"^class Edge\(", node_home.read_text(), re.MULTILINE)
    assert {"Node.model_rebuild()", "Edge.model_rebuild()"} <= set(
        node_home.read_text().splitlines()
    )


def test_split_exports_the_same_names(projects: dict[str, Path]) -> None:
    code = "import json\nprint(json.dumps(sorted(t.__all__)))"
    whole = json.loads(run_python(projects["whole"], code))
    split = json.loads(run_python(projects["split"], code))
    assert split == whole
    assert {"Top", "Node", "Edge", "Json", "RingList", "Pet", "TopParam", "EdgeParam"} <= set(split)


def test_split_client_imports_lints_and_round_trips(projects: dict[str, Path]) -> None:
    project = projects["split"]
    count = run_python(
        project,
        "import importlib, pkgutil\nimport split_types_client as pkg\n"
        "names = [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.')]\n"
        "[importlib.import_module(n) for n in names]\nprint(len(names))",
    )
    assert int(count) > 10
    ruff = ruff_check(project)
    assert ruff.returncode == 0, ruff.stdout
    payload = {
        "middle": {"leaves": [{"id": "1", "kind": "a"}], "leaf": {"id": "2"}, "count": 3},
        "graph": {
            "name": "root",
            "children": [{"name": "child"}],
            "edges": [
                {
                    "target": {"name": "far", "edges": [{"target": {"name": "back"}}]},
                    "Via-Leaf": {"id": "3"},
                }
            ],
        },
        "either": {"id": "4", "kind": "b"},
        "pets": [{"pet_type": "dog", "bark": "woof"}, {"pet_type": "cat", "lives": 9}],
        "extra": {"a": [1.5, "x", {"b": []}]},
        "ring": [{"label": "r1", "next": [{"label": "r2"}]}],
        "Top-Kind": "a",
    }
    out = run_python(
        project,
        f"import json\ntop = t.Top.model_validate(json.loads({json.dumps(payload)!r}))\n"
        "print(json.dumps(top.model_dump(mode='json', by_alias=True, exclude_none=True)))\n"
        "print(type(top.pets[0]).__name__, type(top.graph.edges[0].target).__name__,\n"
        "      type(top.either).__name__)",
    )
    dumped, kinds = out.strip().splitlines()
    assert json.loads(dumped) == payload
    assert kinds == "Dog Node Leaf"


def test_split_request_types_resolve_at_run_time(projects: dict[str, Path]) -> None:
    """Every TypedDict's hints resolve (earlier modules are imported, not type-checking only)."""
    out = run_python(
        projects["split"],
        "from typing import get_type_hints\n"
        "for name in sorted(n for n in t.__all__ if n.endswith('Param')):\n"
        "    print(name, sorted(get_type_hints(getattr(t, name))))",
    )
    lines = dict(line.split(" ", 1) for line in out.strip().splitlines())
    assert lines["EdgeParam"] == "['Via-Leaf', 'target', 'weight']"
    assert "'Top-Kind'" in lines["TopParam"] and "'graph'" in lines["TopParam"]


def test_both_clients_are_pyright_clean(projects: dict[str, Path]) -> None:
    root = projects["split"].parent
    errors, summary = pyright_report(
        root, {"executionEnvironments": [{"root": "split"}, {"root": "whole"}]}
    )
    assert errors == []
    assert summary["filesAnalyzed"] > 20
