"""The public surface of the client generated from an API: what user code names and calls.

``apigen diff`` judges a change by what it does to code written against the old client: method
paths (``client.beta.task_run.create``), argument names and kinds, and what a method returns
(type names come from the IR's named schemas; attribute Python types from the schema rules in
:mod:`.schemas`). This module is the one place that asks the generator for those facts — the
resource tree and the client plan's method plans (``plan.operations``), the same ones the
templates print — so the diff agrees with what ``apigen generate`` writes, including method paths
a project config pins. Facts are computed on demand, per operation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..config import ProjectConfig
from ..errors import ApigenError
from ..ir.model import Api, Operation
from ..naming.resources import build_resource_tree
from ..pagination import PaginationConfig
from ..pagination.detect import PageStyles
from ..plan.annotations import AnnotationRenderer
from ..plan.model import ReturnKind as PlannedReturn
from ..plan.operations import plan_operation
from ..records import record

ArgumentKind = Literal["positional", "keyword"]
ReturnKind = Literal[
    "nothing", "parsed data", "text", "a binary response", "a stream", "a paginated list"
]
OperationKey = tuple[str, str]
"""``(METHOD, path)``: how an operation is known on both sides."""


@record
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
    _request: AnnotationRenderer = field(init=False, repr=False)
    _response: AnnotationRenderer = field(init=False, repr=False)
    _pages: PageStyles = field(init=False, repr=False)

    def __post_init__(self) -> None:
        try:
            self._pages = PageStyles(self.api, self.config.pagination)
        except ApigenError:  # a config that does not fit this spec: judge by the defaults
            self._pages = PageStyles(self.api, PaginationConfig())
        self._request = AnnotationRenderer(self.api, "request")
        self._response = AnnotationRenderer(self.api, "response")
        known = {f"{op.method.upper()} {op.path}" for op in self.api.operations} | {
            op.operation_id for op in self.api.operations
        }
        bindings = {k: v for k, v in self.config.resources.items() if k in known}
        try:
            tree = build_resource_tree(self.api, bindings)
        except ApigenError:  # a config that does not fit this spec: judge by the defaults
            tree = build_resource_tree(self.api, {})
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
        """Arguments and what the method returns, as the client plan has them."""
        paths = self._paths.get(operation_key(op))
        renames = self.config.renames(tuple(paths[0].split("."))) if paths else {}
        planned = plan_operation(
            self.api,
            op,
            (),
            "",
            None,
            self._request,
            self._response,
            renames=renames,
            page=self._pages.style(op),
        )
        arguments = tuple(
            Argument(
                a.name,
                "positional" if a.positional else "keyword",
                a.required,
                a.location,
                a.spec_name,
            )
            for a in planned.arguments
        )
        return arguments, _RETURN_KINDS[planned.returns.kind]


_RETURN_KINDS: dict[PlannedReturn, ReturnKind] = {
    "none": "nothing",
    "json": "parsed data",
    "text": "text",
    "binary": "a binary response",
    "stream": "a stream",
    "json-or-stream": "a stream",
    "page": "a paginated list",
}


def operation_key(op: Operation) -> OperationKey:
    return (op.method.upper(), op.path)


def build_surface(api: Api, config: ProjectConfig | None = None) -> ClientSurface:
    """The surface of the client ``apigen generate`` writes for ``api`` under ``config``."""
    return ClientSurface(api, config if config is not None else ProjectConfig())


__all__ = ["Argument", "ClientSurface", "Method", "build_surface", "operation_key"]
