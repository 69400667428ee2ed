"""Views of named schemas for the ``types`` templates: pydantic models, aliases and TypedDicts."""

from __future__ import annotations

import keyword
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..ir.model import Api, NamedSchema, ObjectSchema, Property, Schema
from ..naming.identifiers import ANNOTATION_BUILTINS, RUNTIME_NAMES
from .literals import docstring, py_literal
from .order import dependency_order
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


@dataclass
class ModelsModule:
    entries: list[ClassView | AliasView]
    rebuild: list[str]
    imports: set[str]
    names: list[str] = field(default_factory=list)

    @property
    def import_lines(self) -> list[str]:
        return import_lines(self.imports)

    @property
    def has_classes(self) -> bool:
        """Whether ``BaseModel`` is needed (an unused import would fail the project's ruff)."""
        return any(isinstance(entry, ClassView) for entry in self.entries)


@dataclass
class ParamsModule:
    entries: list[TypedDictView | AliasView]
    imports: set[str]
    model_imports: list[str]
    names: list[str] = field(default_factory=list)

    @property
    def import_lines(self) -> list[str]:
        extra = [f"from ._models import {', '.join(self.model_imports)}"] if self.model_imports else []
        return import_lines(self.imports, extra=extra)


def _schema_doc(named: NamedSchema) -> str:
    return named.schema.description or (named.title if named.title and named.title != named.name else "") or ""


def build_models_module(api: Api) -> ModelsModule:
    """All response-side types, dependencies first so aliases evaluate; cycles are rebuilt at the end."""
    renderer = TypeRenderer(api, "response")
    order, cyclic = dependency_order(api)
    entries: list[ClassView | AliasView] = []
    defined: set[str] = set()
    for key in order:
        named = api.schema(key)
        if isinstance(named.schema, ObjectSchema):
            # Class bodies are lazy (``from __future__ import annotations``): any order works.
            fields = tuple(_model_field(renderer, prop) for prop in named.schema.properties)
            entries.append(ClassView(named.name, docstring(_schema_doc(named)), fields))
        else:
            recursive = key in cyclic and _alias_reaches_itself(api, key)
            renderer.used.add("TypeAliasType" if recursive else "TypeAlias")
            before = set(renderer.refs)
            renderer.refs.clear()
            expression = renderer.render(named.schema)
            forward = {api.schema(ref).name for ref in renderer.refs} - defined
            renderer.refs |= before
            if forward or recursive:  # an alias on a cycle: evaluated lazily by pydantic and type checkers
                expression = py_literal(expression)
            entries.append(AliasView(named.name, expression, docstring(_schema_doc(named), indent=""), recursive=recursive))
        defined.add(named.name)
    rebuild = [api.schema(key).name for key in order if key in cyclic and isinstance(api.schema(key).schema, ObjectSchema)]
    return ModelsModule(entries, rebuild, renderer.used, [e.name for e in entries])


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


def _model_field(renderer: TypeRenderer, prop: Property) -> FieldView:
    annotation = renderer.render(prop.schema)
    const_default = literal_default(prop.schema) if not prop.required else None
    default_value: str | None = None
    if const_default is not None:
        default_value = const_default  # a tag like ``type: Literal["text"] = "text"`` stays a literal
    elif not prop.required:
        annotation = nullable(annotation)
        default_value = "None"
    if prop.py_name != prop.wire_name:
        renderer.used.add("Field")
        args = ([f"default={default_value}"] if default_value is not None else []) + [f"alias={py_literal(prop.wire_name)}"]
        return FieldView(prop.py_name, annotation, f"Field({', '.join(args)})", docstring(prop.description))
    return FieldView(prop.py_name, annotation, default_value, docstring(prop.description))


def request_schema_keys(api: Api, roots: list[Schema]) -> list[str]:
    """Object schemas a caller can send (bodies and parameters), in spec order."""
    reachable = reachable_refs_all(api, roots)
    return [named.key for named in api.schemas if named.key in reachable and isinstance(named.schema, ObjectSchema)]


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


def _request_annotation(renderer: TypeRenderer, prop: Property, undefined: set[str | None]) -> str:
    """A field's request type, quoted when it names a TypedDict not defined yet: the functional
    form is evaluated at import time, unlike class bodies (self-references, later definitions)."""
    before = set(renderer.refs)
    renderer.refs.clear()
    annotation = renderer.render(prop.schema)
    names = {renderer.api.schema(ref).request_name for ref in renderer.refs}
    renderer.refs |= before
    return py_literal(annotation) if names & undefined else annotation


def build_params_module(api: Api, keys: list[str]) -> ParamsModule:
    """TypedDicts for request objects. Class bodies are lazy, so order does not matter."""
    renderer = TypeRenderer(api, "request")
    entries: list[TypedDictView | AliasView] = []
    undefined = {api.schema(key).request_name for key in keys}
    for key in keys:
        named = api.schema(key)
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
        undefined.discard(named.request_name)
        entries.append(TypedDictView(named.request_name, docstring(_schema_doc(named)), tuple(fields), functional))
    model_imports = sorted(
        api.schema(ref).name for ref in renderer.refs if not isinstance(api.schema(ref).schema, ObjectSchema)
    )
    used = renderer.used | ({"TypedDict"} if entries else set())
    return ParamsModule(entries, used, model_imports, [e.name for e in entries])


__all__ = ["build_models_module", "build_params_module", "direct_refs", "request_schema_keys"]
