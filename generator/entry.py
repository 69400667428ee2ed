"""The ``apigen`` console script: a plain ``apigen check`` answers before click is imported.

CI runs ``apigen check`` on every push, and when the tree is in sync the whole answer is a few
milliseconds of hashing (see :mod:`generator.check`). Importing click and building the command
tree costs more than that, so the one invocation a drift gate makes — ``check`` with at most
``-q`` — is recognised here and answered by the manifest fast path. Everything else, including a
``check`` whose fast path cannot prove the tree in sync or that meets any error, goes to the
click CLI, which then decides (and reports) exactly as it always does.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

_QUIET = frozenset({"-q", "--quiet"})


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``apigen`` script."""
    args = list(sys.argv[1:] if argv is None else argv)
    if _in_sync_fast(args):
        return 0
    from .cli import main as cli_main

    return cli_main(args)


def _in_sync_fast(args: list[str]) -> bool:
    """Whether ``args`` is a plain ``check`` the manifest proves in sync (the message is printed).

    ``False`` means only "not answered here": the click CLI runs the command from the start.
    """
    flags = [a for a in args if a != "check"]
    if args.count("check") != 1 or any(flag not in _QUIET for flag in flags):
        return False
    from .check import fast_in_sync
    from .config import find_config
    from .errors import ApigenError

    try:
        config = find_config(None, None)
        out_path = config.path(config.output)
        spec = config.spec_location()
        if not fast_in_sync(spec, config, out_path):
            return False
    except (ApigenError, OSError):
        return False  # the CLI reports it properly
    if not flags:
        print(f"apigen: {out_path} is in sync with {spec} (manifest hashes match)", file=sys.stderr)
    return True
