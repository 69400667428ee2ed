"""Views of the plan's types for the ``types`` templates: pydantic models, aliases and TypedDicts,
split into modules that each import only earlier ones: one set of modules per set of client
attributes that reach the types (``reach_groups``), so a call imports only what it can use."""

from __future__ import annotations

import keyword
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from ..ir.graph import strongly_connected
from ..ir.model import ObjectSchema, Schema
from ..literals import docstring, py_literal
from ..naming.identifiers import ANNOTATION_BUILTINS, RUNTIME_NAMES
from ..plan.annotations import Annotation, literal_default
from ..plan.model import ClientPlan, FieldPlan, TypePlan
from ..records import record
from .imports import import_lines
from .order import dependency_components, group_order, reach_groups, request_components

CHUNK_SIZE = 4000
"""Most statements (a definition, plus one per field) in one ``types`` module. Pyright stops
checking a module whose code-flow graph is too big ("Code is too complex to analyze", roughly
30,000 field assignments), so large specs get several modules."""


@record
class FieldView:
    name: str
    annotation: str
    default: str | None
    """Right-hand side (``= ...``) or ``None`` for a required field."""
    doc: str

    @property
    def key_literal(self) -> str:
        return py_literal(self.name)


@record
class ClassView:
    name: str
    doc: str
    fields: tuple[FieldView, ...]
    kind: str = "class"


@record
class AliasView:
    name: str
    expression: str
    doc: str
    kind: str = "alias"
    recursive: bool = False
    """Names a type not defined yet (itself, through aliases only, or a later model): a
    ``TypeAliasType`` at run time (pydantic cannot evaluate an implicit recursive alias; it
    recurses until the interpreter gives up), a quoted ``TypeAlias`` for type checkers."""

    @property
    def name_literal(self) -> str:
        return py_literal(self.name)


@record
class TypedDictView:
    name: str
    doc: str
    fields: tuple[FieldView, ...]
    functional: bool
    """Keys that are not identifiers force the ``TypedDict("Name", {...})`` form."""

    @property
    def doc_unindented(self) -> str:
        return self.doc.replace("\n    ", "\n").strip()


@dataclass
class ModelsModule:
    module: str
    """File stem inside ``types/``: ``_models``, then ``_models_2``, ``_models_3``, …"""
    title: str
    entries: list[ClassView | AliasView]
    rebuild: list[str]
    """Models on a cycle, rebuilt once the module has defined them all."""
    import_lines: list[str]
    names: list[str] = field(default_factory=list)


@dataclass
class ParamsModule:
    module: str
    """File stem inside ``types/``: ``_params``, then ``_params_2``, …"""
    title: str
    entries: list[TypedDictView | AliasView]
    import_lines: list[str]
    names: list[str] = field(default_factory=list)


