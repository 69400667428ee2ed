"""The whole generated package as views: client, resources, identity. Pure: no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..config import ProjectConfig
from ..errors import ApigenError
from ..ir.model import Api, SecurityScheme
from ..naming.identifiers import class_name, constant_name, module_name, snake_case
from ..naming.resources import ResourceNode, build_resource_tree
from .literals import clean_text, docstring, py_literal
from .operations import OperationView, build_operation_view
from .types import TypeRenderer

_VERSION = re.compile(r"^\d+(\.\d+)*$")


@dataclass(frozen=True)
class AuthView:
    """How the client authenticates; ``kind`` picks the runtime scheme class."""

    kind: str
    """``api_key``, ``bearer``, ``basic`` or ``none``."""
    argument: str
    env_var: str
    scheme_expr: str
    required: bool
    description: str


@dataclass
class ResourceView:
    node: ResourceNode
    class_name: str
    module_path: str
    """Dotted path below the package (``resources.beta.task_run``)."""
    file_path: str
    dots: str
    """Relative-import prefix that reaches the package root from this module."""
    operations: list[OperationView]
    children: list[ResourceView] = field(default_factory=list)
    imports: list[str] = field(default_factory=list)
    mixin_module: str | None = None
    """Module below ``lib/`` whose mixins this resource inherits (config ``extend``)."""

    def bases(self, is_async: bool) -> str:
        """Base classes: the custom-code mixin first, so its methods sit on the class."""
        prefix = "Async" if is_async else ""
        base = "AsyncAPIResource" if is_async else "SyncAPIResource"
        if self.mixin_module is None:
            return base
        return f"{prefix}{self.class_name}Mixin, {base}"

    @property
    def mixin_import(self) -> str | None:
        if self.mixin_module is None:
            return None
        names = f"Async{self.class_name}Mixin, {self.class_name}Mixin"
        return f"from {self.dots}lib.{self.mixin_module} import {names}"

    @property
    def attr(self) -> str:
        return self.node.attr

    @property
    def doc(self) -> str:
        path = ".".join(self.node.path)
        return docstring(f"Operations under ``client.{path}``.")

    @property
    def relative_import(self) -> str:
        """How the parent's module imports this one (``.task_run`` or ``.beta``)."""
        return "." + self.node.path[-1]

    @property
    def md_path(self) -> str:
        return ".".join(("client", *self.node.path))

    @property
    def async_class_name(self) -> str:
        return "Async" + self.class_name


@dataclass
class PackageView:
    api: Api
    config: ProjectConfig
    distribution: str
    module: str
    client_class: str
    async_client_class: str
    env_prefix: str
    version: str
    base_url: str
    auth: AuthView
    root: ResourceView
    resources: list[ResourceView]
    title: str
    description: str

    @property
    def spec_version(self) -> str:
        return self.api.version

    @property
    def spec_version_literal(self) -> str:
        return py_literal(self.api.version)

    @property
    def base_url_literal(self) -> str:
        return py_literal(self.base_url)

    @property
    def base_url_env_literal(self) -> str:
        return py_literal(f"{self.env_prefix}_BASE_URL")

    @property
    def auth_env_literal(self) -> str:
        return py_literal(self.auth.env_var)

    @property
    def client_timeout(self) -> str | None:
        """The configured default timeout as a literal (``600.0``); None keeps the runtime's."""
        timeout = self.config.client.timeout
        return py_literal(float(timeout)) if timeout is not None else None

    @property
    def timeout_seconds(self) -> str:
        """The default timeout for prose (``600``)."""
        timeout = self.config.client.timeout
        return f"{timeout:g}" if timeout is not None else "60"

    @property
    def client_idempotency_header(self) -> str | None:
        header = self.config.client.idempotency_header
        return py_literal(header) if header else None

    @property
    def client_multipart_format(self) -> str:
        return self.config.client.multipart_format

    @property
    def auth_import(self) -> str:
        return {"api_key": "ApiKeyAuth", "bearer": "BearerAuth", "basic": "BasicAuth"}.get(
            self.auth.kind, "Auth"
        )

    @property
    def module_doc(self) -> str:
        return docstring(
            f"Python client for the {self.title} (spec version {self.api.version}).", indent=""
        )[3:-3]

    def client_doc(self, is_async: bool) -> str:
        kind = "Asynchronous" if is_async else "Synchronous"
        text = f"{kind} client for the {self.title}."
        if self.auth.kind != "none":
            text += f"\n\nThe credential is read from ``{self.auth.env_var}`` when ``{self.auth.argument}`` is not given."
        if self.api.description and clean_text(self.api.description) != self.title:
            text = clean_text(self.api.description) + "\n\n" + text
        return docstring(text)

    @property
    def resources_with_root(self) -> list[ResourceView]:
        return [self.root, *self.resources]


