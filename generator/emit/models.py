"""Views of named schemas for the ``types`` templates: pydantic models, aliases and TypedDicts."""

from __future__ import annotations

import keyword
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..ir.model import Api, NamedSchema, ObjectSchema, Property, Schema
from ..naming.identifiers import ANNOTATION_BUILTINS, RUNTIME_NAMES
from ..naming.schemas import field_names
from .literals import docstring, py_literal
from .operations import pick_body
from .order import dependency_components, request_components
from .types import TypeRenderer, direct_refs, literal_default, nullable, reachable_refs_all


@dataclass(frozen=True)
class FieldView:
    name: str
    annotation: str
    default: str | None
    """Right-hand side (``= ...``) or ``None`` for a required field."""
    doc: str

    @property
    def key_literal(self) -> str:
        return py_literal(self.name)


@dataclass(frozen=True)
class ClassView:
    name: str
    doc: str
    fields: tuple[FieldView, ...]
    kind: str = "class"


@dataclass(frozen=True)
class AliasView:
    name: str
    expression: str
    doc: str
    kind: str = "alias"
    recursive: bool = False
    """Reaches itself through aliases only: a ``TypeAliasType`` (pydantic cannot evaluate an
    implicit recursive alias; it recurses until the interpreter gives up)."""

    @property
    def name_literal(self) -> str:
        return py_literal(self.name)


@dataclass(frozen=True)
class TypedDictView:
    name: str
    doc: str
    fields: tuple[FieldView, ...]
    functional: bool
    """Keys that are not identifiers force the ``TypedDict("Name", {...})`` form."""

    @property
    def doc_unindented(self) -> str:
        return self.doc.replace("\n    ", "\n").strip()


_ABC = ("Mapping", "Sequence")
_TYPING = ("Annotated", "Literal", "TypeAlias")


def import_lines(used: set[str], *, extra: Sequence[str] = ()) -> list[str]:
    """Import lines for exactly the names a module uses (ruff then sorts them)."""
    lines: list[str] = []
    if {"date", "datetime"} & used:
        lines.append("from datetime import " + ", ".join(sorted({"date", "datetime"} & used)))
    abc_names = [n for n in _ABC if n in used]
    if abc_names:
        lines.append(f"from collections.abc import {', '.join(abc_names)}")
    typing_names = [n for n in _TYPING if n in used]
    if typing_names:
        lines.append(f"from typing import {', '.join(typing_names)}")
    extension_names = [n for n in ("Required", "TypeAliasType", "TypedDict") if n in used]
    if extension_names:
        lines.append(f"from typing_extensions import {', '.join(extension_names)}")
    if "Field" in used:
        lines.append("from pydantic import Field")
    if "FileTypes" in used:
        lines.append("from .._types import FileTypes")
    lines.extend(extra)
    return lines


CHUNK_SIZE = 4000
"""Most statements (a definition, plus one per field) in one ``types`` module. Pyright stops
checking a module whose code-flow graph is too big ("Code is too complex to analyze", roughly
30,000 field assignments), so large specs get several modules."""


@dataclass
class ModelsModule:
    module: str
    """File stem inside ``types/``: ``_models``, then ``_models_2``, ``_models_3``, …"""
    title: str
    entries: list[ClassView | AliasView]
    rebuild: list[str]
    imports: set[str]
    names: list[str] = field(default_factory=list)
    siblings: dict[str, list[str]] = field(default_factory=dict)
    """Earlier modules → the names this one uses from them (never a later one: no cycles)."""

    @property
    def import_lines(self) -> list[str]:
        return import_lines(self.imports, extra=_from_lines(self.siblings))

    @property
    def has_classes(self) -> bool:
        """Whether ``BaseModel`` is needed (an unused import would fail the project's ruff)."""
        return any(isinstance(entry, ClassView) for entry in self.entries)


@dataclass
class ParamsModule:
    module: str
    """File stem inside ``types/``: ``_params``, then ``_params_2``, …"""
    title: str
    entries: list[TypedDictView | AliasView]
    imports: set[str]
    model_imports: dict[str, list[str]]
    """Models modules (aliases) and earlier params modules → the names used from them."""
    names: list[str] = field(default_factory=list)

    @property
    def import_lines(self) -> list[str]:
        return import_lines(self.imports, extra=_from_lines(self.model_imports))


def _from_lines(modules: dict[str, list[str]]) -> list[str]:
    return [
        f"from .{module} import {', '.join(sorted(names))}"
        for module, names in sorted(modules.items())
    ]


def _module_name(base: str, index: int) -> str:
    return base if index == 0 else f"{base}_{index + 1}"


def _title(subject: str, rest: str, index: int, count: int) -> str:
    """The module docstring's first sentence, numbered when the types are split."""
    part = f", part {index + 1} of {count}" if count > 1 else ""
    return f"{subject}{part}: {rest}"


