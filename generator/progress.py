"""Progress on stderr while a long run works: a status line on a terminal, stage lines with -v.

The pipeline does not know who watches: :class:`~generator.timings.Timings` tells the reporter
installed by :func:`reporting` (a context variable, so nested and threaded runs stay apart) when a
stage starts and ends, and stages that can count (files rendered, bytes fetched) call
:func:`advance`. Without a reporter every call is a cheap no-op.

- On a terminal, once a run passes ``delay`` seconds (1 s; ``APIGEN_PROGRESS_DELAY`` overrides it),
  one line is redrawn in place (``apigen: render 1,234 files, 3.2 s``), at most ten times a
  second, and erased when the run ends. Short runs print nothing.
- Not on a terminal, with ``-v``: one line as each stage ends (``apigen: render: 1,234 files,
  0.84 s``), fit for CI logs.
- With ``-q``, or neither: nothing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from typing_extensions import Self  # typing.Self is 3.11+

_DELAY_ENV = "APIGEN_PROGRESS_DELAY"
_REDRAW_SECONDS = 0.1


class Progress:
    """What one run reports: the stage now running and what it has counted so far."""

    def __init__(self, stream: TextIO, *, live: bool, lines: bool, delay: float = 1.0) -> None:
        self._stream = stream
        self._live = live
        self._lines = lines
        self._delay = delay
        self._lock = threading.Lock()
        self._started = time.monotonic()
        self._stage: str | None = None
        self._count = 0
        self._unit = ""
        self._drawn = ""
        self._stop = threading.Event()
        self._drawer: threading.Thread | None = None

    @classmethod
    def for_stream(cls, stream: TextIO, *, quiet: bool, verbose: bool) -> Progress | None:
        """The reporter a command gets: ``None`` when nothing would be shown."""
        if quiet:
            return None
        live = _is_terminal(stream)
        if not live and not verbose:
            return None
        return cls(stream, live=live, lines=verbose and not live, delay=_delay())

    def start(self, stage: str, unit: str = "") -> None:
        with self._lock:
            self._stage, self._count, self._unit = stage, 0, unit

    def advance(self, amount: int = 1, unit: str | None = None) -> None:
        self._count += amount  # one writer (the run's thread); the drawer only reads
        if unit is not None:
            self._unit = unit

    def finish(self, stage: str, seconds: float) -> None:
        with self._lock:
            counted = _counted(self._count, self._unit) if self._stage == stage else ""
            self._stage = None
            if self._lines:
                self._stream.write(f"apigen: {stage}: {counted + ', ' if counted else ''}")
                self._stream.write(f"{seconds:.2f} s\n")
                self._stream.flush()

    def pause(self) -> None:
        """Erase the status line before someone else writes to the stream (it comes back)."""
        with self._lock:
            self._erase()

    def __enter__(self) -> Self:
        if self._live:
            self._drawer = threading.Thread(target=self._draw_loop, name="apigen-progress")
            self._drawer.daemon = True
            self._drawer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._drawer is not None:
            self._drawer.join()
        with self._lock:
            self._erase()

    def status(self) -> str:
        """The status line as it would be drawn now (empty between stages)."""
        if self._stage is None:
            return ""
        counted = _counted(self._count, self._unit)
        elapsed = time.monotonic() - self._started
        return f"apigen: {self._stage}{' ' + counted if counted else ''}, {elapsed:.1f} s"

    def _draw_loop(self) -> None:
        if self._stop.wait(self._delay):
            return
        while True:
            with self._lock:
                line = self.status()
                if line != self._drawn:
                    self._stream.write(f"\r\x1b[K{line}")
                    self._stream.flush()
                    self._drawn = line
            if self._stop.wait(_REDRAW_SECONDS):
                return

    def _erase(self) -> None:
        if self._drawn:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._drawn = ""


_current: ContextVar[Progress | None] = ContextVar("apigen_progress", default=None)


@contextmanager
def reporting(progress: Progress | None) -> Iterator[None]:
    """Report the stages run inside the block to ``progress`` (``None``: report nothing)."""
    if progress is None:
        yield
        return
    token = _current.set(progress)
    try:
        with progress:
            yield
    finally:
        _current.reset(token)


def current() -> Progress | None:
    return _current.get()


def advance(amount: int = 1, unit: str | None = None) -> None:
    """Count ``amount`` more items (files, bytes) in the running stage, if anyone watches."""
    progress = _current.get()
    if progress is not None:
        progress.advance(amount, unit)


def _counted(count: int, unit: str) -> str:
    if not unit:
        return ""
    if unit == "bytes":
        return _size(count)
    return f"{count:,} {unit}"


def _size(count: int) -> str:
    if count < 1_000_000:
        return f"{count / 1000:.1f} kB" if count >= 1000 else f"{count} bytes"
    return f"{count / 1_000_000:.1f} MB"


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):  # a closed or file-like stream
        return False


def _delay() -> float:
    try:
        return max(0.0, float(os.environ.get(_DELAY_ENV, "1")))
    except ValueError:
        return 1.0
