"""The default base URL: usable server URLs are kept, the rest are skipped with their pointer."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator.errors import SpecWarning
from generator.ir.servers import build_servers
from generator.pipeline import load_api

FILE = "/specs/api.yaml"
URL = "https://example.com/specs/v2/openapi.json"


def servers(raw: Any, source: str = FILE) -> tuple[list[str], list[str]]:
    warnings: list[SpecWarning] = []
    urls = [server.url for server in build_servers(raw, source, warnings)]
    return urls, [str(w) for w in warnings]


def test_relative_text_is_a_path_and_odd_paths_are_kept() -> None:
    # Spaces and quotes in a path are percent-encoded by the HTTP client; the literal that holds
    # the URL is escaped like any spec text (tests/test_security_injection.py).
    raw = [{"url": "not a url"}, {"url": 'https://x.io/"+__import__("os")+"'}]
    assert servers(raw, URL)[0] == [
        "https://example.com/specs/v2/not a url",
        'https://x.io/"+__import__("os")+"',
    ]


def test_absolute_urls_and_variables_with_defaults_are_kept() -> None:
    raw = [
        {
            "url": "https://{region}.example.com/{v}",
            "variables": {"region": {"default": "eu"}, "v": {"default": 2}},
        },
        {"url": "http://localhost:8080/api/"},
    ]
    assert servers(raw) == (["https://eu.example.com/2", "http://localhost:8080/api/"], [])


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("{scheme}://api.example.com", "uses variable {scheme} without a default"),
        ("ftp://files.example.com", "has scheme 'ftp', not http or https"),
        ("https://exa mple.com/v1", "has an invalid host name 'exa mple.com'"),
        ("https://api.example.com/nul\x00byte", "contains control characters"),
        ("https://api.example.com/line\nbreak", "contains control characters"),
        ("https://", "has no host"),
    ],
)
def test_unusable_urls_are_skipped_for_the_next_one(url: str, reason: str) -> None:
    urls, warnings = servers([{"url": url}, {"url": "https://api.example.com"}])
    assert urls == ["https://api.example.com"]
    assert len(warnings) == 1
    assert warnings[0].startswith("#/servers/0: server URL ") and reason in warnings[0]


def test_no_usable_server_says_what_the_client_falls_back_to() -> None:
    urls, warnings = servers([{"url": "ftp://x"}, {"description": "no url"}])
    assert urls == []
    assert warnings[1] == "#/servers/1: server without a 'url' string; skipped"
    assert (
        warnings[2].startswith("#/servers: no usable server URL")
        and "http://localhost" in warnings[2]
    )


def test_relative_urls_resolve_against_a_spec_loaded_by_url() -> None:
    assert servers([{"url": "/api/v1"}, {"url": "sub"}, {"url": "//cdn.example.com/x"}], URL) == (
        [
            "https://example.com/api/v1",
            "https://example.com/specs/v2/sub",
            "https://cdn.example.com/x",
        ],
        [],
    )


def test_relative_urls_of_a_file_spec_keep_their_path_with_a_warning() -> None:
    urls, warnings = servers([{"url": "/api/v1"}, {"url": "//cdn.example.com/x"}])
    assert urls == ["http://localhost/api/v1", "https://cdn.example.com/x"]
    assert [w.split(":", 1)[0] for w in warnings] == ["#/servers/0", "#/servers/1"]
    assert all("users pass base_url=" in w for w in warnings)


def test_servers_that_are_not_a_list_or_absent() -> None:
    assert servers(None) == ([], [])
    assert servers([]) == ([], [])
    assert servers({"url": "https://x.io"}) == ([], ["#/servers: 'servers' is not a list; ignored"])


def test_warning_reaches_the_pipeline_with_its_pointer(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.0\ninfo: {title: t, version: '1'}\n"
        "servers: [{url: 'ftp://x'}, {url: 'https://api.example.com/v1'}]\npaths: {}\n"
    )
    warnings: list[SpecWarning] = []
    _, api = load_api(spec, warnings)
    assert [s.url for s in api.servers] == ["https://api.example.com/v1"]
    assert [w.pointer for w in warnings] == ["#/servers/0"]
