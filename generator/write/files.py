"""The one place the write stage puts bytes on disk, and how OS failures are reported.

Every file the write stage creates (staged output, the manifest, the CHANGELOG, the new spec and
config beside their targets) goes through :func:`write_new`, so a full disk or a read-only folder
surfaces as one :class:`EnvironmentFailure` naming the path, never as an internal error.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from ..errors import EnvironmentFailure


@contextmanager
def writing(path: Path) -> Iterator[None]:
    """Turn an ``OSError`` raised in the block into an :class:`EnvironmentFailure` on ``path``."""
    try:
        yield
    except OSError as exc:
        raise EnvironmentFailure.from_os_error(exc, exc.filename or path) from None


def write_new(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Create ``path`` (it must not exist) holding ``data`` (or its pieces, written as they
    come), with the umask's default mode.

    A partly written file is removed before the error propagates.
    """
    with writing(path):
        create(path, data)


def create(path: Path, data: bytes | Iterable[bytes]) -> None:
    """The system calls behind :func:`write_new` (raises ``OSError``)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        for piece in (data,) if isinstance(data, bytes) else data:
            view = memoryview(piece)
            while view:
                view = view[os.write(fd, view) :]
    except BaseException:
        os.close(fd)
        path.unlink(missing_ok=True)
        raise
    os.close(fd)


def same_bytes(a: Path, b: Path, piece: int = 1 << 20) -> bool:
    """Whether two files hold the same bytes, read in pieces (never a whole big file at once);
    a file that cannot be read differs."""
    try:
        if a.stat().st_size != b.stat().st_size:
            return False
        with a.open("rb") as first, b.open("rb") as second:
            while True:
                left = first.read(piece)
                if left != second.read(piece):
                    return False
                if not left:
                    return True
    except OSError:
        return False
