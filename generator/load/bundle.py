"""Bundling: make every ``$ref`` local so later stages only follow ``#/...`` pointers.

External targets (``other.yaml#/Pet``, ``./schemas/pet.json``) are copied once each into the
components section their position implies, under a stable, non-colliding name, and the ref is
rewritten. Refs inside copied targets are resolved against *their* file, through a work queue
(no recursion), and a target is registered before its own refs are processed, so circular refs
within and across files terminate. Local refs are checked; pure ref chains that only point at
each other are refused.
"""

from __future__ import annotations

import os
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from urllib.request import url2pathname

from ..errors import ApigenError
from ..urls import inside_folder, is_url, normalised
from .fetch import fetch_url, read_path
from .locate import Locator, make_locator
from .parse import may_share, parse_bytes
from .pointer import MISSING, find_pointer, get_at, join_pointer, pointer_tokens
from .refs import EXAMPLE, NORMAL, SECTION_OF, collect_refs, deep_copy

_HTTP_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_INLINES = 10_000


@dataclass
class SourceFile:
    """One parsed file taking part in the bundle (the root or a ref target)."""

    key: str  # absolute path or URL without fragment: the file's identity
    display: str  # how messages name it
    data: Any
    locator: Locator
    shared: bool = False  # YAML aliases may share sub-trees

    @property
    def is_url(self) -> bool:
        return is_url(self.key)


@dataclass
class BundleResult:
    """What bundling hands back besides the (mutated) root data."""

    origins: dict[str, tuple[SourceFile, str]] = field(default_factory=dict)


