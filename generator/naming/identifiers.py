"""Turning arbitrary spec strings into valid, PEP 8, non-colliding Python identifiers.

Every function here is pure and deterministic: the same input always gives the same name, so
regeneration is byte-stable. Spec text never reaches generated code except through these
functions (identifiers) or through the literal/docstring escapers in ``generator.literals``.
"""

from __future__ import annotations

import functools
import keyword
import re
import unicodedata

MAX_IDENTIFIER = 80

# Names the generated modules import or define themselves; a spec name must never shadow them.
RUNTIME_NAMES = frozenset(
    {
        "Annotated",
        "Any",
        "APIResponse",
        "AsyncAPIResponse",
        "AsyncAPIResource",
        "AsyncIterator",
        "AsyncStream",
        "BaseModel",
        "Body",
        "Dict",
        "Field",
        "FileTypes",
        "Headers",
        "Iterator",
        "List",
        "Literal",
        "Mapping",
        "NOT_GIVEN",
        "NotGiven",
        "Omit",
        "Optional",
        "Query",
        "QueryParam",
        "RequestOptions",
        "Required",
        "Sequence",
        "Stream",
        "SyncAPIResource",
        "Timeout",
        "TypeAlias",
        "TypedDict",
        "Union",
        "annotations",
        "cast",
        "date",
        "datetime",
        "httpx",
        "overload",
        "time",
        "typing",
        "typing_extensions",
        "Client",
        "AsyncClient",
        "Self",
        "Auth",
        "ApiKeyAuth",
        "BasicAuth",
        "BearerAuth",
        "APIKeyMissingError",
        "SyncAPIClient",
        "AsyncAPIClient",
    }
)

# Public members of the generated client classes: an operation or resource attribute on the
# client must not replace them (a root operation named ``request`` would break every call).
CLIENT_MEMBERS = frozenset(
    {
        # the runtime client's public members (templates/runtime/_base_client.py)
        "api_key",
        "base_url",
        "close",
        "copy",
        "default_headers",
        "default_query",
        "default_timeout",
        "delete",
        "get",
        "idempotency_header",
        "is_closed",
        "max_response_bytes",
        "max_retries",
        "multipart_format",
        "patch",
        "platform_headers",
        "post",
        "put",
        "request",
        "retry_count_header",
        "retry_non_idempotent",
        "strict_response_validation",
        "timeout",
        "total_timeout",
        "with_options",
        "with_raw_response",
        "with_streaming_response",
    }
)

# Attributes of pydantic.BaseModel (v2) a field must not shadow; fixed here, not read from the
# installed pydantic, so that output does not depend on the generator machine.
PYDANTIC_RESERVED = frozenset(
    {
        "construct",
        "copy",
        "dict",
        "from_orm",
        "json",
        "model_computed_fields",
        "model_config",
        "model_construct",
        "model_copy",
        "model_dump",
        "model_dump_json",
        "model_extra",
        "model_fields",
        "model_fields_set",
        "model_json_schema",
        "model_parametrized_name",
        "model_post_init",
        "model_rebuild",
        "model_validate",
        "model_validate_json",
        "model_validate_strings",
        "parse_file",
        "parse_obj",
        "parse_raw",
        "schema",
        "schema_json",
        "update_forward_refs",
        "validate",
        "to_dict",
        "to_json",
        "fields",
    }
)

# Builtins that annotations in generated code use by name.
ANNOTATION_BUILTINS = frozenset({"bool", "bytes", "dict", "float", "int", "list", "object", "str"})

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z0-9])|[A-Z]?[a-z0-9]+|[A-Z]+|[0-9]+")
_ASCII_NON_ALNUM = re.compile(r"[^A-Za-z0-9]")


def _ascii_words(text: str) -> list[str]:
    """Split any string into ASCII word chunks (accents folded, other scripts transliterated by
    code point)."""
    if text.isascii():  # the common case: NFKD is the identity, no per-character work needed
        return _WORD.findall(_ASCII_NON_ALNUM.sub(" ", text))
    normalized = unicodedata.normalize("NFKD", text)
    chars: list[str] = []
    for ch in normalized:
        if ch.isascii():
            chars.append(ch if ch.isalnum() else " ")
        elif unicodedata.category(ch) == "Mn":
            continue  # combining accent: "é" → "e"
        elif ch.isalnum():
            chars.append(f" u{ord(ch):04x} ")
        else:
            chars.append(" ")
    return _WORD.findall("".join(chars))


