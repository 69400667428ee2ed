"""Scaling series: one spec replicated N times under renamed paths, schemas and operation ids.

Copy ``i`` (``i ≥ 2``; copy 1 is the original) gets paths prefixed with ``/c{i}``, every
component (except security schemes) renamed ``<name>C{i}`` with its ``$ref``s rewritten,
operation ids suffixed ``_c{i}`` and tags suffixed `` c{i}``. The result is a valid spec with
exactly N times the operations and schemas and the same shape, so time per operation should
stay flat as N grows; a super-linear step in a generator shows up directly.

    python bench/scale.py SPEC N OUT.json
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
SHARED_SECTIONS = ("securitySchemes",)
"""Component sections that stay shared between copies (the API has one auth scheme)."""


def _rename_refs(node: Any, renames: dict[str, str]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and value in renames:
                out[key] = renames[value]
            else:
                out[key] = _rename_refs(value, renames)
        return out
    if isinstance(node, list):
        return [_rename_refs(item, renames) for item in node]
    return node


def _copy(
    spec: dict[str, Any], index: int
) -> tuple[dict[str, Any], dict[str, Any], list[dict[str, Any]]]:
    """Paths, components and tags of copy ``index``."""
    suffix = f"C{index}"
    renames: dict[str, str] = {}
    components: dict[str, Any] = {}
    for section, entries in spec.get("components", {}).items():
        if section in SHARED_SECTIONS:
            continue
        components[section] = {}
        for name in entries:
            renames[f"#/components/{section}/{name}"] = f"#/components/{section}/{name}{suffix}"
    for section, entries in spec.get("components", {}).items():
        if section in SHARED_SECTIONS:
            continue
        for name, value in entries.items():
            components[section][f"{name}{suffix}"] = _rename_refs(value, renames)
    tag_names = {tag["name"] for tag in spec.get("tags", [])}
    paths: dict[str, Any] = {}
    for path, item in spec.get("paths", {}).items():
        item = _rename_refs(copy.deepcopy(item), renames)
        for method in HTTP_METHODS:
            op = item.get(method)
            if not isinstance(op, dict):
                continue
            if "operationId" in op:
                op["operationId"] = f"{op['operationId']}_c{index}"
            op["tags"] = [f"{tag} c{index}" for tag in op.get("tags", [])]
        paths[f"/c{index}{path}"] = item
    tags = [
        {**tag, "name": f"{tag['name']} c{index}"}
        for tag in spec.get("tags", [])
        if tag["name"] in tag_names
    ]
    return paths, components, tags


def replicate(spec: dict[str, Any], n: int) -> dict[str, Any]:
    """``spec`` with ``n - 1`` renamed copies of its paths and components added."""
    out = copy.deepcopy(spec)
    for index in range(2, n + 1):
        paths, components, tags = _copy(spec, index)
        out["paths"].update(paths)
        for section, entries in components.items():
            out.setdefault("components", {}).setdefault(section, {}).update(entries)
        if tags:
            out.setdefault("tags", []).extend(tags)
    return out


def count_operations(spec: dict[str, Any]) -> int:
    return sum(
        1
        for item in spec.get("paths", {}).values()
        if isinstance(item, dict)
        for m in HTTP_METHODS
        if isinstance(item.get(m), dict)
    )


def main(argv: list[str]) -> int:
    source, n, out = Path(argv[0]), int(argv[1]), Path(argv[2])
    spec = json.loads(source.read_text(encoding="utf-8"))
    out.write_text(json.dumps(replicate(spec, n), indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
