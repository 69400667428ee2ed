"""Type and field names of a client generated with no config (issue 14).

``tests/specs/naming/types.yaml`` holds one case per rule: an operation's request body and
inline responses named after its default method path, a model the spec already names
``…Param``, union members with a tag, a title, a base or nothing, two members that derive one
name, a component that takes a ``Params`` name first, and a model whose fields are builtins,
keywords and ``BaseModel`` members."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.ir.variants import variant_labels
from generator.naming.identifiers import attribute_name
from tests.support.linters import mypy_strict, ruff_check
from tests.support.pyright import pyright_report

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "tests" / "specs" / "naming" / "types.yaml"
PACKAGE = "naming_types_client"


def _generate(out: Path, config: Path | None = None) -> Path:
    args = ["-q", "generate", str(SPEC), "-o", str(out)]
    if config is not None:
        args += ["--config", str(config)]
    assert main(args) == 0
    return out


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("naming-types")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(root)  # no apigen.yaml here: every default
        return _generate(root / "out")


def _sources(client: Path, module: str) -> list[str]:
    """Every ``types`` module of one kind (``_models``, ``_models_2``, …): types are split by
    the resources that use them."""
    paths = sorted((client / PACKAGE / "types").glob(f"{module}*.py"))
    return [p.read_text() for p in paths if p.stem == module or p.stem[len(module) + 1 :].isdigit()]


def _defined(client: Path, module: str) -> list[str]:
    names: list[str] = []
    for node in (n for source in _sources(client, module) for n in ast.parse(source).body):
        if isinstance(node, ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            names.append(node.targets[0].id)
    return [name for name in names if name != "__all__"]


def _class_source(client: Path, name: str) -> str:
    for source in _sources(client, "_models"):
        tree = ast.parse(source)
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                return ast.get_source_segment(source, node) or ""
    raise AssertionError(f"no class {name}")


def _run(client: Path, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", f"import sys\nsys.path.insert(0, {str(client)!r})\n{code}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PYTHONDONTWRITEBYTECODE": "1", "PATH": ""},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_request_bodies_are_method_params(client: Path) -> None:
    """``POST /chat/completions`` is ``client.chat.completions.create``: the component its body
    sends (only there) is ``ChatCompletionCreateParams``; an inline body is sent as
    ``FileCreateParams`` (``client.files.create``), its nested object named from the path."""
    params = _defined(client, "_params")
    assert "ChatCompletionCreateParams" in params
    assert "CreateChatCompletionRequestParam" not in params
    assert "FileCreateParams" in params
    assert "FileCreateBodyOptionsParam" in params
    models = _defined(client, "_models")
    assert "CreateChatCompletionRequest" in models  # the component keeps its model name
    # a body other schemas name too (its own children) is more than one call's parameters
    assert "NodeParam" in params and "NodeCreateParams" not in params


def test_inline_responses_are_method_responses(client: Path) -> None:
    models = _defined(client, "_models")
    assert "ChatCompletionCreateResponse" in models
    assert "ChatCompletionCreateResponseChoicesItem" in models
    assert {"FileListResponse", "FileListResponseMeta"} <= set(models)
    assert not [name for name in models if name.startswith(("CreateChatCompletion2", "ListFiles"))]


def test_the_one_object_of_a_union_is_its_object(client: Path) -> None:
    """``Usage: anyOf [{object}, null]`` is the alias ``Usage`` of ``UsageObject | None`` (the
    member was ``Usage2``)."""
    models = _defined(client, "_models")
    assert {"Usage", "UsageObject"} <= set(models) and "Usage2" not in models
    source = "".join(_sources(client, "_models"))
    assert "Usage: TypeAlias = UsageObject | None" in source


def test_no_param_param(client: Path) -> None:
    """``Tool`` and ``ToolParam`` are both components: the model ``ToolParam`` is sent as
    ``ToolInputParam``, never ``ToolParamParam``."""
    params = _defined(client, "_params")
    assert "ToolInputParam" in params
    assert not [name for name in params if "ParamParam" in name]


def test_union_members_named_from_tag_title_and_base(client: Path) -> None:
    models = _defined(client, "_models")
    # discriminator values (enum of one, const), then a title for the untagged member
    assert {"EventMessageCreated", "EventMessageDeleted", "EventHeartbeat"} <= set(models)
    # the base each allOf extends; the member with nothing to go by keeps its position
    assert {"AnimalCat", "AnimalDog", "AnimalVariant2"} <= set(models)


def test_collisions_are_numbered_in_spec_order(client: Path, tmp_path: Path) -> None:
    """Two members titled ``Fluffy``: the first keeps the name. A component already called
    ``WidgetCreateParams`` keeps it; the request type of ``POST /widgets`` yields. A second
    generation gives the same names."""
    models, params = _defined(client, "_models"), _defined(client, "_params")
    assert models.index("PetFluffy") < models.index("PetFluffy2")
    assert "WidgetCreateParams" in models
    assert "WidgetCreateParams2" in params
    again = _generate(tmp_path / "again")
    assert _defined(again, "_models") == models
    assert _defined(again, "_params") == params


def test_fields_keep_their_wire_names(client: Path) -> None:
    body = _class_source(client, "FileObject")
    for kept in ("object", "bytes", "type", "id", "format", "str", "list", "annotations"):
        assert f"\n    {kept}: " in body, kept
    for wire in ("class", "import", "schema", "json", "model_dump"):
        assert f'{wire}_: builtins.str | None = Field(default=None, alias="{wire}")' in body


def test_fields_shadowing_builtins_write_builtins_annotations(client: Path) -> None:
    body = _class_source(client, "FileObject")
    assert "    id: builtins.str\n" in body
    assert "    list: builtins.list[builtins.int] | None = None" in body
    assert "metadata: dict[builtins.str, builtins.object] | None" in body
    assert 'object: Literal["file"]' in body  # a string literal stays as it is
    # a class with no such field keeps plain annotations
    assert "    name: str | None = None" in _class_source(client, "NewWidget")


def test_builtin_named_fields_validate_and_dump_by_wire_name(client: Path) -> None:
    out = _run(
        client,
        f"from {PACKAGE}.types import FileObject\n"
        "m = FileObject.model_validate({'id': 'f', 'object': 'file', 'bytes': 3, 'str': 's',\n"
        "    'list': [1, 2], 'class': 'c', 'float': 1.5, 'int': 7})\n"
        "print(m.bytes, m.str, m.list, m.class_, m.float, m.int)\n"
        "print(sorted(m.model_dump(by_alias=True, exclude_none=True)))",
    )
    assert out.splitlines() == [
        "3 s [1, 2] c 1.5 7",
        "['bytes', 'class', 'float', 'id', 'int', 'list', 'object', 'str']",
    ]


def test_client_is_ruff_pyright_and_mypy_clean(client: Path, tmp_path: Path) -> None:
    ruff = ruff_check(client)
    assert ruff.returncode == 0, ruff.stdout
    errors, summary = pyright_report(client, {})
    assert errors == []
    assert summary["filesAnalyzed"] > 10
    mypy = mypy_strict(client, PACKAGE, tmp_path / "cache")
    assert mypy.returncode == 0, mypy.stdout


def test_configured_method_names_do_not_rename_types(client: Path, tmp_path: Path) -> None:
    """A config that moves ``POST /chat/completions`` to ``client.chat.send`` changes the method
    and keeps every type name: types follow the API's shape, not the config."""
    config = tmp_path / "apigen.yaml"
    config.write_text(
        f"spec: {SPEC}\noutput: out\nresources:\n  'POST /chat/completions': chat.send\n"
    )
    moved = _generate(tmp_path / "out", config)
    chat = (moved / PACKAGE / "resources" / "chat.py").read_text()
    assert "def send(" in chat
    assert _defined(moved, "_params") == _defined(client, "_params")
    assert _defined(moved, "_models") == _defined(client, "_models")


