"""Fixtures for runtime tests: an importable copy of templates/runtime and a loopback server."""

from __future__ import annotations

import importlib
import shutil
import sys
import types
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any, Literal

import pytest
from pydantic import Field

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.support.fault_server import FaultServer

RUNTIME_DIR = REPO / "templates" / "runtime"

_INIT = """\
from ._types import NOT_GIVEN, NotGiven, Omit, Headers, Query, Body, Timeout, FileTypes
from ._exceptions import *
from ._exceptions import status_error_class, status_error_message
from ._models import BaseModel, construct_type, validate_type
from ._qs import QueryParam, serialize_query
from ._auth import ApiKeyAuth, BearerAuth, BasicAuth
from ._streaming import Stream, AsyncStream
from ._files import PartEncoding, PathFile
from ._response import (
    APIResponse, AsyncAPIResponse, RAW_RESPONSE_HEADER, BinaryResponse, AsyncBinaryResponse,
    to_raw_response_wrapper, async_to_raw_response_wrapper,
    to_streamed_response_wrapper, async_to_streamed_response_wrapper,
)
from ._base_client import (
    RequestOptions, SyncAPIClient, AsyncAPIClient, DEFAULT_TIMEOUT, DEFAULT_MAX_RETRIES,
    HTTPX_DEFAULT_TIMEOUT, DefaultHttpxClient, DefaultAsyncHttpxClient, DefaultAioHttpClient,
)
from ._resource import SyncAPIResource, AsyncAPIResource
"""


@pytest.fixture(scope="session")
def rt(tmp_path_factory: pytest.TempPathFactory) -> Iterator[types.ModuleType]:
    """The runtime, copied verbatim into a uniquely named throwaway package."""
    root = tmp_path_factory.mktemp("runtime_pkg")
    name = f"rtpkg_{uuid.uuid4().hex[:10]}"
    pkg = root / name
    pkg.mkdir()
    for source in RUNTIME_DIR.glob("*.py"):
        shutil.copy(source, pkg / source.name)
    (pkg / "__init__.py").write_text(_INIT)
    (pkg / "_version.py").write_text('__version__ = "1.2.3"\n')  # generated per package
    sys.path.insert(0, str(root))
    try:
        yield importlib.import_module(name)
    finally:
        sys.path.remove(str(root))
        for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
            del sys.modules[mod]


@pytest.fixture(scope="session")
def m(rt: types.ModuleType) -> types.SimpleNamespace:
    """Model classes built on the runtime's BaseModel, as generated code would declare them."""

    class Echo(rt.BaseModel):
        method: str
        path: str
        raw_target: str
        query: list[list[str]]
        headers: dict[str, str]
        body: str

    class Item(rt.BaseModel):
        id: str
        count: int = 0

    class Progress(rt.BaseModel):
        type: Literal["task.progress.a", "task.progress.b"]
        pct: int

    class Done(rt.BaseModel):
        type: Literal["task.done"]
        output: str

    event = Annotated[Progress | Done, Field(discriminator="type")]
    return types.SimpleNamespace(Echo=Echo, Item=Item, Progress=Progress, Done=Done, Event=event)


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        yield srv


@pytest.fixture
def other_server() -> Iterator[FaultServer]:
    with FaultServer() as srv:
        yield srv


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


SECRET = "sk-live-s3cr3t/+=VALUE"


@pytest.fixture
def make_client(rt: types.ModuleType, server: FaultServer) -> Iterator[Any]:
    """Factory for sync clients against `server`; all are closed at teardown."""
    clients: list[Any] = []

    def factory(**kwargs: Any) -> Any:
        kwargs.setdefault("base_url", server.url)
        kwargs.setdefault("credential", SECRET)
        kwargs.setdefault("auth", rt.BearerAuth())
        kwargs.setdefault("user_agent", "rt-tests/1.0")
        client = rt.SyncAPIClient(**kwargs)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client.close()


@pytest.fixture
async def make_async_client(rt: types.ModuleType, server: FaultServer) -> Any:
    """Factory for async clients against `server`; all are closed at teardown."""
    clients: list[Any] = []

    def factory(**kwargs: Any) -> Any:
        kwargs.setdefault("base_url", server.url)
        kwargs.setdefault("credential", SECRET)
        kwargs.setdefault("auth", rt.BearerAuth())
        kwargs.setdefault("user_agent", "rt-tests/1.0")
        client = rt.AsyncAPIClient(**kwargs)
        clients.append(client)
        return client

    yield factory
    for client in clients:
        await client.close()


def copy_options(client: Any, rt: Any, **overrides: Any) -> dict[str, Any]:
    """``client._copy_options`` with every option left as it is but ``overrides``."""
    options: dict[str, Any] = {
        "base_url": None,
        "timeout": rt.NOT_GIVEN,
        "max_retries": rt.NOT_GIVEN,
        "default_headers": None,
        "set_default_headers": None,
        "default_query": None,
        "set_default_query": None,
        "http_client": None,
        "strict_response_validation": None,
        "max_response_bytes": rt.NOT_GIVEN,
        "total_timeout": rt.NOT_GIVEN,
        **overrides,
    }
    return client._copy_options(**options)
