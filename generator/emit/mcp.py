"""The MCP server's view: one tool per operation, read from the plan, and its catalog file.

The catalog (``<package>/mcp/tools.json``) is data, not code: every spec-derived fact the server
needs (tool names, descriptions, input schemas, the client method each tool calls) is a JSON
value there, so no spec text can ever become Python. The server modules are fixed templates.

A tool's input schema is inline (no ``$ref``) when it is finite and at most
:data:`INLINE_LIMIT` bytes; otherwise it refers into the catalog's ``definitions``, and the
server sends the ones a tool needs as its ``$defs``. Tool names are ``<resource path>_<method>``
(``task_run_create``), made valid and unique for the strictest hosts (:data:`TOOL_NAME`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..literals import clean_text, py_literal
from ..plan.json_schema import JsonSchema, JsonSchemaBuilder, described
from ..plan.model import ArgumentPlan, ClientPlan, OperationPlan
from ..records import record
from .docs.markdown import md_code

INLINE_LIMIT = 32 * 1024
"""Largest inline input schema (bytes of compact JSON, about 8k tokens). Past it a schema of
shared types expands faster than it says anything new (Microsoft Graph's user update: 1.1 MB
inline), so the reference form is smaller and keeps the catalog linear in the spec."""

TOOL_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
"""What the strictest hosts accept (OpenAI and Anthropic tool names); MCP itself allows dots
and 128 characters."""
_MAX_NAME = 64
_READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_BYTES_ANNOTATIONS = frozenset({"bytes", "FileTypes"})
"""Argument types the client takes as bytes: a tool takes them as base64 text."""

DYNAMIC_THRESHOLD = 64
"""Default mode: static (one tool per operation) up to this many tools, dynamic above; the
reason is in docs/design.md (MCP server)."""


@record
class ToolDoc:
    """A row of ``api.md``'s tool table (Markdown-safe)."""

    name: str
    method: str
    http: str
    kind: str


@record
class McpView:
    tools: tuple[ToolDoc, ...]
    example_tool: str
    """The tool of the spec's first operation, and the method it calls (README)."""
    example_method: str
    example_resource: str
    """A resource path to filter by (``beta.task_run``); empty when every method is the
    client's own."""
    server_name: str
    """The server's name and the ``mcpServers`` key of the README's snippet (the distribution)."""
    api_key_env: str | None
    threshold: int = DYNAMIC_THRESHOLD

    @property
    def missing_extra_literal(self) -> str:
        return py_literal(
            f"The MCP server needs the 'mcp' extra: pip install '{self.server_name}[mcp]'"
        )

    @property
    def default_mode(self) -> str:
        return "static" if len(self.tools) <= self.threshold else "dynamic"

    @property
    def config_snippet(self) -> str:
        """A host config that starts the server over stdio, as JSON."""
        server: dict[str, Any] = {"command": f"{self.server_name}-mcp", "args": []}
        if self.api_key_env:
            server["env"] = {self.api_key_env: "<your key>"}
        return json.dumps({"mcpServers": {self.server_name: server}}, indent=2, ensure_ascii=True)


def mcp_view(plan: ClientPlan) -> tuple[McpView, Callable[[], Iterator[str]]] | None:
    """The server's view and its catalog, ``tools.json``, in pieces (apart from the view, so
    the renderer writes it first and lets it go: 47 MB on Microsoft Graph beta); ``None`` for
    an API without operations (no tool to serve)."""
    homes = [op for op in plan.methods() if op.alias_of is None]
    if not homes:
        return None
    builder = JsonSchemaBuilder(plan.api)
    names = tool_names(homes)
    tools: list[str] = []  # each entry as its catalog line: far smaller than its dict
    referring: list[JsonSchema] = []
    for op, name in zip(homes, names, strict=True):
        schema = _input_schema(op, builder)
        size = builder.inline_size(schema)
        if size is not None and size <= INLINE_LIMIT:
            schema = builder.inline(schema)
        else:
            referring.append(schema)
        tools.append(_dump(_tool(op, name, schema)))
    info = {
        "name": plan.distribution,
        "title": plan.title,
        "api_key_env": plan.auth.env_var or None,
    }
    catalog = _catalog_pieces(info, tools, builder.definitions(referring))
    docs = tuple(
        ToolDoc(
            name=md_code(name),
            method=md_code(op.target),
            http=md_code(f"{op.operation.method.upper()} {op.operation.path}"),
            kind=_hint(op),
        )
        for op, name in zip(homes, names, strict=True)
    )
    resource = next((".".join(op.resource) for op in homes if op.resource), "")
    order = {id(operation): i for i, operation in enumerate(plan.api.operations)}
    first = min(range(len(homes)), key=lambda i: order.get(id(homes[i].operation), len(order)))
    view = McpView(
        tools=docs,
        example_tool=names[first],
        example_method=homes[first].target,
        example_resource=resource,
        server_name=plan.distribution,
        api_key_env=plan.auth.env_var or None,
    )
    return view, catalog


