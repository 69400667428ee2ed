"""Finding every ``$ref`` in a document, with the components section its position implies.

One iterative walk (no recursion: any depth is safe). The walk knows enough OpenAPI structure to
not mistake data for references: literal values (``example``, ``default``, ``enum``, ``const``,
JSON-Schema ``examples`` lists, Example Object ``value``) and ``x-`` extensions are skipped,
while maps of user-chosen names (``properties``, ``components/schemas`` ...) are walked whole,
so a property called ``example`` is still a schema.
"""

from __future__ import annotations

from typing import Any

NORMAL, NAME_MAP, EXAMPLE = 0, 1, 2

#: Keys whose value is a map from user-chosen names to objects.
NAME_MAP_KEYS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "examples",
        "content",
        "encoding",
        "paths",
        "webhooks",
    }
)
_LITERAL_KEYS = frozenset({"example", "default", "enum", "const"})

#: Context key (the key a ref sits under, or the name map it is an entry of) → components section.
SECTION_OF: dict[str, str] = {
    **dict.fromkeys(
        (
            "schema",
            "items",
            "additionalProperties",
            "not",
            "if",
            "then",
            "else",
            "contains",
            "propertyNames",
            "unevaluatedProperties",
            "unevaluatedItems",
            "additionalItems",
            "contentSchema",
            "allOf",
            "anyOf",
            "oneOf",
            "prefixItems",
            "properties",
            "patternProperties",
            "$defs",
            "definitions",
            "dependentSchemas",
            "schemas",
        ),
        "schemas",
    ),
    "parameters": "parameters",
    "responses": "responses",
    "requestBody": "requestBodies",
    "requestBodies": "requestBodies",
    "headers": "headers",
    "examples": "examples",
    "links": "links",
    "callbacks": "callbacks",
    "securitySchemes": "securitySchemes",
    "paths": "pathItems",
    "pathItems": "pathItems",
    "webhooks": "pathItems",
}

RefSite = tuple[dict[str, Any], str]  # (the dict holding "$ref", context key)


def collect_refs(
    root: Any, context: str = "", mode: int = NORMAL, *, shared: bool = False
) -> list[RefSite]:
    """Every dict under ``root`` whose ``$ref`` is a string, in document order.

    ``shared`` must be set when the data may share sub-trees (YAML aliases) so each is walked once.
    """
    found: list[RefSite] = []
    stack: list[tuple[Any, str, int]] = [(root, context, mode)]
    seen: set[int] = set()
    while stack:
        node, ctx, node_mode = stack.pop()
        if shared:
            if id(node) in seen:
                continue
            seen.add(id(node))
        if node.__class__ is list:
            for item in reversed(node):
                if item.__class__ is dict or item.__class__ is list:
                    stack.append((item, ctx, NORMAL))
            continue
        if node.__class__ is not dict:
            continue
        if node_mode == NAME_MAP:
            child_mode = EXAMPLE if ctx == "examples" else NORMAL
            for value in reversed(node.values()):
                if value.__class__ is dict or value.__class__ is list:
                    stack.append((value, ctx, child_mode))
            continue
        ref = node.get("$ref")
        if ref.__class__ is str:
            found.append((node, ctx))
        for key, value in reversed(node.items()):
            if not (value.__class__ is dict or value.__class__ is list):
                continue
            if key in _LITERAL_KEYS or key.startswith("x-"):
                continue
            if node_mode == EXAMPLE and key in ("value", "externalValue"):
                continue
            if key in NAME_MAP_KEYS:
                if value.__class__ is list:
                    if key == "examples":
                        continue  # JSON Schema `examples`: literal values
                    stack.append((value, key, NORMAL))  # e.g. operation `parameters`
                else:
                    stack.append((value, key, NAME_MAP))
            else:
                stack.append((value, key, NORMAL))
    return found


def deep_copy(node: Any) -> Any:
    """Copy JSON-like data iteratively (``copy.deepcopy`` recurses and would overflow when deep)."""
    if node.__class__ is not dict and node.__class__ is not list:
        return node
    root: Any = {} if node.__class__ is dict else []
    stack: list[tuple[Any, Any]] = [(node, root)]
    while stack:
        src, dst = stack.pop()
        items = src.items() if src.__class__ is dict else enumerate(src)
        for key, value in items:
            if value.__class__ is dict or value.__class__ is list:
                copy: Any = {} if value.__class__ is dict else []
                stack.append((value, copy))
                value = copy
            if dst.__class__ is dict:
                dst[key] = value
            else:
                dst.append(value)
    return root
