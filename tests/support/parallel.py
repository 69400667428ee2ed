"""What the generated Parallel client must contain, derived from the spec, IR and apigen.yaml.

The tests never hard-code the list of operations: they ask the generator's own stages (loader,
IR, naming config, resource tree) what should exist and then check the generated package.
"""

from __future__ import annotations

import datetime
import functools
import importlib
import json
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from generator.config import load_config
from generator.ir.model import Api, Operation, Schema
from generator.naming import build_resource_tree
from generator.pipeline import load_api
from generator.plan import AnnotationRenderer, ClientPlan, OperationPlan, build_plan
from generator.plan.operations import is_json, is_sse

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "spec" / "public-openapi.json"
CONFIG = ROOT / "apigen.yaml"


@dataclass(frozen=True)
class Binding:
    """One method the client must expose: ``client.<path>`` for ``operation``."""

    path: tuple[str, ...]
    operation: Operation
    alias_of: str | None

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    @property
    def key(self) -> str:
        return f"{self.operation.method.upper()} {self.operation.path}"

    @property
    def is_sse_only(self) -> bool:
        """Every success response is ``text/event-stream`` (Prism cannot serve these)."""
        contents = [
            c for r in self.operation.responses if r.status.startswith("2") for c in r.contents
        ]
        return bool(contents) and all(is_sse(c.media_type) for c in contents)


@functools.cache
def api() -> Api:
    return load_api(SPEC)[1]


@functools.cache
def raw_spec() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SPEC.read_text(encoding="utf-8"))
    return data


@functools.cache
def bindings() -> tuple[Binding, ...]:
    """Every method path (homes and aliases) the naming config and resource tree prescribe."""
    config = load_config(CONFIG)
    tree = build_resource_tree(api(), config.resources)
    found = [
        Binding(node.path + (method.name,), method.operation, method.alias_of)
        for node in tree.walk()
        for method in node.methods
    ]
    return tuple(sorted(found, key=lambda b: b.dotted))


def home_bindings() -> tuple[Binding, ...]:
    return tuple(b for b in bindings() if b.alias_of is None)


def resolve(root: object, path: tuple[str, ...]) -> Any:
    """``root.a.b.c`` for ``path == ("a", "b", "c")``."""
    target: Any = root
    for part in path:
        target = getattr(target, part)
    return target


@functools.cache
def plan() -> ClientPlan:
    return build_plan(api(), load_config(CONFIG))


def operation_plan(binding: Binding) -> OperationPlan:
    """The generator's plan of the method: argument names, wire names and locations."""
    return next(op for op in plan().methods() if op.method_path == binding.path)


def types_module() -> Any:
    return importlib.import_module("parallel_api.types")


def declared_type(schema: Schema) -> Any:
    """The Python type the generated package declares for ``schema`` (response side).

    The annotation text comes from the generator's renderer; it is evaluated against the
    *generated* ``parallel_api.types`` module, so a model missing from the package fails here.
    """
    text = AnnotationRenderer(api(), "response").render(schema).text
    namespace: dict[str, Any] = {
        "Literal": typing.Literal,
        "Annotated": typing.Annotated,
        "Field": pydantic.Field,
        "datetime": datetime.datetime,
        "date": datetime.date,
    }
    namespace.update(vars(types_module()))
    return eval(text, namespace)


@dataclass(frozen=True)
class ResponseExample:
    """One ``example`` (or one entry of ``examples``) of a response's media type."""

    binding: Binding
    status: str
    media_type: str
    name: str
    value: Any
    schema: Schema

    @property
    def id(self) -> str:
        return f"{self.binding.key} {self.status} {self.media_type} {self.name}".replace(" ", "_")


def response_examples() -> Iterator[ResponseExample]:
    """Every response example in the spec, paired with the IR schema of its media type."""
    spec_paths = raw_spec()["paths"]
    for binding in home_bindings():
        op = binding.operation
        raw_responses = spec_paths[op.path][op.method.lower()]["responses"]
        for response in op.responses:
            raw_content = raw_responses[response.status].get("content", {})
            for content in response.contents:
                if not (is_json(content.media_type) or is_sse(content.media_type)):
                    continue
                raw = raw_content.get(content.media_type, {})
                if "example" in raw:
                    yield ResponseExample(
                        binding,
                        response.status,
                        content.media_type,
                        "example",
                        raw["example"],
                        content.schema,
                    )
                for name, example in sorted((raw.get("examples") or {}).items()):
                    if isinstance(example, dict) and "value" in example:
                        yield ResponseExample(
                            binding,
                            response.status,
                            content.media_type,
                            name,
                            example["value"],
                            content.schema,
                        )
