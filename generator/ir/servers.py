"""Server URLs: the default base URL a client is generated with, checked before it is trusted.

A base URL the runtime cannot send to (a relative path, an unresolved ``{variable}``, another
scheme, spaces) would fail on the user's first call, far from its cause; each such entry is
skipped with a warning that names its pointer, and the next usable server is taken.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..errors import SpecWarning
from .model import Server

_PLACEHOLDER = "http://localhost/"
_VARIABLE = re.compile(r"\{([^{}]*)\}")
#: Never valid in a URL: an HTTP client cannot send them, whatever it percent-encodes.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
#: Not valid in a host name (spaces, quotes, delimiters); IDN letters and IPv6 brackets are.
_BAD_HOST = re.compile(r"[\s\"'<>\\^`{|}/?#@]")


def build_servers(raw: Any, source: str, warnings: list[SpecWarning]) -> tuple[Server, ...]:
    """The spec's usable ``servers`` in order; relative URLs resolve against a spec fetched by URL."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        warnings.append(SpecWarning("'servers' is not a list; ignored", "#/servers"))
        return ()
    servers: list[Server] = []
    for index, entry in enumerate(raw):
        pointer = f"#/servers/{index}"
        if not isinstance(entry, dict) or not isinstance(entry.get("url"), str):
            warnings.append(SpecWarning("server without a 'url' string; skipped", pointer))
            continue
        url, problem = _resolve(entry["url"], entry.get("variables"), source)
        if problem is not None:
            warnings.append(SpecWarning(f"server URL {entry['url']!r} {problem}; skipped", pointer))
            continue
        if not urlsplit(url).scheme:
            # Relative to the spec's own location, which is a file here: a network-path
            # reference (``//host/v1``) keeps its host over https; a path keeps its path on a
            # placeholder host rather than lose it. Either way users may need base_url=.
            url = f"https:{url}" if url.startswith("//") else urljoin(_PLACEHOLDER, url)
            warnings.append(
                SpecWarning(
                    f"server URL {entry['url']!r} is relative to the spec's location, which is "
                    f"not a URL: the client defaults to {url} (users pass base_url=)",
                    pointer,
                )
            )
        description = entry.get("description")
        servers.append(
            Server(url=url, description=description if isinstance(description, str) else None)
        )
    if raw and not servers:
        warnings.append(
            SpecWarning(
                "no usable server URL: the client's default base URL is http://localhost "
                "(users pass base_url=)",
                "#/servers",
            )
        )
    return tuple(servers)


def _resolve(url: str, variables: Any, source: str) -> tuple[str, str | None]:
    defaults: Mapping[str, Any] = variables if isinstance(variables, dict) else {}

    def substitute(match: re.Match[str]) -> str:
        spec = defaults.get(match.group(1))
        if isinstance(spec, dict) and isinstance(spec.get("default"), (str, int, float)):
            return str(spec["default"])
        return match.group(0)

    url = _VARIABLE.sub(substitute, url)
    unresolved = _VARIABLE.search(url)
    if unresolved is not None:
        return url, f"uses variable {unresolved.group(0)} without a default"
    if _CONTROL.search(url):
        return url, "contains control characters a URL cannot hold"
    parts = urlsplit(url)
    if not parts.scheme and urlsplit(source).scheme in ("http", "https"):
        url = urljoin(source, url)
        parts = urlsplit(url)
    if not parts.scheme:
        return url, None
    if parts.scheme not in ("http", "https"):
        return url, f"has scheme {parts.scheme!r}, not http or https"
    if not parts.hostname:
        return url, "has no host"
    if _BAD_HOST.search(parts.hostname):
        return url, f"has an invalid host name {parts.hostname!r}"
    return url, None
