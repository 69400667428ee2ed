"""The generated project's own names: client class, import name, distribution, env prefix.

Each comes from the config when set there, else from the spec's title (``Parallel API`` →
``Parallel``, ``parallel_client``, ``parallel-client``, ``PARALLEL``).
"""

from __future__ import annotations

import re

from ..config import PackageConfig
from ..ir.model import Api
from ..records import record
from .identifiers import class_name, constant_name, module_name, snake_case


@record
class ClientNames:
    client_class: str
    module: str
    """The import name (``parallel_api``)."""
    distribution: str
    env_prefix: str
    """Prefix of the environment variables the client reads (``PARALLEL_API_KEY``)."""


def client_names(api: Api, package: PackageConfig) -> ClientNames:
    """Run after the schemas are named: a client class named from the title yields to a type of
    the same name (``api.video`` and its ``Video`` model give the client ``VideoClient``), since
    ``_client.py`` imports the types its root methods use."""
    client = package.client or _client_from_title(api.title)
    module = package.module or module_name(snake_case(client) + "_client")
    if not package.client:
        taken = {n for named in api.schemas for n in (named.name, named.request_name) if n}
        if client in taken or "Async" + client in taken:
            client += "Client"
    return ClientNames(
        client_class=client,
        module=module,
        distribution=package.distribution or module.replace("_", "-"),
        env_prefix=package.env_prefix or constant_name(client),
    )


def _client_from_title(title: str) -> str:
    """The title without the words every API has (``API``, ``OpenAPI``, ``client``, ``service``)."""
    words = re.sub(r"(?i)\b(open\s*)?api\b|\bclient\b|\bservice\b", " ", title)
    name = class_name(words) if words.strip() else ""
    return name if name and name != "Model" else "Api"
