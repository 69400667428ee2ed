"""``.apigen-manifest.json``: what produced the output and a hash of every generated file."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import field, replace
from pathlib import Path
from typing import Any

from ..records import record

MANIFEST_NAME = ".apigen-manifest.json"


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_digest(path: str | os.PathLike[str]) -> str:
    """:func:`file_digest` of a file, read in pieces (``api.md`` is 63 MB on Microsoft Graph)
    with plain ``os.read``: half the cost of ``Path.read_bytes`` on a thousand small files,
    which is most of what ``apigen check`` does when the tree is in sync."""
    digest = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        while piece := os.read(fd, _PIECE):
            digest.update(piece)
    finally:
        os.close(fd)
    return digest.hexdigest()


_PIECE = 1 << 20


@record
class Manifest:
    """Deterministic (no timestamps): regenerating the same inputs gives the same bytes."""

    generator_version: str
    generator_fingerprint: str
    """Hash of the generator's source, templates and formatter (see ``generator.fingerprint``)."""
    spec_source: str
    spec_version: str
    spec_sha256: str
    config_sha256: str
    package_version: str
    files: dict[str, str] = field(default_factory=dict)
    """Relative path → sha256 of every generated file (the custom-code area excluded)."""
    custom_dirs: tuple[str, ...] = ()
    methods: dict[str, str] = field(default_factory=dict)
    """``"METHOD /path"`` → the dotted method path that calls it (``files.list``): what the next
    generation compares to report renamed methods."""
    spec_self_contained: bool = False
    """The spec's root file was its only input (no ``$ref`` to another file or URL), so its
    hash alone says whether the input changed. Written only when true (older manifests lack
    it and read back byte-identically)."""

    def to_json(self) -> str:
        data: dict[str, Any] = {
            "generator": {
                "name": "apigen",
                "version": self.generator_version,
                "fingerprint": self.generator_fingerprint,
            },
            "spec": {
                "source": self.spec_source,
                "version": self.spec_version,
                "sha256": self.spec_sha256,
                **({"self_contained": True} if self.spec_self_contained else {}),
            },
            "config_sha256": self.config_sha256,
            "package_version": self.package_version,
            "custom_code": list(self.custom_dirs),
            "files": dict(sorted(self.files.items())),
        }
        if self.methods:
            data["methods"] = dict(sorted(self.methods.items()))
        return json.dumps(data, indent=2, sort_keys=False, ensure_ascii=True) + "\n"

    @classmethod
    def read(cls, folder: Path) -> Manifest | None:
        """The manifest in ``folder``, or ``None`` when absent or unreadable."""
        try:
            data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
            return cls.from_dict(data)
        except (OSError, ValueError):
            return None

    @classmethod
    def from_dict(cls, data: Any) -> Manifest | None:
        """Parse the JSON form; ``None`` when it is not a manifest."""
        try:
            return cls(
                generator_version=str(data["generator"]["version"]),
                generator_fingerprint=str(data["generator"].get("fingerprint", "")),
                spec_source=str(data["spec"]["source"]),
                spec_version=str(data["spec"]["version"]),
                spec_sha256=str(data["spec"]["sha256"]),
                config_sha256=str(data["config_sha256"]),
                package_version=str(data.get("package_version", "")),
                files={str(k): str(v) for k, v in data["files"].items()},
                custom_dirs=tuple(str(d) for d in data.get("custom_code", ())),
                methods={str(k): str(v) for k, v in data.get("methods", {}).items()},
                spec_self_contained=data["spec"].get("self_contained") is True,
            )
        except (KeyError, TypeError, AttributeError):
            return None

    def without_fingerprint(self) -> Manifest:
        """The manifest as compared by ``check``: the fingerprint and the self-contained mark
        are what the fast path trusts, not output (a manifest from before either still
        matches)."""
        return replace(self, generator_fingerprint="", spec_self_contained=False)
