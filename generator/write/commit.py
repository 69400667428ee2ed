"""The one commit sequence of ``generate`` and ``update``: all of a run's writes, or none of them.

A run changes at most a few single files (``update``: the vendored spec and ``apigen.yaml``) and
the output folder. Everything that needs disk space happens first: the new tree is staged, each
new file is written beside its target, and each old file gets a hard link as its backup (no data
is copied). Only then come the renames, which need no space: the files, then the folder swap.
If any step fails (a full disk, a read-only folder, a crash of the swap), the files renamed so
far get their backups renamed back, so the spec, the config and the tree are all the old ones.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from . import files
from .output import carry_over, remove_stale, swap_into_place, temporary_name


@dataclass
class _FileChange:
    """One file being replaced: its new bytes wait beside it, its old bytes in a hard link."""

    target: Path
    new: Path
    backup: Path | None = None
    installed: bool = False

    @classmethod
    def prepare(cls, target: Path, data: bytes) -> _FileChange:
        with files.writing(target.parent):
            target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale(target)
        change = cls(target, temporary_name(target))
        try:
            files.write_new(change.new, data)
            if target.exists():
                with files.writing(change.new):
                    os.chmod(change.new, stat.S_IMODE(target.stat().st_mode))
                change.backup = temporary_name(target, "old")
                with files.writing(change.backup):
                    try:
                        os.link(target, change.backup)
                    except OSError:  # a file system without hard links: a copy instead
                        shutil.copy2(target, change.backup)
        except BaseException:
            change.discard()
            raise
        return change

    def install(self) -> None:
        with files.writing(self.target):
            os.replace(self.new, self.target)
        self.installed = True

    def roll_back(self) -> None:
        """Put the old bytes back (a rename: it needs no space), or remove a file that was new."""
        if not self.installed:
            return
        if self.backup is not None:
            os.replace(self.backup, self.target)
            self.backup = None
        else:
            self.target.unlink(missing_ok=True)
        self.installed = False

    def discard(self) -> None:
        self.new.unlink(missing_ok=True)
        if self.backup is not None:
            self.backup.unlink(missing_ok=True)


def commit(staging: Path, out_dir: Path, changed_files: Sequence[tuple[Path, bytes]] = ()) -> None:
    """Write ``changed_files`` and make ``staging`` the output folder ``out_dir``, atomically.

    ``out_dir`` is the real folder (see :func:`output_folder`); ``staging`` is consumed.
    """
    changes: list[_FileChange] = []
    try:
        for target, data in changed_files:
            changes.append(_FileChange.prepare(target, data))
        for change in changes:
            change.install()
        swap_into_place(staging, out_dir)
    except BaseException:
        for change in reversed(changes):
            change.roll_back()
        for change in changes:
            change.discard()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    for change in changes:
        change.discard()


def commit_output(
    staging: Path,
    out_dir: Path,
    generated: set[str],
    changed_files: Sequence[tuple[Path, bytes]] = (),
) -> None:
    """Carry the user's files over into ``staging``, then :func:`commit`.

    ``generated`` lists every path apigen writes (this run's and the old manifest's), so a file
    apigen no longer generates is removed and every other file is kept.
    """
    try:
        carry_over(out_dir, staging, generated)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    commit(staging, out_dir, changed_files)
