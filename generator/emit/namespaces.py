"""Types namespaced like resources: ``<package>.types.beta`` re-exports the types the methods
under ``client.beta`` take and return, so a user finds a request type where the method lives
(``from parallel_api.types.beta import McpServerParam``); the flat ``<package>.types`` import
keeps working."""

from __future__ import annotations

from ..plan.model import ClientPlan, ResourcePlan
from ..records import record


@record
class TypeNamespace:
    """One ``types/<resource path>/__init__.py``."""

    path: tuple[str, ...]
    """The resource path (``("beta", "task_run")``)."""
    names: tuple[str, ...]
    """Generated types named by the signatures below the resource, sorted."""

    @property
    def file_path(self) -> str:
        return "types/" + "/".join(self.path) + "/__init__.py"

    @property
    def types_package(self) -> str:
        """The flat ``types`` package, relative to this one (``..`` from ``types.beta``)."""
        return "." * (len(self.path) + 1)

    @property
    def doc(self) -> str:
        return f"Types of the methods under ``client.{'.'.join(self.path)}``."


def type_namespaces(plan: ClientPlan) -> list[TypeNamespace]:
    """A namespace for every resource whose methods (its own and its sub-resources') name a
    generated type, parents before children."""
    spaces = [TypeNamespace(r.path, _names(r)) for r in plan.resources()]
    return sorted((s for s in spaces if s.names), key=lambda s: s.path)


def _names(resource: ResourcePlan) -> tuple[str, ...]:
    names: set[str] = set()
    for below in resource.walk():
        for op in below.operations:
            shown = [a.annotation for a in op.arguments] + [op.returns.json, op.returns.item]
            for annotation in shown:
                if annotation is not None:
                    names |= annotation.refs
    return tuple(sorted(names))
