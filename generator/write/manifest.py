"""``.apigen-manifest.json``: what produced the output and a hash of every generated file."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

MANIFEST_NAME = ".apigen-manifest.json"


def file_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def path_digest(path: Path) -> str:
    """:func:`file_digest` of a file, read in pieces (``api.md`` is 63 MB on Microsoft Graph)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while piece := stream.read(_PIECE):
            digest.update(piece)
    return digest.hexdigest()


_PIECE = 1 << 20


@dataclass(frozen=True)
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
            )
        except (KeyError, TypeError, AttributeError):
            return None

    def without_fingerprint(self) -> Manifest:
        """The manifest as compared by ``check``: the fingerprint is a cache key, not output."""
        return replace(self, generator_fingerprint="")
