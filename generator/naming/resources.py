"""Grouping operations into a resource tree: ``client.beta.threads.runs.create(...)``.

A naming config may bind an operation (``"POST /v1/tasks/runs"`` or its operationId) to one or
more dotted method paths; the first is the operation's home, the others are aliases. Every other
operation is placed by the default rules (``naming.methods``): the resource from the path's
segments, the method from the HTTP method and the path's shape.

Two operations that want one name on one resource are a *collision*. It is settled by a rank
intrinsic to each operation (``Placement.rank``: the operationId that agrees with the name, no
query string, the lowest version, PATCH before PUT before POST, the shorter path), never by the
order of the document, so adding an operation elsewhere never renames one. The others take
their first free alternative (``create_beta`` for ``?beta=true``, ``list_v2``, the operationId's
``list_for_repo``, ``replace`` for a ``PUT``), else a number. Configured names are claimed
first; a default one yields to them. :class:`Collision` records each decision (``apigen -v``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..errors import ApigenError
from ..ir.model import Api, Operation
from ..records import record
from .identifiers import (
    CLIENT_MEMBERS,
    UniqueNamer,
    class_name,
    method_name,
    module_name,
)
from .methods import Placement, default_placements

# Method names a resource class already has.
_RESOURCE_RESERVED = frozenset(
    {"with_raw_response", "with_streaming_response", "_client", "_get", "_post"}
)


@record
class MethodBinding:
    name: str
    operation: Operation
    alias_of: str | None = None
    """Dotted path of the primary binding when this one is an alias."""


@record
class Collision:
    """Operations that wanted one name on one resource, and what each got."""

    resource: tuple[str, ...]
    wanted: str
    winner: Operation | None
    """The operation that kept the name; ``None`` when a configured method or a sub-resource
    has it."""
    others: tuple[tuple[Operation, str], ...]
    """Every other contender and the name it got instead."""

    def describe(self) -> str:
        where = ".".join(("client", *self.resource, self.wanted))
        settled = ", ".join(f"{op.method.upper()} {op.path} → {name}" for op, name in self.others)
        if self.winner is None:
            return f"{where} is taken (config or sub-resource): {settled}"
        return f"{where} kept by {self.winner.method.upper()} {self.winner.path}: {settled}"


@dataclass(slots=True)
class ResourceNode:
    """One resource (a class in the client); ``path`` is empty for the client root."""

    path: tuple[str, ...]
    methods: list[MethodBinding] = field(default_factory=list)
    children: dict[str, ResourceNode] = field(default_factory=dict)
    unique_name: str = ""
    """Class stem, distinct across the tree (set once the tree is complete)."""
    collisions: list[Collision] = field(default_factory=list)
    """On the root: every collision the default names settled, in a stable order."""

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

    def node(self, path: tuple[str, ...]) -> ResourceNode:
        node = self
        for part in path:
            node = node.child(part)
        return node

    def walk(self) -> list[ResourceNode]:
        """This node and all below it, parents before children, in a stable order."""
        nodes = [self]
        for name in sorted(self.children):
            nodes.extend(self.children[name].walk())
        return nodes

    def all_bindings(self) -> list[MethodBinding]:
        return [binding for node in self.walk() for binding in node.methods]


def _parse_target(target: str, where: str) -> tuple[tuple[str, ...], str]:
    parts = target.split(".")
    if not all(re.fullmatch(r"[a-z_][a-z0-9_]*", part) for part in parts):
        raise ApigenError(f"invalid method path {target!r} in naming config", pointer=where)
    return tuple(module_name(p) for p in parts[:-1]), method_name(parts[-1])


def build_resource_tree(
    api: Api, bindings: Mapping[str, Sequence[str]] | None = None
) -> ResourceNode:
    """Place every operation under exactly one home method, plus any configured aliases."""
    operations = api.operations
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
    configured = [op for op in operations if _binding_for(op, bindings)]
    derived_ops = {op.pointer for op in operations if not _binding_for(op, bindings)}
    placements = [p for p in default_placements(api) if p.operation.pointer in derived_ops]
    targets = {
        op.pointer: [
            _parse_target(target, f"resources/{op.operation_id}/{index}")
            for index, target in enumerate(_binding_for(op, bindings))
        ]
        for op in configured
    }
    for path in [p for ts in targets.values() for p, _ in ts] + [p.resource for p in placements]:
        root.node(path)  # every resource exists before names are handed out: none may shadow one
    namers: dict[tuple[str, ...], UniqueNamer] = {}

    def namer(path: tuple[str, ...]) -> UniqueNamer:
        if path not in namers:
            node = root.node(path)
            reserved = _RESOURCE_RESERVED | set(node.children) | (set() if path else CLIENT_MEMBERS)
            namers[path] = UniqueNamer(reserved)
        return namers[path]

    for op in configured:  # configured names first, so derived ones yield on collision
        primary: str | None = None
        for path, name in targets[op.pointer]:
            final = namer(path).claim(name)
            root.node(path).methods.append(MethodBinding(final, op, primary))
            primary = primary or ".".join(path + (final,))
    root.collisions.extend(_place_defaults(root, placements, namer))
    _check_no_attribute_clash(root)
    _name_classes(root)
    return root


def _place_defaults(
    root: ResourceNode, placements: list[Placement], namer: Callable[[tuple[str, ...]], UniqueNamer]
) -> list[Collision]:
    """Winners of each wanted name first (by rank), then the others' alternatives."""
    groups: dict[tuple[tuple[str, ...], str], list[Placement]] = {}
    for placement in placements:
        groups.setdefault((placement.resource, placement.name), []).append(placement)
    chosen: dict[str, str] = {}
    losers: list[tuple[tuple[tuple[str, ...], str], Placement, Placement | None]] = []
    for key in sorted(groups):
        ranked = sorted(groups[key], key=lambda p: p.rank)
        resource, name = key
        scope = namer(resource)
        if scope.is_taken(name):  # a configured name or a resource attribute has it
            losers.extend((key, p, None) for p in ranked)
            continue
        chosen[ranked[0].operation.pointer] = scope.claim(name)
        losers.extend((key, p, ranked[0]) for p in ranked[1:])
    for _, placement, winner in sorted(losers, key=lambda item: (item[0], item[1].rank)):
        scope = namer(placement.resource)
        alternatives = placement.alternatives(winner)
        free = next((alt for alt in alternatives if not scope.is_taken(alt)), None)
        chosen[placement.operation.pointer] = scope.claim(free or placement.name)
    for placement in placements:  # the document's order within each resource
        node = root.node(placement.resource)
        node.methods.append(MethodBinding(chosen[placement.operation.pointer], placement.operation))
    collisions: list[Collision] = []
    for (resource, name), group in sorted(groups.items()):
        if len(group) == 1 and chosen[group[0].operation.pointer] == name:
            continue
        ranked = sorted(group, key=lambda p: p.rank)
        kept = [p for p in ranked if chosen[p.operation.pointer] == name]
        winner = kept[0] if kept else None
        others = tuple(
            (p.operation, chosen[p.operation.pointer]) for p in ranked if p is not winner
        )
        collisions.append(Collision(resource, name, winner.operation if winner else None, others))
    return collisions


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


__all__ = ["Collision", "MethodBinding", "ResourceNode", "build_resource_tree"]
