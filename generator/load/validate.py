"""Checking a bundled document.

Two tiers. :func:`check_structure` always runs (cheap: it only walks paths, operations and
parameters): it raises for what makes generation impossible (``paths`` not a mapping, a
parameter without a valid ``in``) and warns about the rest. :func:`full_validation` runs
``openapi-spec-validator`` on demand; real-world specs often break the letter of the schema in
harmless ways, so its findings are warnings, never errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..errors import ApigenError, SpecWarning
from .pointer import MISSING, escape_pointer_token, get_at, pointer_tokens

Locate = Callable[[str], "str | None"]

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
PARAMETER_LOCATIONS = ("query", "header", "path", "cookie")
COMPONENT_SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
)
MAX_VALIDATOR_WARNINGS = 50
_TEMPLATE = re.compile(r"{([^{}/]+)}")
_VERSION = re.compile(r"3\.(\d+)(?:\.\d+)?(?:-\S+)?")


def _p(*tokens: str) -> str:
    return "#" + "".join("/" + escape_pointer_token(t) for t in tokens)


def check_version(data: dict[str, Any], warnings: list[SpecWarning], location: str) -> str:
    """The ``openapi`` field as a string; Swagger 2.0 and non-OpenAPI documents are refused."""
    if "swagger" in data:
        raise ApigenError(
            "Swagger 2.0 is not supported; convert it to OpenAPI 3 (e.g. with swagger2openapi)",
            pointer="#/swagger",
            location=location,
        )
    version = data.get("openapi")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        warnings.append(
            SpecWarning(
                f"openapi version should be a string, not the number {version}", "#/openapi"
            )
        )
        version = str(version)
    if not isinstance(version, str):
        raise ApigenError(
            "not an OpenAPI document: no 'openapi: 3.x' field",
            pointer="#/openapi",
            location=location,
        )
    match = _VERSION.fullmatch(version.strip())
    if match is None:
        raise ApigenError(
            f"unsupported OpenAPI version {version!r}: apigen reads 3.0.x and 3.1.x",
            pointer="#/openapi",
            location=location,
        )
    if match.group(1) not in ("0", "1"):
        warnings.append(
            SpecWarning(f"OpenAPI {version} is newer than 3.1; read as 3.1", "#/openapi")
        )
    return version.strip()


def _deref(data: dict[str, Any], node: Any) -> Any:
    """Follow local refs (already checked by the bundler) to the object itself."""
    for _ in range(64):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str)):
            return node
        node = get_at(data, pointer_tokens(node["$ref"]))
    return MISSING


def _check_parameters(
    data: dict[str, Any],
    params: Any,
    base: tuple[str, ...],
    fail: Callable[[str, str], ApigenError],
    warnings: list[SpecWarning],
    path_names: set[str],
) -> None:
    if params is None:
        return
    if not isinstance(params, list):
        raise fail("parameters must be a list", _p(*base))
    for index, raw in enumerate(params):
        pointer = _p(*base, str(index))
        param = _deref(data, raw)
        if not isinstance(param, dict):
            raise fail("a parameter must be a mapping", pointer)
        where = param.get("in")
        if where not in PARAMETER_LOCATIONS:
            raise fail(
                f"parameter 'in' must be one of {', '.join(PARAMETER_LOCATIONS)}, not {where!r}",
                pointer,
            )
        name = param.get("name")
        if not isinstance(name, str) or not name:
            raise fail("parameter has no 'name'", pointer)
        if where == "path":
            path_names.add(name)
            if param.get("required") is not True:
                warnings.append(
                    SpecWarning(
                        f"path parameter {name!r} must be required: true; treated as required",
                        pointer,
                    )
                )
        if "schema" not in param and "content" not in param:
            warnings.append(
                SpecWarning(
                    f"parameter {name!r} has neither 'schema' nor 'content'; typed as Any", pointer
                )
            )


def check_structure(
    data: dict[str, Any], version: str, locate: Locate, location: str
) -> list[SpecWarning]:
    """The checks generation depends on; raises :class:`ApigenError`, returns warnings."""
    warnings: list[SpecWarning] = []

    def fail(message: str, pointer: str) -> ApigenError:
        return ApigenError(message, pointer=pointer, location=locate(pointer) or location)

    if not isinstance(data.get("info"), dict):
        warnings.append(SpecWarning("missing or invalid 'info' object", "#/info"))
    components = data.get("components")
    if components is not None:
        if not isinstance(components, dict):
            raise fail("components must be a mapping", "#/components")
        for section in COMPONENT_SECTIONS:
            if section in components and not isinstance(components[section], dict):
                raise fail(f"components/{section} must be a mapping", _p("components", section))
    paths = data.get("paths")
    if paths is None:
        if version.startswith("3.0"):
            warnings.append(
                SpecWarning("no 'paths': the client will have no operations", "#/paths")
            )
        return warnings
    if not isinstance(paths, dict):
        raise fail("paths must be a mapping of path templates to path items", "#/paths")
    for path, raw_item in paths.items():
        if path.startswith("x-"):
            continue
        item_pointer = _p("paths", path)
        if not path.startswith("/"):
            warnings.append(SpecWarning(f"path {path!r} does not start with '/'", item_pointer))
        item = _deref(data, raw_item)
        if not isinstance(item, dict):
            raise fail("a path item must be a mapping", item_pointer)
        shared_names: set[str] = set()
        _check_parameters(
            data,
            item.get("parameters"),
            ("paths", path, "parameters"),
            fail,
            warnings,
            shared_names,
        )
        for method in HTTP_METHODS:
            if method not in item:
                continue
            op_pointer = _p("paths", path, method)
            operation = item[method]
            if not isinstance(operation, dict):
                raise fail(f"operation {method.upper()} {path} must be a mapping", op_pointer)
            names = set(shared_names)
            _check_parameters(
                data,
                operation.get("parameters"),
                ("paths", path, method, "parameters"),
                fail,
                warnings,
                names,
            )
            body = operation.get("requestBody")
            if body is not None and not isinstance(_deref(data, body), dict):
                raise fail("requestBody must be a mapping", op_pointer + "/requestBody")
            responses = operation.get("responses")
            if responses is None:
                warnings.append(SpecWarning("operation has no 'responses'", op_pointer))
            elif not isinstance(responses, dict):
                raise fail(
                    "responses must be a mapping of status codes to responses",
                    op_pointer + "/responses",
                )
            for template_name in _TEMPLATE.findall(path):
                if template_name not in names:
                    warnings.append(
                        SpecWarning(
                            f"path parameter {{{template_name}}} is not declared; typed as str",
                            op_pointer,
                        )
                    )
    return warnings


def full_validation(data: dict[str, Any], version: str) -> list[SpecWarning]:
    """``openapi-spec-validator`` findings as warnings (at most :data:`MAX_VALIDATOR_WARNINGS`)."""
    from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

    validator_class = (
        OpenAPIV30SpecValidator if version.startswith("3.0") else OpenAPIV31SpecValidator
    )
    warnings: list[SpecWarning] = []
    try:
        for count, error in enumerate(validator_class(data).iter_errors()):
            if count == MAX_VALIDATOR_WARNINGS:
                warnings.append(
                    SpecWarning(
                        f"more than {MAX_VALIDATOR_WARNINGS} validation findings; the rest omitted",
                        "#",
                    )
                )
                break
            path = [str(token) for token in getattr(error, "absolute_path", ()) or ()]
            message = " ".join(str(getattr(error, "message", error)).split())
            if len(message) > 300:
                message = message[:297] + "..."
            warnings.append(SpecWarning(f"spec validation: {message}", _p(*path)))
    except (
        RecursionError,
        ValueError,
        LookupError,
        TypeError,
    ) as exc:  # validator crashed on odd input
        warnings.append(
            SpecWarning(f"spec validation could not complete: {type(exc).__name__}: {exc}", "#")
        )
    return warnings
