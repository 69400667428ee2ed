"""Drifted responses: built tolerantly by default, rejected with strict_response_validation=True."""

from __future__ import annotations

import json
import logging
import types
from typing import Annotated, Any, Literal

import pytest
from pydantic import Field

from tests.support.fault_server import FaultServer, Step, sse


@pytest.fixture(scope="module")
def d(rt: Any) -> types.SimpleNamespace:
    """Models shaped like generated ones: nested models, lists, maps, enums and unions."""

    class Meter(rt.BaseModel):
        progress_meter: float
        label: str | None = None

    class Stats(rt.BaseModel):
        type: Literal["task_run.progress_stats"]
        progress_meter: float
        source_stats: dict[str, int]

    class Status(rt.BaseModel):
        type: Literal["task_run.state"]
        status: Literal["queued", "running", "completed"]

    class Run(rt.BaseModel):
        run_id: str
        status: Literal["queued", "running", "completed"]
        created_at: str
        is_active: bool
        meters: list[Meter] = Field(default_factory=list)
        by_name: dict[str, Meter] = Field(default_factory=dict)
        schema_: str | None = Field(default=None, alias="schema")

    class Text(rt.BaseModel):
        kind: Literal["text"]
        text: str

    class Json(rt.BaseModel):
        kind: Literal["json"]
        value: dict[str, int]

    event = Annotated[Stats | Status, Field(discriminator="type")]
    return types.SimpleNamespace(
        Meter=Meter, Stats=Stats, Status=Status, Run=Run, Text=Text, Json=Json, Event=event
    )


RUN = {
    "run_id": "r1",
    "status": "running",
    "created_at": "2025-01-01",
    "is_active": True,
    "meters": [{"progress_meter": 0.5}],
    "by_name": {"a": {"progress_meter": 1.0}},
}


def _get(rt: Any, path: str = "/r") -> Any:
    return rt.RequestOptions("get", path)


