"""One client shared across many threads / tasks: no cross-talk, no leaked connections."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import anyio
import pytest

from tests.support.fault_server import FaultServer


def _echo_id(rt: Any, m: Any, client: Any, n: int) -> tuple[int, Any]:
    echo = client.request(
        m.Echo,
        rt.RequestOptions(
            "post",
            "/c/{n}",
            {"n": n},
            query=[rt.QueryParam("id", n)],
            json_body={"id": n},
            extra_headers={"X-Req": str(n)},
        ),
    )
    return n, echo


def _assert_paired(n: int, echo: Any) -> None:
    assert echo.path == f"/c/{n}"
    assert echo.query == [["id", str(n)]]
    assert echo.body == f'{{"id":{n}}}'
    assert echo.headers["x-req"] == str(n)


@pytest.mark.timeout(30)
def test_sync_client_shared_by_50_threads(
    rt: Any, m: Any, make_client: Any, server: FaultServer
) -> None:
    client = make_client()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(lambda n: _echo_id(rt, m, client, n), range(200)))
    assert sorted(n for n, _ in results) == list(range(200))
    for n, echo in results:
        _assert_paired(n, echo)
    assert server.open_connections > 0
    client.close()
    assert client.is_closed()
    assert server.wait_for(lambda: server.open_connections == 0, timeout=5)


@pytest.mark.anyio
@pytest.mark.timeout(60)
async def test_async_client_500_concurrent_tasks(
    rt: Any, m: Any, make_async_client: Any, server: FaultServer
) -> None:
    client = make_async_client()
    results: dict[int, Any] = {}

    async def one(n: int) -> None:
        echo = await client.request(
            m.Echo,
            rt.RequestOptions(
                "post",
                "/c/{n}",
                {"n": n},
                query=[rt.QueryParam("id", n)],
                json_body={"id": n},
                extra_headers={"X-Req": str(n)},
            ),
        )
        results[n] = echo

    with anyio.fail_after(45):
        async with anyio.create_task_group() as tg:
            for n in range(500):
                tg.start_soon(one, n)
    assert sorted(results) == list(range(500))
    for n, echo in results.items():
        _assert_paired(n, echo)
    await client.close()
    assert client.is_closed()
    assert server.wait_for(lambda: server.open_connections == 0, timeout=5)
