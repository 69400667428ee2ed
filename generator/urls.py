"""What counts as a URL, and the scope rule for remote ``$ref``s (import-light: no urllib.request).

A ref may be fetched without ``--allow-remote-refs`` only when it stays inside the root spec's
folder: same scheme, host and port, and a path under the root's folder once dot segments are
resolved. Paths whose meaning a server could read differently (encoded dots, slashes or
backslashes) are never inside.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit, urlunsplit

WEB_SCHEMES = ("http", "https")
_DEFAULT_PORTS = {"http": 80, "https": 443}
_AMBIGUOUS = re.compile(r"%2e|%2f|%5c|\\", re.IGNORECASE)


def is_url(text: str) -> bool:
    """Only http(s) counts: ``C:\\spec.yaml`` or ``file.yaml`` are paths."""
    return urlsplit(text).scheme in WEB_SCHEMES


def remove_dot_segments(path: str) -> str:
    """RFC 3986 §5.2.4 for an absolute path: ``/a/b/../c/./d`` → ``/a/c/d``, never above ``/``."""
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        last = index == len(segments) - 1
        if segment == "..":
            if len(output) > 1:
                output.pop()
            if last:
                output.append("")
        elif segment == ".":
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/".join(output)


def normalised(url: str) -> str:
    """``url`` with dot segments resolved and without its fragment (what is actually requested)."""
    parts = urlsplit(url)
    return urlunsplit(
        (parts.scheme, parts.netloc, remove_dot_segments(parts.path), parts.query, "")
    )


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError:  # a port that is not a number
        return (scheme, "\0invalid", None)
    return (scheme, (parts.hostname or "").lower(), port)


def folder_of(url: str) -> str:
    """The folder of a spec at ``url``: ``/specs/`` for ``/specs/api.json``, ``/`` for none."""
    path = remove_dot_segments(urlsplit(url).path) or "/"
    return posixpath.dirname(path).rstrip("/") + "/"


def inside_folder(root: str, target: str) -> bool:
    """Is ``target`` on ``root``'s origin, under ``root``'s folder, with an unambiguous path?"""
    if not (is_url(root) and is_url(target)) or _origin(root) != _origin(target):
        return False
    path = urlsplit(target).path
    if _AMBIGUOUS.search(path):
        return False
    return (remove_dot_segments(path) or "/").startswith(folder_of(root))
