"""Security schemes put the credential in the right place, and nowhere else."""

from __future__ import annotations

import base64
import importlib
import logging
from typing import Any
from urllib.parse import quote

import pytest

from tests.support.fault_server import FaultServer, Step

from .conftest import SECRET


def _get(rt: Any, m: Any, client: Any) -> Any:
    return client.request(m.Echo, rt.RequestOptions("get", "/echo"))


def test_api_key_header(rt: Any, m: Any, make_client: Any) -> None:
    echo = _get(rt, m, make_client(auth=rt.ApiKeyAuth("X-API-Key", "header")))
    assert echo.headers["x-api-key"] == SECRET
    assert "authorization" not in echo.headers


def test_api_key_query(rt: Any, m: Any, make_client: Any) -> None:
    echo = _get(rt, m, make_client(auth=rt.ApiKeyAuth("api_key", "query")))
    assert ["api_key", SECRET] in echo.query


def test_api_key_cookie(rt: Any, m: Any, make_client: Any) -> None:
    echo = _get(rt, m, make_client(auth=rt.ApiKeyAuth("session", "cookie")))
    assert echo.headers["cookie"] == f"session={SECRET}"


def test_bearer(rt: Any, m: Any, make_client: Any) -> None:
    echo = _get(rt, m, make_client(auth=rt.BearerAuth()))
    assert echo.headers["authorization"] == f"Bearer {SECRET}"


def test_basic(rt: Any, m: Any, make_client: Any) -> None:
    echo = _get(rt, m, make_client(auth=rt.BasicAuth(), credential="alice:pa55:word"))
    expected = base64.b64encode(b"alice:pa55:word").decode()
    assert echo.headers["authorization"] == f"Basic {expected}"


def test_no_credential_sends_nothing(rt: Any, m: Any, make_client: Any) -> None:
    echo = _get(rt, m, make_client(credential=None))
    assert "authorization" not in echo.headers


def _secret_forms() -> list[str]:
    return [SECRET, quote(SECRET, safe=""), "s3cr3t"]


@pytest.mark.parametrize(
    "auth_factory",
    [
        lambda rt: rt.ApiKeyAuth("api_key", "query"),
        lambda rt: rt.ApiKeyAuth("X-Key", "header"),
        lambda rt: rt.ApiKeyAuth("sid", "cookie"),
        lambda rt: rt.BearerAuth(),
    ],
)
def test_credential_never_leaks(
    rt: Any,
    m: Any,
    make_client: Any,
    server: FaultServer,
    caplog: pytest.LogCaptureFixture,
    auth_factory: Any,
) -> None:
    caplog.set_level(logging.DEBUG)
    # The server misbehaves: it echoes the key back in its error message.
    server.script(
        "/fail",
        Step(status=500, headers={"retry-after-ms": "1"}),
        Step(status=401, body={"error": {"message": f"bad key {SECRET}", "ref_id": "r1"}}),
    )
    client = make_client(auth=auth_factory(rt), max_retries=1)
    options = rt.RequestOptions("get", "/fail", extra_headers={"Authorization": f"Bearer {SECRET}"})
    with pytest.raises(rt.AuthenticationError) as info:
        client.request(m.Echo, options)
    err = info.value
    request = client._build_request(rt.RequestOptions("get", "/x"), stream=False)
    texts = [
        str(err),
        err.message,
        repr(err),
        repr(client),
        repr(options),
        repr(request),
        repr(err.request),
        caplog.text,
        request.headers["user-agent"],
    ]
    assert "Retrying" in caplog.text  # the retry really was logged at DEBUG
    for text in texts:
        for form in _secret_forms():
            assert form not in text, text
    assert "bad key [REDACTED]" in err.message


def test_auth_objects_repr_without_credential(rt: Any) -> None:
    for auth in (rt.ApiKeyAuth("k", "query"), rt.BearerAuth(), rt.BasicAuth()):
        assert SECRET not in repr(auth)


def test_short_credentials_do_not_blank_letters_in_messages(rt: Any) -> None:
    logs = importlib.import_module(rt.__name__ + "._logs")
    logs.register_secrets(["k", "abc1234"])  # shorter than MIN_SCRUBBED_LENGTH
    assert logs.redact("bad key: check abc") == "bad key: check abc"
    logs.register_secrets(["longer-secret-1"])
    assert logs.redact("token longer-secret-1 leaked") == f"token {logs.REDACTED} leaked"
    assert logs.redact_headers({"x-api-key": "k"}) == {"x-api-key": logs.REDACTED}
