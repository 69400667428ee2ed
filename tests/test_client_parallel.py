"""The generated Parallel client end to end against the loopback fault server (issue 4).

Configuration, per-request options, errors and retries, SSE streams and the ``lib/`` helper
``task_run.execute`` are exercised through ``parallel_api`` itself, not the bare runtime.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pydantic
import pytest

from tests.support.fault_server import FaultServer, RecordedRequest, Step, chunks_with_pauses, sse

from parallel_api import (  # isort: skip  (importable via tests/conftest.py)
    APIKeyMissingError,
    APITimeoutError,
    AsyncParallel,
    AsyncStream,
    AuthenticationError,
    InternalServerError,
    NotFoundError,
    Parallel,
    Stream,
    UnprocessableEntityError,
)
from parallel_api.lib.task_run import ParsedTaskRunResult, TaskRunTimeoutError
from parallel_api.types import (
    BetaTaskRunResult,
    ChatCompletion,
    ChatCompletionResponseChunk,
    ErrorEvent,
    FindAllRunStatusEvent,
    TaskGroupStatusEvent,
    TaskRunEvent,
    TaskRunProgressMessageEvent,
    TaskRunProgressStatsEvent,
    TaskRunResult,
)

ROOT = Path(__file__).resolve().parent.parent
SECRET = "pk-test-9f8e/+=S3CRET"
RUNS = "/v1/tasks/runs"
RESULT = "/v1/tasks/runs/trun_1/result"


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        yield srv


@pytest.fixture
def client(server: FaultServer) -> Iterator[Parallel]:
    with Parallel(api_key=SECRET, base_url=server.url) as c:
        yield c


@pytest.fixture
async def aclient(server: FaultServer) -> Any:
    async with AsyncParallel(api_key=SECRET, base_url=server.url) as c:
        yield c


def task_run(status: str = "queued") -> dict[str, Any]:
    return {
        "run_id": "trun_1",
        "interaction_id": "trun_1",
        "status": status,
        "is_active": status in ("queued", "running"),
        "processor": "base",
        "created_at": "2025-04-23T20:21:48Z",
        "modified_at": "2025-04-23T20:21:48Z",
    }


def task_result(content: dict[str, Any]) -> dict[str, Any]:
    return {
        "run": task_run("completed"),
        "output": {"basis": [], "type": "json", "content": content},
    }


def error_body(message: str, ref_id: str = "ref-123") -> dict[str, Any]:
    return {"type": "error", "error": {"ref_id": ref_id, "message": message}}


def only(server: FaultServer, path: str) -> RecordedRequest:
    [request] = server.requests_for(path)
    return request


# --------------------------------------------------------------------------- configuration


def test_api_key_argument_is_sent_as_x_api_key(client: Parallel, server: FaultServer) -> None:
    server.script("/v1/tasks/runs/trun_1", Step(body=task_run()))
    assert client.task_run.retrieve("trun_1").run_id == "trun_1"
    assert only(server, "/v1/tasks/runs/trun_1").headers["x-api-key"] == SECRET


def test_api_key_from_environment(server: FaultServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARALLEL_API_KEY", "env-key")
    server.script("/v1/tasks/runs/trun_1", Step(body=task_run()))
    with Parallel(base_url=server.url) as c:
        assert c.task_run.retrieve("trun_1").run_id == "trun_1"
    assert only(server, "/v1/tasks/runs/trun_1").headers["x-api-key"] == "env-key"


@pytest.mark.parametrize("cls", [Parallel, AsyncParallel])
def test_missing_api_key_fails_at_construction(
    cls: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PARALLEL_API_KEY", raising=False)
    with pytest.raises(APIKeyMissingError, match="PARALLEL_API_KEY") as info:
        cls()
    assert "api_key" in str(info.value)


def test_base_url_from_servers_argument_and_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PARALLEL_BASE_URL", raising=False)
    assert (
        str(Parallel(api_key="base-url-test-key").base_url).rstrip("/") == "https://api.parallel.ai"
    )
    monkeypatch.setenv("PARALLEL_BASE_URL", "http://127.0.0.1:9/env")
    assert str(Parallel(api_key="base-url-test-key").base_url) == "http://127.0.0.1:9/env/"
    assert (
        str(Parallel(api_key="base-url-test-key", base_url="http://127.0.0.1:9/arg").base_url)
        == "http://127.0.0.1:9/arg/"
    )


@pytest.mark.parametrize("timeout", [0.2, httpx.Timeout(0.2, connect=2.0)])
def test_client_timeout_float_or_httpx_timeout(
    server: FaultServer, timeout: float | httpx.Timeout
) -> None:
    server.script("/v1/tasks/runs/trun_1", Step(body=task_run(), delay=1.0))
    with (
        Parallel(api_key=SECRET, base_url=server.url, timeout=timeout, max_retries=0) as c,
        pytest.raises(APITimeoutError),
    ):
        c.task_run.retrieve("trun_1")
    assert len(server.requests_for("/v1/tasks/runs/trun_1")) == 1


def test_default_headers_and_query(server: FaultServer) -> None:
    server.script("/v1/tasks/runs/trun_1", Step(body=task_run()))
    with Parallel(
        api_key=SECRET,
        base_url=server.url,
        default_headers={"x-team": "a"},
        default_query={"trace": "1"},
    ) as c:
        c.task_run.retrieve("trun_1")
    request = only(server, "/v1/tasks/runs/trun_1")
    assert request.headers["x-team"] == "a"
    assert ("trace", "1") in request.query


def test_custom_http_client_is_used_and_closed_with_the_client(server: FaultServer) -> None:
    seen: list[str] = []
    server.script("/v1/tasks/runs/trun_1", Step(body=task_run()))
    http = httpx.Client(event_hooks={"request": [lambda r: seen.append(r.url.path)]})
    with Parallel(api_key=SECRET, base_url=server.url, http_client=http) as c:
        copy = c.with_options(max_retries=0)
        copy.task_run.retrieve("trun_1")
        copy.close()
        assert not http.is_closed  # a copy shares the pool and leaves it open
        c.task_run.retrieve("trun_1")
    assert seen == ["/v1/tasks/runs/trun_1"] * 2
    assert http.is_closed  # the client it was handed to releases it


def test_with_options_copies_and_shares_the_pool(client: Parallel, server: FaultServer) -> None:
    server.script("/v1/tasks/runs/trun_1", Step(status=503, headers={"retry-after-ms": "5"}))
    copy = client.with_options(max_retries=0, default_headers={"x-copy": "1"})
    assert copy is not client and copy.max_retries == 0 and client.max_retries == 2
    assert copy._client is client._client  # pyright: ignore[reportPrivateUsage]
    with pytest.raises(InternalServerError):
        copy.task_run.retrieve("trun_1")
    [request] = server.requests_for("/v1/tasks/runs/trun_1")  # no retry on the copy
    assert request.headers["x-copy"] == "1" and request.headers["x-api-key"] == SECRET
    copy.close()
    assert not client.is_closed()


def test_sync_context_manager_closes_the_pool(server: FaultServer) -> None:
    with Parallel(api_key=SECRET, base_url=server.url) as c:
        assert not c.is_closed()
    assert c.is_closed()


@pytest.mark.anyio
async def test_async_context_manager_closes_the_pool(server: FaultServer) -> None:
    server.script("/v1/tasks/runs/trun_1", Step(body=task_run()))
    async with AsyncParallel(api_key=SECRET, base_url=server.url) as c:
        assert (await c.task_run.retrieve("trun_1")).status == "queued"
    assert c.is_closed()


# --------------------------------------------------------------------------- per-request options


def test_extra_headers_query_body_and_request_timeout(
    client: Parallel, server: FaultServer
) -> None:
    server.script(RUNS, Step(body=task_run()))
    client.task_run.create(
        input="q",
        processor="base",
        extra_headers={"x-extra": "h"},
        extra_query={"debug": "true"},
        extra_body={"custom_field": [1, 2]},
        timeout=5.0,
    )
    request = only(server, RUNS)
    assert request.headers["x-extra"] == "h"
    assert request.query == [("debug", "true")]
    assert request.json() == {"input": "q", "processor": "base", "custom_field": [1, 2]}


def test_api_timeout_is_the_query_param_and_timeout_the_request(
    client: Parallel, server: FaultServer
) -> None:
    server.script(
        RESULT, Step(body=task_result({"a": 1})), Step(body=task_result({"a": 1}), delay=1.0)
    )
    result = client.task_run.result("trun_1", api_timeout=7, timeout=30.0)
    assert isinstance(result, TaskRunResult) and result.output.content == {"a": 1}
    assert server.requests_for(RESULT)[0].query == [("timeout", "7")]
    # The request timeout is separate: a 0.2 s request timeout fires although api_timeout is 60.
    with pytest.raises(APITimeoutError):
        client.with_options(max_retries=0).task_run.result("trun_1", api_timeout=60, timeout=0.2)
    assert server.requests_for(RESULT)[1].query == [("timeout", "60")]


def test_betas_are_joined_into_parallel_beta(client: Parallel, server: FaultServer) -> None:
    server.script(RUNS, Step(body=task_run()))
    client.beta.task_run.create(
        input="q", processor="base", betas=["events-sse-2025-07-24", "mcp-server-2025-07-17"]
    )
    # The beta resource's own default (config `defaults`) follows the caller's betas.
    assert only(server, RUNS).headers["parallel-beta"] == (
        "events-sse-2025-07-24,mcp-server-2025-07-17,search-extract-2025-10-10"
    )
    assert only(server, RUNS).query == [("beta", "true")]


def test_beta_defaults_match_the_official_sdk(client: Parallel, server: FaultServer) -> None:
    server.script(RUNS, Step(body=task_run()))
    client.task_run.create(input="q", processor="base")
    assert "parallel-beta" not in only(server, RUNS).headers  # the GA path sends none
    assert only(server, RUNS).query == []
    client.beta.task_run.create(input="q", processor="base")
    beta = server.requests_for(RUNS)[-1]
    assert beta.headers["parallel-beta"] == "search-extract-2025-10-10"
    assert beta.query == [("beta", "true")]
    client.beta.task_run.create(
        input="q", processor="base", extra_headers={"parallel-beta": "mine"}
    )
    assert server.requests_for(RUNS)[-1].headers["parallel-beta"] == "mine"  # caller wins
    findall = "/v1beta/findall/runs/fa_1"
    server.script(findall, Step(body={}))
    client.beta.findall.with_raw_response.retrieve("fa_1")
    assert server.requests_for(findall)[0].headers["parallel-beta"] == "findall-2025-09-15"


def test_task_group_id_keeps_its_wire_name(client: Parallel, server: FaultServer) -> None:
    path = "/v1beta/tasks/groups/tgrp_1"
    server.script(path, Step(body={}))
    client.beta.task_group.with_raw_response.retrieve(task_group_id="tgrp_1")
    assert server.requests_for(path)[0].path == path


def test_search_takes_betas_copied_from_extract(client: Parallel, server: FaultServer) -> None:
    # Config `parameters:` gives beta.search extract's `parallel-beta` header argument.
    search = "/v1beta/search"
    server.script(search, Step(body={"search_id": "s_1", "results": []}))
    client.beta.search(objective="q", betas=["mcp-server-2025-07-17"])
    assert only(server, search).headers["parallel-beta"] == (
        "mcp-server-2025-07-17,search-extract-2025-10-10"
    )


@pytest.mark.anyio
async def test_async_search_takes_betas(aclient: AsyncParallel, server: FaultServer) -> None:
    search = "/v1beta/search"
    server.script(search, Step(body={"search_id": "s_1", "results": []}))
    await aclient.beta.search(objective="q", betas=["mcp-server-2025-07-17"])
    assert only(server, search).headers["parallel-beta"].startswith("mcp-server-2025-07-17,")


def test_beta_result_returns_the_beta_form(client: Parallel, server: FaultServer) -> None:
    # Config `returns:` narrows the spec's TaskRunResult | BetaTaskRunResult for the beta path.
    server.script(RESULT, Step(body=task_result({"a": 1})))
    assert type(client.beta.task_run.result("trun_1")) is BetaTaskRunResult
    assert type(client.task_run.result("trun_1")) is TaskRunResult  # the GA path is unchanged


@pytest.mark.anyio
async def test_async_beta_result_returns_the_beta_form(
    aclient: AsyncParallel, server: FaultServer
) -> None:
    server.script(RESULT, Step(body=task_result({"a": 1})))
    assert type(await aclient.beta.task_run.result("trun_1")) is BetaTaskRunResult


def test_create_retries_a_500_and_counts_attempts(client: Parallel, server: FaultServer) -> None:
    # Config `client.retry_non_idempotent: on_status` and `retry_count_header`.
    fast = {"retry-after-ms": "5"}
    server.script(RUNS, Step(status=500, headers=fast), Step(body=task_run()))
    assert client.task_run.create(input="q", processor="base").run_id == "trun_1"
    assert [r.headers["x-stainless-retry-count"] for r in server.requests_for(RUNS)] == ["0", "1"]


@pytest.mark.anyio
async def test_async_create_retries_a_500(aclient: AsyncParallel, server: FaultServer) -> None:
    server.script(RUNS, Step(status=502, headers={"retry-after-ms": "5"}), Step(body=task_run()))
    assert (await aclient.task_run.create(input="q", processor="base")).run_id == "trun_1"
    assert len(server.requests_for(RUNS)) == 2


def test_platform_headers_are_sent_and_yield_to_the_caller(
    client: Parallel, server: FaultServer
) -> None:
    # Config `client.platform_headers: X-Stainless`, the names the official SDK sends.
    import platform

    from parallel_api import __version__

    server.script(RUNS, Step(body=task_run()), Step(body=task_run()))
    client.task_run.create(input="q", processor="base")
    sent = server.requests_for(RUNS)[0].headers
    assert sent["x-stainless-lang"] == "python"
    assert sent["x-stainless-package-version"] == __version__
    assert sent["x-stainless-runtime"] == platform.python_implementation()
    assert sent["x-stainless-runtime-version"] == platform.python_version()
    os_name, arch = sent["x-stainless-os"], sent["x-stainless-arch"]
    assert os_name in ("Linux", "MacOS", "Windows") or os_name.startswith("Other:")
    assert arch in ("x64", "arm64", "x32", "arm") or arch.startswith("other:")
    assert sent["user-agent"].startswith("parallel-api/")  # still names this client
    assert client.default_headers["X-Stainless-Lang"] == "python"

    custom = client.with_options(default_headers={"X-Stainless-Lang": "mine"})
    custom.task_run.create(input="q", processor="base", extra_headers={"X-Stainless-OS": "os"})
    sent = server.requests_for(RUNS)[1].headers
    assert (sent["x-stainless-lang"], sent["x-stainless-os"]) == ("mine", "os")


def test_official_sdk_request_hooks_build_our_requests(client: Parallel) -> None:
    # Code (and tests) ported from the Stainless-generated SDK build requests this way.
    from parallel_api._base_client import FinalRequestOptions, make_request_options

    request = client._build_request(
        FinalRequestOptions(
            method="post",
            url="/foo",
            json_data={"foo": "bar", "baz": True},
            extra_json={"baz": None},
            **make_request_options(
                query={"a": "1", "b": "1"}, extra_query={"b": "2"}, extra_headers={"X-Foo": "F"}
            ),
        )
    )
    assert request.url.path == "/foo"
    assert dict(request.url.params) == {"a": "1", "b": "2"}
    assert request.headers["X-Foo"] == "F"
    assert json.loads(request.content) == {"foo": "bar", "baz": None}

    built = FinalRequestOptions.construct(
        method="post",
        url="/upload",
        json_data={"array": ["x", "y"]},
        files=[("file", b"hello")],
        timeout=httpx.Timeout(3.0),
    )
    request = client._build_request(built)
    body = request.read()
    assert b'name="array[]"' in body and b"hello" in body  # brackets: Parallel's multipart config
    assert request.extensions["timeout"]["read"] == 3.0


def test_patched_retry_hook_sets_every_delay(client: Parallel, server: FaultServer) -> None:
    # Tests ported from the official SDK patch `BaseClient._calculate_retry_timeout`.
    from unittest import mock

    from parallel_api._base_client import BaseClient

    seen: list[tuple[int, str | None]] = []

    def hook(client: Any, remaining: int, options: Any, headers: httpx.Headers | None) -> float:
        assert isinstance(client, Parallel) and options.path == RUNS
        seen.append((remaining, None if headers is None else headers.get("retry-after")))
        return 0.0

    server.script(
        RUNS,
        Step(status=503, headers={"retry-after": "30"}),
        Step(status=503, headers={"retry-after": "30"}),
        Step(body=task_run()),
    )
    with mock.patch.object(BaseClient, "_calculate_retry_timeout", hook):
        client.task_run.create(input="q", processor="base")
    assert seen == [(2, "30"), (1, "30")]  # remaining retries count down; no 30 s waits


def test_multipart_arrays_use_brackets_like_the_official_sdk(
    client: Parallel, server: FaultServer
) -> None:
    server.script("/v1/upload", Step(body={}))
    client.post("/v1/upload", cast_to=httpx.Response, body={"tags": ["a", "b"]}, files={"f": b"x"})
    body = server.requests_for("/v1/upload")[0].body
    assert body.count(b'name="tags[]"') == 2 and b'name="tags"' not in body


def test_result_read_timeout_outlasts_the_server_wait(
    client: Parallel, server: FaultServer
) -> None:
    server.script(RESULT, Step(body=task_result({"a": 1})))
    response = client.task_run.with_raw_response.result("trun_1", api_timeout=3600)
    assert response.http_request.extensions["timeout"]["read"] == 3610.0
    assert client.timeout == httpx.Timeout(600.0, connect=5.0)


def test_unsafe_run_id_is_refused(client: Parallel, server: FaultServer) -> None:
    for run_id in ("", ".", ".."):
        with pytest.raises(ValueError, match="run_id"):
            client.task_run.result(run_id)
    with pytest.raises(ValueError, match="monitor_id"):
        client.alpha.monitors.update(".", query="q")
    with pytest.raises(ValueError, match="`task_group_id`"):  # the argument, not `taskgroup_id`
        client.beta.task_group.retrieve(task_group_id="..")
    assert server.requests == []


def test_omitted_arguments_are_not_sent_and_none_is_null(
    client: Parallel, server: FaultServer
) -> None:
    server.script(RUNS, Step(body=task_run()))
    client.task_run.create(input="q", processor="base")
    client.task_run.create(input="q", processor="base", metadata=None, task_spec=None)
    first, second = server.requests_for(RUNS)
    assert first.json() == {"input": "q", "processor": "base"}
    assert "parallel-beta" not in first.headers
    assert second.json() == {"input": "q", "processor": "base", "metadata": None, "task_spec": None}


# --------------------------------------------------------------------------- errors and retries


@pytest.mark.parametrize(
    ("status", "exc"),
    [(401, AuthenticationError), (404, NotFoundError), (422, UnprocessableEntityError)],
)
def test_error_response_becomes_typed_exception(
    client: Parallel, server: FaultServer, status: int, exc: type[Exception]
) -> None:
    server.script(
        "/v1/tasks/runs/trun_1",
        Step(status=status, body=error_body("Run not usable", f"ref-{status}")),
    )
    with pytest.raises(exc) as info:
        client.task_run.retrieve("trun_1")
    error: Any = info.value
    assert error.status_code == status
    assert f"Error code: {status}" in str(error)
    assert "Run not usable" in str(error) and f"ref-{status}" in str(error)
    assert error.body["error"]["ref_id"] == f"ref-{status}"
    # 4xx other than 408/409/429 is not retried
    assert len(server.requests_for("/v1/tasks/runs/trun_1")) == 1


def test_429_retry_after_then_success(
    client: Parallel, server: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.script(
        "/v1/tasks/runs/trun_1",
        Step(status=429, headers={"Retry-After": "0.05"}, body=error_body("slow down")),
        Step(body=task_run("running")),
    )
    with caplog.at_level(logging.DEBUG, logger="parallel_api"):
        assert client.task_run.retrieve("trun_1").status == "running"
    assert len(server.requests_for("/v1/tasks/runs/trun_1")) == 2
    assert "in 0.05 seconds (retry 1 of 2) after 429" in caplog.text  # the server's delay was used


def test_503_three_times_with_two_retries_is_three_attempts(server: FaultServer) -> None:
    server.script(
        "/v1/tasks/runs/trun_1",
        Step(status=503, headers={"retry-after-ms": "5"}, body=error_body("down")),
    )
    with (
        Parallel(api_key=SECRET, base_url=server.url, max_retries=2) as c,
        pytest.raises(InternalServerError, match="ref-123"),
    ):
        c.task_run.retrieve("trun_1")
    assert len(server.requests_for("/v1/tasks/runs/trun_1")) == 3


def test_slow_handler_times_out(client: Parallel, server: FaultServer) -> None:
    server.script("/v1/tasks/runs/trun_1", Step(body=task_run(), delay=1.0))
    with pytest.raises(APITimeoutError):
        client.with_options(max_retries=0).task_run.retrieve("trun_1", timeout=0.2)


def test_api_key_never_in_messages_repr_or_logs(
    client: Parallel, server: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    # A hostile server echoes the key back in its error message.
    server.script("/v1/tasks/runs/trun_1", Step(status=401, body=error_body(f"bad key {SECRET}")))
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthenticationError) as info:
        client.task_run.retrieve("trun_1")
    assert "bad key" in str(info.value) and SECRET not in str(info.value)
    for text in (repr(client), repr(info.value), repr(info.value.request), caplog.text):
        assert SECRET not in text
    assert "Sending GET" in caplog.text  # the log was captured, not just empty


# --------------------------------------------------------------------------- SSE streams

KEEPALIVE = ": keep-alive\n\n"
TASK_RUN_EVENTS = [
    KEEPALIVE,
    sse(
        event="progress",
        data='{"type": "task_run.progress_msg.plan",\n "message": "planning",\n "timestamp": null}',
    ),
    sse(
        data=json.dumps(
            {"type": "task_run.progress_msg.search", "message": "searching", "timestamp": None}
        )
    ),
    KEEPALIVE,
    sse(
        data=json.dumps(
            {
                "type": "task_run.progress_stats",
                "source_stats": {
                    "num_sources_considered": 3,
                    "num_sources_read": None,
                    "sources_read_sample": None,
                },
                "progress_meter": 50.0,
            }
        )
    ),
    sse(
        data=json.dumps({"type": "task_run.state", "event_id": "e1", "run": task_run("completed")})
    ),
]


def _check_task_run_events(events: list[Any]) -> None:
    assert [type(e) for e in events] == [
        TaskRunProgressMessageEvent,
        TaskRunProgressMessageEvent,
        TaskRunProgressStatsEvent,
        TaskRunEvent,
    ]
    assert [e.type for e in events[:2]] == [
        "task_run.progress_msg.plan",
        "task_run.progress_msg.search",
    ]
    assert events[0].message == "planning"  # multi-line data joined
    assert events[3].run.status == "completed"


def test_task_run_events_sync(client: Parallel, server: FaultServer) -> None:
    path = "/v1beta/tasks/runs/trun_1/events"
    server.script(path, Step(chunks=TASK_RUN_EVENTS))
    stream = client.beta.task_run.events("trun_1")
    assert isinstance(stream, Stream)
    _check_task_run_events(list(stream))
    assert only(server, path).headers["accept"] == "text/event-stream"


@pytest.mark.anyio
async def test_task_run_events_async(aclient: AsyncParallel, server: FaultServer) -> None:
    server.script("/v1beta/tasks/runs/trun_1/events", Step(chunks=TASK_RUN_EVENTS))
    stream = await aclient.beta.task_run.events("trun_1")
    assert isinstance(stream, AsyncStream)
    _check_task_run_events([event async for event in stream])


def _endless(event: dict[str, Any]) -> list[str | bytes | float]:
    return chunks_with_pauses([KEEPALIVE] + [sse(data=json.dumps(event))] * 200, 0.02)


def test_break_closes_the_connection_sync(client: Parallel, server: FaultServer) -> None:
    path = "/v1beta/tasks/runs/trun_1/events"
    server.script(
        path,
        Step(
            chunks=_endless(
                {"type": "task_run.progress_msg.plan", "message": "m", "timestamp": None}
            )
        ),
    )
    for event in client.beta.task_run.events("trun_1"):
        assert isinstance(event, TaskRunProgressMessageEvent)
        break
    assert server.wait_for(lambda: server.disconnects == [path], timeout=5)
    assert server.completed == []


@pytest.mark.anyio
async def test_break_closes_the_connection_async(
    aclient: AsyncParallel, server: FaultServer
) -> None:
    path = "/v1beta/findall/runs/fa_1/events"
    server.script(
        path, Step(chunks=_endless({"type": "error", "error": {"ref_id": "r", "message": "m"}}))
    )
    async with await aclient.beta.findall.events("fa_1") as stream:  # async: close on exit
        async for event in stream:
            assert isinstance(event, ErrorEvent)
            break
    assert server.wait_for(lambda: server.disconnects == [path], timeout=5)


GROUP_STATUS = {
    "type": "task_group_status",
    "event_id": "e1",
    "status": {
        "num_task_runs": 2,
        "task_run_status_counts": {"completed": 2},
        "is_active": False,
        "status_message": None,
        "modified_at": None,
    },
}
FINDALL_STATUS = {
    "type": "findall.status",
    "timestamp": "2025-01-01T00:00:00Z",
    "event_id": "e1",
    "data": {
        "findall_id": "fa_1",
        "status": {"status": "running", "is_active": True, "metrics": {}},
        "generator": "base",
    },
}
STATE = {"type": "task_run.state", "event_id": "e2", "run": task_run("completed")}
ERROR = {"type": "error", "error": {"ref_id": "r9", "message": "bad"}}

STREAM_CASES = [
    (
        "task_group.events",
        "/v1beta/tasks/groups/tg_1/events",
        ("tg_1",),
        [GROUP_STATUS, STATE],
        [TaskGroupStatusEvent, TaskRunEvent],
    ),
    (
        "task_group.get_runs",
        "/v1beta/tasks/groups/tg_1/runs",
        ("tg_1",),
        [STATE, ERROR],
        [TaskRunEvent, ErrorEvent],
    ),
    (
        "findall.events",
        "/v1beta/findall/runs/fa_1/events",
        ("fa_1",),
        [FINDALL_STATUS, ERROR],
        [FindAllRunStatusEvent, ErrorEvent],
    ),
]


def _chunks(events: list[dict[str, Any]]) -> list[str | bytes | float]:
    out: list[str | bytes | float] = [KEEPALIVE]
    for event in events:  # pretty-printed JSON: every event spans several data: lines
        out += [sse(data=json.dumps(event, indent=1)), KEEPALIVE]
    return out


@pytest.mark.parametrize(("method", "path", "args", "events", "types"), STREAM_CASES)
def test_beta_streams_sync(
    client: Parallel,
    server: FaultServer,
    method: str,
    path: str,
    args: tuple[str],
    events: list[Any],
    types: list[type],
) -> None:
    server.script(path, Step(chunks=_chunks(events)))
    resource, name = method.split(".")
    got = list(getattr(getattr(client.beta, resource), name)(*args))
    assert [type(e) for e in got] == types
    assert server.wait_for(lambda: server.completed == [path])


@pytest.mark.parametrize(("method", "path", "args", "events", "types"), STREAM_CASES)
@pytest.mark.anyio
async def test_beta_streams_async(
    aclient: AsyncParallel,
    server: FaultServer,
    method: str,
    path: str,
    args: tuple[str],
    events: list[Any],
    types: list[type],
) -> None:
    server.script(path, Step(chunks=_chunks(events)))
    resource, name = method.split(".")
    stream = await getattr(getattr(aclient.beta, resource), name)(*args)
    assert [type(e) async for e in stream] == types


CHUNK = {
    "type": "chat.completion.chunk",
    "id": "c1",
    "created": 1,
    "model": "speed",
    "object": "chat.completion.chunk",
}
CHAT_STREAM = [
    KEEPALIVE,
    sse(data=json.dumps({**CHUNK, "choices": [{"index": 0, "delta": {"content": "Hel"}}]})),
    sse(
        data=json.dumps({**CHUNK, "choices": [{"index": 0, "delta": {"content": "lo"}}]}, indent=1)
    ),
    sse(data="[DONE]"),
]
COMPLETION = {
    "id": "c1",
    "created": 1,
    "model": "speed",
    "object": "chat.completion",
    "choices": [],
}
MESSAGES: list[Any] = [{"role": "user", "content": "hi"}]


def test_chat_completions_stream_and_json_sync(client: Parallel, server: FaultServer) -> None:
    path = "/v1beta/chat/completions"
    server.script(path, Step(chunks=CHAT_STREAM), Step(body=COMPLETION))
    stream = client.beta.chat.completions.create(model="speed", messages=MESSAGES, stream=True)
    chunks = list(stream)
    assert all(isinstance(c, ChatCompletionResponseChunk) for c in chunks)
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "Hello"
    completion = client.beta.chat.completions.create(model="speed", messages=MESSAGES)
    assert isinstance(completion, ChatCompletion) and completion.object == "chat.completion"
    first, second = server.requests_for(path)
    assert first.json()["stream"] is True and first.headers["accept"] == "text/event-stream"
    assert "stream" not in second.json() and second.headers["accept"] == "application/json"


@pytest.mark.anyio
async def test_chat_completions_stream_and_json_async(
    aclient: AsyncParallel, server: FaultServer
) -> None:
    server.script("/v1beta/chat/completions", Step(chunks=CHAT_STREAM), Step(body=COMPLETION))
    stream = await aclient.beta.chat.completions.create(
        model="speed", messages=MESSAGES, stream=True
    )
    assert [c.choices[0].delta.content async for c in stream] == ["Hel", "lo"]
    completion = await aclient.beta.chat.completions.create(
        model="speed", messages=MESSAGES, stream=False
    )
    assert isinstance(completion, ChatCompletion)


# --------------------------------------------------------------------------- static types (pyright)

TYPES_OK = """
from typing_extensions import assert_type
from pydantic import BaseModel
from parallel_api import AsyncParallel, AsyncStream, Parallel, Stream
from parallel_api.lib.task_run import ParsedTaskRunResult
from parallel_api.types import (
    BetaTaskRunResult,
    ChatCompletion,
    ChatCompletionResponseChunk,
    ChatMessageParam,
    TaskRunResultResponse,
)

