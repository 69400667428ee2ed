"""Contract tests: every non-SSE operation through the generated clients against Prism.

Prism validates each request against the spec (path, query, headers, auth, body) and answers
from the spec's examples, so a wrongly built request fails here with a typed API error, and a
response the generated models cannot parse fails with ``APIResponseValidationError``.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Iterator
from typing import Any

import parallel_api
import pydantic
import pytest
from parallel_api import Omit
from parallel_api._base_client import RequestOptions
from parallel_api.types import TaskRun

from tests.support.parallel import Binding, home_bindings, resolve
from tests.support.prism import call_arguments, prism_url

__all__ = ["prism_url"]  # the session fixture, used by name below

pytestmark = pytest.mark.prism

OPERATIONS = [b for b in home_bindings() if not b.is_sse_only]


def _ids(binding: Binding) -> str:
    return binding.dotted


@pytest.fixture(scope="module")
def client(prism_url: str) -> Iterator[parallel_api.Parallel]:
    with parallel_api.Parallel(
        api_key="test-key", base_url=prism_url, max_retries=0, timeout=30
    ) as c:
        yield c


def _return_type(binding: Binding) -> Any:
    with parallel_api.Parallel(api_key="k", base_url="http://127.0.0.1:9") as c:
        resource = type(resolve(c, binding.path[:-1]))
    returned = typing.get_type_hints(getattr(resource, binding.path[-1]))["return"]
    if _is_union(returned):  # JSON-or-stream methods: called without stream=True here
        options = [
            a for a in typing.get_args(returned) if typing.get_origin(a) is not parallel_api.Stream
        ]
        return options[0] if len(options) == 1 else typing.Union[tuple(options)]  # noqa: UP007
    return returned


def _is_union(annotation: Any) -> bool:
    return typing.get_origin(annotation) in (typing.Union, types.UnionType)


def _success_status(binding: Binding) -> int:
    return int(min(r.status for r in binding.operation.responses if r.status.startswith("2")))


def assert_typed(value: Any, annotation: Any) -> None:
    """``value`` is an instance of the declared type: models, unions, lists, ``None``."""
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if annotation is type(None) or annotation is None:
        assert value is None
    elif annotation is object:
        pass  # the spec's ``{}`` schema: any JSON value (Prism answers ``null``), as decoded
    elif _is_union(annotation):
        members = [typing.get_origin(a) or a for a in typing.get_args(annotation)]
        assert isinstance(value, tuple(members)), (type(value), annotation)
    elif typing.get_origin(annotation) is list:
        assert isinstance(value, list) and value, "Prism answers with the spec's non-empty example"
        for item in value:
            assert_typed(item, typing.get_args(annotation)[0])
    else:
        assert isinstance(value, annotation), (type(value), annotation)


def _dump(value: Any) -> Any:
    if isinstance(value, pydantic.BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list):
        return [_dump(item) for item in value]
    return value


def test_every_non_sse_operation_is_covered() -> None:
    assert len(OPERATIONS) == len(home_bindings()) - sum(b.is_sse_only for b in home_bindings())
    assert len(OPERATIONS) >= 27


@pytest.mark.parametrize("binding", OPERATIONS, ids=_ids)
def test_sync_client(client: parallel_api.Parallel, binding: Binding) -> None:
    args, kwargs = call_arguments(binding)
    result = resolve(client, binding.path)(*args, **kwargs)
    assert_typed(result, _return_type(binding))


@pytest.mark.parametrize("binding", OPERATIONS, ids=_ids)
def test_raw_response(client: parallel_api.Parallel, binding: Binding) -> None:
    args, kwargs = call_arguments(binding)
    *parents, name = binding.path
    response = getattr(resolve(client, tuple(parents)).with_raw_response, name)(*args, **kwargs)
    assert isinstance(response, parallel_api.APIResponse)
    assert response.status_code == _success_status(binding)
    if response.status_code != 204:
        assert response.headers["content-type"].startswith("application/json")
    assert_typed(response.parse(), _return_type(binding))
    if response.status_code != 204:
        assert _dump(response.parse()) == response.json()  # nothing lost or invented by parsing
    assert response.http_response.request.headers["x-api-key"] == "test-key"


@pytest.mark.anyio
@pytest.mark.parametrize("binding", OPERATIONS, ids=_ids)
async def test_async_client(prism_url: str, binding: Binding) -> None:
    args, kwargs = call_arguments(binding)
    async with parallel_api.AsyncParallel(
        api_key="test-key", base_url=prism_url, max_retries=0, timeout=30
    ) as client:
        result = await resolve(client, binding.path)(*args, **kwargs)
        assert_typed(result, _return_type(binding))
        *parents, name = binding.path
        raw = await getattr(resolve(client.with_raw_response, tuple(parents)), name)(
            *args, **kwargs
        )
        assert isinstance(raw, parallel_api.AsyncAPIResponse)
        assert raw.status_code == _success_status(binding)
        assert_typed(await raw.parse(), _return_type(binding))


def test_missing_api_key_is_authentication_error(client: parallel_api.Parallel) -> None:
    with pytest.raises(parallel_api.AuthenticationError) as caught:
        client.task_run.retrieve("trun_x", extra_headers={"x-api-key": Omit()})
    assert caught.value.status_code == 401
    assert caught.value.response.request.headers.get("x-api-key") is None
    error = typing.cast(dict[str, Any], caught.value.body)["error"]
    assert error["message"] in str(caught.value)


def test_body_without_processor_is_unprocessable(client: parallel_api.Parallel) -> None:
    """``processor`` is a required argument, so the request is built below the generated method."""
    options = RequestOptions(
        method="post",
        path="/v1/tasks/runs",
        json_body={"input": "What was the GDP of France in 2023?"},
    )
    with pytest.raises(parallel_api.UnprocessableEntityError) as caught:
        client.request(TaskRun, options)
    assert caught.value.status_code == 422
    assert caught.value.response.request.headers["x-api-key"] == "test-key"
    assert b"processor" not in caught.value.response.request.content
