"""Stage 1: read a spec (path or URL, JSON or YAML) into a bundled, checked :class:`Document`."""

from .document import Document, escape_pointer_token
from .loader import load_spec

__all__ = ["Document", "escape_pointer_token", "load_spec"]
