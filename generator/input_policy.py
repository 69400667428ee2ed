"""How far apigen trusts its input; import-light, so ``apigen check``'s fast path can build one
without importing the pipeline (the renderer, Jinja, the IR builder)."""

from __future__ import annotations

from .records import record


@record
class InputPolicy:
    """How far to trust the input: what ``$ref`` may reach, and whether warnings are fatal."""

    outside: bool = False
    """Let ``$ref`` read files outside the spec's folder (``../../etc/passwd``, absolute paths)."""
    remote: bool = False
    """Let ``$ref`` fetch http(s) URLs."""
    strict: bool = False
    """Treat every warning (degraded construct, duplicate operationId, bad default) as an error."""


TRUST_NOTHING = InputPolicy()
"""The default: refs stay inside the spec's folder, warnings are only warnings."""

__all__ = ["TRUST_NOTHING", "InputPolicy"]
