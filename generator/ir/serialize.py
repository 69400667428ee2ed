"""The IR as JSON (``apigen ir``): stable key order, schema kinds tagged with ``kind``."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from .model import MISSING, Api


def _plain(value: Any) -> Any:
    if value is MISSING:
        return None
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            if f.name.startswith("_"):
                continue
            item = getattr(value, f.name)
            if item is MISSING:
                continue
            out[f.name] = _plain(item)
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def api_to_dict(api: Api) -> dict[str, Any]:
    return {
        "title": api.title,
        "version": api.version,
        "openapi": api.openapi,
        "description": api.description,
        "servers": _plain(api.servers),
        "security_schemes": _plain(api.security_schemes),
        "security": list(api.security),
        "tags": list(api.tags),
        "operations": _plain(api.operations),
        "schemas": _plain(api.schemas),
    }


def api_to_json(api: Api) -> str:
    return json.dumps(api_to_dict(api), indent=2, ensure_ascii=False)
