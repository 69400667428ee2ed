"""Argument names of one generated method: the spec's names, made safe and distinct.

Every method also takes the per-request options (``timeout``, ``extra_headers``, ...), so a spec
parameter of that name is prefixed (``api_timeout``); any other clash within the signature gets
the location as a suffix (``name_query``), and a number if that is taken too. Names are claimed
in signature order (path parameters, then the others, then body fields), so the first keeps the
spec's name.
"""

from __future__ import annotations

from typing import Literal

from ..ir.model import Parameter
from ..records import record
from .identifiers import UniqueNamer, field_name

REQUEST_OPTIONS = ("extra_headers", "extra_query", "extra_body", "timeout")
"""Keyword arguments every generated method takes besides the operation's own."""
RESERVED = frozenset({"self", "cls", "stream_cls", "cast_to", "options", *REQUEST_OPTIONS})

RenameReason = Literal["request-option", "taken"]
"""Why an argument's name is not its natural one: it collides with a per-request option
(prefixed ``api_``), or the signature already has it (suffixed with the location)."""


@record
class ArgumentName:
    name: str
    """The name in the signature."""
    natural: str
    """The name the spec implies (its ``x-stainless-param``, else its own name made a field
    name), before clashes are settled."""
    renamed: RenameReason | None
    """Why ``name`` differs from ``natural`` (``None`` when it does not)."""


def parameter_name(param: Parameter) -> str:
    """The natural argument name of a spec parameter."""
    return field_name(param.argument_hint if param.argument_hint is not None else param.name)


class ArgumentNamer:
    """Hands out the argument names of one signature, in call order."""

    def __init__(self) -> None:
        self._namer = UniqueNamer(RESERVED)

    def claim(self, natural: str, location: str) -> ArgumentName:
        base = f"api_{natural}" if natural in REQUEST_OPTIONS else natural
        name = self._namer.claim(f"{base}_{location}" if self._namer.is_taken(base) else base)
        if natural in REQUEST_OPTIONS:
            return ArgumentName(name, natural, "request-option")
        return ArgumentName(name, natural, "taken" if name != natural else None)
