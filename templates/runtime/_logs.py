"""Package logger plus a redaction filter, so no credential reaches any log handler."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping

from typing_extensions import override

__all__ = ["REDACTED", "logger", "redact", "redact_headers", "register_secrets"]

# Named after the generated package (first dotted component), e.g. "parallel_api".
logger = logging.getLogger(__name__.split(".")[0])

REDACTED = "[REDACTED]"

_SENSITIVE_HEADER_HINTS = ("authorization", "cookie", "api-key", "apikey", "token", "secret")

_lock = threading.Lock()
_secrets: frozenset[str] = frozenset()

# Shorter values are not scrubbed from free text: a one-letter "key" would blank that letter in
# every message. Credential-bearing headers are masked whatever the value's length.
MIN_SCRUBBED_LENGTH = 8


def register_secrets(values: Iterable[str]) -> None:
    """Remember credential spellings to scrub; idempotent and thread-safe."""
    global _secrets
    new = {v for v in values if len(v) >= MIN_SCRUBBED_LENGTH}
    if not new or new <= _secrets:
        return
    with _lock:
        _secrets = _secrets | new
    _install_filter()


def redact(text: str) -> str:
    """Replace every registered credential spelling in `text` (longest first)."""
    secrets = _secrets
    if not secrets:
        return text
    for secret in sorted(secrets, key=len, reverse=True):
        if secret in text:
            text = text.replace(secret, REDACTED)
    return text


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Copy of `headers` with credential-bearing values masked (for logs and reprs)."""
    out: dict[str, str] = {}
    for key, value in headers.items():
        lowered = key.lower()
        if any(hint in lowered for hint in _SENSITIVE_HEADER_HINTS):
            out[key] = REDACTED
        else:
            out[key] = redact(value)
    return out


class _RedactingFilter(logging.Filter):
    """Rewrites a record's rendered message when it contains a registered secret."""

    @override
    def filter(self, record: logging.LogRecord) -> bool:
        if not _secrets:
            return True
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record is not ours to fix
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True


_filter = _RedactingFilter()
_installed = False


def _install_filter() -> None:
    # httpx logs full URLs (which may carry an apiKey-in-query) at INFO, so guard its loggers too.
    global _installed
    with _lock:
        if _installed:
            return
        for name in (
            logger.name,
            "httpx",
            "httpcore",
            "httpcore.connection",
            "httpcore.http11",
            "httpcore.http2",
            "httpcore.proxy",
        ):
            logging.getLogger(name).addFilter(_filter)
        _installed = True
