"""Atomic replacement of the output folder.

Everything is rendered and formatted into a staging folder beside the output; then the two are
exchanged in one ``renameat2(RENAME_EXCHANGE)`` call where the kernel has it (Linux), so a crash
at any instant leaves either the old tree or the new one — never a mix. Files apigen did not
generate (the custom-code area, a ``dist/`` folder, ...) are carried over by hard links.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import ApigenError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def safe_relative(path: str) -> Path:
    """Reject any rendered path that could escape the output folder."""
    candidate = Path(path)
    if (
        candidate.is_absolute()
        or not candidate.parts
        or any(part in ("..", "") for part in candidate.parts)
        or "\x00" in path
        or "\\" in path
    ):
        raise ApigenError(f"refusing to write outside the output folder: {path!r}")
    return candidate


def stage_files(out_dir: Path, files: Iterable[tuple[str, bytes]]) -> Path:
    """Write ``files`` into a fresh staging folder next to ``out_dir`` and return it."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out_dir)
    prefix = f".apigen-tmp-{out_dir.name}-{os.getpid()}-"
    staging = Path(tempfile.mkdtemp(prefix=prefix, dir=out_dir.parent))
    try:
        for path, data in files:
            target = staging / safe_relative(path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _owner_alive(folder: Path, kind: str, out_name: str) -> bool:
    """Is the process that made ``.apigen-<kind>-<out>-<pid>-...`` still running?"""
    rest = folder.name.removeprefix(f".apigen-{kind}-{out_name}-")
    match = re.fullmatch(r"([0-9]+)-[A-Za-z0-9_]*", rest)
    if match is None:
        return True  # not ours to judge: another output's folder, or an older apigen's
    try:
        os.kill(int(match.group(1)), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_stale(out_dir: Path) -> None:
    """Clean up after a run that was killed: its staging folder, or the old tree it set aside.

    Only folders whose process is gone are touched. If a kill left the old tree set aside
    (``.apigen-old-``, the non-Linux fallback) and no output folder, the old tree is put back.
    """
    parent = out_dir.parent
    if not parent.is_dir():
        return
    for kind in ("tmp", "old"):
        for folder in sorted(parent.glob(f".apigen-{kind}-{out_dir.name}-*")):
            if not folder.is_dir() or _owner_alive(folder, kind, out_dir.name):
                continue
            if kind == "old" and not out_dir.exists():
                os.rename(folder, out_dir)
            else:
                shutil.rmtree(folder, ignore_errors=True)


def carry_over(old: Path, staging: Path, generated: set[str]) -> None:
    """Hard-link into ``staging`` every file of ``old`` that apigen did not generate."""
    if not old.is_dir():
        return
    for dirpath, dirnames, filenames in os.walk(old):
        rel_dir = Path(dirpath).relative_to(old)
        dirnames[:] = [d for d in dirnames if d != "__pycache__"]
        for name in filenames:
            rel = (rel_dir / name).as_posix()
            if rel in generated:
                continue
            source = Path(dirpath) / name
            target = staging / rel
            if target.exists():
                target.unlink()  # the user's copy of a custom file wins over the template
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(source, target, follow_symlinks=False)
            except OSError:
                shutil.copy2(source, target, follow_symlinks=False)


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths; ``False`` when the platform cannot."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.EXDEV):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(a))


def swap_into_place(staging: Path, out_dir: Path) -> None:
    """Make ``staging`` the new ``out_dir``; the old tree is removed afterwards."""
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old tree
        return
    backup = out_dir.with_name(f".apigen-old-{out_dir.name}-{os.getpid()}-")
    os.rename(out_dir, backup)
    os.rename(staging, out_dir)
    shutil.rmtree(backup, ignore_errors=True)
