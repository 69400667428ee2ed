"""The only ways spec text enters generated code: as a Python literal or inside a docstring.

Both escape everything that could end the literal, start a comment, or hide code from a reader
(triple quotes, backslashes, NUL, line and paragraph separators, bidi controls). Jinja never
parses spec text: it only receives strings these functions already made safe.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import Any

# Categories that must never appear raw in generated source: controls, format (bidi, zero-width),
# line/paragraph separators, surrogates, private use and unassigned code points.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_QUOTE_RUN = re.compile(r'"(?="|\Z)')
_ASCII_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""The ASCII members of ``_UNSAFE_CATEGORIES`` (C0 controls and DEL) except tab and newline."""


def py_literal(value: Any) -> str:
    """A Python expression equal to a JSON value (``repr`` escapes every unsafe str character)."""
    if value is None or isinstance(value, bool):
        return repr(value)
    if isinstance(value, int):
        return repr(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return f'float("{value}")'
        return repr(value)
    if isinstance(value, str):
        return _ascii_safe_repr(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(py_literal(item) for item in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(f"{py_literal(str(k))}: {py_literal(v)}" for k, v in value.items())
            + "}"
        )
    raise TypeError(f"not a JSON value: {type(value).__name__}")


def _ascii_safe_repr(text: str) -> str:
    """``repr`` with every non-printable or confusable-format character escaped as ``\\uXXXX``."""
    out = repr(text)
    if out.isascii():
        return out
    return "".join(
        ch if ch.isascii() or unicodedata.category(ch) not in _UNSAFE_CATEGORIES else _escape(ch)
        for ch in out
    )


def _escape(ch: str) -> str:
    code = ord(ch)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


@functools.lru_cache(maxsize=1 << 14)
def clean_text(text: str | None) -> str:
    """Spec prose normalised for docs: unsafe characters dropped, line endings unified.
    Remembered: a big API repeats the same descriptions (a shared parameter's) thousands of
    times, and the docstrings, docs and catalog each clean them."""
    if not text:
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.isascii():  # the common case, without a per-character category lookup
        return _ASCII_UNSAFE.sub("", text).strip()
    # Look up each distinct character once (a description repeats the same few hundred).
    unsafe = {
        ch
        for ch in set(text)
        if ch not in "\n\t" and unicodedata.category(ch) in _UNSAFE_CATEGORIES
    }
    if not unsafe:
        return text.strip()
    return "".join(ch for ch in text if ch not in unsafe).strip()


def docstring_body(text: str | None) -> str:
    """Text safe between triple double quotes: no closing quotes, no escapes, no controls."""
    cleaned = clean_text(text).replace("\t", "    ")
    cleaned = cleaned.replace("\\", "\\\\")
    lines = [line.rstrip() for line in cleaned.split("\n")]
    # A quote followed by another quote, or closing the text, is escaped: no run of three
    # unescaped quotes can form, and the closing ``"""`` cannot be extended into the text.
    return _QUOTE_RUN.sub('\\\\"', "\n".join(lines))


def docstring(text: str | None, indent: str = "    ") -> str:
    """A complete, indented docstring statement, or an empty string when there is no text."""
    body = docstring_body(text)
    if not body:
        return ""
    lines = body.split("\n")
    if len(lines) == 1:
        return f'{indent}"""{lines[0]}"""'
    inner = "\n".join((indent + line) if line else "" for line in lines)
    return f'{indent}"""\n{inner}\n{indent}"""'
