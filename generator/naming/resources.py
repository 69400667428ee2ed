"""Grouping operations into a resource tree: ``client.beta.task_run.create(...)``.

A naming config may bind an operation (``"POST /v1/tasks/runs"`` or its operationId) to one or
more dotted method paths; the first is the operation's home, the others are aliases. Without a
binding the resource comes from the first tag and the method from the operationId with framework
suffixes (FastAPI's ``_v1_tasks_runs_post``) stripped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import ApigenError
from ..ir.model import Operation
from .identifiers import (
    CLIENT_MEMBERS,
    UniqueNamer,
    class_name,
    method_name,
    module_name,
)

# Method names a resource class already has.
_RESOURCE_RESERVED = frozenset(
    {"with_raw_response", "with_streaming_response", "_client", "_get", "_post"}
)


@dataclass(frozen=True, slots=True)
class MethodBinding:
    name: str
    operation: Operation
    alias_of: str | None = None
    """Dotted path of the primary binding when this one is an alias."""


@dataclass(slots=True)
class ResourceNode:
    """One resource (a class in the client); ``path`` is empty for the client root."""

    path: tuple[str, ...]
    methods: list[MethodBinding] = field(default_factory=list)
    children: dict[str, ResourceNode] = field(default_factory=dict)
    unique_name: str = ""
    """Class stem, distinct across the tree (set once the tree is complete)."""

    @property
    def attr(self) -> str:
        return self.path[-1] if self.path else ""

    @property
    def class_name(self) -> str:
        if not self.path:
            return ""
        return (self.unique_name or class_name("_".join(self.path))) + "Resource"

    def child(self, name: str) -> ResourceNode:
        if name not in self.children:
            self.children[name] = ResourceNode(self.path + (name,))
        return self.children[name]

    def walk(self) -> list[ResourceNode]:
        """This node and all below it, parents before children, in a stable order."""
        nodes = [self]
        for name in sorted(self.children):
            nodes.extend(self.children[name].walk())
        return nodes

    def all_bindings(self) -> list[MethodBinding]:
        return [binding for node in self.walk() for binding in node.methods]


def strip_framework_suffix(operation_id: str, method: str, path: str) -> str:
    """``tasks_runs_post_v1_tasks_runs_post`` → ``tasks_runs_post`` (FastAPI's generated ids)."""
    suffix = "_" + re.sub(r"\W", "_", path).strip("_") + "_" + method.lower()
    for candidate in (suffix, re.sub(r"\W", "_", path) + "_" + method.lower()):
        if operation_id.endswith(candidate) and len(operation_id) > len(candidate):
            return operation_id[: -len(candidate)].rstrip("_") or operation_id
    return operation_id


def default_method_name(operation: Operation) -> str:
    base = strip_framework_suffix(operation.operation_id, operation.method, operation.path)
    return method_name(base)


def default_resource(operation: Operation) -> tuple[str, ...]:
    if operation.tags:
        return (module_name(operation.tags[0]),)
    segments = [s for s in operation.path.split("/") if s and not s.startswith("{")]
    segments = [s for s in segments if not re.fullmatch(r"v\d+(alpha|beta)?\d*|api", s)]
    return (module_name(segments[0]),) if segments else ()


def _parse_target(target: str, where: str) -> tuple[tuple[str, ...], str]:
    parts = target.split(".")
    if not all(re.fullmatch(r"[a-z_][a-z0-9_]*", part) for part in parts):
        raise ApigenError(f"invalid method path {target!r} in naming config", pointer=where)
    return tuple(module_name(p) for p in parts[:-1]), method_name(parts[-1])


def build_resource_tree(
    operations: Sequence[Operation], bindings: Mapping[str, Sequence[str]] | None = None
) -> ResourceNode:
    """Place every operation under exactly one home method, plus any configured aliases."""
    bindings = dict(bindings or {})
    root = ResourceNode(())
    known = {f"{op.method.upper()} {op.path}" for op in operations} | {
        op.operation_id for op in operations
    }
    for key in bindings:
        if key not in known:
            raise ApigenError(
                f"naming config names an unknown operation {key!r}", pointer=f"resources/{key}"
            )
    namers: dict[tuple[str, ...], UniqueNamer] = {}

    def place(path: tuple[str, ...], name: str, operation: Operation, alias_of: str | None) -> str:
        node = root
        for part in path:
            node = node.child(part)
        reserved = _RESOURCE_RESERVED | set(node.children) | (set() if path else CLIENT_MEMBERS)
        namer = namers.setdefault(path, UniqueNamer(reserved))
        final = namer.claim(name)
        node.methods.append(MethodBinding(final, operation, alias_of))
        return ".".join(path + (final,))

    configured = [op for op in operations if _binding_for(op, bindings)]
    derived = [op for op in operations if not _binding_for(op, bindings)]
    for op in configured:  # configured names first, so derived ones yield on collision
        targets = _binding_for(op, bindings)
        primary: str | None = None
        for index, target in enumerate(targets):
            path, name = _parse_target(target, f"resources/{op.operation_id}/{index}")
            placed = place(path, name, op, primary)
            primary = primary or placed
    for op in derived:
        place(default_resource(op), default_method_name(op), op, None)
    _check_no_attribute_clash(root)
    _name_classes(root)
    return root


def _binding_for(op: Operation, bindings: Mapping[str, Sequence[str]]) -> Sequence[str]:
    return bindings.get(f"{op.method.upper()} {op.path}") or bindings.get(op.operation_id) or ()


def _name_classes(root: ResourceNode) -> None:
    """Distinct class stems: paths ``foo2`` and ``foo_2`` would both give ``Foo2Resource``."""
    namer = UniqueNamer()
    for node in root.walk():
        if node.path:
            node.unique_name = namer.claim(class_name("_".join(node.path)))


def _check_no_attribute_clash(root: ResourceNode) -> None:
    """A child resource and a method of the same name on one node would shadow each other."""
    for node in root.walk():
        for binding in node.methods:
            if binding.name in node.children:
                raise ApigenError(
                    f"method {binding.name!r} and sub-resource of the same name on "
                    f"{'.'.join(node.path) or 'the client'}",
                    pointer=binding.operation.pointer,
                )


__all__ = ["MethodBinding", "ResourceNode", "build_resource_tree"]
