"""Errors are values carrying a location until the CLI turns them into one line and an exit code."""

from __future__ import annotations

import os


class ApigenError(Exception):
    """Bad input: a broken spec, an unknown ``$ref``, an unsupported construct.

    ``pointer`` is a JSON pointer into the document (``#/paths/~1pets/get``) and ``location``
    is ``file:line`` (or ``file:line:column``) where the loader knows it.
    """

    exit_code = 2

    def __init__(self, message: str, *, pointer: str | None = None, location: str | None = None):
        super().__init__(message)
        self.message = message
        self.pointer = pointer
        self.location = location

    def one_line(self) -> str:
        """The ``<where>: <message>`` text the CLI prints after ``apigen: error:``."""
        where = [part for part in (self.location, self.pointer) if part]
        text = " ".join(self.message.split())  # never more than one line
        return f"{' '.join(where)}: {text}" if where else text


class SpecWarning:
    """A construct apigen degraded (e.g. to ``Any``); reported, never fatal."""

    __slots__ = ("message", "pointer")

    def __init__(self, message: str, pointer: str) -> None:
        self.message = message
        self.pointer = pointer

    def __str__(self) -> str:
        return f"{self.pointer}: {self.message}"


class EnvironmentFailure(ApigenError):
    """The machine, not the input, stopped apigen: a full disk, a read-only or unwritable folder.

    The message names the reason and the path (``no space left on device writing out/x.py``), so
    the user knows it is not a problem with the spec.
    """

    @classmethod
    def from_os_error(
        cls, exc: OSError, path: object, action: str = "writing"
    ) -> EnvironmentFailure:
        reason = os.strerror(exc.errno) if exc.errno else (exc.strerror or str(exc))
        return cls(f"{reason[:1].lower()}{reason[1:]} {action} {path}")