def package_version(api_version: str, config: ProjectConfig) -> str:
    """PEP 440 version from the spec's ``info.version`` plus the generator's ``post`` counter."""
    if config.package.version:
        return config.package.version
    base = api_version.strip().lstrip("vV")
    if not _VERSION.match(base):
        numbers = re.findall(r"\d+", base)
        base = ".".join(numbers[:3]) if numbers else "0.0.0"
    return f"{base}.post{config.package.post}" if config.package.post else base


def _client_name(api: Api) -> str:
    words = re.sub(r"(?i)\b(open\s*)?api\b|\bclient\b|\bservice\b", " ", api.title)
    name = class_name(words) if words.strip() else ""
    return name if name and name != "Model" else "Api"


def build_package(api: Api, config: ProjectConfig) -> PackageView:
    client = config.package.client or _client_name(api)
    module = config.package.module or module_name(snake_case(client) + "_client")
    distribution = config.package.distribution or module.replace("_", "-")
    env_prefix = config.package.env_prefix or constant_name(client)
    tree = build_resource_tree(api.operations, config.resources)
    resources: list[ResourceView] = []
    root = _resource_views(api, config, tree, resources)
    _attach_mixins(resources, config)
    return PackageView(
        api=api,
        config=config,
        distribution=distribution,
        module=module,
        client_class=client,
        async_client_class="Async" + client,
        env_prefix=env_prefix,
        version=package_version(api.version, config),
        base_url=api.servers[0].url if api.servers else "http://localhost",
        auth=_auth(api, env_prefix),
        root=root,
        resources=resources,
        title=clean_text(api.title),
        description=config.package.description or f"Python client for the {clean_text(api.title)}.",
    )


def _resource_views(
    api: Api, config: ProjectConfig, node: ResourceNode, out: list[ResourceView]
) -> ResourceView:
    request = TypeRenderer(api, "request")
    response = TypeRenderer(api, "response")
    operations = [
        build_operation_view(
            api,
            binding.operation,
            binding.name,
            binding.alias_of,
            request,
            response,
            config.call_defaults(node.path + (binding.name,)),
            config.renames(node.path + (binding.name,)),
        )
        for binding in node.methods
    ]
    if node.path:
        has_children = bool(node.children)
        parts = list(node.path)
        file_path = "resources/" + "/".join(parts) + ("/__init__.py" if has_children else ".py")
        depth = len(parts) + (1 if has_children else 0)
        module_path = "resources." + ".".join(parts)
    else:
        file_path, depth, module_path = "_client.py", 0, "_client"
    view = ResourceView(
        node=node,
        class_name=node.class_name or "Client",
        module_path=module_path,
        file_path=file_path,
        dots="." * (depth + 1),
        operations=operations,
    )
    view.children = [
        _resource_views(api, config, node.children[name], out) for name in sorted(node.children)
    ]
    view.imports = _imports(api, view, request, response)
    if node.path:
        out.append(view)
    return view


def _attach_mixins(resources: list[ResourceView], config: ProjectConfig) -> None:
    by_path = {".".join(view.node.path): view for view in resources}
    for path, module in sorted(config.extend.items()):
        view = by_path.get(path)
        if view is None:
            raise ApigenError(
                f"config 'extend' names an unknown resource {path!r}", pointer=f"extend/{path}"
            )
        view.mixin_module = module


