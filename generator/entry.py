"""The ``apigen`` console script: a plain ``apigen check`` answers before click is imported.

CI runs ``apigen check`` on every push, and when the tree is in sync the whole answer is a few
milliseconds of hashing (see :mod:`generator.check`). Importing click and building the command
tree costs more than that, so the invocation a drift gate makes — ``check`` with at most a SPEC
path, ``-o OUT`` and ``-q`` — is recognised here and answered by the manifest fast path.
Everything else, including a ``check`` whose fast path cannot prove the tree in sync or that
meets any error, goes to the click CLI, which then decides (and reports) as it always does.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

_QUIET = frozenset({"-q", "--quiet"})
_VALUED = {"-o": "out", "--out": "out", "--config": "config"}
"""The options of a plain check that take a value, and the field each sets."""


@dataclass
class _PlainCheck:
    """``apigen check [SPEC] [-o OUT] [--config PATH] [-q]``: the only shape answered before
    click."""

    spec: str | None = None
    out: str | None = None
    config: str | None = None
    quiet: bool = False


def run() -> NoReturn:
    """The process's entry (the ``apigen`` script, ``python -m generator``): :func:`main`, then
    exit without tearing the heap down. Freeing a huge spec's IR and plan object by object, after
    the work is done, cost ~2 s CPU on Microsoft Graph beta (5–8 % of the run); nothing of apigen
    waits for interpreter shutdown (no ``atexit`` hooks, temporary folders are removed as their
    ``with`` ends), so only the standard streams need flushing."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a reader gone (``| head``) or a stream closed
            pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    """The command line's work and exit code (in-process callers, tests: no hard exit)."""
    args = list(sys.argv[1:] if argv is None else argv)
    plain = _plain_check(args)
    if plain is not None and _in_sync_fast(plain):
        return 0
    from .cli import main as cli_main

    return cli_main(args)


def _plain_check(args: list[str]) -> _PlainCheck | None:
    """The arguments as a plain check, or ``None`` for anything else (the CLI's to parse)."""
    if args.count("check") != 1:
        return None
    plain = _PlainCheck()
    rest = iter(args)
    for arg in rest:
        if arg == "check":
            continue
        option, equals, inline = arg.partition("=")
        field = _VALUED.get(option) if option.startswith("--") or not equals else None
        if arg in _QUIET:
            plain.quiet = True
        elif field is not None and getattr(plain, field) is None:
            value = inline if equals else next(rest, None)
            if value is None:
                return None
            setattr(plain, field, value)
        elif not arg.startswith("-") and plain.spec is None:
            plain.spec = arg
        else:
            return None
    return plain


def _in_sync_fast(plain: _PlainCheck) -> bool:
    """Whether the manifest proves the plain check in sync (its output is then printed).

    ``False`` means only "not answered here": the click CLI runs the command from the start, so
    nothing is printed before it is known that the answer is this one.
    """
    from .check import fast_in_sync, in_sync_line
    from .config import find_config
    from .errors import ApigenError

    notes: list[str] = []
    try:
        explicit = Path(plain.config) if plain.config is not None else None
        config = find_config(explicit, plain.spec, notes.append)
        spec, out_path = config.command_paths(plain.spec, plain.out)
        if not fast_in_sync(spec, config, out_path):
            return False
    except (ApigenError, OSError):
        return False  # the CLI reports it properly
    if not plain.quiet:
        for note in notes:
            print(f"apigen: note: {note}", file=sys.stderr)
        print(in_sync_line(out_path, spec, rendered=False), file=sys.stderr)
    return True
