"""The public surface of the client generated from an API: what user code names and calls.

``apigen diff`` judges a change by what it does to code written against the old client: method
paths (``client.beta.task_run.create``), argument names and kinds, and what a method returns
(type names come from the IR's named schemas; attribute Python types from the schema rules in
:mod:`.schemas`). This module is the one place that asks the generator for those facts — today
the naming and emit helpers the templates use — so the diff agrees with what ``apigen generate``
writes, including method paths a project config pins. Switching it to the client plan, once the
emit stage exposes one, changes this module only. Facts are computed on demand, per operation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..config import ProjectConfig
from ..emit.operations import _RESERVED, _body_arguments, _parameter_argument, _returns
from ..emit.types import TypeRenderer
from ..errors import ApigenError
from ..ir.model import Api, Operation, Schema
from ..naming.identifiers import UniqueNamer
from ..naming.resources import build_resource_tree

ArgumentKind = Literal["positional", "keyword"]
ReturnKind = Literal["nothing", "parsed data", "raw content", "a stream"]
OperationKey = tuple[str, str]
"""``(METHOD, path)``: how an operation is known on both sides."""


@dataclass(frozen=True, slots=True)
class Argument:
    """One argument of a generated method, as a caller writes it."""

    name: str
    kind: ArgumentKind
    required: bool
    location: str
    """``path``, ``query``, ``header``, ``cookie``, ``body`` (a body field) or ``whole-body``."""
    wire_name: str


@dataclass
class Method:
    """A generated method; its arguments and return kind are worked out on first use."""

    path: str
    """Dotted, from the client: ``beta.task_run.create``."""
    aliases: tuple[str, ...]
    _signature: Callable[[], tuple[tuple[Argument, ...], ReturnKind]] = field(repr=False)
    _known: tuple[tuple[Argument, ...], ReturnKind] | None = field(default=None, repr=False)

    @property
    def arguments(self) -> tuple[Argument, ...]:
        return self._resolved()[0]

    @property
    def returns(self) -> ReturnKind:
        return self._resolved()[1]

    def _resolved(self) -> tuple[tuple[Argument, ...], ReturnKind]:
        if self._known is None:
            self._known = self._signature()
        return self._known

    def argument(self, location: str, wire_name: str) -> Argument | None:
        return next(
            (a for a in self.arguments if a.location == location and a.wire_name == wire_name),
            None,
        )

    @property
    def call(self) -> str:
        return f"client.{self.path}"


@dataclass
class ClientSurface:
    """Lazily computed public names of one generated client."""

    api: Api
    config: ProjectConfig
    _paths: dict[OperationKey, tuple[str, ...]] = field(init=False, repr=False)
    _methods: dict[OperationKey, Method] = field(init=False, repr=False, default_factory=dict)
    _renderer: TypeRenderer = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._renderer = _Unrendered(self.api, "request")
        known = {f"{op.method.upper()} {op.path}" for op in self.api.operations} | {
            op.operation_id for op in self.api.operations
        }
        bindings = {k: v for k, v in self.config.resources.items() if k in known}
        try:
            tree = build_resource_tree(self.api.operations, bindings)
        except ApigenError:  # a config that does not fit this spec: judge by the defaults
            tree = build_resource_tree(self.api.operations, {})
        paths: dict[OperationKey, list[str]] = {}
        for node in tree.walk():
            for binding in node.methods:
                path = ".".join(node.path + (binding.name,))
                paths.setdefault(operation_key(binding.operation), []).append(path)
        self._paths = {key: tuple(value) for key, value in paths.items()}

    def method(self, op: Operation) -> Method:
        key = operation_key(op)
        found = self._methods.get(key)
        if found is None:
            paths = self._paths.get(key, (op.operation_id,))
            found = Method(paths[0], paths[1:], lambda: self._signature(op))
            self._methods[key] = found
        return found

    def _signature(self, op: Operation) -> tuple[tuple[Argument, ...], ReturnKind]:
        """Arguments and what the method returns, named exactly as ``build_operation_view``
        names them (same helpers, same order of claims)."""
        namer = UniqueNamer(_RESERVED)
        arguments: list[Argument] = []
        for param in sorted(op.parameters, key=lambda p: p.location != "path"):
            arg = _parameter_argument(param, namer, self._renderer)
            kind: ArgumentKind = "positional" if param.location == "path" else "keyword"
            arguments.append(Argument(arg.name, kind, arg.required, arg.location, arg.wire_name))
        for arg in _body_arguments(self.api, op, namer, self._renderer)[2]:
            arguments.append(
                Argument(arg.name, "keyword", arg.required, arg.location, arg.wire_name)
            )
        returns, _, stream_item, json_return = _returns(self.api, op, self._renderer)
        if stream_item and json_return:
            streams = any(a.location == "body" and a.wire_name == "stream" for a in arguments)
            returns = returns if streams else json_return
        return tuple(arguments), _return_kind(returns)


class _Unrendered(TypeRenderer):
    """Types every schema as one placeholder: the surface compares names and kinds, and
    rendering an annotation for every argument would cost more than the whole comparison."""

    def render(self, schema: Schema) -> str:
        return _PLACEHOLDER


_PLACEHOLDER = "T"


def _return_kind(annotation: str) -> ReturnKind:
    if annotation == "None":
        return "nothing"
    if annotation.startswith("Stream["):
        return "a stream"
    if annotation in ("bytes", "str"):
        return "raw content"
    return "parsed data"


def operation_key(op: Operation) -> OperationKey:
    return (op.method.upper(), op.path)


def build_surface(api: Api, config: ProjectConfig | None = None) -> ClientSurface:
    """The surface of the client ``apigen generate`` writes for ``api`` under ``config``."""
    return ClientSurface(api, config if config is not None else ProjectConfig())


__all__ = ["Argument", "ClientSurface", "Method", "build_surface", "operation_key"]
