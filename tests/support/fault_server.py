"""Loopback HTTP server with scripted, per-path faults for client runtime tests.

Each path gets a queue of `Step`s (the last one repeats); unscripted paths echo the request
as JSON. Every wait is bounded so a misbehaving client cannot hang the test run.
"""

from __future__ import annotations

import json
import socket
import struct
import sys
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from typing_extensions import Self

__all__ = ["FaultServer", "RecordedRequest", "Step", "sse"]

Chunk = bytes | str | float  # float = pause (seconds) between writes


@dataclass
class Step:
    """One scripted response."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict[str, str])
    body: bytes | str | dict[str, Any] | list[Any] | None = None
    delay: float = 0.0  # before the status line is written
    reset: bool = False  # abort the connection with a TCP RST instead of answering
    chunks: list[Chunk] | None = None  # streamed body, flushed per chunk
    chunked: bool = True  # chunked transfer encoding; False = close-delimited body
    truncate_chunked: bool = False  # stop without the final 0-length chunk
    echo: bool = False  # answer with a JSON description of the request


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: list[tuple[str, str]]
    headers: dict[str, str]  # lower-cased names; repeated headers joined with ", "
    body: bytes
    raw_target: str

    def json(self) -> Any:
        return json.loads(self.body)

    def as_echo(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "raw_target": self.raw_target,
            "query": [list(p) for p in self.query],
            "headers": self.headers,
            "body": self.body.decode("utf-8", errors="replace"),
        }


def sse(*, data: str | None = None, event: str | None = None, id: str | None = None) -> str:
    """Format one complete SSE event (multi-line `data` becomes several `data:` lines)."""
    lines: list[str] = []
    if event is not None:
        lines.append(f"event: {event}")
    if id is not None:
        lines.append(f"id: {id}")
    if data is not None:
        lines.extend(f"data: {line}" for line in data.split("\n"))
    return "\n".join(lines) + "\n\n"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    request_queue_size = 1024
    owner: FaultServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients hanging up mid-request is what several tests do on purpose: stay quiet."""
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError, OSError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server
    timeout = 10  # idle keep-alive connections give up after this

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def setup(self) -> None:
        super().setup()
        self.server.owner._connection_opened(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.server.owner._connection_closed(self.connection)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    return body
                body += self.rfile.read(size)
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        owner = self.server.owner
        parts = urlsplit(self.path)
        headers: dict[str, str] = {}
        for key, value in self.headers.items():
            k = key.lower()
            headers[k] = f"{headers[k]}, {value}" if k in headers else value
        recorded = RecordedRequest(
            method=self.command,
            path=parts.path,
            query=parse_qsl(parts.query, keep_blank_values=True),
            headers=headers,
            body=self._read_body(),
            raw_target=self.path,
        )
        step = owner._record_and_next(recorded)
        if step.delay and owner._stopping.wait(step.delay):
            return
        if step.reset:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()
            return
        try:
            if step.chunks is not None:
                self._stream(step, recorded)
            else:
                self._respond(step, recorded)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            owner._disconnected(recorded.path)
            self.close_connection = True

    def _respond(self, step: Step, recorded: RecordedRequest) -> None:
        body = step.body
        content_type = "application/json"
        if step.echo:
            body = recorded.as_echo()
        if isinstance(body, (dict, list)):
            payload = json.dumps(body).encode()
        elif isinstance(body, str):
            payload, content_type = body.encode(), "text/plain; charset=utf-8"
        else:
            payload = body or b""
        self.send_response(step.status)
        sent = {k.lower() for k in step.headers}
        if "content-type" not in sent and payload:
            self.send_header("Content-Type", content_type)
        for key, value in step.headers.items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def _stream(self, step: Step, recorded: RecordedRequest) -> None:
        owner = self.server.owner
        self.send_response(step.status)
        headers = {"Content-Type": "text/event-stream", **step.headers}
        for key, value in headers.items():
            self.send_header(key, value)
        if step.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.flush()
        for chunk in step.chunks or []:
            if isinstance(chunk, float):
                if owner._stopping.wait(chunk):
                    return
                continue
            data = chunk.encode() if isinstance(chunk, str) else chunk
            if step.chunked:
                data = f"{len(data):x}\r\n".encode() + data + b"\r\n"
            self.wfile.write(data)
            self.wfile.flush()
        if step.chunked and not step.truncate_chunked:
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        if step.truncate_chunked:
            self.close_connection = True
        owner._completed(recorded.path)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _handle


class FaultServer:
    """Scriptable HTTP/1.1 server on 127.0.0.1; use as a context manager or via start()/stop()."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scripts: dict[str, list[Step]] = {}
        self._handlers: dict[str, Callable[[RecordedRequest], Step]] = {}
        self.requests: list[RecordedRequest] = []
        self.disconnects: list[str] = []
        self.completed: list[str] = []
        self._connections: set[socket.socket] = set()
        self.connections_opened = 0
        self._stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            conns = list(self._connections)
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- scripting

    def script(self, path: str, *steps: Step) -> None:
        """Answer requests to `path` with `steps` in order; the last one repeats."""
        with self._lock:
            self._scripts[path] = list(steps)

    def handle(self, path: str, handler: Callable[[RecordedRequest], Step]) -> None:
        """Compute each response to `path` from the recorded request."""
        with self._lock:
            self._handlers[path] = handler

    def requests_for(self, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._connections)

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 5.0) -> bool:
        """Poll `predicate` until true or `timeout` elapses; returns the final value."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return True
            time.sleep(0.01)
        return predicate()

    # ---- called from handler threads

    def _record_and_next(self, request: RecordedRequest) -> Step:
        with self._lock:
            self.requests.append(request)
            handler = self._handlers.get(request.path)
            steps = self._scripts.get(request.path)
            if handler is None:
                if not steps:
                    return Step(echo=True)
                return steps.pop(0) if len(steps) > 1 else steps[0]
        return handler(request)

    def _connection_opened(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.add(conn)
            self.connections_opened += 1

    def _connection_closed(self, conn: socket.socket) -> None:
        with self._lock:
            self._connections.discard(conn)

    def _disconnected(self, path: str) -> None:
        with self._lock:
            self.disconnects.append(path)

    def _completed(self, path: str) -> None:
        with self._lock:
            self.completed.append(path)


def chunks_with_pauses(events: Iterable[str], pause: float) -> list[Chunk]:
    """Interleave `pause` seconds between streamed chunks."""
    out: list[Chunk] = []
    for event in events:
        if out:
            out.append(pause)
        out.append(event)
    return out