def tool_names(operations: Iterable[OperationPlan]) -> list[str]:
    """``<resource path>_<method>`` per operation, in order: characters outside
    ``[A-Za-z0-9_-]`` become ``_``, a name longer than 64 keeps its head and a hash of the
    whole, and a name already taken gets the first free ``_2``, ``_3``, ..."""
    taken: set[str] = set()
    names: list[str] = []
    for op in operations:
        base = _fit(re.sub(r"[^A-Za-z0-9_-]", "_", "_".join(op.method_path)) or "call")
        name, counter = base, 1
        while name in taken:
            counter += 1
            suffix = f"_{counter}"
            name = base[: _MAX_NAME - len(suffix)] + suffix
        taken.add(name)
        names.append(name)
    return names


def _fit(name: str) -> str:
    if len(name) <= _MAX_NAME:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: _MAX_NAME - 9]}_{digest}"


def _hint(op: OperationPlan) -> str:
    method = op.operation.method.upper()
    return (
        "read-only" if method in _READ_ONLY_METHODS else "destructive" if method == "DELETE" else ""
    )


def _input_schema(op: OperationPlan, builder: JsonSchemaBuilder) -> JsonSchema:
    """The tool's arguments are the method's (Python names, which are unique); unknown ones
    are rejected, as the method would reject them."""
    properties = {arg.name: _argument_schema(op, arg, builder) for arg in op.arguments}
    schema: JsonSchema = {"type": "object", "properties": properties}
    required = [arg.name for arg in op.arguments if arg.required]
    if required:
        schema["required"] = required
    schema["additionalProperties"] = False
    return schema


def _argument_schema(
    op: OperationPlan, arg: ArgumentPlan, builder: JsonSchemaBuilder
) -> JsonSchema:
    if arg.annotation.text in _BYTES_ANNOTATIONS:
        schema: JsonSchema = {"type": "string", "contentEncoding": "base64"}
    elif arg.location == "whole-body" and op.body is not None and op.body.kind == "content":
        schema = {"type": "string"}  # raw text content: the client sends the string as is
    else:
        schema = builder.schema(arg.schema)
    return described(schema, arg.description)


def _description(op: OperationPlan) -> str:
    """Summary, description and the HTTP call, as clean text (the host shows it verbatim)."""
    operation = op.operation
    parts = [clean_text(operation.summary), clean_text(operation.description)]
    if parts[0] and parts[0] == parts[1]:
        parts[1] = ""
    if operation.deprecated:
        parts.insert(0, "Deprecated.")
    parts.append(f"{operation.method.upper()} {clean_text(operation.path)}")
    return "\n\n".join(part for part in parts if part)


def _annotations(op: OperationPlan) -> dict[str, Any]:
    """Hints from HTTP semantics: GET/HEAD/OPTIONS read, PUT and DELETE are idempotent, DELETE
    destroys; the rest keeps MCP's cautious defaults (may destroy, not idempotent)."""
    method = op.operation.method.upper()
    hints: dict[str, Any] = {}
    title = " ".join(clean_text(op.operation.summary).split())
    if title:
        hints["title"] = title
    hints["readOnlyHint"] = method in _READ_ONLY_METHODS
    if method == "DELETE":
        hints["destructiveHint"] = True
    if method in ("PUT", "DELETE"):
        hints["idempotentHint"] = True
    hints["openWorldHint"] = True
    return hints


def _tool(op: OperationPlan, name: str, schema: JsonSchema) -> dict[str, Any]:
    """One catalog entry: what the host is shown, and how the server calls the client."""
    operation = op.operation
    annotations = _annotations(op)
    entry: dict[str, Any] = {"name": name}
    if "title" in annotations:
        entry["title"] = annotations["title"]
    entry["description"] = _description(op)
    entry["method"] = list(op.method_path)
    entry["positional"] = [arg.name for arg in op.positional]
    binary = [arg.name for arg in op.arguments if arg.annotation.text in _BYTES_ANNOTATIONS]
    if binary:
        entry["binary"] = binary
    entry["http"] = {"method": operation.method.upper(), "path": operation.path}
    entry["tags"] = list(operation.tags)
    entry["returns"] = {"kind": op.returns.kind, "media_type": op.returns.media_type}
    entry["annotations"] = annotations
    entry["inputSchema"] = schema
    return entry


def _dump(value: Any) -> str:
    """Compact JSON, ASCII only, so no control or bidi character from the spec reaches the
    catalog raw."""
    return json.dumps(value, ensure_ascii=True, separators=(",", ":"))


def _catalog_pieces(
    info: dict[str, Any], tool_lines: list[str], definitions: dict[str, JsonSchema]
) -> Callable[[], Iterator[str]]:
    """JSON with one entry per line (readable diffs, no indentation bloat on big APIs), in
    pieces: joined, the text would be held twice over while written."""

    def pieces() -> Iterator[str]:
        yield '{"format":1,\n"server":' + _dump(info) + ',\n"tools":[\n'
        for index, line in enumerate(tool_lines):
            yield line if index == 0 else ",\n" + line
        yield '\n],\n"definitions":{\n'
        for index, (name, body) in enumerate(definitions.items()):
            yield ("" if index == 0 else ",\n") + f"{_dump(name)}:{_dump(body)}"
        yield "\n}}\n"

    return pieces


__all__ = ["DYNAMIC_THRESHOLD", "INLINE_LIMIT", "McpView", "ToolDoc", "mcp_view", "tool_names"]
