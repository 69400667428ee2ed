"""Auto-pagination facts: which operations page, and how (independent of how code is emitted).

The detector lives in :mod:`.detect` and is imported from there: this package's import stays as
light as its data model, which the config loader (and so ``apigen check``'s fast path) needs.
"""

from .model import FieldPath, PageStyle, PaginationConfig, StyleKind, StyleRule

__all__ = ["FieldPath", "PageStyle", "PaginationConfig", "StyleKind", "StyleRule"]
