"""Reading raw spec bytes from a path or an http(s) URL, with a timeout and a size cap."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import ApigenError

MAX_BYTES = 256 * 1024 * 1024  # no real spec is this large; refuse instead of exhausting memory


def is_url(source: str) -> bool:
    """Only http(s) counts: ``C:\\spec.yaml`` or ``file.yaml`` are paths."""
    return urlsplit(source).scheme in ("http", "https")


def fetch_url(url: str, *, timeout: float) -> bytes:
    """GET ``url``; every network/HTTP failure becomes an :class:`ApigenError` naming the URL."""
    request = urllib.request.Request(url, headers={"User-Agent": "apigen", "Accept": "*/*"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise ApigenError(
            f"cannot fetch spec: HTTP {exc.code} {exc.reason}", location=url
        ) from None
    except urllib.error.URLError as exc:
        raise ApigenError(f"cannot fetch spec: {exc.reason}", location=url) from None
    except TimeoutError:
        raise ApigenError(
            f"cannot fetch spec: timed out after {timeout:g}s", location=url
        ) from None
    except OSError as exc:
        raise ApigenError(f"cannot fetch spec: {exc}", location=url) from None
    if len(data) > MAX_BYTES:
        raise ApigenError(f"spec is larger than {MAX_BYTES} bytes", location=url)
    return data


def read_path(path: Path, display: str) -> bytes:
    """Read a local file; OS errors become an :class:`ApigenError` with the OS reason."""
    try:
        if path.is_dir():
            raise ApigenError("cannot read spec: is a directory", location=display)
        data = path.read_bytes()
    except OSError as exc:
        raise ApigenError(f"cannot read spec: {exc.strerror or exc}", location=display) from None
    if len(data) > MAX_BYTES:
        raise ApigenError(f"spec is larger than {MAX_BYTES} bytes", location=display)
    return data


def read_source(source: str, *, timeout: float) -> bytes:
    """Bytes of ``source`` (URL or path)."""
    if is_url(source):
        return fetch_url(source, timeout=timeout)
    return read_path(Path(source), source)
