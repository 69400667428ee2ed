"""``client.task_run.execute(...)``: create a task run, then wait for its result.

The result endpoint blocks server-side for up to its ``timeout`` query parameter (``api_timeout``
in the client) and answers 408 while the run is still going. ``execute`` turns that into a loop:
each 408 means "ask again", not a failure, so those polls are sent with ``max_retries=0`` and never
spend the client's retry budget (nor its backoff delays). Real transient failures while waiting
(connection errors, 409, 429, 5xx) still get the client's ``max_retries``, with the runtime's
backoff and ``Retry-After`` handling.

The methods live on mixins that the generated ``TaskRunResource`` / ``AsyncTaskRunResource``
inherit (``extend: {task_run: task_run}`` in apigen.yaml), so type checkers see them.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast, overload

import anyio
import pydantic

from .._base_client import RequestOptions
from .._exceptions import APIConnectionError, APIStatusError, APITimeoutError
from .._types import NOT_GIVEN, NotGiven
from ..types import (
    ParallelBeta,
    TaskRunJsonOutput,
    TaskRunResult,
    TaskRunResultResponse,
    TaskSpecParam,
)

if TYPE_CHECKING:
    from .._base_client import AsyncAPIClient, SyncAPIClient
    from .._client import AsyncParallel, Parallel
    from ..resources.task_run import AsyncTaskRunResource, TaskRunResource

_POLL = RequestOptions("get", "/v1/tasks/runs/{run_id}/result")
"""What one poll asks for; the retry-delay hook reads its retry limit (the client's)."""

__all__ = [
    "AsyncTaskRunResourceMixin",
    "ParsedTaskRunJsonOutput",
    "ParsedTaskRunResult",
    "TaskRunResourceMixin",
    "TaskRunTimeoutError",
]

OutputT = TypeVar("OutputT", bound=pydantic.BaseModel)

MAX_POLL_SECONDS = 600
"""The result endpoint's own default and the longest single server-side wait we ask for."""
POLL_GRACE_SECONDS = 10.0
"""How much longer than ``api_timeout`` one poll may take on the wire before it is a timeout."""


class TaskRunTimeoutError(TimeoutError):
    """``execute`` gave up waiting: the run may still finish (poll ``task_run.result`` later)."""

    def __init__(self, run_id: str, timeout: float) -> None:
        super().__init__(
            f"Task run {run_id} did not complete within {timeout:g} seconds; it may still be "
            f"running: call task_run.result({run_id!r}) to keep waiting"
        )
        self.run_id = run_id
        self.timeout = timeout


class ParsedTaskRunJsonOutput(TaskRunJsonOutput, Generic[OutputT]):
    """A JSON output with ``content`` also validated into the caller's model as ``parsed``."""

    parsed: OutputT


class ParsedTaskRunResult(TaskRunResult, Generic[OutputT]):
    """What ``execute(..., output=Model)`` returns: ``result.output.parsed`` is a ``Model``."""

    output: ParsedTaskRunJsonOutput[OutputT]  # pyright: ignore[reportIncompatibleVariableOverride]


OutputSpec = type[pydantic.BaseModel] | Mapping[str, object] | None


def _task_spec(output: OutputSpec) -> TaskSpecParam | NotGiven:
    """The ``task_spec`` for ``output``: a JSON output schema, or nothing (auto schema)."""
    if output is None:
        return NOT_GIVEN
    schema = output.model_json_schema() if isinstance(output, type) else dict(output)
    return {"output_schema": {"type": "json", "json_schema": schema}}


def _parse(
    result: TaskRunResultResponse, output: OutputSpec
) -> TaskRunResultResponse | ParsedTaskRunResult[Any]:
    if not isinstance(output, type):
        return result
    if result.output.type != "json":
        raise ValueError(
            f"Task run {result.run.run_id} returned {result.output.type!r} output; "
            f"expected JSON to parse into {output.__name__}"
        )
    data = result.model_dump(by_alias=True)
    data["output"]["parsed"] = result.output.content
    parsed: ParsedTaskRunResult[Any] = ParsedTaskRunResult[output].model_validate(data)  # type: ignore[valid-type]
    return parsed


def _poll_seconds(deadline: float | None) -> int:
    if deadline is None:
        return MAX_POLL_SECONDS
    return max(1, min(MAX_POLL_SECONDS, math.ceil(deadline - time.monotonic())))


def _is_transient(exc: Exception) -> bool:
    """The runtime's retry rule minus 408 (which ``execute`` handles as "still running")."""
    if isinstance(exc, APIStatusError):
        return exc.status_code in (409, 429) or exc.status_code >= 500
    return isinstance(exc, APIConnectionError)


class _Waiter:
    """Deadline and retry bookkeeping shared by the sync and async loops."""

    def __init__(
        self, client: SyncAPIClient | AsyncAPIClient, run_id: str, timeout: float | None
    ) -> None:
        self.client = client
        self.run_id = run_id
        self.timeout = timeout
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.retries_taken = 0

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def timed_out(self) -> TaskRunTimeoutError:
        return TaskRunTimeoutError(self.run_id, cast(float, self.timeout))

    def delay_after(self, exc: Exception) -> float | None:
        """Seconds to wait before polling again, or ``None`` when ``exc`` must propagate."""
        if isinstance(exc, APIStatusError) and exc.status_code == 408:
            return 0.0  # still running: ask again at once, the server does the waiting
        if isinstance(exc, APITimeoutError) and self.expired():
            return 0.0  # the loop turns this into TaskRunTimeoutError
        if not _is_transient(exc) or self.retries_taken >= self.client.max_retries:
            return None
        headers = exc.response.headers if isinstance(exc, APIStatusError) else None
        remaining = self.client.max_retries - self.retries_taken
        delay = self.client._calculate_retry_timeout(remaining, _POLL, headers)  # pyright: ignore[reportPrivateUsage]
        self.retries_taken += 1
        if self.deadline is not None:
            delay = min(delay, max(0.0, self.deadline - time.monotonic()))
        return delay

    def poll_options(self) -> tuple[int, float]:
        """``api_timeout`` for the server and the HTTP timeout for one poll."""
        api_timeout = _poll_seconds(self.deadline)
        return api_timeout, api_timeout + POLL_GRACE_SECONDS


class TaskRunResourceMixin:
    """Custom methods of ``client.task_run`` (mixed into the generated ``TaskRunResource``)."""

    @overload
    def execute(
        self,
        *,
        input: str | Mapping[str, object],
        processor: str,
        output: type[OutputT],
        timeout: float | None = None,
        betas: Sequence[ParallelBeta] | NotGiven = NOT_GIVEN,
        metadata: Mapping[str, str | int | float | bool] | NotGiven = NOT_GIVEN,
    ) -> ParsedTaskRunResult[OutputT]: ...

    @overload
    def execute(
        self,
        *,
        input: str | Mapping[str, object],
        processor: str,
        output: Mapping[str, object] | None = None,
        timeout: float | None = None,
        betas: Sequence[ParallelBeta] | NotGiven = NOT_GIVEN,
        metadata: Mapping[str, str | int | float | bool] | NotGiven = NOT_GIVEN,
    ) -> TaskRunResultResponse: ...

    def execute(
        self,
        *,
        input: str | Mapping[str, object],
        processor: str,
        output: OutputSpec = None,
        timeout: float | None = None,
        betas: Sequence[ParallelBeta] | NotGiven = NOT_GIVEN,
        metadata: Mapping[str, str | int | float | bool] | NotGiven = NOT_GIVEN,
    ) -> TaskRunResultResponse | ParsedTaskRunResult[Any]:
        """
        Create a task run and wait until it completes.

        Args:
          input: Input to the task, either text or a JSON object.
          processor: Processor to use for the task.
          output: ``None`` for an auto output schema, a JSON schema dict, or a pydantic model
              class (its JSON schema is sent and the output is parsed into it as
              ``result.output.parsed``).
          timeout: Overall seconds to wait for completion (``None``: no limit); exceeding it
              raises ``TaskRunTimeoutError``. Each single request still has its own timeout.
          betas: Beta features to enable, sent as the ``parallel-beta`` header.
          metadata: User-provided metadata stored with the run.
        """
        resource = cast("TaskRunResource", self)
        run = resource.create(
            input=input,
            processor=processor,
            task_spec=_task_spec(output),
            betas=betas,
            metadata=metadata,
        )
        client = cast("Parallel", resource._client)  # pyright: ignore[reportPrivateUsage]
        poller = type(resource)(client.with_options(max_retries=0))
        waiter = _Waiter(client, run.run_id, timeout)
        while True:
            if waiter.expired():
                raise waiter.timed_out()
            api_timeout, http_timeout = waiter.poll_options()
            try:
                result = poller.result(
                    run.run_id, api_timeout=api_timeout, betas=betas, timeout=http_timeout
                )
            except (APIStatusError, APIConnectionError) as exc:
                delay = waiter.delay_after(exc)
                if delay is None:
                    raise
                time.sleep(delay)
                continue
            return _parse(result, output)


class AsyncTaskRunResourceMixin:
    """Custom methods of the async ``client.task_run`` (mixed into ``AsyncTaskRunResource``)."""

    @overload
    async def execute(
        self,
        *,
        input: str | Mapping[str, object],
        processor: str,
        output: type[OutputT],
        timeout: float | None = None,
        betas: Sequence[ParallelBeta] | NotGiven = NOT_GIVEN,
        metadata: Mapping[str, str | int | float | bool] | NotGiven = NOT_GIVEN,
    ) -> ParsedTaskRunResult[OutputT]: ...

    @overload
    async def execute(
        self,
        *,
        input: str | Mapping[str, object],
        processor: str,
        output: Mapping[str, object] | None = None,
        timeout: float | None = None,
        betas: Sequence[ParallelBeta] | NotGiven = NOT_GIVEN,
        metadata: Mapping[str, str | int | float | bool] | NotGiven = NOT_GIVEN,
    ) -> TaskRunResultResponse: ...

    async def execute(
        self,
        *,
        input: str | Mapping[str, object],
        processor: str,
        output: OutputSpec = None,
        timeout: float | None = None,
        betas: Sequence[ParallelBeta] | NotGiven = NOT_GIVEN,
        metadata: Mapping[str, str | int | float | bool] | NotGiven = NOT_GIVEN,
    ) -> TaskRunResultResponse | ParsedTaskRunResult[Any]:
        """Create a task run and wait until it completes; see ``TaskRunResourceMixin.execute``."""
        resource = cast("AsyncTaskRunResource", self)
        run = await resource.create(
            input=input,
            processor=processor,
            task_spec=_task_spec(output),
            betas=betas,
            metadata=metadata,
        )
        client = cast("AsyncParallel", resource._client)  # pyright: ignore[reportPrivateUsage]
        poller = type(resource)(client.with_options(max_retries=0))
        waiter = _Waiter(client, run.run_id, timeout)
        while True:
            if waiter.expired():
                raise waiter.timed_out()
            api_timeout, http_timeout = waiter.poll_options()
            try:
                result = await poller.result(
                    run.run_id, api_timeout=api_timeout, betas=betas, timeout=http_timeout
                )
            except (APIStatusError, APIConnectionError) as exc:
                delay = waiter.delay_after(exc)
                if delay is None:
                    raise
                await anyio.sleep(delay)
                continue
            return _parse(result, output)
