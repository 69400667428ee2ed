"""How much memory a JSON spec will take once parsed, known before parsing it.

A parsed document costs CPython far more than its text: an object (``{}``, two bytes) is a
~200-byte dict, a short string a ~50-byte str. Real specs parse to 2-5x their size, but one whose
bytes are mostly tiny values (typically a huge ``x-`` extension blob) parses to 15-30x, and near
the size cap that exhausts the machine (a 200 MB spec crashed). Counting the structural bytes
costs one pass of ``bytes.count`` per character, so the estimate is checked first and an
oversized document is refused with a clear error instead of being parsed.
"""

from __future__ import annotations

from ..errors import ApigenError

ALLOWANCE = 256 * 1024 * 1024
"""Parsed size every spec may use whatever its length: only unusual or huge specs meet a limit."""
FACTOR = 8
"""... and beyond the allowance, at most this many bytes per byte of spec text."""
_MAX_BYTES_PER_BYTE = 100
"""An upper bound on the parsed cost of one byte of JSON (``{},`` is ~200 bytes for 3)."""

_OBJECT = 64  # an empty dict, with its GC header
_ENTRIES = 120  # the entry table a non-empty dict adds (room for five keys)
_KEY = 18  # each key beyond, on average
_ARRAY = 64  # an empty list, with its GC header
_STRING = 50  # a str object's header; its characters are counted in the text itself
_SLOT = 8  # one pointer per element


def estimated_size(raw: bytes) -> int:
    """Bytes the parsed tree will take, within ~40% of what tracemalloc measures (orjson shares
    the keys' strings, so a key costs its dict entry only)."""
    objects = raw.count(b"{")
    arrays = raw.count(b"[")
    keys = raw.count(b":")
    strings = max(0, raw.count(b'"') // 2 - keys)
    elements = raw.count(b",")
    return (
        objects * _OBJECT
        + min(objects, keys) * _ENTRIES
        + keys * _KEY
        + arrays * _ARRAY
        + strings * _STRING
        + elements * _SLOT
        + len(raw)
    )


def check_parse_budget(raw: bytes, name: str) -> None:
    """Refuse a JSON document whose parsed tree would exceed ``FACTOR`` × its size (beyond the
    allowance); small documents are not even counted, since they cannot reach the allowance."""
    if len(raw) * _MAX_BYTES_PER_BYTE <= ALLOWANCE:
        return
    limit = ALLOWANCE + FACTOR * len(raw)
    needed = estimated_size(raw)
    if needed > limit:
        raise ApigenError(
            f"spec would need about {_mb(needed)} of memory once parsed "
            f"({needed / len(raw):.0f}x its {_mb(len(raw))}; the limit is {FACTOR}x plus "
            f"{_mb(ALLOWANCE)}): it is mostly tiny JSON values, usually a large x- extension "
            "blob that can be removed before generating",
            location=name,
        )


def _mb(size: int) -> str:
    return f"{size / 2**20:.0f} MB"


__all__ = ["ALLOWANCE", "FACTOR", "check_parse_budget", "estimated_size"]