@pytest.mark.parametrize(
    ("wire", "attribute"),
    [
        ("object", "object"),
        ("bytes", "bytes"),
        ("type", "type"),
        ("format", "format"),
        ("model_ids", "model_ids"),
        ("annotations", "annotations"),
        ("class", "class_"),
        ("schema", "schema_"),
        ("model_dump", "model_dump_"),
        ("datetime", "datetime_"),
        ("builtins", "builtins_"),
        ("__x", "x"),
    ],
)
def test_attribute_name(wire: str, attribute: str) -> None:
    assert attribute_name(wire) == attribute


def resolve(node: dict[str, str]) -> object:
    """No member here is a ``$ref``: nothing to follow."""
    return {}.get(node["$ref"])


def test_variant_labels_only_where_members_get_classes() -> None:
    """A union with one member that becomes a class names it like the union (no suffix); a
    declared discriminator may leave a member untagged, which then goes by its title."""
    one = {"oneOf": [{"type": "string"}, {"type": "object", "properties": {"a": {}}}]}
    assert variant_labels(one, one["oneOf"], resolve) == ["", ""]
    tagged = {
        "discriminator": {"propertyName": "kind"},
        "oneOf": [
            {"type": "object", "properties": {"kind": {"const": "a.b"}}},
            {"type": "object", "title": "Other", "properties": {"x": {}}},
        ],
    }
    assert variant_labels(tagged, tagged["oneOf"], resolve) == ["_a.b", "_Other"]
    untagged = {"anyOf": [{"type": "object"}, {"type": "object"}]}
    assert variant_labels(untagged, untagged["anyOf"], resolve) == ["", ""]
