"""The one table of where every name in generated code comes from, and the import lines for a set
of names. Modules say *which* names they use (their annotations' ``imports`` and ``refs``, plus
their own structure); this module alone knows the modules, so no import is written by hand.

The lines come out merged and ordered as ruff's import sorter would leave them (sections, then
``sort_order``), so formatting needs no sorting pass.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping

from ..records import record
from .sort_order import member_key, module_key

_STDLIB_AND_DEPENDENCIES = {
    "typing": ("Annotated", "Any", "Literal", "TYPE_CHECKING", "TypeAlias", "cast", "overload"),
    "collections.abc": ("Mapping", "Sequence"),
    "datetime": ("date", "datetime"),
    "functools": ("cached_property",),
    "typing_extensions": ("Required", "Self", "TypeAliasType", "TypedDict"),
    "pydantic": ("Field",),
}
_RUNTIME = {
    "_auth": ("ApiKeyAuth", "BasicAuth", "BearerAuth"),
    "_base_client": (
        "AsyncAPIClient",
        "DEFAULT_MAX_RETRIES",
        "DEFAULT_TIMEOUT",
        "RequestOptions",
        "SyncAPIClient",
    ),
    "_exceptions": ("APIKeyMissingError",),
    "_files": ("MultipartFormat",),
    "_models": ("BaseModel",),
    "_pagination": (
        "AsyncPaginator",
        "CursorPagination",
        "LinkHeaderPagination",
        "NextUrlPagination",
        "NoPagination",
        "OffsetPagination",
        "PageNumberPagination",
        "SyncPage",
    ),
    "_qs": ("QueryParam",),
    "_resource": ("AsyncAPIResource", "SyncAPIResource"),
    "_response": (
        "AsyncBinaryResponse",
        "BinaryResponse",
        "async_to_raw_response_wrapper",
        "async_to_streamed_response_wrapper",
        "to_raw_response_wrapper",
        "to_streamed_response_wrapper",
    ),
    "_streaming": ("AsyncStream", "Stream"),
    "_types": ("Body", "FileTypes", "Headers", "NOT_GIVEN", "NotGiven", "Query"),
    "_version": ("__version__",),
}
"""Modules of the generated package's runtime (``templates/runtime``), by path below the package."""
_MODULES = ("builtins", "httpx", "os")
"""Imported whole (``import httpx``)."""

NAME_TO_MODULE: dict[str, str] = {
    **{name: module for module, names in _STDLIB_AND_DEPENDENCIES.items() for name in names},
    **{name: "." + module for module, names in _RUNTIME.items() for name in names},
}
"""Every name generated code imports → its module; a leading ``.`` marks a module of the
generated package (the path below the package, made relative where it is imported)."""


@record
class FromImport:
    """One ``from`` import a module needs beyond the table's names (a sub-resource's classes)."""

    module: str
    """As written: absolute (``typing``) or relative to the importing module (``.task_run``)."""
    members: tuple[str, ...]
    exploded: bool = False
    """Written one member per line, so the formatter keeps it so (a magic trailing comma)."""


def import_lines(
    names: Iterable[str],
    package: str,
    homes: Mapping[str, str] | None = None,
    extra: Iterable[FromImport] = (),
) -> list[str]:
    """The import block for ``names`` in a module of the dotted ``package`` (below the
    generated package: ``""``, ``"resources.beta"``, ``"types"``), plus the ``extra`` imports.

    A name the table does not know is generated: it comes from the module ``homes`` maps it to
    (a ``types`` module, a ``lib`` module), else from ``types``, which re-exports every type."""
    by_module: dict[str, set[str]] = {}
    whole: set[str] = set()
    for name in names:
        if name in _MODULES:
            whole.add(name)
            continue
        module = NAME_TO_MODULE.get(name)
        if module is None:
            module = "." + (homes or {}).get(name, "types")
        source = _relative(module[1:], package) if module.startswith(".") else module
        by_module.setdefault(source, set()).add(name)
    froms = [FromImport(module, tuple(members)) for module, members in by_module.items()]
    return import_block(whole, [*froms, *extra])


_FUTURE, _STDLIB, _THIRD_PARTY, _LOCAL = range(4)


def _section(module: str) -> int:
    if module.startswith("."):
        return _LOCAL
    top = module.partition(".")[0]
    if top == "__future__":
        return _FUTURE
    return _STDLIB if top in sys.stdlib_module_names else _THIRD_PARTY


def import_block(whole: Iterable[str], froms: Iterable[FromImport], indent: str = "") -> list[str]:
    """``import x`` and ``from x import y`` statements as ruff's isort prints them: sections
    (future, standard library, third party, this package) apart by a blank line; in each, whole
    modules first, then ``from`` imports, one per module, each in ``sort_order``'s order."""
    merged: dict[str, tuple[set[str], bool]] = {}
    for item in froms:
        members, exploded = merged.get(item.module, (set(), False))
        merged[item.module] = (members | set(item.members), exploded or item.exploded)
    sections: dict[int, list[tuple[int, tuple[object, ...], str]]] = {}
    for module in whole:
        statement = f"{indent}import {module}"
        sections.setdefault(_section(module), []).append((0, module_key(module), statement))
    for module, (members, exploded) in merged.items():
        ordered = sorted(members, key=member_key)
        if exploded:
            body = "".join(f"{indent}    {member},\n" for member in ordered)
            statement = f"{indent}from {module} import (\n{body}{indent})"
        else:
            statement = f"{indent}from {module} import {', '.join(ordered)}"
        sections.setdefault(_section(module), []).append((1, module_key(module), statement))
    lines: list[str] = []
    for section in sorted(sections):
        if lines:
            lines.append("")
        lines.extend(statement for *_, statement in sorted(sections[section]))
    return lines


def _relative(target: str, package: str) -> str:
    """``_types`` seen from ``resources.beta`` → ``..._types``; ``types._models`` seen from
    ``types`` → ``._models``."""
    here = package.split(".") if package else []
    there = target.split(".")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "." * (len(here) - common + 1) + ".".join(there[common:])
