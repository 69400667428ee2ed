"""Every example in the spec parses into the generated type declared for it and dumps back
unchanged.

Response examples are parsed with the method's return type (success responses; the event type
for streams) or the declared response model (error responses); component schema ``examples``
(schema-level and per property) with the component's model and its field types.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import parallel_api
import pydantic
import pytest
from parallel_api import Stream
from parallel_api._models import construct_type

from generator.ir.model import ObjectSchema
from generator.naming import field_names
from tests.support.parallel import (
    ResponseExample,
    api,
    declared_type,
    raw_spec,
    resolve,
    response_examples,
    types_module,
)

RESPONSES = list(response_examples())


def _method_type(example: ResponseExample) -> Any:
    """What the generated method returns for this response (its JSON or stream-item type)."""
    with parallel_api.Parallel(api_key="k", base_url="http://127.0.0.1:9") as client:
        resource = type(resolve(client, example.binding.path[:-1]))
    returned = typing.get_type_hints(getattr(resource, example.binding.path[-1]))["return"]
    options = typing.get_args(returned) if _is_union(returned) else ()
    if not any(typing.get_origin(option) is Stream for option in options):
        options = (returned,)  # a plain (maybe union) JSON type, not "JSON or stream"
    for option in options:
        is_stream = typing.get_origin(option) is Stream
        if is_stream is (example.media_type == "text/event-stream"):
            return typing.get_args(option)[0] if is_stream else option
    raise AssertionError(
        f"{example.binding.dotted} returns {returned}, nothing for {example.media_type}"
    )


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _dump(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [_dump(item) for item in value]
    return value


def test_the_spec_has_response_examples() -> None:
    assert len(RESPONSES) >= 70  # 78 in spec 0.1.2; guards against the walk silently finding none
    assert any(e.media_type == "text/event-stream" for e in RESPONSES)


@pytest.mark.parametrize("example", RESPONSES, ids=lambda e: e.id)
def test_response_example_round_trips(example: ResponseExample) -> None:
    declared = declared_type(example.schema)
    if example.status.startswith("2"):
        target = _method_type(example)
        assert _same_type(target, declared), (target, declared)
    else:
        target = declared
    parsed = construct_type(target, example.value)
    if isinstance(example.value, dict):
        assert isinstance(parsed, pydantic.BaseModel), type(parsed)
        assert _dump(parsed) == example.value
    elif isinstance(example.value, list):
        assert all(isinstance(item, pydantic.BaseModel) for item in parsed)
        assert _dump(parsed) == example.value


def _same_type(a: Any, b: Any) -> bool:
    """Equal, ignoring ``Annotated`` metadata (pydantic ``Field`` objects compare by identity)."""
    strip = lambda t: typing.get_args(t)[0] if typing.get_origin(t) is typing.Annotated else t
    return strip(a) == strip(b) or str(strip(a)) == str(strip(b))


# ---- component schema examples


@dataclass(frozen=True)
class SchemaExample:
    component: str
    field: str | None
    """Wire name of the property the example belongs to; ``None`` for schema-level examples."""
    index: int
    value: Any

    @property
    def id(self) -> str:
        return f"{self.component}.{self.field or '<schema>'}[{self.index}]"


def schema_examples() -> Iterator[SchemaExample]:
    for name, schema in sorted(raw_spec()["components"]["schemas"].items()):
        for index, value in enumerate(schema.get("examples") or ()):
            yield SchemaExample(name, None, index, value)
        if "example" in schema:
            yield SchemaExample(name, None, -1, schema["example"])
        for prop, sub in sorted((schema.get("properties") or {}).items()):
            for index, value in enumerate(sub.get("examples") or ()):
                yield SchemaExample(name, prop, index, value)
            if "example" in sub:
                yield SchemaExample(name, prop, -1, sub["example"])


SCHEMA_EXAMPLES = list(schema_examples())


def _model(component: str) -> Any:
    return getattr(types_module(), api().schema(component).name)


def test_the_spec_has_schema_examples() -> None:
    assert len(SCHEMA_EXAMPLES) >= 40


@pytest.mark.parametrize("example", SCHEMA_EXAMPLES, ids=lambda e: e.id)
def test_schema_example_round_trips(example: SchemaExample) -> None:
    model = _model(example.component)
    if example.field is None:
        parsed = construct_type(model, example.value)
        assert _dump(parsed) == example.value
        return
    schema = api().schema(example.component).schema
    assert isinstance(schema, ObjectSchema)
    prop = next(p for p in schema.properties if p.wire_name == example.field)
    py_name = field_names(schema)[prop.wire_name]
    info = model.model_fields[py_name]
    assert (info.alias or py_name) == example.field
    annotation = (
        typing.Annotated[(info.annotation, *info.metadata)] if info.metadata else info.annotation
    )
    adapter: pydantic.TypeAdapter[Any] = pydantic.TypeAdapter(annotation)
    parsed = adapter.validate_python(example.value)
    assert (
        adapter.dump_python(parsed, mode="json", by_alias=True, exclude_unset=True) == example.value
    )