def test_missing_required_field_reads_as_none(
    rt: Any, d: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/r", Step(body={k: v for k, v in RUN.items() if k != "is_active"}))
    run = make_client().request(d.Run, _get(rt))
    assert isinstance(run, d.Run)
    assert run.run_id == "r1" and run.is_active is None
    assert "is_active" not in run.model_fields_set
    assert run.to_dict() == {k: v for k, v in RUN.items() if k != "is_active"}


def test_wrong_type_keeps_raw_value_and_types_the_rest(
    rt: Any, d: Any, make_client: Any, server: FaultServer
) -> None:
    server.script(
        "/r", Step(body={**RUN, "is_active": "maybe", "meters": [{"progress_meter": "x"}]})
    )
    run = make_client().request(d.Run, _get(rt))
    assert run.is_active == "maybe"
    assert isinstance(run.meters[0], d.Meter) and run.meters[0].progress_meter == "x"
    assert isinstance(run.by_name["a"], d.Meter) and run.by_name["a"].progress_meter == 1.0


def test_unknown_enum_value_and_extra_fields_are_kept(
    rt: Any, d: Any, make_client: Any, server: FaultServer
) -> None:
    server.script(
        "/r", Step(body={**RUN, "status": "paused", "new_field": {"x": 1}, "schema": "s"})
    )
    run = make_client().request(d.Run, _get(rt))
    assert run.status == "paused"
    assert run.new_field == {"x": 1} and run.model_extra == {"new_field": {"x": 1}}
    assert run.schema_ == "s"  # aliases still map to their field


def test_nested_drift_in_lists_and_maps(
    rt: Any, d: Any, make_client: Any, server: FaultServer
) -> None:
    body = [{**RUN, "meters": [{"label": "no meter"}], "by_name": {"b": {"label": 3}}}]
    server.script("/r", Step(body=body))
    runs = make_client().request(list[d.Run], _get(rt))
    assert isinstance(runs[0].meters[0], d.Meter) and runs[0].meters[0].progress_meter is None
    assert runs[0].by_name["b"].label == 3


def test_union_picks_best_matching_member(rt: Any, d: Any) -> None:
    union = d.Text | d.Json
    # No member validates: "value" has a wrong-typed entry, but the tag and keys say Json.
    built = rt.construct_type(union, {"kind": "json", "value": {"a": "one"}})
    assert isinstance(built, d.Json) and built.value == {"a": "one"}
    # A Literal tag that disagrees rules a member out even when more keys match it.
    built = rt.construct_type(union, {"kind": "text", "value": {}, "text": 5})
    assert isinstance(built, d.Text)
    # Nothing that is a mapping: the raw value is handed over.
    assert rt.construct_type(union, ["not", "an", "object"]) == ["not", "an", "object"]


def test_discriminated_union_follows_the_tag(rt: Any, d: Any) -> None:
    built = rt.construct_type(d.Event, {"type": "task_run.progress_stats", "source_stats": {}})
    assert isinstance(built, d.Stats) and built.progress_meter is None
    unknown = rt.construct_type(d.Event, {"type": "task_run.new_kind", "x": 1})
    assert unknown.type == "task_run.new_kind"  # best effort: still an object with the data


def test_strict_client_raises_on_every_drift(
    rt: Any, d: Any, make_client: Any, server: FaultServer
) -> None:
    strict = make_client(strict_response_validation=True)
    drifts = [
        {k: v for k, v in RUN.items() if k != "is_active"},
        {**RUN, "is_active": "maybe"},
        {**RUN, "status": "paused"},
        {**RUN, "meters": [{"label": "x"}]},
    ]
    for body in drifts:
        server.script("/r", Step(body=body))
        with pytest.raises(rt.APIResponseValidationError, match="did not match"):
            strict.request(d.Run, _get(rt))
    server.script("/r", Step(body={**RUN, "extra": 1}))
    assert strict.request(d.Run, _get(rt)).extra == 1  # unknown fields are never an error


def test_with_options_toggles_strictness(rt: Any, make_client: Any) -> None:
    client = make_client()
    options = client._copy_options(
        base_url=None,
        timeout=rt.NOT_GIVEN,
        max_retries=rt.NOT_GIVEN,
        default_headers=None,
        set_default_headers=None,
        default_query=None,
        set_default_query=None,
        http_client=None,
        strict_response_validation=True,
        max_response_bytes=rt.NOT_GIVEN,
        total_timeout=rt.NOT_GIVEN,
    )
    assert options["strict_response_validation"] is True
    assert client.strict_response_validation is False


def test_one_debug_line_per_drifted_type(rt: Any, d: Any, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        rt.construct_type(d.Run, {**RUN, "is_active": "maybe", "status": "paused"})
    lines = [r.getMessage() for r in caplog.records if "built it tolerantly" in r.getMessage()]
    assert len(lines) == 1 and "Run" in lines[0] and "2 errors" in lines[0]


def test_sse_events_drift_tolerantly_or_strictly(
    rt: Any, d: Any, make_client: Any, server: FaultServer
) -> None:
    chunks = [
        sse(data=json.dumps({"type": "task_run.progress_stats", "source_stats": {"n": 1}})),
        sse(data=json.dumps({"type": "task_run.state", "status": "paused"})),
    ]
    server.script("/events", Step(chunks=chunks))
    events = list(make_client().request(d.Event, _get(rt, "/events"), stream=True))
    assert [type(e) for e in events] == [d.Stats, d.Status]
    assert events[0].progress_meter is None and events[1].status == "paused"
    strict = make_client(strict_response_validation=True)
    with pytest.raises(rt.APIResponseValidationError, match="Stream event"):
        list(strict.request(d.Event, _get(rt, "/events"), stream=True))


def test_raw_parse_follows_the_client_setting(
    rt: Any, d: Any, make_client: Any, server: FaultServer
) -> None:
    server.script("/r", Step(body={**RUN, "is_active": "maybe"}))
    raw = {"extra_headers": {rt.RAW_RESPONSE_HEADER: "raw"}}
    loose = make_client().request(d.Run, rt.RequestOptions("get", "/r", **raw))
    assert loose.parse().is_active == "maybe"
    strict = make_client(strict_response_validation=True)
    response = strict.request(d.Run, rt.RequestOptions("get", "/r", **raw))
    with pytest.raises(rt.APIResponseValidationError):
        response.parse()


def test_text_where_json_declared(rt: Any, d: Any, make_client: Any, server: FaultServer) -> None:
    server.script("/r", Step(body="plain words"))
    assert make_client().request(d.Run, _get(rt)) == "plain words"
    with pytest.raises(rt.APIResponseValidationError, match="JSON"):
        make_client(strict_response_validation=True).request(d.Run, _get(rt))
    # A body that claims to be JSON but is not stays an error in both modes.
    server.script("/r", Step(body=b"{oops", headers={"Content-Type": "application/json"}))
    with pytest.raises(rt.APIResponseValidationError):
        make_client().request(d.Run, _get(rt))


@pytest.mark.anyio
async def test_async_tolerant_and_strict(
    rt: Any, d: Any, make_async_client: Any, server: FaultServer
) -> None:
    server.script("/r", Step(body={**RUN, "status": "paused", "meters": [{}]}))
    run = await make_async_client().request(d.Run, _get(rt))
    assert run.status == "paused" and run.meters[0].progress_meter is None
    with pytest.raises(rt.APIResponseValidationError):
        await make_async_client(strict_response_validation=True).request(d.Run, _get(rt))
    server.script("/events", Step(chunks=[sse(data=json.dumps({"type": "task_run.state"}))]))
    stream = await make_async_client().request(d.Event, _get(rt, "/events"), stream=True)
    events = [event async for event in stream]
    assert isinstance(events[0], d.Status) and events[0].status is None
    strict_stream = await make_async_client(strict_response_validation=True).request(
        d.Event, _get(rt, "/events"), stream=True
    )
    with pytest.raises(rt.APIResponseValidationError):
        [event async for event in strict_stream]
