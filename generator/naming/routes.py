"""An operation's path read as resource words: what the default resource tree is made from.

``/v1beta/vector_stores/{vector_store_id}/files`` reads as the namespace ``beta`` and the
segments ``vector_stores`` (an item of it is selected) › ``files``. The rules:

* path parameters select an item of the segment before them; text around a parameter in one
  segment (``configuration{ext}``, ``{name}:cancel``) is kept as words;
* version segments (``v1``, ``v2.0``, ``2010-04-01``, ``1``) are dropped; pre-release ones
  become namespaces (``v1beta`` → ``beta``, ``v2alpha1`` → ``alpha``);
* a custom-method suffix (``/runs/{id}:cancel``) is an action;
* a dotted segment keeps its last part (``microsoft.graph.reminderView`` → ``reminder_view``),
  unless it is the whole path (``/chat.postMessage``: resource ``chat``, action
  ``post_message``);
* OData-style arguments (``(key='{key}')``), ``$`` prefixes and file extensions are dropped;
* a segment that is not URL path text (RFC 3986 ``pchar`` plus ``{}`` templates; letters of any
  script count) is no structure: the path is read up to it, so a space, quote or backslash in a
  path never turns into resource words.

Leading segments that every path shares and that hold no operation (``/api``) are dropped by
:func:`drop_common_prefix`, once all routes are read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from ..records import record
from .identifiers import snake_case

_PARAM = re.compile(r"\{[^{}]*\}")
_VERSION = re.compile(r"v?\d+(?:\.\d+)*|\d{4}-\d{2}(?:-\d{2})?", re.IGNORECASE)
_PRERELEASE = re.compile(r"v\d+(?:\.\d+)*[-_.]?(alpha|beta|preview)\d*", re.IGNORECASE)
_ODATA_ARGS = re.compile(r"\([^()]*\)")
_PATH_TEXT = re.compile(r"[\w\-.~!$&'()*+,;=:@%{}]+")
_EXTENSIONS = frozenset({"json", "xml", "csv", "txt", "yaml", "yml", "html", "pdf", "zip"})


@record
class Segment:
    """One resource word of a path."""

    word: str
    """snake_case (``vector_stores``)."""
    item: bool
    """A path parameter follows: the path selects one element of it."""


@record
class Route:
    """What a path says about where its operation belongs."""

    namespace: tuple[str, ...]
    """Words before the resources: a pre-release version (``beta``)."""
    segments: tuple[Segment, ...]
    action: str | None
    """An explicit action the path names itself (``:cancel``, ``/chat.postMessage``)."""
    ends_with_parameter: bool
    """The last segment is a parameter (``/files/{file_id}``)."""
    version: tuple[int, ...]
    """The numbers of the dropped version segments, first to last (``/v2/...`` → ``(2,)``)."""
    query: tuple[str, ...]
    """Words of a query string the path carries (``/responses?beta=true`` → ``("beta",)``)."""

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(segment.word for segment in self.segments)

    @property
    def shape(self) -> tuple[tuple[str, bool], ...]:
        """The segments with their item marks: two paths of one shape differ only in
        parameter names."""
        return tuple((segment.word, segment.item) for segment in self.segments)


def read_route(path: str) -> Route:
    """The route of one path (before common prefixes are dropped)."""
    base, _, query = path.partition("?")
    namespace: list[str] = []
    segments: list[Segment] = []
    version: list[int] = []
    action: str | None = None
    raw_segments = [s for s in base.split("/") if s]
    ends_with_parameter = False
    for index, raw in enumerate(raw_segments):
        if not _PATH_TEXT.fullmatch(raw):
            ends_with_parameter = bool(segments) and segments[-1].item
            break
        last = index == len(raw_segments) - 1
        text, _, custom = raw.partition(":") if not raw.startswith(":") else (raw, "", "")
        if custom and not _PARAM.fullmatch(custom) and last:
            action = snake_case(_PARAM.sub(" ", custom)) or None
        literal = _ODATA_ARGS.sub("", _PARAM.sub("", text)).strip(" -_.")
        has_param = bool(_PARAM.search(text))
        if has_param and literal.lower() in _EXTENSIONS:
            literal = ""  # ``{id}.json``: a parameter with a format suffix
        if not literal:
            if has_param:
                if segments:
                    segments[-1] = replace(segments[-1], item=True)
                ends_with_parameter = last and not action
            continue
        prerelease = _PRERELEASE.fullmatch(literal)
        if prerelease:
            namespace.append(prerelease.group(1).lower())
            version.extend(
                int(n) for n in re.findall(r"\d+", literal.split(prerelease.group(1))[0])
            )
            continue
        if _VERSION.fullmatch(literal):
            version.extend(int(n) for n in re.findall(r"\d+", literal))
            continue
        words = _literal_words(literal, whole_path=len(raw_segments) == 1)
        if len(words) > 1 and last and action is None:
            action = words.pop()
        segments.extend(Segment(word, False) for word in words)
        if has_param and segments and literal == text.strip():
            segments[-1] = replace(segments[-1], item=True)
    query_words = tuple(
        word
        for pair in query.split("&")
        for word in snake_case(pair.replace("=true", "").replace("=1", "")).split("_")
        if word
    )
    return Route(
        namespace=tuple(namespace),
        segments=tuple(segments),
        action=action,
        ends_with_parameter=ends_with_parameter,
        version=tuple(version),
        query=query_words,
    )


def _literal_words(literal: str, *, whole_path: bool) -> list[str]:
    """The resource words of one literal segment (usually one; a dotted RPC path gives more)."""
    literal = literal.lstrip("$@")
    parts = [p for p in literal.split(".") if p]
    if len(parts) > 1 and parts[-1].lower() in _EXTENSIONS:
        parts = parts[:-1]
    if not whole_path:
        parts = parts[-1:]
    return [word for word in (snake_case(part) for part in parts) if word]


def drop_common_prefix(routes: Sequence[Route]) -> list[Route]:
    """The routes without the leading segments every one of them shares, as long as no
    operation stands on the prefix itself and no parameter follows it (``/api/...``)."""
    if len(routes) < 2:
        return list(routes)
    depth = 0
    while True:
        candidates = {
            route.segments[depth] if len(route.segments) > depth else None for route in routes
        }
        if len(candidates) != 1:
            break
        only = candidates.pop()
        if only is None or only.item:
            break
        if any(len(route.segments) == depth + 1 for route in routes):
            break  # an operation lives on the prefix: it is a resource, not a mount point
        depth += 1
    if depth == 0:
        return list(routes)
    return [replace(route, segments=route.segments[depth:]) for route in routes]