@functools.lru_cache(maxsize=1 << 16)  # the same names recur across a big API: case each once
def snake_case(text: str) -> str:
    """``"Run ID"`` → ``run_id``; ``"parallel-beta"`` → ``parallel_beta``; ``"HTTPCode"`` →
    ``http_code``."""
    return "_".join(word.lower() for word in _ascii_words(text))


@functools.lru_cache(maxsize=1 << 16)
def pascal_case(text: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in _ascii_words(text))


def _fit(name: str, fallback: str) -> str:
    if not name:
        name = fallback
    if name[0].isdigit():
        name = f"{fallback}_{name}" if fallback[0].islower() else f"{fallback}{name}"
    if len(name) > MAX_IDENTIFIER:
        name = name[:MAX_IDENTIFIER].rstrip("_")
    return name


def field_name(text: str) -> str:
    """A snake_case attribute / argument name that is safe on a pydantic model."""
    name = _fit(snake_case(text), "field")
    if (
        _clashes_on_a_model(name)
        or name in ANNOTATION_BUILTINS
        or name in RUNTIME_NAMES
        or name.startswith("model_")
    ):
        name += "_"
    return name


def attribute_name(text: str) -> str:
    """A pydantic model's attribute for a property: the wire name itself whenever Python and
    pydantic allow it (``object``, ``bytes``, ``type``, ``id`` are fine attributes, and the
    official SDKs use them). Only keywords, ``BaseModel`` members, dunders, the names the
    ``types`` modules import (``date``, ``datetime``) and ambiguous letters take a ``_``. A field
    that shadows a builtin annotations use is written with ``builtins.X`` annotations in its
    class (``emit.models``)."""
    name = _fit(snake_case(text), "field")
    if (
        _clashes_on_a_model(name)
        or (name in RUNTIME_NAMES and name != "annotations")
        or name == "builtins"
    ):
        name += "_"
    return name


def _clashes_on_a_model(name: str) -> bool:
    """What no attribute may be called: a keyword, a ``BaseModel`` member, a dunder (mangled or
    special) or an ambiguous letter."""
    return (
        keyword.iskeyword(name)
        or name in PYDANTIC_RESERVED
        or name.startswith("__")
        or name in AMBIGUOUS
    )


# Names pycodestyle flags as ambiguous (E741-E743): easily misread as 1 / 0.
AMBIGUOUS = frozenset({"l", "O", "I"})


def method_name(text: str) -> str:
    """A snake_case method name; methods live on resource classes, so only keywords must yield."""
    name = _fit(snake_case(text), "call")
    return (
        name + "_"
        if keyword.iskeyword(name) or name in ("with_raw_response", "mro", *AMBIGUOUS)
        else name
    )


def class_name(text: str) -> str:
    """A PascalCase class name that cannot shadow anything the generated modules import."""
    name = _fit(pascal_case(text), "Model")
    if (
        name in RUNTIME_NAMES
        or keyword.iskeyword(name)
        or name in ("None", "True", "False", *AMBIGUOUS)
    ):
        name += "Model"
    elif name.endswith(("Resource", "WithRawResponse")):
        name += (
            "Model"  # the suffixes of generated resource classes, which share modules with types
        )
    return name


def module_name(text: str) -> str:
    """A lowercase module / attribute name (also safe as a file name on every OS)."""
    name = _fit(snake_case(text), "resource")
    if (
        keyword.iskeyword(name)
        or name in RUNTIME_NAMES
        or name in ANNOTATION_BUILTINS
        or name in CLIENT_MEMBERS
        or name in AMBIGUOUS
        or name in {"con", "prn", "aux", "nul", "types", "resources", "lib"}
        or re.fullmatch(r"(com|lpt)[0-9]", name)
    ):
        name += "_"
    return name


def constant_name(text: str) -> str:
    return _fit(snake_case(text).upper(), "VALUE")


class UniqueNamer:
    """Hands out names that are distinct (case-insensitively) within one scope, in call order."""

    def __init__(self, taken: set[str] | frozenset[str] = frozenset()) -> None:
        self._taken: set[str] = {name.lower() for name in taken}

    def claim(self, name: str) -> str:
        candidate, counter = name, 2
        while candidate.lower() in self._taken:
            candidate = f"{name}{counter}" if not name.endswith("_") else f"{name}{counter}_"
            counter += 1
        self._taken.add(candidate.lower())
        return candidate

    def is_taken(self, name: str) -> bool:
        return name.lower() in self._taken

    def reserve(self, name: str) -> None:
        self._taken.add(name.lower())
