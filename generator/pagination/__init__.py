"""Auto-pagination facts: which operations page, and how (independent of how code is emitted)."""

from .detect import answers_with_list, detect_page_style, list_items, page_styles
from .model import FieldPath, PageStyle, PaginationConfig, StyleKind, StyleRule

__all__ = [
    "FieldPath",
    "PageStyle",
    "PaginationConfig",
    "StyleKind",
    "StyleRule",
    "answers_with_list",
    "detect_page_style",
    "list_items",
    "page_styles",
]