def _imports(
    api: Api, view: ResourceView, request: TypeRenderer, response: TypeRenderer
) -> list[str]:
    """Exactly the names this module uses, so the output is clean under ruff's F401."""
    used = request.used | response.used
    ops = view.operations
    streams = any(op.stream_item for op in ops)
    overloads = any(op.stream_flag for op in ops)
    queries = any(arg.location == "query" for op in ops for arg in op.arguments)
    casts = any(op.needs_cast or op.stream_flag for op in ops)
    binary = any(op.returns == "BinaryResponse" for op in ops)
    typing_names = sorted(
        ({"Literal"} & used)
        | ({"Literal", "overload"} if overloads else set())
        | ({"cast"} if casts else set())
    )
    abc_names = sorted({"Mapping", "Sequence"} & used)
    lines: list[str] = []
    if abc_names:
        lines.append(f"from collections.abc import {', '.join(abc_names)}")
    if typing_names:
        lines.append(f"from typing import {', '.join(typing_names)}")
    if {"date", "datetime"} & used:
        lines.append("from datetime import " + ", ".join(sorted({"date", "datetime"} & used)))
    if ops:
        lines.append("import httpx")
    dots = view.dots
    runtime: list[tuple[str, list[str]]] = [
        ("_resource", ["AsyncAPIResource", "SyncAPIResource"]),
        (
            "_response",
            (
                [
                    "async_to_raw_response_wrapper",
                    "async_to_streamed_response_wrapper",
                    "to_raw_response_wrapper",
                    "to_streamed_response_wrapper",
                ]
                if ops
                else []
            )
            + (["AsyncBinaryResponse", "BinaryResponse"] if binary else []),
        ),
        (
            "_types",
            (["NOT_GIVEN", "Body", "Headers", "NotGiven", "Query"] if ops else [])
            + (["FileTypes"] if "FileTypes" in used else []),
        ),
        ("_base_client", ["RequestOptions"] if ops else []),
        ("_qs", ["QueryParam"] if queries else []),
        ("_streaming", ["AsyncStream", "Stream"] if streams else []),
    ]
    for module, names in runtime:
        if names:
            lines.append(f"from {dots}{module} import {', '.join(sorted(names, key=str.lower))}")
    type_names = {api.schema(key).name for key in response.refs}
    type_names |= {api.schema(key).request_name or api.schema(key).name for key in request.refs}
    if type_names:
        lines.append(f"from {dots}types import {', '.join(sorted(type_names))}")
    return lines


def _auth(api: Api, env_prefix: str) -> AuthView:
    schemes = {scheme.name: scheme for scheme in api.security_schemes}
    candidates = [schemes[name] for name in api.security if name in schemes]
    if not candidates:
        used = {name for op in api.operations for name in (op.security or ())}
        candidates = [schemes[name] for name in sorted(used) if name in schemes]
    required = bool(api.security)
    for scheme in candidates:
        view = _auth_for(scheme, env_prefix, required)
        if view is not None:
            return view
    return AuthView("none", "", "", "None", False, "")


def _auth_for(scheme: SecurityScheme, env_prefix: str, required: bool) -> AuthView | None:
    description = scheme.description or ""
    if (
        scheme.type == "apiKey"
        and scheme.param_name
        and scheme.location in ("header", "query", "cookie")
    ):
        expr = f"ApiKeyAuth({py_literal(scheme.param_name)}, {py_literal(scheme.location)})"
        return AuthView("api_key", "api_key", f"{env_prefix}_API_KEY", expr, required, description)
    if scheme.type == "http" and scheme.scheme == "basic":
        return AuthView(
            "basic", "api_key", f"{env_prefix}_API_KEY", "BasicAuth()", required, description
        )
    if scheme.type in ("http", "oauth2", "openIdConnect"):
        return AuthView(
            "bearer", "api_key", f"{env_prefix}_API_KEY", "BearerAuth()", required, description
        )
    return None


__all__ = ["PackageView", "ResourceView", "build_package", "docstring", "package_version"]


def _toml_string(value: str) -> str:
    """A TOML basic string; JSON string escaping is valid TOML escaping."""
    import json

    return json.dumps(value, ensure_ascii=True)


def _md_inline(text: str) -> str:
    """Spec text safe inside Markdown prose: HTML and code markers escaped, one line."""
    text = " ".join(clean_text(text).split())
    for ch in "\\`*_[]<>|#":
        text = text.replace(ch, "\\" + ch)
    return text


@dataclass(frozen=True)
class _Strings:
    """Attribute bag for template access to pre-escaped strings."""

    values: dict[str, str]

    def __getattr__(self, name: str) -> str:
        try:
            return self.values[name]
        except KeyError:
            raise AttributeError(name) from None


def _pkg_toml(pkg: PackageView) -> _Strings:
    return _Strings(
        {
            "distribution": _toml_string(pkg.distribution),
            "version": _toml_string(pkg.version),
            "description": _toml_string(" ".join(clean_text(pkg.description).split())),
            "license": _toml_string(pkg.config.package.license),
            "module": _toml_string(pkg.module),
        }
    )


def _pkg_md(pkg: PackageView) -> _Strings:
    return _Strings({"title": _md_inline(pkg.title), "spec_version": _md_inline(pkg.api.version)})


PackageView.toml = property(_pkg_toml)  # type: ignore[attr-defined]
PackageView.md = property(_pkg_md)  # type: ignore[attr-defined]
