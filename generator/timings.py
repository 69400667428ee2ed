"""Wall time per pipeline stage, for ``apigen -v``."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from . import progress


@dataclass
class Timings:
    """Stages in the order they ran, each with its duration in seconds."""

    stages: list[tuple[str, float]] = field(default_factory=list)

    @contextmanager
    def stage(self, name: str, unit: str = "") -> Iterator[None]:
        """Time one stage, and tell the progress reporter (if any) what runs; ``unit`` names
        what the stage counts with :func:`generator.progress.advance` (``files``, ``bytes``)."""
        watcher = progress.current()
        if watcher is not None:
            watcher.start(name, unit)
        start = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - start
            self.stages.append((name, seconds))
            if watcher is not None:
                watcher.finish(name, seconds)

    def summary(self) -> str:
        """``load 0.05 s, ir 0.02 s, ..., total 0.61 s``."""
        parts = [f"{name} {seconds:.2f} s" for name, seconds in self.stages]
        total = sum(seconds for _, seconds in self.stages)
        return ", ".join([*parts, f"total {total:.2f} s"])