class _Needs:
    """The names one module's definitions use, and the generated types they mention."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.refs: set[str] = set()

    def add(self, annotation: Annotation) -> str:
        self.names |= annotation.imports
        self.refs |= annotation.refs
        return annotation.text

    def import_lines(self, module: str, homes: dict[str, str]) -> list[str]:
        """Helpers, plus every type defined in an earlier module (never a later one: no cycles)."""
        earlier = {
            name: f"types.{homes[name]}" for name in self.refs if homes.get(name, module) != module
        }
        return import_lines(self.names | earlier.keys(), "types", earlier)


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


def build_models_modules(plan: ClientPlan, chunk_size: int = CHUNK_SIZE) -> list[ModelsModule]:
    """All response-side types, dependencies first so aliases evaluate; cycles are rebuilt at the
    end of their module. Split between strongly connected components, so a module only imports
    from earlier ones."""
    api = plan.api
    types = {t.named.key: t for t in plan.types}
    components, cyclic = dependency_components(api)
    recursive = recursive_aliases(plan.types)
    components = [definition_order(component, types, recursive) for component in components]
    cost = {key: _statements(t.named.schema) for key, t in types.items()}
    reach = reach_groups(plan)
    by_group: dict[tuple[str, ...], list[list[str]]] = {}
    for component in components:
        by_group.setdefault(reach[component[0]], []).append(component)
    chunks = [
        chunk
        for tops in group_order(list(by_group))
        for chunk in pack(by_group[tops], cost, chunk_size)
    ] or [[]]
    homes: dict[str, str] = {}
    defined: set[str] = set()
    modules: list[ModelsModule] = []
    for index, keys in enumerate(chunks):
        module = _module_name("_models", index)
        needs = _Needs()
        entries = [_model_entry(types[key], key in recursive, defined, needs) for key in keys]
        if any(isinstance(entry, ClassView) for entry in entries):
            needs.names.add("BaseModel")
        lines = needs.import_lines(module, homes)
        names = [entry.name for entry in entries]
        homes.update(dict.fromkeys(names, module))
        rebuild = [types[key].name for key in keys if key in cyclic and types[key].kind == "model"]
        title = _title("Response models", "what the API sends back.", index, len(chunks))
        modules.append(ModelsModule(module, title, entries, rebuild, lines, names))
    return modules


def recursive_aliases(types: Sequence[TypePlan]) -> set[str]:
    """Keys of the aliases whose value reaches themselves through other aliases' values only: a
    ``TypeAliasType``, evaluated lazily (a plain alias would need itself to exist first)."""
    aliases = {t.name: t for t in types if t.kind == "alias"}
    positions = {name: i for i, name in enumerate(aliases)}
    graph = {
        name: sorted(_alias_refs(t, aliases), key=positions.__getitem__)
        for name, t in aliases.items()
    }
    _, cyclic = strongly_connected(graph, positions)
    return {aliases[name].named.key for name in cyclic}


def _alias_refs(plan: TypePlan, aliases: dict[str, TypePlan]) -> set[str]:
    assert plan.annotation is not None
    return {name for name in plan.annotation.refs if name in aliases}


def definition_order(
    component: Sequence[str], types: dict[str, TypePlan], recursive: set[str]
) -> list[str]:
    """One strongly connected set of schemas in the order their definitions evaluate: models
    first (their bodies are lazy, rebuilt at the end of the module), then recursive aliases
    (lazy too), then every other alias after the aliases its value names."""
    models = [key for key in component if types[key].kind == "model"]
    lazy = [key for key in component if types[key].kind == "alias" and key in recursive]
    eager = {
        types[key].name: types[key]
        for key in component
        if types[key].kind == "alias" and key not in recursive
    }
    positions = {name: i for i, name in enumerate(eager)}
    graph = {
        name: sorted(_alias_refs(t, eager), key=positions.__getitem__) for name, t in eager.items()
    }
    ordered, _ = strongly_connected(graph, positions)
    return [*models, *lazy, *(eager[name].named.key for group in ordered for name in group)]


def _model_entry(
    plan: TypePlan, recursive: bool, defined: set[str], needs: _Needs
) -> ClassView | AliasView:
    if plan.kind == "model":
        # Class bodies are lazy (``from __future__ import annotations``): any order works.
        defined.add(plan.name)
        shadowed = frozenset(f.name for f in plan.fields) & ANNOTATION_BUILTINS
        fields = tuple(_model_field(f, needs, shadowed) for f in plan.fields)
        return ClassView(plan.name, docstring(plan.description), fields)
    assert plan.annotation is not None
    # An alias evaluates its value at import: one that names a type not defined yet (itself,
    # through others) is a ``TypeAliasType`` at run time, whose quoted value pydantic evaluates
    # lazily (a quoted plain alias would be a string, which ``Alias | None`` rejects). Type
    # checkers read a quoted ``TypeAlias`` instead: pyright rejects a recursive
    # ``TypeAliasType`` whenever another alias naming it is evaluated first (an import order).
    lazy = recursive or bool(plan.annotation.refs - defined - {plan.name})
    needs.names.add("TypeAlias")
    if lazy:
        needs.names.update(("TYPE_CHECKING", "TypeAliasType"))
    expression = needs.add(plan.annotation)
    defined.add(plan.name)
    if lazy:
        expression = py_literal(expression)
    return AliasView(plan.name, expression, docstring(plan.description, indent=""), recursive=lazy)


def _model_field(plan: FieldPlan, needs: _Needs, shadowed: frozenset[str]) -> FieldView:
    annotation = plan.annotation
    const_default = literal_default(plan.schema) if not plan.required else None
    default_value: str | None = None
    if const_default is not None:
        default_value = (
            const_default  # a tag like ``type: Literal["text"] = "text"`` stays a literal
        )
    elif not plan.required:
        annotation = annotation.nullable()
        default_value = "None"
    text = needs.add(annotation)
    if shadowed:
        # A field named ``bytes`` is what ``bytes`` means in the rest of the class body.
        qualified = qualify_builtins(text, shadowed)
        if qualified != text:
            needs.names.add("builtins")
            text = qualified
    doc = docstring(plan.description)
    if plan.name != plan.spec_name:
        needs.names.add("Field")
        args = ([f"default={default_value}"] if default_value is not None else []) + [
            f"alias={py_literal(plan.spec_name)}"
        ]
        return FieldView(plan.name, text, f"Field({', '.join(args)})", doc)
    return FieldView(plan.name, text, default_value, doc)


_TOKEN = re.compile(r""""(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|(?<![\w.])[A-Za-z_]\w*""")


