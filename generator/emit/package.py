"""The package-level view for the templates: the client module, ``__init__``, ``_version`` and
``pyproject.toml``, with spec text already escaped for where it is printed."""

from __future__ import annotations

import json

from ..literals import clean_text, docstring, py_literal
from ..plan.model import AuthPlan, ClientPlan
from ..records import record
from .docs.markdown import md_code
from .imports import import_block, import_lines
from .resources import ResourceView, resource_views, used_names

_AUTH_CLASSES = {"api_key": "ApiKeyAuth", "bearer": "BearerAuth", "basic": "BasicAuth"}
_CLIENT_NAMES = frozenset(
    {
        "os",
        "httpx",
        "cached_property",
        "Mapping",
        "Self",
        "DEFAULT_MAX_RETRIES",
        "AsyncAPIClient",
        "SyncAPIClient",
        "NOT_GIVEN",
        "NotGiven",
        "__version__",
    }
)
"""What ``_client.py.jinja`` uses whatever the spec."""


@record
class TomlStrings:
    """``pyproject.toml`` values as TOML basic strings."""

    distribution: str
    version: str
    description: str
    license: str
    module: str
    mcp_script: str
    """The MCP server's console script (``<distribution>-mcp``), a TOML key."""


def _toml_string(value: str) -> str:
    """A TOML basic string; JSON string escaping is valid TOML escaping."""
    return json.dumps(value, ensure_ascii=True)


@record
class PackageView:
    plan: ClientPlan
    root: ResourceView
    """The client class's own methods and its top-level resources."""
    resources: tuple[ResourceView, ...]
    """Every resource module (sub-resources before their parent)."""

    @property
    def module(self) -> str:
        return self.plan.module

    @property
    def distribution(self) -> str:
        return self.plan.distribution

    @property
    def version(self) -> str:
        return self.plan.version

    @property
    def client_class(self) -> str:
        return self.plan.client_class

    @property
    def async_client_class(self) -> str:
        return self.plan.async_client_class

    @property
    def env_prefix(self) -> str:
        return self.plan.env_prefix

    @property
    def license(self) -> str:
        return self.plan.license

    @property
    def auth(self) -> AuthPlan:
        return self.plan.auth

    @property
    def auth_class(self) -> str:
        return _AUTH_CLASSES.get(self.plan.auth.kind, "")

    @property
    def auth_scheme(self) -> str:
        """The runtime auth object the client passes on (``None`` without credentials)."""
        auth = self.plan.auth
        if auth.kind == "api_key":
            assert auth.param_name is not None and auth.location is not None
            return f"ApiKeyAuth({py_literal(auth.param_name)}, {py_literal(auth.location)})"
        return f"{self.auth_class}()" if self.auth_class else "None"

    @property
    def spec_version_literal(self) -> str:
        return py_literal(self.plan.api.version)

    @property
    def base_url_literal(self) -> str:
        return py_literal(self.plan.base_url)

    @property
    def base_url_env_literal(self) -> str:
        return py_literal(f"{self.plan.env_prefix}_BASE_URL")

    @property
    def auth_env_literal(self) -> str:
        return py_literal(self.plan.auth.env_var)

    @property
    def module_doc(self) -> str:
        text = f"Python client for the {self.plan.title} (spec version {self.plan.api.version})."
        return docstring(text, indent="")[3:-3]

    def client_doc(self, is_async: bool) -> str:
        plan = self.plan
        kind = "Asynchronous" if is_async else "Synchronous"
        text = f"{kind} client for the {plan.title}."
        if plan.auth.kind != "none":
            text += (
                f"\n\nThe credential is read from ``{plan.auth.env_var}`` when "
                f"``{plan.auth.argument}`` is not given."
            )
        if plan.api.description and clean_text(plan.api.description) != plan.title:
            text = clean_text(plan.api.description) + "\n\n" + text
        return docstring(text)

    @property
    def client_imports(self) -> list[str]:
        """Every import of ``_client.py`` but those of the lazily imported resources."""
        names = set(_CLIENT_NAMES) | used_names(self.plan.root.operations)
        if self.plan.root.children:
            names.add("TYPE_CHECKING")
        if self.auth_class:
            names.add(self.auth_class)
            if self.plan.auth.required:
                names.add("APIKeyMissingError")
        if self.plan.timeout is None:
            names.add("DEFAULT_TIMEOUT")  # the runtime's; a configured one is defined in place
        return import_lines(names, "")

    @property
    def client_type_imports(self) -> list[str]:
        """The resource classes ``_client.py`` names in annotations, imported for type checkers
        only (at run time each is imported on first access)."""
        children = [child.exported_from("." + child.module_path) for child in self.root.children]
        return import_block((), children, indent="    ")

    @property
    def client_timeout(self) -> str | None:
        """The configured default timeout as a literal (``600.0``); ``None`` keeps the runtime's."""
        timeout = self.plan.timeout
        return py_literal(float(timeout)) if timeout is not None else None

    @property
    def timeout_seconds(self) -> str:
        """The default timeout for prose (``600``)."""
        timeout = self.plan.timeout
        return f"{timeout:g}" if timeout is not None else "60"

    @property
    def idempotency_header_literal(self) -> str | None:
        header = self.plan.idempotency_header
        return py_literal(header) if header else None

    @property
    def idempotency_header_md(self) -> str | None:
        """The header name for the README (a code span), when one is configured."""
        header = self.plan.idempotency_header
        return md_code(header) if header else None

    @property
    def retry_non_idempotent_literal(self) -> str | None:
        """``"on_status"`` when configured; ``None`` for the runtime's ``"safe"``."""
        policy = self.plan.retry_non_idempotent
        return py_literal(policy) if policy != "safe" else None

    @property
    def retry_count_header_literal(self) -> str | None:
        header = self.plan.retry_count_header
        return py_literal(header) if header else None

    @property
    def retry_count_header_md(self) -> str | None:
        header = self.plan.retry_count_header
        return md_code(header) if header else None

    @property
    def platform_headers_literal(self) -> str | None:
        prefix = self.plan.platform_headers
        return py_literal(prefix) if prefix else None

    @property
    def platform_headers_md(self) -> str | None:
        """The header names sent, as Markdown code (``X-Acme-Lang``, ...)."""
        prefix = self.plan.platform_headers
        if not prefix:
            return None
        names = ("Lang", "OS", "Arch", "Runtime", "Runtime-Version", "Package-Version")
        return ", ".join(md_code(f"{prefix}-{name}") for name in names)

    @property
    def multipart_format_literal(self) -> str | None:
        """``"brackets"`` when configured; ``None`` for the runtime's OpenAPI default."""
        fmt = self.plan.multipart_format
        return py_literal(fmt) if fmt != "openapi" else None

    @property
    def toml(self) -> TomlStrings:
        plan = self.plan
        return TomlStrings(
            distribution=_toml_string(plan.distribution),
            version=_toml_string(plan.version),
            description=_toml_string(" ".join(clean_text(plan.description).split())),
            license=_toml_string(plan.license),
            module=_toml_string(plan.module),
            mcp_script=_toml_string(f"{plan.distribution}-mcp"),
        )


def package_view(plan: ClientPlan) -> PackageView:
    root, resources = resource_views(plan.root)
    return PackageView(plan, root, tuple(resources))
