"""Page styles as facts: what the generator knows about how one list operation pages.

A :class:`PageStyle` mirrors one runtime class of ``templates/runtime/_pagination.py``
(``CursorPagination``, ``OffsetPagination``...): :meth:`PageStyle.runtime_arguments` gives the
keyword arguments a generated resource passes it, so no template has to know the mapping.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING, Literal, TypeAlias

from ..records import record

if TYPE_CHECKING:
    from ..ir.model import Schema

StyleKind = Literal["cursor", "offset", "page_number", "next_url", "link_header", "single"]
FieldPath: TypeAlias = tuple[str, ...]
"""Wire names from the body's root to a field (``("meta", "next_cursor")``); ``()`` = the body."""

RUNTIME_CLASSES: dict[StyleKind, str] = {
    "cursor": "CursorPagination",
    "offset": "OffsetPagination",
    "page_number": "PageNumberPagination",
    "next_url": "NextUrlPagination",
    "link_header": "LinkHeaderPagination",
    "single": "NoPagination",
}

RuntimeValue: TypeAlias = "str | int | tuple[str, ...]"


@record
class PageStyle:
    """How one operation pages; fields a style does not use stay ``None``."""

    kind: StyleKind
    items: FieldPath
    """Where the page's items are in the response body."""
    item_schema: Schema
    """The schema of one item: the ``Item`` of ``SyncPage[Item]``."""
    param: str | None = None
    """The query parameter that carries the cursor, offset or page number."""
    next_cursor: FieldPath | None = None
    item_cursor: str | None = None
    """Cursor taken from this field of the page's last item (``after=<last id>``)."""
    has_more: FieldPath | None = None
    total: FieldPath | None = None
    total_pages: FieldPath | None = None
    first_page: int = 1
    next_url: FieldPath | None = None
    origin: Literal["detected", "config"] = "detected"

    @property
    def runtime_class(self) -> str:
        return RUNTIME_CLASSES[self.kind]

    def runtime_arguments(self) -> tuple[tuple[str, RuntimeValue], ...]:
        """Keyword arguments for :attr:`runtime_class`, in a stable order; defaults left out.

        A field path of one name is passed as that name (``next_cursor="last_id"``).
        """
        args: list[tuple[str, RuntimeValue]] = []
        default_items: FieldPath = () if self.kind == "link_header" else ("data",)
        if self.items != default_items:
            args.append(("items", _runtime_path(self.items)))
        if self.param is not None:
            args.append(("param", self.param))
        for name in ("next_cursor", "has_more", "total", "total_pages", "next_url"):
            value: FieldPath | None = getattr(self, name)
            if value is not None:
                args.append((name, _runtime_path(value)))
        if self.item_cursor is not None:
            args.append(("item_cursor", self.item_cursor))
        if self.kind == "page_number" and self.first_page != 1:
            args.append(("first_page", self.first_page))
        return tuple(args)


def _runtime_path(path: FieldPath) -> str | tuple[str, ...]:
    return path[0] if len(path) == 1 else path


@record
class StyleRule:
    """A page style as ``apigen.yaml`` writes it; unset fields are found in the spec."""

    kind: StyleKind
    items: FieldPath | None = None
    param: str | None = None
    next_cursor: FieldPath | None = None
    item_cursor: str | None = None
    has_more: FieldPath | None = None
    total: FieldPath | None = None
    total_pages: FieldPath | None = None
    first_page: int | None = None
    next_url: FieldPath | None = None


@record
class PaginationConfig:
    """The ``pagination:`` section of ``apigen.yaml``."""

    detect: bool = True
    """Recognise the common page shapes; ``False`` paginates only the operations listed."""
    styles: tuple[StyleRule, ...] = ()
    """The API's own page shapes, tried on every operation before the built-in rules."""
    operations: dict[str, StyleRule | None] = field(default_factory=dict[str, "StyleRule | None"])
    """``"METHOD /path"`` or operationId → its style, or ``None`` for "never paginate"."""
