"""Atomic replacement of the output folder, which stays the user's: modes, links and their files.

Everything is rendered and formatted into a staging folder beside the output; then the two are
exchanged in one ``renameat2(RENAME_EXCHANGE)`` call where the kernel has it (Linux), so a crash
at any instant leaves either the old tree or the new one — never a mix. Files apigen did not
generate (the custom-code area, a ``dist/`` folder, ...) are carried over by hard links, symlinks
as symlinks (to files and folders alike), and every folder keeps the mode it had. An output
folder that is a symlink is written through: the swap happens beside the link's target.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import os
import re
import secrets
import shutil
import stat
from collections.abc import Iterable
from pathlib import Path

from ..errors import ApigenError, EnvironmentFailure
from . import files

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


def output_folder(out_dir: Path) -> Path:
    """The folder that is really written: a symlinked output folder means its target."""
    return Path(os.path.realpath(out_dir))


def ensure_writable(out_dir: Path) -> None:
    """Fail before any work when the output folder (or the folder that will hold it) is read-only.

    ``os.access`` answers for the real user and sees read-only mounts, which root's permission
    bits would not show.
    """
    if out_dir.exists():
        folders = [out_dir, out_dir.parent]
    else:
        nearest = out_dir.parent
        while not nearest.exists() and nearest != nearest.parent:
            nearest = nearest.parent
        folders = [nearest]
    for candidate in folders:
        if not os.access(candidate, os.W_OK):
            code = errno.EROFS if _read_only_mount(candidate) else errno.EACCES
            raise EnvironmentFailure.from_os_error(OSError(code, os.strerror(code)), candidate)


def _read_only_mount(folder: Path) -> bool:
    try:
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except OSError:
        return False


def temporary_name(target: Path, kind: str = "tmp") -> Path:
    """``.apigen-<kind>-<name>-<pid>-<token>`` beside ``target`` (see :func:`remove_stale`)."""
    return target.with_name(f".apigen-{kind}-{target.name}-{os.getpid()}-{secrets.token_hex(4)}")


def stage_files(out_dir: Path, rendered: Iterable[tuple[str, bytes | Iterable[bytes]]]) -> Path:
    """Write ``rendered`` into a fresh staging folder next to ``out_dir`` and return it.

    Folders are made with the umask's default mode (as ``mkdir``, pip and git do), not ``0700``.
    """
    with files.writing(out_dir.parent):
        out_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_stale(out_dir)
    while True:
        staging = temporary_name(out_dir)
        try:
            with files.writing(staging):
                os.mkdir(staging, 0o777)
            break
        except FileExistsError:
            continue
    present = {staging}  # each folder made once: asking the OS per file cost ~1 s on 10k files
    try:
        for path, data in rendered:
            target = staging / safe_relative(path)
            if target.parent not in present:
                with files.writing(target.parent):
                    target.parent.mkdir(parents=True, exist_ok=True)
                present.update(target.parents)
            files.write_new(target, data)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return staging


def _owner_alive(name: str, kind: str, target_name: str) -> bool:
    """Is the process that made ``.apigen-<kind>-<target>-<pid>-...`` still running?"""
    rest = name.removeprefix(f".apigen-{kind}-{target_name}-")
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


def remove_stale(target: Path) -> None:
    """Clean up after a run that was killed: its staging copies, or the old version it set aside.

    Works for the output folder and for the single files ``update`` replaces (spec, config).
    Only leftovers whose process is gone are touched. If a kill left the old version set aside
    (``.apigen-old-``) and nothing at ``target``, the old version is put back.
    """
    parent = target.parent
    if not parent.is_dir():
        return
    for kind in ("tmp", "old"):
        for leftover in sorted(parent.glob(f".apigen-{kind}-{target.name}-*")):
            if _owner_alive(leftover.name, kind, target.name):
                continue
            if kind == "old" and not os.path.lexists(target):
                os.rename(leftover, target)
            elif leftover.is_dir() and not leftover.is_symlink():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)


def carry_over(old: Path, staging: Path, generated: set[str]) -> None:
    """Bring into ``staging`` everything of ``old`` that apigen does not generate, as it was.

    Files are hard-linked, symlinks (to files or folders) are recreated with the same target text,
    the user's folders are kept even when empty (a folder that only ever held generated files
    goes with them), and every folder that exists in both trees gets the old folder's mode.
    """
    if not old.is_dir():
        return
    apigen_folders = {parent.as_posix() for path in generated for parent in Path(path).parents}
    for dirpath, dirnames, filenames in os.walk(old):
        source_dir = Path(dirpath)
        rel_dir = source_dir.relative_to(old)
        if rel_dir.as_posix() not in apigen_folders:
            with files.writing(staging / rel_dir):
                (staging / rel_dir).mkdir(parents=True, exist_ok=True)
        _keep_mode(source_dir, staging / rel_dir)
        folders = []
        for name in dirnames:
            if name == "__pycache__":
                continue
            if (source_dir / name).is_symlink():
                _carry_link(source_dir / name, staging, (rel_dir / name).as_posix(), generated)
            else:
                folders.append(name)
        dirnames[:] = folders
        for name in filenames:
            rel = (rel_dir / name).as_posix()
            if rel in generated:
                continue
            source = source_dir / name
            target = staging / rel
            with files.writing(target):
                if target.exists() or target.is_symlink():
                    target.unlink()  # the user's copy of a custom file wins over the template
                target.parent.mkdir(parents=True, exist_ok=True)
                try:
                    os.link(source, target, follow_symlinks=False)
                except OSError:
                    shutil.copy2(source, target, follow_symlinks=False)


def _keep_mode(source: Path, target: Path) -> None:
    if target.is_dir() and not target.is_symlink():
        with files.writing(target):
            os.chmod(target, stat.S_IMODE(source.stat().st_mode))


def _carry_link(source: Path, staging: Path, rel: str, generated: set[str]) -> None:
    """A symlinked folder stays a link; it may replace only a folder of custom files."""
    target = staging / rel
    if target.is_dir() and not target.is_symlink():
        prefix = rel + "/"
        if any(path.startswith(prefix) for path in generated):
            raise ApigenError(
                f"{source} is a symlink to a folder, but apigen generates files in {rel}/; "
                "replace the link with a folder (or move it elsewhere) and run again"
            )
        shutil.rmtree(target)  # only template defaults of custom files: the user's link wins
    with files.writing(target):
        target.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.readlink(source), target)


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
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


def swap_into_place(staging: Path, out_dir: Path) -> None:
    """Make ``staging`` the new ``out_dir`` (a real folder); the old tree is removed afterwards."""
    with files.writing(out_dir):
        if not out_dir.exists():
            os.rename(staging, out_dir)
            return
        if _exchange(staging, out_dir):
            shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old tree
            return
        backup = temporary_name(out_dir, "old")
        os.rename(out_dir, backup)
        try:
            os.rename(staging, out_dir)
        except BaseException:
            os.rename(backup, out_dir)
            raise
    shutil.rmtree(backup, ignore_errors=True)
