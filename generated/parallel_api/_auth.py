"""Security schemes. They hold only *where* a credential goes, never the credential itself,
so their repr (and anything that prints them) cannot leak it."""

from __future__ import annotations

import base64
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Literal
from urllib.parse import quote, quote_plus

import httpx

__all__ = ["ApiKeyAuth", "Auth", "BasicAuth", "BearerAuth"]


@dataclass(frozen=True)
class ApiKeyAuth:
    """`apiKey` scheme: the raw credential in a named header, query parameter or cookie."""

    name: str
    location: Literal["header", "query", "cookie"] = "header"

    def apply(
        self,
        credential: str,
        headers: MutableMapping[str, str],
        params: MutableMapping[str, str],
        cookies: MutableMapping[str, str],
    ) -> None:
        target = {"header": headers, "query": params, "cookie": cookies}[self.location]
        target[self.name] = credential

    def secret_forms(self, credential: str) -> set[str]:
        """Every spelling of the credential that could end up in a URL or header."""
        encoded = str(httpx.QueryParams({"k": credential})).partition("=")[2]
        return {credential, quote(credential, safe=""), quote_plus(credential), encoded}


@dataclass(frozen=True)
class BearerAuth:
    """`http`/`bearer` scheme: `Authorization: Bearer <credential>`."""

    def apply(
        self,
        credential: str,
        headers: MutableMapping[str, str],
        params: MutableMapping[str, str],
        cookies: MutableMapping[str, str],
    ) -> None:
        headers["Authorization"] = f"Bearer {credential}"

    def secret_forms(self, credential: str) -> set[str]:
        return {credential}


@dataclass(frozen=True)
class BasicAuth:
    """`http`/`basic` scheme; the credential is `"username:password"`."""

    def apply(
        self,
        credential: str,
        headers: MutableMapping[str, str],
        params: MutableMapping[str, str],
        cookies: MutableMapping[str, str],
    ) -> None:
        headers["Authorization"] = f"Basic {_b64(credential)}"

    def secret_forms(self, credential: str) -> set[str]:
        forms = {credential, _b64(credential)}
        password = credential.partition(":")[2]
        if len(password) >= 4:  # too-short passwords would redact unrelated text
            forms.add(password)
        return forms


def _b64(credential: str) -> str:
    return base64.b64encode(credential.encode("utf-8")).decode("ascii")


Auth = ApiKeyAuth | BearerAuth | BasicAuth
