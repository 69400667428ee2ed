"""Reading raw spec bytes from a path or an http(s) URL, within a deadline and a size cap.

``timeout`` is a total deadline for one fetch, redirects and body included: a watchdog shuts the
socket down when it passes, so a server that drips one byte a second cannot keep apigen waiting
(a socket timeout alone only bounds each read). Every redirect hop is checked by the caller's
rule before it is followed, and only http(s) hops are ever followed.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any
from urllib.parse import urljoin

from .. import progress
from ..errors import ApigenError
from ..urls import is_url

__all__ = ["MAX_BYTES", "fetch_url", "is_url", "read_path", "read_source"]

MAX_BYTES = 256 * 1024 * 1024  # no real spec is this large; refuse instead of exhausting memory
_CHUNK = 64 * 1024

RedirectRule = Callable[[str], "str | None"]
"""Given a redirect target, the reason it may not be followed, or ``None`` when it may."""


def _any_web_url(url: str) -> str | None:
    return None if is_url(url) else "only http(s) redirects are followed"


class _Deadline:
    """Shuts every registered socket down once ``seconds`` have passed."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._timer.start()

    def remaining(self) -> float:
        return max(0.001, self.end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already closed

    def cancel(self) -> None:
        self._timer.cancel()


def _watched(base: type[http.client.HTTPConnection], deadline: _Deadline) -> Any:
    class Connection(base):  # type: ignore[valid-type,misc]
        def connect(self) -> None:
            self.timeout = deadline.remaining()
            super().connect()
            deadline.watch(self.sock)

    return Connection


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_watched(http.client.HTTPConnection, self.deadline), req)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(
            _watched(http.client.HTTPSConnection, self.deadline),
            req,
            context=self._context,  # type: ignore[attr-defined]
        )


class _RefusedRedirect(Exception):
    def __init__(self, url: str, reason: str) -> None:
        super().__init__(reason)
        self.url = url
        self.reason = reason


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    """Checks every hop's target before urllib looks at it (urllib alone would follow ftp)."""

    def __init__(self, rule: RedirectRule) -> None:
        super().__init__()
        self.rule = rule

    def http_error_302(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: http.client.HTTPMessage,
    ) -> IO[bytes] | None:
        location = headers.get("location") or headers.get("uri")
        if location is not None:
            target = urljoin(req.full_url, location)
            reason = _any_web_url(target) or self.rule(target)
            if reason is not None:
                raise _RefusedRedirect(target, reason)
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


def fetch_url(url: str, *, timeout: float, redirects: RedirectRule = _any_web_url) -> bytes:
    """GET ``url`` within ``timeout`` seconds in total; failures become an :class:`ApigenError`.

    ``redirects`` decides which redirect targets may be followed (default: any http(s) URL).
    """
    deadline = _Deadline(timeout)
    opener = urllib.request.build_opener(
        _HTTPHandler(deadline), _HTTPSHandler(deadline), _CheckedRedirects(redirects)
    )
    request = urllib.request.Request(url, headers={"User-Agent": "apigen", "Accept": "*/*"})
    try:
        with opener.open(request, timeout=deadline.remaining()) as response:
            data = _read_body(response, deadline)
    except _RefusedRedirect as exc:
        raise ApigenError(
            f"cannot fetch spec: refused redirect to {exc.url}: {exc.reason}", location=url
        ) from None
    except urllib.error.HTTPError as exc:
        raise ApigenError(
            f"cannot fetch spec: HTTP {exc.code} {exc.reason}", location=url
        ) from None
    except (OSError, http.client.HTTPException) as exc:
        cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        if deadline.expired or isinstance(cause, TimeoutError):
            raise ApigenError(
                f"cannot fetch spec: timed out after {timeout:g}s", location=url
            ) from None
        raise ApigenError(f"cannot fetch spec: {cause}", location=url) from None
    finally:
        deadline.cancel()
    return data


def _read_body(response: http.client.HTTPResponse, deadline: _Deadline) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = response.read(_CHUNK)
        if deadline.expired:
            raise TimeoutError
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        progress.advance(len(chunk))
        if size > MAX_BYTES:
            raise ApigenError(f"spec is larger than {MAX_BYTES} bytes", location=response.geturl())
        chunks.append(chunk)


def read_path(path: Path, display: str) -> bytes:
    """Read a local file; OS errors become an :class:`ApigenError` with the OS reason."""
    try:
        if path.is_dir():
            raise ApigenError("cannot read spec: is a directory", location=display)
        data = path.read_bytes()
    except OSError as exc:
        raise ApigenError(f"cannot read spec: {exc.strerror or exc}", location=display) from None
    if len(data) > MAX_BYTES:
        raise ApigenError(f"spec is larger than {MAX_BYTES} bytes", location=display)
    progress.advance(len(data))
    return data


def read_source(source: str, *, timeout: float) -> bytes:
    """Bytes of ``source`` (URL or path)."""
    if is_url(source):
        return fetch_url(source, timeout=timeout)
    return read_path(Path(source), source)