class Gdp(BaseModel):
    gdp: str

def sync(client: Parallel, flag: bool) -> None:
    m: list[ChatMessageParam] = [{"role": "user", "content": "hi"}]
    assert_type(client.beta.chat.completions.create(model="speed", messages=m), ChatCompletion)
    assert_type(
        client.beta.chat.completions.create(model="speed", messages=m, stream=False), ChatCompletion
    )
    assert_type(
        client.beta.chat.completions.create(model="speed", messages=m, stream=True),
        Stream[ChatCompletionResponseChunk],
    )
    assert_type(
        client.beta.chat.completions.create(model="speed", messages=m, stream=flag),
        ChatCompletion | Stream[ChatCompletionResponseChunk],
    )
    parsed = client.task_run.execute(input="q", processor="base", output=Gdp, timeout=60)
    assert_type(parsed, ParsedTaskRunResult[Gdp])
    assert_type(parsed.output.parsed, Gdp)
    assert_type(client.task_run.execute(input="q", processor="base"), TaskRunResultResponse)
    assert_type(
        client.task_run.execute(input="q", processor="base", output={"type": "object"}),
        TaskRunResultResponse,
    )

async def run_async(client: AsyncParallel) -> None:
    m: list[ChatMessageParam] = [{"role": "user", "content": "hi"}]
    stream = await client.beta.chat.completions.create(model="speed", messages=m, stream=True)
    assert_type(stream, AsyncStream[ChatCompletionResponseChunk])
    parsed = await client.task_run.execute(input="q", processor="base", output=Gdp)
    assert_type(parsed.output.parsed, Gdp)