def qualify_builtins(text: str, names: frozenset[str]) -> str:
    """``text`` with each of the builtins ``names`` written ``builtins.X``; string literals
    (``Literal["str"]``) and attribute parts are left alone."""
    return _TOKEN.sub(
        lambda m: f"builtins.{m[0]}" if m[0] in names else m[0],
        text,
    )


def _needs_functional_form(key: str) -> bool:
    """A key the class form would not keep verbatim: not an identifier, a keyword, NFKC-folded
    (``ｆｏｏ`` becomes ``foo``), name-mangled (``__x``) or one that shadows a name annotations
    use."""
    return (
        not (key.isascii() and key.isidentifier())
        or keyword.iskeyword(key)
        or key.startswith("__")
        or key in RUNTIME_NAMES
        or key in ANNOTATION_BUILTINS
        or key[:1].isupper()
    )


def build_params_modules(
    plan: ClientPlan, models: Sequence[ModelsModule], chunk_size: int = CHUNK_SIZE
) -> list[ParamsModule]:
    """TypedDicts for request objects, grouped like the models by the client attributes that
    reach them; a group in spec order when it fits one module, else split like
    the models (dependencies first, between strongly connected components) so every module
    imports only earlier ones and each name resolves at run time (``get_type_hints`` works).
    Class bodies are lazy; the functional form is evaluated at import time and quotes the
    names its module defines further down."""
    sent = {t.named.key: t for t in plan.types if t.request is not None}
    cost = {key: 1 + len(t.request.fields) for key, t in sent.items() if t.request is not None}
    reach = reach_groups(plan)
    by_group: dict[tuple[str, ...], list[str]] = {}
    for key in sent:
        by_group.setdefault(reach[key], []).append(key)
    chunks: list[list[str]] = []
    for tops in group_order(list(by_group)):
        keys = by_group[tops]
        if sum(cost[key] for key in keys) <= chunk_size:
            chunks.append(keys)
        else:
            chunks += pack(request_components(plan.api, keys), cost, chunk_size)
    chunks = chunks or [[]]
    homes = {name: module.module for module in models for name in module.names}
    modules: list[ParamsModule] = []
    for index, chunk in enumerate(chunks):
        module = _module_name("_params", index)
        needs = _Needs()
        undefined = {_request_name(sent[key]) for key in chunk}
        entries: list[TypedDictView | AliasView] = []
        for key in chunk:
            entries.append(_typed_dict(sent[key], undefined, needs))
            undefined.discard(_request_name(sent[key]))
        if entries:
            needs.names.add("TypedDict")
        lines = needs.import_lines(module, homes)
        names = [entry.name for entry in entries]
        homes.update(dict.fromkeys(names, module))
        title = _title(
            "Request types",
            "plain dicts that callers write as literals, checked by type checkers.",
            index,
            len(chunks),
        )
        modules.append(ParamsModule(module, title, entries, lines, names))
    return modules


def _request_name(plan: TypePlan) -> str:
    assert plan.request is not None
    return plan.request.name


def _typed_dict(plan: TypePlan, undefined: set[str], needs: _Needs) -> TypedDictView:
    request = plan.request
    assert request is not None
    functional = any(_needs_functional_form(f.spec_name) for f in request.fields)
    fields: list[FieldView] = []
    for f in request.fields:
        # The functional form is evaluated at import time, unlike class bodies: a TypedDict not
        # defined yet (itself, a later one) is named in quotes.
        text = needs.add(f.annotation)
        if functional and f.annotation.refs & undefined:
            text = py_literal(text)
        if f.required and literal_default(f.schema) is None:
            needs.names.add("Required")
            text = f"Required[{text}]"
        fields.append(FieldView(f.name, text, None, docstring(f.description)))
    return TypedDictView(request.name, docstring(plan.description), tuple(fields), functional)