def pack(groups: Sequence[Sequence[str]], cost: dict[str, int], size: int) -> list[list[str]]:
    """Consecutive groups packed into chunks of similar cost, each at most ``size`` unless one
    group alone is bigger. A group is never split. Always at least one (maybe empty) chunk."""
    total = sum(cost[key] for group in groups for key in group)
    count = max(1, -(-total // max(size, 1)))
    target = -(-total // count)
    chunks: list[list[str]] = [[]]
    weight = 0
    for group in groups:
        group_cost = sum(cost[key] for key in group)
        if chunks[-1] and (weight >= target or weight + group_cost > size):
            chunks.append([])
            weight = 0
        chunks[-1].extend(group)
        weight += group_cost
    return chunks


def _statements(schema: Schema) -> int:
    return 1 + (len(schema.properties) if isinstance(schema, ObjectSchema) else 0)


def _schema_doc(named: NamedSchema) -> str:
    return (
        named.schema.description
        or (named.title if named.title and named.title != named.name else "")
        or ""
    )


def build_models_modules(api: Api, chunk_size: int = CHUNK_SIZE) -> list[ModelsModule]:
    """All response-side types, dependencies first so aliases evaluate; cycles are rebuilt at the
    end of their module. Split between strongly connected components, so a module only imports
    from earlier ones."""
    components, cyclic = dependency_components(api)
    cost = {named.key: _statements(named.schema) for named in api.schemas}
    chunks = pack(components, cost, chunk_size)
    home: dict[str, str] = {}
    defined: set[str] = set()
    modules: list[ModelsModule] = []
    for index, keys in enumerate(chunks):
        module = _module_name("_models", index)
        renderer = TypeRenderer(api, "response")
        entries = [_model_entry(api, renderer, key, cyclic, defined) for key in keys]
        siblings: dict[str, list[str]] = {}
        for name in sorted({api.schema(ref).name for ref in renderer.refs}):
            if name in home:
                siblings.setdefault(home[name], []).append(name)
        names = [entry.name for entry in entries]
        home.update(dict.fromkeys(names, module))
        rebuild = [
            api.schema(key).name
            for key in keys
            if key in cyclic and isinstance(api.schema(key).schema, ObjectSchema)
        ]
        title = _title("Response models", "what the API sends back.", index, len(chunks))
        modules.append(
            ModelsModule(module, title, entries, rebuild, renderer.used, names, siblings)
        )
    return modules


def _model_entry(
    api: Api, renderer: TypeRenderer, key: str, cyclic: set[str], defined: set[str]
) -> ClassView | AliasView:
    named = api.schema(key)
    if isinstance(named.schema, ObjectSchema):
        # Class bodies are lazy (``from __future__ import annotations``): any order works.
        defined.add(named.name)
        py_names = field_names(named.schema)
        fields = tuple(
            _model_field(renderer, prop, py_names[prop.wire_name]) for prop in named.schema.properties
        )
        return ClassView(named.name, docstring(_schema_doc(named)), fields)
    recursive = key in cyclic and _alias_reaches_itself(api, key)
    renderer.used.add("TypeAliasType" if recursive else "TypeAlias")
    before = set(renderer.refs)
    renderer.refs.clear()
    expression = renderer.render(named.schema)
    forward = {api.schema(ref).name for ref in renderer.refs} - defined
    defined.add(named.name)
    renderer.refs |= before
    if forward or recursive:  # an alias on a cycle: evaluated lazily by pydantic and type checkers
        expression = py_literal(expression)
    return AliasView(
        named.name, expression, docstring(_schema_doc(named), indent=""), recursive=recursive
    )


def _alias_reaches_itself(api: Api, key: str) -> bool:
    """Whether following refs through non-object schemas only leads back to ``key``."""
    seen: set[str] = set()
    stack = list(direct_refs(api.schema(key).schema))
    while stack:
        ref = stack.pop()
        if ref == key:
            return True
        if ref in seen or isinstance(api.schema(ref).schema, ObjectSchema):
            continue
        seen.add(ref)
        stack.extend(direct_refs(api.schema(ref).schema))
    return False


def _model_field(renderer: TypeRenderer, prop: Property, py_name: str) -> FieldView:
    annotation = renderer.render(prop.schema)
    const_default = literal_default(prop.schema) if not prop.required else None
    default_value: str | None = None
    if const_default is not None:
        default_value = (
            const_default  # a tag like ``type: Literal["text"] = "text"`` stays a literal
        )
    elif not prop.required:
        annotation = nullable(annotation)
        default_value = "None"
    if py_name != prop.wire_name:
        renderer.used.add("Field")
        args = ([f"default={default_value}"] if default_value is not None else []) + [
            f"alias={py_literal(prop.wire_name)}"
        ]
        return FieldView(
            py_name, annotation, f"Field({', '.join(args)})", docstring(prop.description)
        )
    return FieldView(py_name, annotation, default_value, docstring(prop.description))


def request_schema_keys(api: Api) -> list[str]:
    """Object schemas a caller can send (parameters and the body each method sends), in spec order."""
    roots: list[Schema] = []
    for op in api.operations:
        roots.extend(p.schema for p in op.parameters)
        body = pick_body(op)
        if body is not None:
            roots.append(body.schema)
    reachable = reachable_refs_all(api, roots)
    return [
        named.key
        for named in api.schemas
        if named.key in reachable and isinstance(named.schema, ObjectSchema)
    ]


def _needs_functional_form(key: str) -> bool:
    """A key the class form would not keep verbatim: not an identifier, a keyword, NFKC-folded
    (``ｆｏｏ`` becomes ``foo``), name-mangled (``__x``) or one that shadows a name annotations use."""
    return (
        not (key.isascii() and key.isidentifier())
        or keyword.iskeyword(key)
        or key.startswith("__")
        or key in RUNTIME_NAMES
        or key in ANNOTATION_BUILTINS
        or key[:1].isupper()
    )


def _request_annotation(renderer: TypeRenderer, prop: Property, undefined: set[str]) -> str:
    """A field's request type, quoted when it names a TypedDict not defined yet: the functional
    form is evaluated at import time, unlike class bodies (self-references, later definitions)."""
    before = set(renderer.refs)
    renderer.refs.clear()
    annotation = renderer.render(prop.schema)
    names = {renderer.api.schema(ref).request_name for ref in renderer.refs}
    renderer.refs |= before
    return py_literal(annotation) if names & undefined else annotation


def build_params_modules(
    api: Api, keys: list[str], models: Sequence[ModelsModule], chunk_size: int = CHUNK_SIZE
) -> list[ParamsModule]:
    """TypedDicts for request objects: in spec order when they fit one module, else split like
    the models (dependencies first, between strongly connected components) so every module
    imports only earlier ones and each name resolves at run time (``get_type_hints`` works).
    Class bodies are lazy; the functional form is evaluated at import time and quotes the
    names its module defines further down."""
    cost = {
        key: 1 + sum(not prop.schema.read_only for prop in _properties(api, key)) for key in keys
    }
    if sum(cost.values()) <= chunk_size:
        chunks = [list(keys)]
    else:
        chunks = pack(request_components(api, keys), cost, chunk_size)
    home: dict[str, str] = {name: module.module for module in models for name in module.names}
    modules: list[ParamsModule] = []
    for index, chunk in enumerate(chunks):
        module = _module_name("_params", index)
        renderer = TypeRenderer(api, "request")
        undefined = {_request_name(api, key) for key in chunk}
        entries: list[TypedDictView | AliasView] = []
        for key in chunk:
            entries.append(_typed_dict(renderer, key, undefined))
            undefined.discard(_request_name(api, key))
        model_imports: dict[str, list[str]] = {}
        for ref in sorted(renderer.refs):
            named = api.schema(ref)
            name = (
                named.name
                if not isinstance(named.schema, ObjectSchema)
                else _request_name(api, ref)
            )
            if home.get(name, module) != module:
                model_imports.setdefault(home[name], []).append(name)
        names = [entry.name for entry in entries]
        home.update(dict.fromkeys(names, module))
        used = renderer.used | ({"TypedDict"} if entries else set())
        title = _title(
            "Request types",
            "plain dicts that callers write as literals, checked by type checkers.",
            index,
            len(chunks),
        )
        modules.append(ParamsModule(module, title, entries, used, model_imports, names))
    return modules


def _request_name(api: Api, key: str) -> str:
    name = api.schema(key).request_name
    assert name is not None
    return name


def _properties(api: Api, key: str) -> tuple[Property, ...]:
    schema = api.schema(key).schema
    assert isinstance(schema, ObjectSchema)
    return schema.properties


def _typed_dict(renderer: TypeRenderer, key: str, undefined: set[str]) -> TypedDictView:
    named = renderer.api.schema(key)
    assert isinstance(named.schema, ObjectSchema) and named.request_name
    properties = [prop for prop in named.schema.properties if not prop.schema.read_only]
    functional = any(_needs_functional_form(prop.wire_name) for prop in properties)
    fields: list[FieldView] = []
    for prop in properties:
        annotation = _request_annotation(renderer, prop, undefined if functional else set())
        if prop.required and literal_default(prop.schema) is None:
            renderer.used.add("Required")
            annotation = f"Required[{annotation}]"
        fields.append(FieldView(prop.wire_name, annotation, None, docstring(prop.description)))
    return TypedDictView(
        named.request_name, docstring(_schema_doc(named)), tuple(fields), functional
    )


__all__ = [
    "CHUNK_SIZE",
    "ModelsModule",
    "ParamsModule",
    "build_models_modules",
    "build_params_modules",
    "direct_refs",
    "request_schema_keys",
]
