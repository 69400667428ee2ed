"""Regressions found by the corpus runner: each spec in tests/specs/corpus/ is the smallest form
of a construct that broke a real spec. Every client is generated, imported in a fresh
interpreter, byte-compiled and linted; then the specific behaviour is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from tests.support.linters import mypy_strict, ruff_check
from tests.support.project import models_source
from tests.support.pyright import pyright_report

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "tests" / "specs" / "corpus"


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every regression spec generated once (cwd = a temp folder: no project config applies)."""
    root = tmp_path_factory.mktemp("generality")
    out: dict[str, Path] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)
        for spec in sorted(SPECS.glob("*.yaml")):
            assert main(["-q", "generate", str(spec), "-o", str(root / spec.stem)]) == 0, spec.name
            out[spec.stem] = root / spec.stem
    return out


def _package(project: Path) -> str:
    (package,) = [p.name for p in project.iterdir() if (p / "__init__.py").is_file()]
    return package


def run_python(project: Path, code: str) -> str:
    """Run ``code`` in a fresh interpreter that imports the generated package as ``pkg``."""
    prelude = (
        f"import importlib, sys\nsys.path.insert(0, {str(project)!r})\n"
        f"pkg = importlib.import_module({_package(project)!r})\n"
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


def test_every_client_imports_compiles_and_is_ruff_clean(clients: dict[str, Path]) -> None:
    for name, project in clients.items():
        modules = run_python(
            project,
            "import pkgutil\n"
            "names = [m.name for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.')]\n"
            "[importlib.import_module(n) for n in names]\nprint(len(names))",
        )
        assert int(modules) > 10, name
        compiled = subprocess.run(
            [sys.executable, "-m", "compileall", "-q", str(project)],
            capture_output=True,
            check=False,
        )
        assert compiled.returncode == 0, name
        ruff = ruff_check(project)
        assert ruff.returncode == 0, f"{name}: {ruff.stdout}"


def test_every_client_is_pyright_clean(clients: dict[str, Path]) -> None:
    """One pyright run (basic mode) over all the regression clients, from their common folder."""
    root = next(iter(clients.values())).parent
    errors, summary = pyright_report(root, {"extraPaths": [p.name for p in clients.values()]})
    assert errors == []
    assert summary["filesAnalyzed"] > 10 * len(clients)


def test_a_client_without_config_is_mypy_strict_clean(
    clients: dict[str, Path], tmp_path: Path
) -> None:
    """mypy --strict (no implicit re-exports) over a client generated with every default: the
    runtime, the client module and the MCP server; ``make lint`` covers the configured Parallel."""
    project = clients["odd-constructs-31"]
    done = mypy_strict(project, _package(project), tmp_path / "cache")
    assert done.returncode == 0, done.stdout


def test_no_schemas_defines_no_models(clients: dict[str, Path]) -> None:
    models = models_source(clients["no-schemas"])
    assert "BaseModel" not in models
    out = run_python(
        clients["no-schemas"],
        "t = importlib.import_module(pkg.__name__ + '.types')\nprint(t.__all__)",
    )
    assert out.strip() == "[]"


def test_functional_typeddict_quotes_self_and_later_references(clients: dict[str, Path]) -> None:
    params = next(clients["functional-typeddict-cycle"].glob("*/types/_params.py")).read_text()
    assert '"Parent": "ItemParam"' in params
    assert '"Children": "Sequence[ItemParam]"' in params
    out = run_python(
        clients["functional-typeddict-cycle"],
        "from typing import get_type_hints\nt = importlib.import_module(pkg.__name__ + '.types')\n"
        "print(sorted(get_type_hints(t.ItemParam)))",
    )
    assert out.strip() == "['Children', 'Name', 'Owner', 'Parent']"


def test_allof_reuses_the_inline_object_name(clients: dict[str, Path]) -> None:
    out = run_python(
        clients["allof-inline-reuse"],
        "import json\nt = importlib.import_module(pkg.__name__ + '.types')\n"
        "print(json.dumps(t.__all__))",
    )
    names = json.loads(out)
    assert len(names) == len(set(names))
    assert [n for n in names if "Mobile" in n] == ["IdentifiersMobile", "IdentifiersMobileParam"]
    shown = run_python(
        clients["allof-inline-reuse"],
        "t = importlib.import_module(pkg.__name__ + '.types')\n"
        "r = t.ContactResponse.model_validate({'id': '1', 'mobile': {'number': '5'}})\n"
        "print(type(r.mobile).__name__, r.mobile.number)",
    )
    assert shown.strip() == "IdentifiersMobile 5"


def test_recursive_alias_is_a_type_alias_type_that_validates(clients: dict[str, Path]) -> None:
    models = models_source(clients["recursive-alias"])
    assert 'Value = TypeAliasType("Value",' in models
    out = run_python(
        clients["recursive-alias"],
        "t = importlib.import_module(pkg.__name__ + '.types')\n"
        "print(t.Config.model_validate({'value': ['a', [1.5, ['b']]]}).value)",
    )
    assert out.strip() == "['a', [1.5, ['b']]]"


def test_union_of_literals_is_one_literal(clients: dict[str, Path]) -> None:
    models = models_source(clients["literal-union"])
    assert 'operation: Literal["create", "update", "upsert"]' in models
    assert "flag: Literal[1, 2, True] | str | None = None" in models


def test_odd_constructs_degrade_with_a_pointer_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = SPECS / "odd-constructs-31.yaml"
    assert main(["-v", "generate", str(spec), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "#/components/schemas/Thing/allOf/1/properties/nothing: schema 'false'" in err
    assert "#/paths/~1things~1{thing_id}/delete/operationId: duplicate operationId 'dup'" in err


def test_odd_constructs_types(clients: dict[str, Path]) -> None:
    project = clients["odd-constructs-31"]
    models = models_source(project)
    for line in (
        "id: str",  # allOf: $ref + properties are merged
        'mixed: Literal["a", 1, True] | None = None',  # mixed-type enum: True is not 1
        "level: Literal[1, 2, 3] | None = None",  # integer enum
        'scale: Literal["low"] | float | None = None',  # floats cannot be literals
        "size: int | str | None = None",  # type list with null
        "pair: list[str | int] | None = None",  # prefixItems
        "counts: dict[str, int] | None = None",  # additionalProperties schema
        "labels: dict[str, str] | None = None",  # patternProperties
        "owner: Owner | None = None",  # nullable object via type list
        "shape: Circle | Square | None = None",  # oneOf without discriminator
        "inline_defs: WithDefs | None = None",
        "leaf: Leaf | None = None",  # 3.1 $defs
        "children: list[Tree] | None = None",  # recursion
    ):
        assert line in models, line
    out = run_python(
        project,
        "t = importlib.import_module(pkg.__name__ + '.types')\n"
        "x = t.Thing.model_validate({\n"
        "    'id': 'a', 'mixed': True, 'scale': 0.5, 'pair': ['a', 1], 'tree': {'children': [{}]}\n"
        "})\n"
        "print(repr(x.mixed), x.scale, x.pair, type(x.tree.children[0]).__name__)",
    )
    assert out.strip() == "True 0.5 ['a', 1] Tree"


def test_odd_constructs_operations(clients: dict[str, Path]) -> None:
    project = clients["odd-constructs-31"]
    things = "".join(p.read_text() for p in sorted(project.glob("*/resources/things/*.py")))
    assert 'cookies={"session": session}' in things  # path-level cookie param
    assert 'content_type="application/vnd.things.v2+json"' in things  # vendor media type
    assert "content: bytes," in things  # binary body
    assert "file: FileTypes | NotGiven = NOT_GIVEN," in things and "multipart={" in things  # upload
    assert (
        "def update(" in things and "def delete(" in things
    )  # a duplicated operationId does not matter: names come from the HTTP shape
    assert 'path_params={"thing_id": thing_id}' in things  # parameter $ref at path level
    login = next(project.glob("*/_client.py")).read_text()  # POST /login: an action, client.login()
    assert 'form_body={"user": user, "remember": remember}' in login
    imports = next(project.glob("*/resources/imports.py")).read_text()
    assert (
        "body: Mapping[str, str] | NotGiven = NOT_GIVEN," in imports
        and "form_body=body," in imports
    )  # map form
    assert (
        "content: bytes | NotGiven = NOT_GIVEN," in imports
    )  # a multipart body that is not an object: raw
    methods = run_python(
        project,
        "things = importlib.import_module(pkg.__name__ + '.resources.things')\n"
        "print(sorted(n for n in dir(things.ThingsResource) if not n.startswith('_')))\n"
        "print(sorted(n for n in dir(things.file.ThingsFileResource) if not n.startswith('_')))",
    )
    # /things/{id} and its /file sub-resource, named from the HTTP shape
    assert methods.splitlines()[0].count("'retrieve'") == 1
    assert "'create'" in methods.splitlines()[1] and "'update'" in methods.splitlines()[1]


def test_optional_raw_bodies_are_sent_or_omitted(clients: dict[str, Path]) -> None:
    """Text and binary bodies through an in-process transport: text is UTF-8, omitted is empty."""
    out = run_python(
        clients["odd-constructs-31"],
        "import httpx\nseen = []\n"
        "def handler(request):\n"
        "    seen.append((request.method, request.headers.get('content-type'), request.content))\n"
        "    return httpx.Response(204)\n"
        "transport = httpx.MockTransport(handler)\n"
        "client = pkg.OddConstructs(\n"
        "    base_url='http://127.0.0.1:9', http_client=httpx.Client(transport=transport)\n"
        ")\n"
        "client.notes.create(content='héllo')\nclient.notes.update(content=b'\\x00\\x01')\n"
        "client.notes.update()\n"
        "client.imports.update(body={'a': 'b c'})\nclient.imports.update()\n"
        "print(seen)",
    )
    assert out.strip() == (
        "[('POST', 'text/plain', b'h\\xc3\\xa9llo'), "
        "('PUT', 'application/octet-stream', b'\\x00\\x01'), ('PUT', None, b''), "
        "('PUT', 'application/x-www-form-urlencoded', b'a=b+c'), ('PUT', None, b'')]"
    )


def _models(project: Path) -> str:
    return models_source(project)


def test_recursive_alias_and_null_only_schema_import_from_any_order(
    clients: dict[str, Path],
) -> None:
    """Issue 17, point 1: 'Qux | None' before Qux is defined, and a ref to a ``type: 'null'``."""
    models = _models(clients["import-order"])
    assert "NullValue: TypeAlias = None" in models
    assert "nothing: None = None" in models  # not 'NullValue | None': None | None fails
    # a union whose other members are itself, alone or through a cycle, is None too
    for alias in ("SelfNull", "CycleNullA", "CycleNullB"):
        assert f"{alias}: TypeAlias = None" in models
    assert "self_null: None = None" in models and "cycle_null: None = None" in models
    out = run_python(
        clients["import-order"],
        "t = importlib.import_module(pkg.__name__ + '.types')\n"
        "raw = {'quux': {'qux': {'quux': {'qux': 'leaf'}}}, 'nothing': None, 'self_null': None}\n"
        "foo = t.Foo.model_validate(raw)\n"
        "print(type(foo.quux.qux).__name__, foo.quux.qux.quux.qux, foo.self_null)",
    )
    assert out.strip() == "Foo leaf None"


def test_union_members_that_render_alike_are_listed_once(clients: dict[str, Path]) -> None:
    """Issue 17, point 5: date-time and date both accept a str in a request (PYI016)."""
    events = next(clients["union-dedupe"].glob("*/resources/events.py")).read_text()
    assert "when: str | datetime | date," in events
    assert "str | datetime | str" not in events


def test_mutually_containing_aliases_expand_into_each_other(clients: dict[str, Path]) -> None:
    """Issue 17, point 7: 'A = int | B', 'B = str | A' is a cycle pyright refuses."""
    models = _models(clients["mutual-aliases"])
    assert "A: TypeAlias = int | str" in models
    assert "B: TypeAlias = str | int" in models
    out = run_python(
        clients["mutual-aliases"],
        "t = importlib.import_module(pkg.__name__ + '.types')\n"
        "h = t.Holder.model_validate({'a': 'x', 'b': 3})\nprint(h.a, h.b)",
    )
    assert out.strip() == "x 3"


def test_recursive_alias_named_by_aliases_imported_first_type_checks(
    clients: dict[str, Path],
) -> None:
    """Issue 17, point 7: pyright rejected a recursive ``TypeAliasType`` once an alias naming it
    (``L0 = list[N1]``, ``N0 = N1``) was evaluated first; checkers now read a quoted alias, and
    the run-time ``TypeAliasType`` still validates nested values (the pyright run is above)."""
    models = _models(clients["alias-of-recursive-alias"])
    assert 'if TYPE_CHECKING:\n    N1: TypeAlias = "list[N1]"\n' in models
    assert 'else:\n    N1 = TypeAliasType("N1", "list[N1]")\n' in models
    assert "L0: TypeAlias = list[N1]" in models
    out = run_python(
        clients["alias-of-recursive-alias"],
        "t = importlib.import_module(pkg.__name__ + '.types')\n"
        "h = t.Holder.model_validate(\n"
        "    {'n0': [[], [[]]], 'l0': [[[]]], 'tree': {'a': ['x', ['y']]}}\n"
        ")\n"
        "print(h.n0, h.l0, h.tree)\n"
        "try:\n    t.Holder.model_validate({'n0': [1]})\nexcept Exception as e:\n"
        "    print(type(e).__name__)",
    )
    assert out.splitlines() == ["[[], [[]]] [[[]]] {'a': ['x', ['y']]}", "ValidationError"]


def test_allof_of_unions_refs_and_constraints_has_precise_types(
    clients: dict[str, Path],
) -> None:
    """Issue 17, point 2: unions distribute, a ref plus annotations stays the ref, constraints
    merge, and properties beside oneOf join every member."""
    models = _models(clients["allof-compositions"])
    for line in (
        "Pet: TypeAlias = PetCat | PetDog",
        "TaggedPet: TypeAlias = TaggedPetCat | TaggedPetDog",
        "Shape: TypeAlias = ShapeCircle | ShapeSquare",
        "nickname: Name | None",
        "formal: Name | None = None",
        "score: int | None = None",
        "maybe: str | float | None = None",
    ):
        assert line in models, line
    assert "object" not in models
    assert '    formal: Name | None = None\n    """The name on paper."""' in models
    out = run_python(
        clients["allof-compositions"],
        "t = importlib.import_module(pkg.__name__ + '.types')\n"
        "o = t.Owner.model_validate({\n"
        "    'nickname': None, 'pet': {'id': 'p', 'barks': True},\n"
        "    'tagged': {'id': 't', 'meows': False, 'tag': 'x'},\n"
        "    'shape': {'area': 4.0, 'side': 2.0},\n"
        "})\n"
        "print(type(o.pet).__name__, type(o.tagged).__name__, o.tagged.tag,\n"
        "      type(o.shape).__name__, list(t.ShapeSquare.model_fields))",
    )
    assert out.strip() == "PetDog TaggedPetCat x ShapeSquare ['area', 'side']"


def test_allof_compositions_generate_without_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = SPECS / "allof-compositions.yaml"
    assert main(["-v", "generate", str(spec), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "apigen: generated" in err and "warning" not in err


def test_composition_cycles_resolve_or_degrade_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Issue 17, point 3: ``R: allOf [N, R]`` is N; a schema that is only itself, or a ref
    cycle no operation uses, is Any with a warning naming its pointer."""
    spec = SPECS / "composition-cycles.yaml"
    assert main(["-v", "generate", str(spec), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    for name in ("SelfOne", "SelfAll", "Loop1"):
        assert f"warning: #/components/schemas/{name}: schema is only itself" in err, name
    assert "#/components/schemas/R" not in err


def test_composition_cycles_types(clients: dict[str, Path]) -> None:
    models = _models(clients["composition-cycles"])
    for line in (
        "R: TypeAlias = N",
        "SelfOne: TypeAlias = object",
        "SelfAll: TypeAlias = object",
        "Loop1: TypeAlias = object",
    ):
        assert line in models, line
    out = run_python(
        clients["composition-cycles"],
        "t = importlib.import_module(pkg.__name__ + '.types')\n"
        "h = t.Holder.model_validate({'r': {'name': 'a', 'next': {'name': 'b'}}, 'one': 1})\n"
        "print(h.r.next.name, h.one)\n"
        "tree = t.Tree.model_validate(\n"
        "    {'label': 'a', 'parent': {'label': 'b'}, 'child': {'depth': 2}}\n"
        ")\n"
        "print(type(tree.parent).__name__, tree.parent.label, tree.child.depth)",
    )
    assert out.splitlines() == ["b 1", "Tree b 2"]
    # A property that is allOf of its own schema plus more used to be converted again without
    # end (RecursionError; "nesting is too deep" from the CLI): ``parent`` is the schema itself.
    assert "parent: Tree | None = None" in models


def test_polymorphic_family_merges_the_parent_into_each_child(clients: dict[str, Path]) -> None:
    """Parent ``{properties, oneOf: [children]}``, child ``allOf: [parent, own]``: each child
    is the parent's properties plus its own, the parent the union of the children; declared
    parent-first (Pet) and child-first (Reptile)."""
    models = _models(clients["allof-family"])
    assert "Pet: TypeAlias = Cat | Dog" in models
    assert "Reptile: TypeAlias = Lizard | Snake" in models
    out = run_python(
        clients["allof-family"],
        "t = importlib.import_module(pkg.__name__ + '.types')\n"
        "print(list(t.Cat.model_fields), list(t.Snake.model_fields))\n"
        "r = t.ZooRetrieveResponse.model_validate({'pet': {'petType': 'dog', 'barks': True},\n"
        "                                     'reptile': {'kind': 'k', 'legs': 4}})\n"
        "print(type(r.pet).__name__, type(r.reptile).__name__)",
    )
    assert out.strip().splitlines() == [
        "['pet_type', 'name', 'meows'] ['kind', 'length']",
        "Dog Lizard",
    ]


def test_path_parameters_are_named_after_their_arguments(clients: dict[str, Path]) -> None:
    """Wire names that are not identifiers (``shelf-id``, ``from``) still fill their segment, and
    an unsafe value is refused naming the argument the caller passed, not the wire name."""
    out = run_python(
        clients["odd-constructs-31"],
        "import httpx\nseen = []\n"
        "def handler(request):\n"
        "    seen.append(request.url.raw_path.decode())\n"
        "    return httpx.Response(204)\n"
        "transport = httpx.MockTransport(handler)\n"
        "client = pkg.OddConstructs(\n"
        "    base_url='http://127.0.0.1:9', http_client=httpx.Client(transport=transport)\n"
        ")\n"
        "client.shelves.books.retrieve('a b', 7)\n"
        "for shelf in ('', '.', '..'):\n"
        "    try:\n"
        "        client.shelves.books.retrieve(shelf, 1)\n"
        "    except ValueError as error:\n"
        "        print(error)\n"
        "print(seen)",
    )
    assert out.splitlines() == [
        "Expected a non-empty value for `shelf_id` but received ''",
        "Expected a value other than '.' and '..' for `shelf_id` but received '.'",
        "Expected a value other than '.' and '..' for `shelf_id` but received '..'",
        "['/shelves/a%20b/books/7']",
    ]
