"""The stage-1 entry point: read → parse → version check → bundle → check → :class:`Document`.

Only this stage touches the file system or the network for input. Each step lives in its own
module (``fetch``, ``parse``, ``bundle``, ``validate``, ``locate``); this one only sequences them.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import ApigenError, SpecWarning
from .bundle import Bundler, SourceFile
from .document import Document
from .fetch import is_url, read_source
from .locate import make_locator
from .parse import may_share, parse_bytes
from .validate import check_structure, check_version, full_validation

#: With ``validate=None`` the full openapi-spec-validator pass runs for specs up to this size.
AUTO_VALIDATE_MAX_BYTES = 512 * 1024


def load_spec(
    source: str | Path,
    *,
    validate: bool | None = False,
    allow_outside_refs: bool = False,
    allow_remote_refs: bool = False,
    timeout: float = 30.0,
) -> Document:
    """Read, parse, bundle and check an OpenAPI 3.0/3.1 document.

    ``validate``: ``True`` adds full openapi-spec-validator validation (findings become
    warnings), ``None`` does so only for specs up to :data:`AUTO_VALIDATE_MAX_BYTES`.
    ``allow_outside_refs`` lets ``$ref`` read files outside the spec's folder;
    ``allow_remote_refs`` lets it fetch http(s) URLs. ``timeout`` bounds each network read.
    Raises :class:`ApigenError` for anything that makes generation impossible.
    """
    name = str(source)
    raw = read_source(name, timeout=timeout)
    data, fmt = parse_bytes(raw, name)
    if data is None:
        raise ApigenError("spec is empty", location=name)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"a {type(data).__name__}"
        raise ApigenError(
            f"not an OpenAPI document: the top level is {kind}, not a mapping", location=name
        )
    warnings: list[SpecWarning] = []
    version = check_version(data, warnings, name)
    key = name if is_url(name) else str(Path(name).resolve())
    root = SourceFile(
        key, name, data, make_locator(raw, name, fmt), shared=fmt == "yaml" and may_share(raw)
    )
    bundler = Bundler(
        root,
        allow_outside_refs=allow_outside_refs,
        allow_remote_refs=allow_remote_refs,
        timeout=timeout,
    )
    bundler.run()
    locate = bundler.locator()
    warnings.extend(check_structure(data, version, locate, name))
    if validate or (validate is None and len(raw) <= AUTO_VALIDATE_MAX_BYTES):
        warnings.extend(full_validation(data, version))
    return Document(
        data=data,
        source=name,
        sha256=hashlib.sha256(raw).hexdigest(),
        openapi_version=version,
        self_contained=len(bundler.files) == 1,
        locator=locate,
        warnings=tuple(warnings),
    )
