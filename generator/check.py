"""``apigen check``: regenerate in memory and compare with the output folder (no writes)."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from .config import ProjectConfig
from .pipeline import render
from .write.manifest import MANIFEST_NAME, Manifest, file_digest


@dataclass
class Drift:
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)
    hand_edited: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    diff: str = ""

    @property
    def in_sync(self) -> bool:
        return not (self.changed or self.missing or self.extra)

    def summary(self) -> str:
        if self.in_sync:
            return "in sync"
        parts = []
        if self.reasons:
            parts.append("; ".join(self.reasons))
        if self.hand_edited:
            parts.append(f"edited by hand: {', '.join(self.hand_edited)}")
        if self.changed:
            parts.append(f"{len(self.changed)} changed")
        if self.missing:
            parts.append(f"missing: {', '.join(self.missing)}")
        if self.extra:
            parts.append(f"extra: {', '.join(self.extra)}")
        return "drift: " + "; ".join(parts)


def check(spec: Path, config: ProjectConfig, out_dir: Path) -> Drift:
    generation = render(spec, config)
    try:
        fresh = generation.files()
        new = generation.manifest
    finally:
        generation.discard()
    old = Manifest.read(out_dir)
    drift = Drift()
    if old is None:
        drift.reasons.append(f"no manifest in {out_dir}")
    else:
        if old.spec_sha256 != new.spec_sha256:
            drift.reasons.append(f"the spec changed since generation ({old.spec_version} → {new.spec_version})")
        if old.generator_version != new.generator_version or old.config_sha256 != new.config_sha256:
            drift.reasons.append("the generator or its config changed")
    diff_chunks: list[str] = []
    for path, data in sorted(fresh.items()):
        target = out_dir / path
        if not target.is_file():
            drift.missing.append(path)
            continue
        current = target.read_bytes()
        if current == data:
            continue
        drift.changed.append(path)
        if old is not None and path in old.files and file_digest(current) != old.files[path] and path != MANIFEST_NAME:
            drift.hand_edited.append(path)
        diff_chunks.extend(
            difflib.unified_diff(
                current.decode("utf-8", "replace").splitlines(keepends=True),
                data.decode("utf-8", "replace").splitlines(keepends=True),
                fromfile=f"a/{path}",
                tofile=f"b/{path}",
            )
        )
    if old is not None:
        drift.extra = sorted(p for p in old.files if p not in fresh and (out_dir / p).exists())
    drift.diff = "".join(diff_chunks)
    return drift
