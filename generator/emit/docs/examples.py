"""Example argument values and calls for the docs, derived from schemas and the spec's examples.

Values are plain JSON, turned into code by ``py_literal`` only, so spec text cannot inject code.
They aim to be *valid* requests (a mock server checks them): the spec's own example or default
first, then the first enum value, then a value of the right type and format.
"""

from __future__ import annotations

from ...ir.model import (
    MISSING,
    AnySchema,
    Api,
    ArraySchema,
    JsonValue,
    LiteralSchema,
    MapSchema,
    ObjectSchema,
    PrimitiveSchema,
    RefSchema,
    Schema,
    UnionSchema,
    assert_never,
)
from ...literals import py_literal
from ...plan.model import ArgumentPlan, OperationPlan
from ...records import record

_FORMATS: dict[str, JsonValue] = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "12:00:00",
    "uri": "https://example.com",
    "url": "https://example.com",
    "email": "user@example.com",
    "uuid": "123e4567-e89b-12d3-a456-426614174000",
    "ipv4": "127.0.0.1",
}
_MAX_DEPTH = 4
LINE_LENGTH = 88


class ExampleValues:
    """Makes example values; remembers every property example so ids can borrow them by name."""

    def __init__(self, api: Api) -> None:
        self.api = api
        self.by_name: dict[str, JsonValue] = {}
        for named in api.schemas:
            if isinstance(named.schema, ObjectSchema):
                for prop in named.schema.properties:
                    example = _own_example(prop.schema)
                    if example is not MISSING and isinstance(example, (str, int)):
                        self.by_name.setdefault(prop.wire_name, example)

    def value(self, schema: Schema, name: str = "", depth: int = 0) -> JsonValue:
        own = _own_example(schema)
        if own is not MISSING:
            return own  # type: ignore[return-value]
        match schema:
            case RefSchema():
                if depth >= _MAX_DEPTH:
                    return None if schema.nullable else {}
                return self.value(self.api.schema(schema.ref).schema, name, depth + 1)
            case LiteralSchema():
                return schema.values[0] if schema.values else None
            case PrimitiveSchema():
                return self._primitive(schema, name)
            case ArraySchema():
                return [self.value(schema.items, name, depth + 1)]
            case MapSchema():
                return {"key": self.value(schema.values, "value", depth + 1)}
            case ObjectSchema():
                return {
                    prop.wire_name: self.value(prop.schema, prop.wire_name, depth + 1)
                    for prop in schema.properties
                    if prop.required and not prop.schema.read_only
                }
            case UnionSchema():
                variants = [
                    v
                    for v in schema.variants
                    if not (isinstance(v, PrimitiveSchema) and v.type == "null")
                ]
                return self.value(variants[0], name, depth) if variants else None
            case AnySchema():
                return {}
            case _:
                assert_never(schema)

    def _primitive(self, schema: PrimitiveSchema, name: str) -> JsonValue:
        if schema.type == "string":
            if schema.format in _FORMATS:
                return _FORMATS[schema.format]
            borrowed = self.by_name.get(name)
            if isinstance(borrowed, str):
                return borrowed
            return f"example {name.replace('_', ' ')}".strip() if name else "example"
        if schema.type == "integer":
            borrowed = self.by_name.get(name)
            return borrowed if isinstance(borrowed, int) and not isinstance(borrowed, bool) else 1
        if schema.type == "number":
            return 1.0
        if schema.type == "boolean":
            return True
        return None


def _own_example(schema: Schema) -> JsonValue | object:
    """The spec's example, else its non-null default."""
    if schema.example is not MISSING:
        return schema.example
    if schema.default is not MISSING and schema.default is not None:
        return schema.default
    return MISSING


@record
class Call:
    """``target(args...)`` where each argument is ``(keyword or None, Python expression)``."""

    target: str
    args: tuple[tuple[str | None, str], ...]

    def code(self, prefix: str = "") -> str:
        """The call, on one line when it fits, else one argument per line."""
        parts = [expr if key is None else f"{key}={expr}" for key, expr in self.args]
        line = f"{prefix}{self.target}({', '.join(parts)})"
        if len(line) <= LINE_LENGTH or not parts:
            return line
        body = "".join(f"    {part},\n" for part in parts)
        return f"{prefix}{self.target}(\n{body})"

    def with_arg(self, key: str, expr: str) -> Call:
        """The same call with one more keyword argument, last."""
        return Call(self.target, (*self.args, (key, expr)))

    def without(self, key: str) -> Call:
        """The same call without the keyword argument ``key``."""
        return Call(self.target, tuple(a for a in self.args if a[0] != key))

    def on(self, target: str) -> Call:
        """The same arguments passed to another method (``client.with_raw_response.x``)."""
        return Call(target, self.args)


def example_call(
    values: ExampleValues, op: OperationPlan, bound: dict[str, str] | None = None
) -> Call:
    """A call with every required argument, or a couple of optional ones when none is required.

    ``bound`` maps a path parameter's wire name to an expression already in scope
    (``task_run.run_id``) so examples can chain.
    """
    bound = bound or {}
    chosen = [a for a in op.arguments if a.required]
    if not chosen:
        chosen = [a for a in op.keyword if _showable(a, op)][:2]
    args: list[tuple[str | None, str]] = []
    for arg in chosen:
        if arg.location == "path" and arg.spec_name in bound:
            expr = bound[arg.spec_name]
        else:
            expr = py_literal(values.value(arg.schema, arg.spec_name or arg.name))
        args.append((None if arg.positional else arg.name, expr))
    return Call(op.target, tuple(args))


def _showable(arg: ArgumentPlan, op: OperationPlan) -> bool:
    """An optional argument worth showing: not the stream switch, nor the page cursor (the
    page walks that itself)."""
    if arg is op.returns.flag or arg.location not in ("body", "query"):
        return False
    page = op.returns.page
    if page is not None and arg.location == "query" and arg.spec_name == page.param:
        return False
    return not arg.schema.deprecated
