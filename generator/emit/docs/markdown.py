"""Spec prose made safe for Markdown pages, with the author's Markdown kept intact.

Spec text is untrusted. On a Markdown page it could inject raw HTML (``<script>``, a comment that
hides the rest of the page), open a code span or fence that swallows what follows, or split a
table row with ``|``. These helpers keep code spans, fences, emphasis, lists and links as the
author wrote them and neutralise only what could escape its own paragraph.
"""

from __future__ import annotations

import functools
import re

from ...literals import clean_text

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_BACKTICKS = re.compile(r"`+")
_AUTOLINK = re.compile(r"<(https?://[^\s<>`]*)>")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?=\s|$)")
NESTED_HEADING = 5
"""Headings inside descriptions start at this level so they never break the page's outline."""


def md_block(text: str | None) -> str:
    """A description as Markdown blocks: fences closed, headings nested, stray backticks and raw
    HTML escaped."""
    out: list[str] = []
    fence: str | None = None
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            out.append(_inline("\n".join(paragraph)))
            paragraph.clear()

    for line in clean_text(text).split("\n"):
        match = _FENCE.match(line)
        if fence is None and match and not (match.group(2)[0] == "`" and "`" in match.group(3)):
            flush()
            fence = match.group(2)
            out.append(match.group(1) + fence + _info_string(match.group(3)))
        elif fence is not None:
            if (
                match
                and match.group(2)[0] == fence[0]
                and len(match.group(2)) >= len(fence)
                and not match.group(3).strip()
            ):
                out.append(match.group(1) + match.group(2))
                fence = None
            else:
                out.append(line)
        elif not line.strip():
            flush()
            out.append("")
        else:
            heading = _HEADING.match(line)
            if heading:
                flush()
                level = min(6, NESTED_HEADING + len(heading.group(1)) - 1)
                out.append(_inline("#" * level + line[heading.end() :]))
                continue
            paragraph.append(line)
    flush()
    if fence is not None:
        out.append(fence)  # an unclosed fence would swallow the rest of the page
    return "\n".join(out).strip("\n")


@functools.lru_cache(maxsize=8192)
def md_cell(text: str | None) -> str:
    """One table cell: the first paragraph on one line, pipes escaped even inside code spans."""
    first = clean_text(text).split("\n\n")[0]
    return _inline(" ".join(first.split())).replace("|", "\\|")


@functools.lru_cache(maxsize=8192)
def md_code(code: str) -> str:
    """An inline code span showing ``code`` verbatim, whatever backticks it contains."""
    code = " ".join(code.split())
    longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0) if "`" in code else 0
    ticks = "`" * (longest + 1)
    pad = " " if code.startswith("`") or code.endswith("`") or not code.strip() else ""
    return f"{ticks}{pad}{code}{pad}{ticks}"


@functools.lru_cache(maxsize=8192)
def md_code_cell(code: str) -> str:
    """A code span inside a table cell (GFM splits cells on ``|`` before it parses spans)."""
    return md_code(code).replace("|", "\\|")


def md_fence(code: str, language: str = "python") -> str:
    """A fenced block that no backtick run inside ``code`` can close early."""
    longest = max((len(run) for run in _BACKTICKS.findall(code)), default=0) if "`" in code else 0
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{language}\n{code.rstrip()}\n{ticks}"


def _info_string(info: str) -> str:
    """A fence's language tag: one word of safe characters, nothing else."""
    word = info.strip().split(" ")[0] if info.strip() else ""
    return word if re.fullmatch(r"[A-Za-z0-9_+.#-]*", word) else ""


def _inline(text: str) -> str:
    """Inline Markdown with balanced code spans kept and everything outside them HTML-escaped."""
    if "`" not in text:
        return _escape_html(text)
    pieces: list[str] = []
    pos = 0
    while pos < len(text):
        match = _BACKTICKS.search(text, pos)
        if match is None:
            pieces.append(_escape_html(text[pos:]))
            break
        pieces.append(_escape_html(text[pos : match.start()]))
        run = match.group(0)
        closing = _closing_run(text, match.end(), len(run))
        if closing is None:
            pieces.append("\\`" * len(run))  # unbalanced: literal backticks, never a span opener
            pos = match.end()
        else:
            pieces.append(text[match.start() : closing])  # code span: shown verbatim, no HTML
            pos = closing
    return "".join(pieces)


def _closing_run(text: str, start: int, length: int) -> int | None:
    """End offset of the first backtick run of exactly ``length`` after ``start``."""
    for match in _BACKTICKS.finditer(text, start):
        if len(match.group(0)) == length:
            return match.end()
    return None


def _escape_html(text: str) -> str:
    """``<`` escaped so no tag or comment survives; ``<https://...>`` autolinks kept."""
    if "<" not in text:
        return text
    pieces: list[str] = []
    pos = 0
    for match in _AUTOLINK.finditer(text):
        pieces.append(_escape_chars(text[pos : match.start()]))
        pieces.append(match.group(0))
        pos = match.end()
    pieces.append(_escape_chars(text[pos:]))
    return "".join(pieces)


def _escape_chars(text: str) -> str:
    # Every HTML construct (tag, comment, CDATA, declaration) starts with ``<``; ``>`` stays
    # because it is Markdown's blockquote marker.
    return text.replace("<", "&lt;")


__all__ = ["md_block", "md_cell", "md_code", "md_code_cell", "md_fence"]