class Bundler:
    """Single-use: ``Bundler(...).run()`` mutates the root data in place."""

    def __init__(
        self,
        root: SourceFile,
        *,
        allow_outside_refs: bool,
        allow_remote_refs: bool,
        timeout: float,
    ) -> None:
        self.root = root
        self.data: dict[str, Any] = root.data
        self.allow_outside_refs = allow_outside_refs
        self.allow_remote_refs = allow_remote_refs
        self.timeout = timeout
        self.files: dict[str, SourceFile] = {root.key: root}
        self.targets: dict[tuple[str, str], str] = {}
        self.origins: dict[str, tuple[SourceFile, str]] = {}
        self.inlines: dict[tuple[str, str], int] = {}
        self.holders: list[dict[str, Any]] = []
        self.root_dir = "" if root.is_url else str(Path(root.key).parent)
        # id(component object) -> its pointer, for `components/schemas/Pet: {$ref: pet.yaml}`
        self._root_components: dict[int, str] = {}
        components = self.data.get("components")
        if isinstance(components, dict):
            for section, entries in components.items():
                if isinstance(entries, dict):
                    for name, value in entries.items():
                        if isinstance(value, dict):
                            self._root_components[id(value)] = join_pointer(
                                ("components", section, name)
                            )

    # -- locating -----------------------------------------------------------------------------

    def locate(self, pointer: str) -> str | None:
        """``file:line`` of a root pointer, mapped back into the file a bundled part came from."""
        return self.locator()(pointer)

    def locator(self) -> Locator:
        """:meth:`locate` as a function that keeps only the files' locators, not their parsed
        trees, so the document's tree can be let go once the IR is built."""
        origins = {
            probe: (source.locator, original) for probe, (source, original) in self.origins.items()
        }
        root = self.root.locator

        def locate(pointer: str) -> str | None:
            if origins:
                probe = pointer
                while True:
                    origin = origins.get(probe)
                    if origin is not None:
                        locator, original = origin
                        return locator(original + pointer[len(probe) :])
                    cut = probe.rfind("/")
                    if cut <= 1:
                        break
                    probe = probe[:cut]
            return root(pointer)

        return locate

    def _fail(self, message: str, holder: dict[str, Any]) -> ApigenError:
        where = find_pointer(self.data, holder)
        pointer = f"{where}/$ref" if where else None
        location = self.locate(pointer) if pointer else None
        return ApigenError(message, pointer=pointer, location=location or self.root.display)

    # -- files --------------------------------------------------------------------------------

    def _open(self, base: SourceFile, uri: str, holder: dict[str, Any]) -> SourceFile:
        """The file ``uri`` (relative to ``base``) names, read once, subject to the ref policy."""
        ref = holder["$ref"]
        if base.is_url or is_url(uri):
            target = normalised(urljoin(base.key, uri))
            if not is_url(target):
                raise self._fail(f"$ref {ref!r}: unsupported URL scheme", holder)
            reason = self._remote_refusal(target)
            if reason is not None:
                raise self._fail(f"remote $ref {ref!r} is not fetched: {reason}", holder)
            if target not in self.files:
                try:
                    raw = fetch_url(target, timeout=self.timeout, redirects=self._remote_refusal)
                except ApigenError as exc:
                    raise self._fail(f"$ref {ref!r}: {exc.message}", holder) from None
                self.files[target] = self._parse(raw, target, target)
            return self.files[target]
        scheme = urlsplit(uri).scheme
        if scheme == "file":
            path = Path(url2pathname(urlsplit(uri).path))
        elif len(scheme) > 1:
            raise self._fail(f"$ref {ref!r}: unsupported URL scheme {scheme!r}", holder)
        else:
            path = Path(unquote(uri))
        resolved = (Path(base.key).parent / path).resolve()
        if not self.allow_outside_refs and not resolved.is_relative_to(self.root_dir):
            raise self._fail(
                f"$ref {ref!r} reads outside the spec's folder ({self.root_dir}); "
                "pass allow_outside_refs=True (--allow-outside-refs) to allow it",
                holder,
            )
        key = str(resolved)
        if key not in self.files:
            display = os.path.normpath(os.path.join(os.path.dirname(base.display), str(path)))
            if not resolved.is_file():
                raise self._fail(f"$ref {ref!r}: file {display} does not exist", holder)
            try:
                raw = read_path(resolved, display)
            except ApigenError as exc:
                raise self._fail(f"$ref {ref!r}: {exc.message}", holder) from None
            self.files[key] = self._parse(raw, key, display)
        return self.files[key]

    def _remote_refusal(self, url: str) -> str | None:
        """Why ``url`` (a ref target or a redirect hop) may not be fetched, or ``None``."""
        if self.allow_remote_refs:
            return None if is_url(url) else "only http(s) URLs are fetched"
        if self.root.is_url and inside_folder(self.root.key, url):
            return None
        return (
            f"{url} is outside the spec's folder; pass allow_remote_refs=True "
            "(--allow-remote-refs) to allow it"
        )

    @staticmethod
    def _parse(raw: bytes, key: str, display: str) -> SourceFile:
        data, fmt = parse_bytes(raw, display)
        return SourceFile(
            key,
            display,
            data,
            make_locator(raw, display, fmt),
            shared=fmt == "yaml" and may_share(raw),
        )

    # -- bundling -----------------------------------------------------------------------------

    def _name_for(self, tokens: list[str], source: SourceFile, existing: dict[str, Any]) -> str:
        stem = _UNSAFE_NAME.sub("_", Path(urlsplit(source.key).path).stem) or "external"
        base = _UNSAFE_NAME.sub("_", tokens[-1]) if tokens and tokens[-1] else stem
        base = base.strip("_") or stem
        for candidate in (base, f"{stem}_{base}"):
            if candidate not in existing:
                return candidate
        counter = 2
        while f"{stem}_{base}_{counter}" in existing:
            counter += 1
        return f"{stem}_{base}_{counter}"

    def _section(self, context: str, target: Any) -> str:
        section = SECTION_OF.get(context)
        if section is None:
            looks_like_path_item = isinstance(target, dict) and any(
                m in target and isinstance(target[m], dict) for m in _HTTP_METHODS
            )
            section = "pathItems" if looks_like_path_item else "schemas"
        return section

    def _bundle(
        self, holder: dict[str, Any], context: str, source: SourceFile, queue: deque[Any]
    ) -> None:
        """Resolve one external (or non-root local) ref by copying its target into the root."""
        ref: str = holder["$ref"]
        uri, _, fragment = ref.partition("#")
        target_file = self._open(source, uri, holder) if uri else source
        tokens = pointer_tokens(fragment)
        if target_file is self.root:  # an external file pointing back into the root
            holder["$ref"] = join_pointer(tokens)
            self._check_local(holder)
            return
        key = (target_file.key, join_pointer(tokens))
        known = self.targets.get(key)
        if known is not None:
            holder["$ref"] = known
            return
        target = get_at(target_file.data, tokens)
        if target is MISSING:
            raise self._fail(f"$ref target {ref!r} does not exist in {target_file.display}", holder)
        section = self._section(context, target)
        copy = deep_copy(target)
        if section == "pathItems":  # path items are inlined: 3.0 has no components/pathItems
            self.inlines[key] = self.inlines.get(key, 0) + 1
            if self.inlines[key] > _MAX_INLINES or not isinstance(copy, dict):
                raise self._fail(f"$ref {ref!r}: circular or invalid path item reference", holder)
            del holder["$ref"]
            for k, v in copy.items():
                holder.setdefault(k, v)
            self._enqueue(holder, "pathItems", source=target_file, queue=queue, mode=NORMAL)
            return
        own = self._root_components.get(id(holder))
        if own is not None and len(holder) == 1 and own.split("/")[2] == section:
            pointer = own  # `components/schemas/Pet: {$ref: pet.yaml}`: Pet *is* the target
            holder.clear()
            if isinstance(copy, dict):
                holder.update(copy)
                copy = holder
            else:
                raise self._fail(f"$ref target {ref!r} is not an object", holder)
        else:
            components = self.data.setdefault("components", {})
            entries = components.setdefault(section, {})
            name = self._name_for(tokens, target_file, entries)
            entries[name] = copy
            pointer = join_pointer(("components", section, name))
            holder["$ref"] = pointer
        self.targets[key] = pointer
        self.origins[pointer] = (target_file, join_pointer(tokens))
        self._enqueue(
            copy,
            section,
            source=target_file,
            queue=queue,
            mode=EXAMPLE if section == "examples" else NORMAL,
        )

    def _enqueue(
        self, node: Any, context: str, *, source: SourceFile, queue: deque[Any], mode: int
    ) -> None:
        for holder, ctx in collect_refs(node, context, mode, shared=source.shared):
            queue.append((holder, ctx, source))

    def _check_local(self, holder: dict[str, Any]) -> None:
        """A root-local ref must hit something; ``#/$defs/X`` may mean the enclosing schema's."""
        self.holders.append(holder)
        ref: str = holder["$ref"]
        tokens = pointer_tokens(ref)
        if get_at(self.data, tokens) is not MISSING:
            return
        if tokens and tokens[0] in ("$defs", "definitions"):
            where = find_pointer(self.data, holder)
            if where is not None:
                ancestors = pointer_tokens(where)
                while ancestors:
                    ancestors.pop()
                    if get_at(self.data, ancestors + tokens) is not MISSING:
                        holder["$ref"] = join_pointer(ancestors + tokens)
                        return
        raise self._fail(f"$ref target {ref!r} does not exist", holder)

    def run(self) -> BundleResult:
        """Bundle, check local refs, refuse pure ref cycles."""
        queue: deque[tuple[dict[str, Any], str, SourceFile]] = deque()
        self._enqueue(self.data, "", source=self.root, queue=queue, mode=NORMAL)
        # `components/schemas/Pet: {$ref: pet.yaml}` first, so the target takes the name "Pet"
        own = [site for site in queue if id(site[0]) in self._root_components]
        if own:
            rest = [site for site in queue if id(site[0]) not in self._root_components]
            queue = deque(own + rest)
        while queue:
            holder, context, source = queue.popleft()
            ref = holder.get("$ref")
            if not isinstance(ref, str):
                continue  # an inlined path item that no longer is a ref
            if source is self.root and ref.startswith("#"):
                self._check_local(holder)
            else:
                self._bundle(holder, context, source, queue)
                if "$ref" in holder:
                    self.holders.append(holder)
        self._check_chains()
        return BundleResult(origins=self.origins)

    def _check_chains(self) -> None:
        """Refuse refs that only lead to other refs in a circle where an operation needs them:
        nothing could ever be generated. A circle among components nothing outside
        ``#/components`` reaches is left to the IR, which degrades it to Any with a warning."""
        settled: set[str] = set()
        used: set[str] | None = None
        for holder in self.holders:
            chain: list[str] = []
            current = holder["$ref"]
            while current not in settled:
                if current in chain:
                    cycle = chain[chain.index(current) :]
                    used = self._used_pointers() if used is None else used
                    if used.isdisjoint(cycle):
                        break
                    where = find_pointer(self.data, holder)
                    if where in cycle:  # start the story at the ref being reported
                        cycle = cycle[cycle.index(where) :] + cycle[: cycle.index(where)]
                    pointer = f"{where}/$ref" if where else None
                    raise ApigenError(
                        "circular $ref chain: "
                        + " → ".join([*cycle, cycle[0]])
                        + " (the refs only point at each other)",
                        pointer=pointer,
                        location=self.locate(pointer) if pointer else self.root.display,
                    )
                chain.append(current)
                node = get_at(self.data, pointer_tokens(current))
                nxt = node.get("$ref") if isinstance(node, dict) else None
                if not isinstance(nxt, str) or not nxt.startswith("#"):
                    break
                current = nxt
            settled.update(chain)

    def _used_pointers(self) -> set[str]:
        """The local ref targets reachable from outside ``#/components`` (paths, webhooks),
        following refs transitively; iterative, and each node is visited once."""
        used: set[str] = set()
        stack: list[Any] = [v for k, v in self.data.items() if k != "components"]
        seen: set[int] = set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            if isinstance(node, dict):
                ref = node.get("$ref")
                if isinstance(ref, str) and ref.startswith("#") and ref not in used:
                    used.add(ref)
                    target = get_at(self.data, pointer_tokens(ref))
                    if target is not MISSING:
                        stack.append(target)
                stack.extend(node.values())
            elif isinstance(node, list):
                stack.extend(node)
        return used
