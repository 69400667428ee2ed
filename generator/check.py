"""``apigen check``: is the output folder exactly what the spec, config and generator produce?

Fast path first: when the manifest records the same spec hash, config hash and generator
fingerprint as now, and every generated file on disk still has its recorded hash, the output is
what a fresh render would give, so nothing is rendered (a few milliseconds of hashing). Anything
else falls through to the full comparison: render in memory, diff against the disk, and explain
the drift. Nothing is ever written.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .config import ProjectConfig
from .fingerprint import generator_fingerprint
from .paths import spec_label
from .write.manifest import MANIFEST_NAME, Manifest, file_digest

if TYPE_CHECKING:
    from .pipeline import InputPolicy

_EXTERNAL_REF = re.compile(rb"""\$ref['"]?\s*:(?!\s*['"]?#)|\\u0024""")
"""A ``$ref`` that may point outside the root file (or an escape that could spell one): the
spec's hash then does not cover every input, so the fast path is not trusted."""


@dataclass
class Drift:
    """How the output folder differs from a fresh render, and why."""

    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    hand_edited: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    diff: str = ""
    rendered: bool = False
    """Whether the full comparison ran (``False``: the manifest fast path proved it in sync)."""
    notes: list[str] = field(default_factory=list)

    @property
    def in_sync(self) -> bool:
        return not (self.changed or self.missing or self.extra)

    def summary(self) -> str:
        """One line naming every cause: spec, generator/config, hand edits, missing/extra files."""
        if self.in_sync:
            return "in sync"
        parts = list(self.reasons)
        if self.hand_edited:
            parts.append(f"edited by hand: {', '.join(self.hand_edited)}")
        if self.missing:
            parts.append(f"missing: {', '.join(self.missing)}")
        if self.extra:
            parts.append(f"extra: {', '.join(self.extra)}")
        if self.changed:
            parts.append(f"{len(self.changed)} file{'s' if len(self.changed) != 1 else ''} differ")
        return "drift: " + "; ".join(parts) + " (run `apigen generate` to update)"


@dataclass(frozen=True)
class _Inputs:
    spec_bytes: bytes
    spec_sha256: str
    spec_source: str
    config_sha256: str
    fingerprint: str


def check(
    spec: Path,
    config: ProjectConfig,
    out_dir: Path,
    *,
    full: bool = False,
    refs: InputPolicy | None = None,
) -> Drift:
    """Compare ``out_dir`` with what ``spec`` + ``config`` generate (``full``: no fast path)."""
    old = Manifest.read(out_dir)
    inputs = _read_inputs(spec, config)
    if not full and old is not None and inputs is not None and _fast_in_sync(old, inputs, out_dir):
        return Drift()
    return _full_check(spec, config, out_dir, old, refs)


def _read_inputs(spec: Path, config: ProjectConfig) -> _Inputs | None:
    try:
        raw = spec.read_bytes()
    except OSError:
        return None  # the full path reports the error properly
    return _Inputs(
        spec_bytes=raw,
        spec_sha256=hashlib.sha256(raw).hexdigest(),
        spec_source=spec_label(spec, config),
        config_sha256=config.digest(),
        fingerprint=generator_fingerprint(config.formatter),
    )


def _fast_in_sync(old: Manifest, inputs: _Inputs, out_dir: Path) -> bool:
    if (
        not old.generator_fingerprint
        or old.generator_fingerprint != inputs.fingerprint
        or old.spec_sha256 != inputs.spec_sha256
        or old.config_sha256 != inputs.config_sha256
        or old.spec_source != inputs.spec_source
        or _EXTERNAL_REF.search(inputs.spec_bytes)
    ):
        return False
    try:
        if (out_dir / MANIFEST_NAME).read_bytes() != old.to_json().encode():
            return False  # hand-edited manifest: let the full comparison judge it
        for path, digest in old.files.items():
            if file_digest((out_dir / path).read_bytes()) != digest:
                return False
    except OSError:
        return False
    return not _unlisted(out_dir, set(old.files), old)


