"""The one table of where every name in generated code comes from, and the import lines for a set
of names. Modules say *which* names they use (their annotations' ``imports`` and ``refs``, plus
their own structure); this module alone knows the modules, so no import is written by hand.

The formatter's import sorter merges and orders the lines; only the set of names matters here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

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


def import_lines(
    names: Iterable[str], package: str, homes: Mapping[str, str] | None = None
) -> list[str]:
    """The import statements for ``names`` in a module of the dotted ``package`` (below the
    generated package: ``""``, ``"resources.beta"``, ``"types"``).

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
        by_module.setdefault(module, set()).add(name)
    lines = [f"import {module}" for module in sorted(whole)]
    for module, members in sorted(by_module.items()):
        source = _relative(module[1:], package) if module.startswith(".") else module
        lines.append(f"from {source} import {', '.join(sorted(members, key=str.lower))}")
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
