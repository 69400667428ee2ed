"""The package version: the spec's ``info.version`` made a PEP 440 version, by one fixed rule.

1. Surrounding spaces and one leading ``v``/``V`` are dropped.
2. Dotted numbers (``1``, ``2.0``, ``9.66.02.1023``) are used as written.
3. Any other PEP 440 version keeps its release and pre-release in canonical form
   (``1.0.0-beta.1`` → ``1.0.0b1``, ``2.0-RC1`` → ``2.0rc1``); post, dev and local parts are
   dropped (``1.0.post2`` → ``1.0``, ``1.0+abc`` → ``1.0``).
4. Anything else becomes its first three runs of digits joined by dots (``0.1.2-mod`` → ``0.1.2``,
   ``2023-10-16`` → ``2023.10.16``), or ``0.0.0`` when it has none (``unversioned``).

Then ``package.post`` in ``apigen.yaml`` (the generator's own release counter) is appended as
``.postN``. A pinned ``package.version`` replaces all of this. Rules 3 and 4 lose information when
they drop something, and :func:`version_note` says so, because two different spec versions can
then map to one package version.
"""

from __future__ import annotations

import re

from packaging.version import InvalidVersion, Version

from .config import ProjectConfig

_DOTTED = re.compile(r"^\d+(\.\d+)*$")


def _stripped(api_version: str) -> str:
    text = api_version.strip()
    return text[1:] if text[:1] in ("v", "V") else text


def release_version(api_version: str) -> str:
    """Rules 1-4 of the module docstring: the release part of the package version."""
    base = _stripped(api_version)
    if _DOTTED.match(base):
        return base
    try:
        parsed = Version(base)
    except InvalidVersion:
        numbers = re.findall(r"\d+", base)
        return ".".join(numbers[:3]) if numbers else "0.0.0"
    release = ".".join(str(n) for n in parsed.release)
    pre = f"{parsed.pre[0]}{parsed.pre[1]}" if parsed.pre else ""
    return f"{parsed.epoch}!{release}{pre}" if parsed.epoch else f"{release}{pre}"


def package_version(api_version: str, config: ProjectConfig) -> str:
    """The PEP 440 package version for a spec's ``info.version`` under ``config``."""
    if config.package.version:
        return config.package.version
    base = release_version(api_version)
    return f"{base}.post{config.package.post}" if config.package.post else base


def version_note(api_version: str) -> str | None:
    """Why the package version does not carry all of ``info.version``, or ``None`` when it does."""
    base = _stripped(api_version)
    release = release_version(api_version)
    try:
        if Version(release) == Version(base):
            return None
    except InvalidVersion:
        pass
    return (
        f"info.version {api_version!r} is not a plain PEP 440 release; the package is versioned "
        f"{release} (set package.version in apigen.yaml to choose the version)"
    )
