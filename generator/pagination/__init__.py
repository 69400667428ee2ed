"""Auto-pagination facts: which operations page, and how (independent of how code is emitted)."""

from .detect import detect_page_style, page_styles
from .model import FieldPath, PageStyle, PaginationConfig, StyleKind, StyleRule

__all__ = [
    "FieldPath",
    "PageStyle",
    "PaginationConfig",
    "StyleKind",
    "StyleRule",
    "detect_page_style",
    "page_styles",
]