"""

TYPES_BAD = """
from parallel_api import Parallel
from parallel_api.types import ChatCompletion

def wrong(client: Parallel) -> None:
    done: ChatCompletion = client.beta.chat.completions.create(model="m", messages=[], stream=True)
    client.task_run.execute(input="q")
"""


def test_overloads_type_check_for_users(tmp_path: Path) -> None:
    pyright = Path(sys.executable).with_name("pyright")
    if not pyright.exists():
        pytest.fail("pyright is a test dependency: pip install -e '.[test]'")
    (tmp_path / "ok.py").write_text(TYPES_OK)
    (tmp_path / "bad.py").write_text(TYPES_BAD)
    cmd = [str(pyright), "--outputjson", "--pythonpath", sys.executable, "ok.py", "bad.py"]
    proc = subprocess.run(
        cmd,
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=240,
        env={
            "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
            "PYTHONPATH": str(ROOT / "generated"),
            "HOME": str(Path.home()),
        },
    )
    report = json.loads(proc.stdout)
    errors = [
        (Path(d["file"]).name, d["range"]["start"]["line"])
        for d in report["generalDiagnostics"]
        if d["severity"] == "error"
    ]
    assert [e for e in errors if e[0] == "ok.py"] == [], proc.stdout
    # The checker really checks: assigning a stream to ChatCompletion and a missing argument fail.
    assert sorted(line for name, line in errors if name == "bad.py") == [5, 6], proc.stdout


# --------------------------------------------------------------------------- lib/: task_run.execute


class Gdp(pydantic.BaseModel):
    gdp: str
    year: int


def test_execute_waits_through_408s(
    client: Parallel, server: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.script(RUNS, Step(body=task_run()))
    still_running = Step(status=408, body=error_body("still running"))
    server.script(RESULT, still_running, still_running, Step(body=task_result({"gdp": "3.1T"})))
    with caplog.at_level(logging.DEBUG, logger="parallel_api"):
        result = client.with_options(max_retries=0).task_run.execute(input="GDP?", processor="base")
    assert isinstance(result, TaskRunResult) and result.output.content == {"gdp": "3.1T"}
    polls = server.requests_for(RESULT)
    assert len(polls) == 3  # max_retries=0 and still done: 408s cost no retry budget
    assert all(dict(p.query)["timeout"] == "600" for p in polls)
    assert "Retrying" not in caplog.text  # and no backoff sleeps
    assert "task_spec" not in only(server, RUNS).json()  # no output: auto schema


def test_execute_parses_into_a_pydantic_model(client: Parallel, server: FaultServer) -> None:
    server.script(RUNS, Step(body=task_run()))
    server.script(RESULT, Step(status=408), Step(body=task_result({"gdp": "3.1T", "year": 2023})))
    result = client.task_run.execute(
        input="GDP?", processor="core", output=Gdp, betas=["mcp-server-2025-07-17"]
    )
    assert isinstance(result, ParsedTaskRunResult)
    assert result.output.parsed == Gdp(gdp="3.1T", year=2023)
    assert (
        result.output.content == {"gdp": "3.1T", "year": 2023} and result.run.status == "completed"
    )
    create = only(server, RUNS)
    assert create.json()["task_spec"] == {
        "output_schema": {"type": "json", "json_schema": Gdp.model_json_schema()}
    }
    assert create.headers["parallel-beta"] == "mcp-server-2025-07-17"
    assert all(
        p.headers["parallel-beta"] == "mcp-server-2025-07-17" for p in server.requests_for(RESULT)
    )


def test_execute_with_a_json_schema_dict(client: Parallel, server: FaultServer) -> None:
    schema = {"type": "object", "properties": {"gdp": {"type": "string"}}}
    server.script(RUNS, Step(body=task_run()))
    server.script(RESULT, Step(body=task_result({"gdp": "x"})))
    result = client.task_run.execute(input="q", processor="base", output=schema)
    assert result.output.content == {"gdp": "x"}
    assert only(server, RUNS).json()["task_spec"]["output_schema"]["json_schema"] == schema


def test_execute_timeout_is_a_clear_error(client: Parallel, server: FaultServer) -> None:
    server.script(RUNS, Step(body=task_run()))
    server.script(RESULT, Step(status=408, delay=0.3))
    with pytest.raises(
        TaskRunTimeoutError, match=r"trun_1 did not complete within 1 seconds"
    ) as info:
        client.task_run.execute(input="q", processor="base", timeout=1.0)
    assert isinstance(info.value, TimeoutError) and info.value.run_id == "trun_1"
    polls = server.requests_for(RESULT)
    assert 2 <= len(polls) and dict(polls[0].query)["timeout"] == "1"  # server wait ≤ what is left


def test_execute_retries_transient_failures_with_the_client_budget(server: FaultServer) -> None:
    server.script(RUNS, Step(body=task_run()))
    server.script(
        RESULT,
        Step(status=408),
        Step(status=503, headers={"retry-after-ms": "5"}),
        Step(status=408),
        Step(body=task_result({"a": 1})),
    )
    with Parallel(api_key=SECRET, base_url=server.url, max_retries=1) as c:
        assert c.task_run.execute(input="q", processor="base").output.content == {"a": 1}
    server.script(RESULT, Step(status=503, headers={"retry-after-ms": "5"}))
    with (
        Parallel(api_key=SECRET, base_url=server.url, max_retries=1) as c,
        pytest.raises(InternalServerError),
    ):
        c.task_run.execute(input="q", processor="base")
    assert len(server.requests_for(RESULT)) == 4 + 2  # one try plus one retry


def test_execute_propagates_a_failed_run(client: Parallel, server: FaultServer) -> None:
    server.script(RUNS, Step(body=task_run()))
    server.script(RESULT, Step(status=404, body=error_body("Run failed", "ref-f")))
    with pytest.raises(NotFoundError, match="ref-f"):
        client.task_run.execute(input="q", processor="base")


@pytest.mark.anyio
async def test_execute_async(aclient: AsyncParallel, server: FaultServer) -> None:
    server.script(RUNS, Step(body=task_run()))
    server.script(
        RESULT, Step(status=408), Step(status=408), Step(body=task_result({"gdp": "1", "year": 1}))
    )
    result = await aclient.with_options(max_retries=0).task_run.execute(
        input="q", processor="base", output=Gdp
    )
    assert result.output.parsed == Gdp(gdp="1", year=1)
    assert len(server.requests_for(RESULT)) == 3


@pytest.mark.anyio
async def test_execute_async_timeout(aclient: AsyncParallel, server: FaultServer) -> None:
    server.script(RUNS, Step(body=task_run()))
    server.script(RESULT, Step(status=408, delay=0.3))
    with pytest.raises(TaskRunTimeoutError):
        await aclient.task_run.execute(input="q", processor="base", timeout=0.5)


# ----------------------------------------------------------------- lib/ survives regeneration


def _tree_hashes(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def test_regeneration_keeps_lib_untouched(tmp_path: Path) -> None:
    out = tmp_path / "generated"
    shutil.copytree(ROOT / "generated", out, ignore=shutil.ignore_patterns("__pycache__"))
    lib = out / "parallel_api" / "lib"
    (lib / "mine.py").write_text("VALUE = 1\n")  # a file apigen never heard of
    before = _tree_hashes(lib)
    apigen = [sys.executable, "-m", "generator"]
    for args in (["generate", "-o", str(out)], ["check", "-o", str(out)]):
        proc = subprocess.run(
            [*apigen, *args], check=False, cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert proc.returncode == 0, proc.stderr
    assert _tree_hashes(lib) == before
    assert before.keys() >= {"__init__.py", "task_run.py", "mine.py"}


@pytest.mark.parametrize(
    ("extend", "message"),
    [
        ("{nope: task_run}", "unknown resource 'nope'"),
        ("{task_run: not-a-module}", "must map a dotted resource path to a dotted lib module"),
        ("{task_run: lib.class}", "must map a dotted resource path to a dotted lib module"),
    ],
)
def test_bad_extend_config_is_a_one_line_error(tmp_path: Path, extend: str, message: str) -> None:
    _assert_config_error(tmp_path, f"extend: {extend}", message)


@pytest.mark.parametrize(
    ("client", "message"),
    [
        ("{retry_non_idempotent: always}", "must be 'safe' or 'on_status'"),
        ("{retry_count_header: 'x bad'}", "retry_count_header must be a header name"),
        ("{platform_headers: 'X-Acme-'}", "platform_headers must be a header-name prefix"),
        ("{platform_headers: [X-Acme]}", "platform_headers must be a header-name prefix"),
    ],
)
def test_bad_retry_config_is_a_one_line_error(tmp_path: Path, client: str, message: str) -> None:
    _assert_config_error(tmp_path, f"client: {client}", message)


@pytest.mark.parametrize(
    ("section", "message"),
    [
        ("parameters: {search: {parallel-beta: POST /v1beta/extract}}", "unknown method 'search'"),
        ("parameters: {beta.search: {parallel-beta: POST /v1/nope}}", "unknown operation"),
        ("parameters: {beta.search: {nope: POST /v1beta/extract}}", "no parameter 'nope'"),
        ("parameters: {beta.extract: {parallel-beta: POST /v1/tasks/runs}}", "already has"),
        ("returns: {task_run.result: Nope}", "unknown component schema 'Nope'"),
        ("returns: {task_run.result: TaskRun}", "nor one member of its union"),
        ("returns: {task_run.result: [TaskRun]}", "must map a method path"),
    ],
)
def test_bad_parameters_or_returns_config_is_a_one_line_error(
    tmp_path: Path, section: str, message: str
) -> None:
    resources = (
        'resources: {"POST /v1beta/search": beta.search, "POST /v1beta/extract": beta.extract,'
        ' "GET /v1/tasks/runs/{run_id}/result": task_run.result}'
    )
    _assert_config_error(tmp_path, f"{resources}\n{section}", message)


def _assert_config_error(tmp_path: Path, sections: str, message: str) -> None:
    config = tmp_path / "apigen.yaml"
    spec = ROOT / "spec" / "public-openapi.json"
    config.write_text(f"spec: {spec}\noutput: out\n{sections}\n")
    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--config", str(config)],
        check=False,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    [line] = proc.stderr.splitlines()
    assert line.startswith("apigen: error:") and message in line
    assert not (tmp_path / "out").exists()
