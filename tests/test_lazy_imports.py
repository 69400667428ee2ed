"""Cold start: importing a generated package and constructing its client imports no resource or
types module; the first use of a resource imports its module and only the types modules its
methods can reach. Every name in ``types.__all__`` still resolves (lazily) and ``dir()`` lists it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent


def _respond(ref: str) -> dict[str, object]:
    return {
        "description": "ok",
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}},
    }


# Two resources (pets, stores) with their own models, one model both use, one nobody uses.
SPEC = {
    "openapi": "3.0.3",
    "info": {"title": "Zoo", "version": "1.0.0"},
    "servers": [{"url": "https://zoo.example/v1"}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["pets"],
                "responses": {"200": _respond("PetList")},
            }
        },
        "/stores/{store_id}": {
            "get": {
                "operationId": "getStore",
                "tags": ["stores"],
                "parameters": [
                    {
                        "name": "store_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "responses": {"200": _respond("Store")},
            },
            "post": {
                "operationId": "updateStore",
                "tags": ["stores"],
                "parameters": [
                    {
                        "name": "store_id",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                ],
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/StoreEdit"}}
                    },
                },
                "responses": {"200": _respond("Store")},
            },
        },
    },
    "components": {
        "schemas": {
            "Owner": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Pet": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                },
            },
            "PetList": {
                "type": "object",
                "properties": {
                    "data": {"type": "array", "items": {"$ref": "#/components/schemas/Pet"}}
                },
            },
            "Store": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "owner": {"$ref": "#/components/schemas/Owner"},
                },
            },
            "StoreEdit": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "address": {"$ref": "#/components/schemas/Address"},
                },
            },
            "Address": {"type": "object", "properties": {"street": {"type": "string"}}},
            "Unused": {"type": "object", "properties": {"x": {"type": "integer"}}},
        }
    },
}


@pytest.fixture(scope="module")
def zoo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zoo")
    spec = root / "zoo.json"
    spec.write_text(json.dumps(SPEC), encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)  # no project config applies
        assert main(["-q", "generate", str(spec), "-o", str(root / "out")]) == 0
    return root / "out"


def _package(project: Path) -> str:
    inits = sorted(p.parent.name for p in project.glob("*/__init__.py"))
    assert len(inits) == 1, inits
    return inits[0]


def _run(project: Path, code: str) -> str:
    """``code`` in a fresh interpreter with the package imported as ``pkg``; its stdout."""
    prelude = (
        f"import importlib, sys\nsys.path.insert(0, {str(project)!r})\n"
        f"pkg = importlib.import_module({_package(project)!r})\n"
        "def loaded(part):\n"
        "    return sorted(m for m in sys.modules if m.startswith(pkg.__name__ + part))\n"
    )
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", prelude + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _homes(project: Path) -> dict[str, str]:
    """Each exported type → its defining module, as the package itself maps them."""
    out = _run(
        project,
        "import json\n"
        "t = importlib.import_module(pkg.__name__ + '.types')\n"
        "print(json.dumps(t._HOMES))",
    )
    homes: dict[str, str] = json.loads(out)
    return homes


def test_import_and_construct_load_no_resource_or_types_module(zoo: Path) -> None:
    out = _run(
        zoo,
        """
        client = pkg.Zoo()
        print(loaded(".resources."), loaded(".types."))
        """,
    )
    assert out.split() == ["[]", "[]"]


def test_first_resource_use_loads_only_its_types(zoo: Path) -> None:
    homes = _homes(zoo)
    assert len(set(homes.values())) > 2  # the types are split: the test means something
    out = _run(
        zoo,
        """
        import json
        client = pkg.Zoo()
        client.pets
        print(json.dumps([loaded(".resources."), loaded(".types.")]))
        """,
    )
    resources, types = json.loads(out)
    package = _package(zoo)
    assert resources == [f"{package}.resources.pets"]
    modules = {f"{package}.types.{homes[name]}" for name in ("Pet", "Owner")}
    assert modules <= set(types)
    for name in ("Store", "AddressParam", "Unused"):  # only stores (or nobody) uses these
        assert f"{package}.types.{homes[name]}" not in types, name


def test_lazy_type_is_the_one_the_resource_uses(zoo: Path) -> None:
    """A type resolved through ``types.__getattr__`` is the class the resource module imported."""
    out = _run(
        zoo,
        """
        from importlib import import_module
        stores = import_module(pkg.__name__ + ".resources.stores")
        from_types = importlib.import_module(pkg.__name__ + ".types").Store
        print(stores.Store is from_types, from_types.model_validate({"id": "s"}).id)
        """,
    )
    assert out.split() == ["True", "s"]


@pytest.mark.parametrize("which", ["zoo", "parallel"])
def test_every_exported_type_resolves(zoo: Path, which: str) -> None:
    project = zoo if which == "zoo" else ROOT / "generated"
    out = _run(
        project,
        """
        import json
        types = importlib.import_module(pkg.__name__ + ".types")
        names = list(types.__all__)
        listed = set(dir(types))
        missing = [n for n in names if n not in listed]
        for name in names:
            ns = {}
            exec(f"from {types.__name__} import {name} as value", ns)
            assert ns["value"] is getattr(types, name), name
        try:
            types.NoSuchType
        except AttributeError:
            unknown = "AttributeError"
        print(json.dumps([len(names), missing, unknown, sorted(set(names)) == sorted(names)]))
        """,
    )
    count, missing, unknown, unique = json.loads(out)
    assert count >= 6
    assert missing == []
    assert unknown == "AttributeError"
    assert unique