def _unlisted(out_dir: Path, listed: set[str], manifest: Manifest) -> list[str]:
    """Files inside the generated package folders that apigen did not generate.

    Only folders that hold generated files are searched, and the custom-code area is skipped:
    a ``CHANGELOG.md`` or ``dist/`` beside the package belongs to the maintainer.
    """
    roots = sorted({p.split("/", 1)[0] for p in listed if "/" in p})
    custom = tuple(d.rstrip("/") + "/" for d in manifest.custom_dirs)
    found: list[str] = []
    for root in roots:
        for dirpath, dirnames, filenames in os.walk(out_dir / root):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            rel_dir = Path(dirpath).relative_to(out_dir).as_posix()
            for name in sorted(filenames):
                rel = f"{rel_dir}/{name}"
                if rel not in listed and not rel.startswith(custom) and not name.endswith(".pyc"):
                    found.append(rel)
    return found


def _full_check(
    spec: Path,
    config: ProjectConfig,
    out_dir: Path,
    old: Manifest | None,
    refs: InputPolicy | None = None,
) -> Drift:
    from .pipeline import (  # imported here: the fast path never pays for the renderer
        InputPolicy,
        render,
    )

    generation = render(spec, config, refs=refs or InputPolicy())
    try:
        fresh = generation.files()
        new = generation.manifest
    finally:
        generation.discard()
    drift = Drift(rendered=True)
    chunks: list[str] = []
    for path, data in sorted(fresh.items()):
        target = out_dir / path
        try:
            current = target.read_bytes()
        except OSError:
            drift.missing.append(path)
            continue
        if current == data or (path == MANIFEST_NAME and _same_manifest(current, new)):
            continue
        drift.changed.append(path)
        if old is not None and path in old.files and file_digest(current) != old.files[path]:
            drift.hand_edited.append(path)
        chunks.extend(_unified(path, current, data))
    stale = old.files if old is not None else {}
    drift.extra = sorted(
        {p for p in stale if p not in fresh and (out_dir / p).is_file()}
        | set(_unlisted(out_dir, set(fresh), new))
    )
    drift.diff = "".join(chunks)
    drift.reasons = _reasons(old, new) if not drift.in_sync else []
    if drift.in_sync and old is not None and old.generator_fingerprint != new.generator_fingerprint:
        drift.notes.append(
            "the generator changed but its output did not; `apigen generate` refreshes the manifest"
        )
    return drift


def _same_manifest(current: bytes, new: Manifest) -> bool:
    """Equal up to the generator fingerprint (a cache key: a stale one only costs the fast path)."""
    try:
        parsed = Manifest.from_dict(json.loads(current))
    except ValueError:
        return False
    return parsed is not None and parsed.without_fingerprint() == new.without_fingerprint()


def _reasons(old: Manifest | None, new: Manifest) -> list[str]:
    if old is None:
        return ["no manifest in the output folder (never generated, or not by apigen)"]
    reasons: list[str] = []
    if old.spec_sha256 != new.spec_sha256:
        if old.spec_version != new.spec_version:
            reasons.append(
                "the spec changed since generation "
                f"(info.version {old.spec_version} → {new.spec_version})"
            )
        else:
            reasons.append(
                "the spec changed since generation "
                f"(content only; info.version still {new.spec_version})"
            )
    if old.config_sha256 != new.config_sha256:
        reasons.append("the config changed")
    if old.generator_version != new.generator_version:
        reasons.append(
            f"the generator changed (apigen {old.generator_version} → {new.generator_version})"
        )
    elif old.generator_fingerprint != new.generator_fingerprint:
        reasons.append("the generator changed (its templates or source)")
    return reasons


def _unified(path: str, current: bytes, fresh: bytes) -> list[str]:
    lines = difflib.unified_diff(
        current.decode("utf-8", "replace").splitlines(keepends=True),
        fresh.decode("utf-8", "replace").splitlines(keepends=True),
        fromfile=f"a/{path}",
        tofile=f"b/{path}",
    )
    return [
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    ]
