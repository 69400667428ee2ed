"""Reading and bundling. Only this stage touches the file system or the network for input."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import orjson
import yaml

from ..errors import ApigenError
from .document import Document


def _parse(text: bytes, source: str) -> Any:
    stripped = text.lstrip()
    if stripped.startswith((b"{", b"[")):
        try:
            return orjson.loads(text)
        except orjson.JSONDecodeError as exc:
            raise ApigenError(f"invalid JSON: {exc}", location=source) from None
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise ApigenError(f"invalid YAML: {exc}", location=source) from None


def load_spec(source: str | Path) -> Document:
    """Read, parse and check an OpenAPI 3.0/3.1 document."""
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ApigenError(f"cannot read spec: {exc.strerror}", location=str(source)) from None
    data = _parse(raw, str(source))
    if not isinstance(data, dict):
        raise ApigenError("not an OpenAPI document: the top level is not a mapping", location=str(source))
    if "swagger" in data:
        raise ApigenError(
            "Swagger 2.0 is not supported; convert it to OpenAPI 3 first", pointer="#/swagger", location=str(source)
        )
    version = data.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise ApigenError("not an OpenAPI 3.x document (no 'openapi: 3.x' field)", pointer="#/openapi", location=str(source))
    return Document(data=data, source=str(source), sha256=hashlib.sha256(raw).hexdigest(), openapi_version=version)
