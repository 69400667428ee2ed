"""The project config (``apigen.yaml``): package identity, upstream URL and naming overrides."""

from __future__ import annotations

import hashlib
import json
import keyword
import re
from collections.abc import Callable
from dataclasses import asdict, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ApigenError
from .pagination import FieldPath, PaginationConfig, StyleKind, StyleRule
from .records import record
from .urls import is_url

CONFIG_FILE = "apigen.yaml"


@record
class PackageConfig:
    """How the generated distribution is named. Empty fields are derived from the spec."""

    distribution: str = ""
    module: str = ""
    client: str = ""
    env_prefix: str = ""
    version: str = ""
    """Pins the package version; empty means the spec's ``info.version`` (plus ``post`` below)."""
    post: int = 0
    """Generator-controlled release counter: ``0.1.2`` → ``0.1.2.post1`` when only apigen
    changed."""
    license: str = "MIT"
    description: str = ""


@record
class ReadmeExtra:
    """A maintainer-written Markdown file (``readme_extra``) appended to the generated README.

    Its text is read when the config is loaded, so rendering stays a pure function of the config
    and the config's digest (hence ``apigen check``) changes when the file does.
    """

    path: str
    """As written in ``apigen.yaml``, relative to it."""
    text: str

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode()).hexdigest()


@record
class ClientConfig:
    """Runtime behaviour of the generated client (``client:``)."""

    timeout: float | None = None
    """Default timeout in seconds; ``None`` keeps the runtime's (60 s, connect 5 s)."""
    idempotency_header: str = ""
    """Header carrying a key generated once per non-idempotent call and reused on its retries."""
    multipart_format: str = "openapi"
    """``openapi`` (OpenAPI's defaults) or ``brackets`` (``a[]=1``, ``a[b]=2``) for multipart."""
    retry_non_idempotent: str = "safe"
    """Which failed POST/PATCH calls retry: ``safe`` (only failures proving the server did not
    act) or ``on_status`` (also every retryable status: 409 and ≥ 500 too)."""
    retry_count_header: str = ""
    """Header carrying the number of retries before each attempt (``0`` on the first)."""
    platform_headers: str = ""
    """Header prefix under which every call reports language, OS, architecture, runtime and
    package version (``X-Acme`` → ``X-Acme-Lang: python``, ...); empty: none are sent."""


@record
class CallDefaults:
    """Headers and query sent by every method below a resource or method path (``defaults:``)."""

    headers: tuple[tuple[str, str], ...] = ()
    query: tuple[tuple[str, str], ...] = ()


NO_DEFAULTS = CallDefaults()
"""The defaults of a method no ``defaults:`` entry covers: nothing extra is sent."""


@record
class ProjectConfig:
    spec: str = "spec/public-openapi.json"
    output: str = "generated"
    upstream: str = ""
    formatter: str = "ruff"
    package: PackageConfig = field(default_factory=PackageConfig)
    resources: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """``"METHOD /path"`` or operationId → dotted method paths (first = home, rest = aliases)."""
    extend: dict[str, str] = field(default_factory=dict)
    """Resource path (``task_run``) → module under the custom-code ``lib/`` whose
    ``<Class>Mixin``/``Async<Class>Mixin`` the generated resource classes inherit, so hand-written
    methods are part of the class a type checker sees (see the generated ``lib/__init__.py``)."""
    readme_extra: tuple[ReadmeExtra, ...] = ()
    """Trusted Markdown appended to the generated README, in order (before "Versioning")."""
    client: ClientConfig = field(default_factory=ClientConfig)
    defaults: dict[str, CallDefaults] = field(default_factory=dict)
    """Dotted resource or method path (``beta.findall``) → headers/query its calls send; the
    caller's values win, and a header the method also takes as an argument is comma-joined."""
    rename: dict[str, dict[str, str]] = field(default_factory=dict)
    """Dotted resource or method path → {parameter wire name: Python name}."""
    parameters: dict[str, dict[str, str]] = field(default_factory=dict)
    """Dotted method path → {parameter wire name: operation (``"METHOD /path"`` or operationId)
    whose parameter of that name the method also takes} (the spec left it off this one)."""
    returns: dict[str, str] = field(default_factory=dict)
    """Dotted method path → component schema its JSON response is parsed as: one member of a
    union response the spec leaves open (the method is only ever answered with that form)."""
    pagination: PaginationConfig = field(default_factory=PaginationConfig)
    """Page styles for irregular APIs, per operation or API-wide (README: Auto-pagination)."""
    mcp: bool = True
    """Emit the MCP server (``<module>/mcp/``, the ``mcp`` extra and its console script)."""
    root: Path = field(default=Path("."), compare=False)
    file: Path | None = field(default=None, compare=False)
    """The ``apigen.yaml`` this came from; ``None`` for the all-defaults config."""

    def digest(self) -> str:
        """Hash of everything that shapes the output (recorded in the manifest)."""
        data = asdict(self)
        data.pop("root")
        data.pop("file")
        if self.readme_extra:  # by content hash; absent when unused, so older digests still match
            data["readme_extra"] = [{"path": e.path, "sha256": e.sha256} for e in self.readme_extra]
        else:
            data.pop("readme_extra")
        for key, unused in (
            ("client", ClientConfig()),
            ("defaults", {}),
            ("rename", {}),
            ("parameters", {}),
            ("returns", {}),
        ):  # absent when unused, so older digests still match
            if getattr(self, key) == unused:
                data.pop(key)
        # likewise, at their defaults
        for name in ("retry_non_idempotent", "retry_count_header", "platform_headers"):
            if "client" in data and data["client"][name] == getattr(ClientConfig, name):
                data["client"].pop(name)
        if self.pagination == PaginationConfig():  # absent when unused, like readme_extra
            data.pop("pagination")
        if self.mcp:  # absent at its default, so digests from before the switch still match
            data.pop("mcp")
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()

    def path(self, relative: str) -> Path:
        return (self.root / relative).resolve()

    def spec_location(self) -> str | Path:
        """``spec:`` as a URL (kept as text) or as a path resolved against the config's folder."""
        return self.spec if is_url(self.spec) else self.path(self.spec)

    def command_paths(self, spec: str | None, out: str | None) -> tuple[str | Path, Path]:
        """The spec (a URL stays text) and output folder of a command given SPEC and ``-o``."""
        if spec is None:
            source = self.spec_location()
        else:
            source = spec if is_url(spec) else Path(spec)
        return source, Path(out) if out else self.path(self.output)

    def call_defaults(self, method_path: tuple[str, ...]) -> CallDefaults:
        """The ``defaults`` of a method: every enclosing path's, the most specific winning."""
        headers: dict[str, str] = {}
        query: dict[str, str] = {}
        for depth in range(1, len(method_path) + 1):
            found = self.defaults.get(".".join(method_path[:depth]))
            if found is not None:
                headers.update(found.headers)
                query.update(found.query)
        return CallDefaults(tuple(sorted(headers.items())), tuple(sorted(query.items())))

    def renames(self, method_path: tuple[str, ...]) -> dict[str, str]:
        """Parameter wire name → Python name for a method, the most specific path winning."""
        out: dict[str, str] = {}
        for depth in range(1, len(method_path) + 1):
            out.update(self.rename.get(".".join(method_path[:depth]), {}))
        return out


_SAFE_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it: the same documents, ~20× faster to read, which
is most of what an in-sync ``apigen check`` spends after start-up."""


def load_config(path: Path | None) -> ProjectConfig:
    """Read ``apigen.yaml``; ``None`` gives the all-defaults config rooted at the cwd."""
    if path is None:
        return ProjectConfig(root=Path.cwd())
    try:
        raw: Any = yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ApigenError(f"cannot read config: {exc}", location=str(path)) from None
    if not isinstance(raw, dict):
        raise ApigenError("config must be a mapping", location=str(path))
    unknown = set(raw) - {
        "spec",
        "output",
        "upstream",
        "formatter",
        "package",
        "resources",
        "extend",
        "readme_extra",
        "client",
        "defaults",
        "rename",
        "parameters",
        "returns",
        "pagination",
        "mcp",
    }
    if unknown:
        raise ApigenError(f"unknown config keys: {', '.join(sorted(unknown))}", location=str(path))
    package_raw = raw.get("package") or {}
    try:
        package = PackageConfig(**package_raw)
    except TypeError as exc:
        raise ApigenError(f"invalid 'package' section: {exc}", location=str(path)) from None
    resources: dict[str, tuple[str, ...]] = {}
    for key, value in (raw.get("resources") or {}).items():
        targets = [value] if isinstance(value, str) else value
        if (
            not isinstance(targets, list)
            or not all(isinstance(t, str) for t in targets)
            or not targets
        ):
            raise ApigenError(
                f"resources[{key!r}] must be a method path or a list of them", location=str(path)
            )
        resources[str(key)] = tuple(targets)
    extend = _extend_section(raw.get("extend"), path)
    readme_extra = _readme_extra_section(raw.get("readme_extra"), path)
    client = _client_section(raw.get("client"), path)
    defaults = _defaults_section(raw.get("defaults"), path)
    rename = _rename_section(raw.get("rename"), path)
    parameters = _parameters_section(raw.get("parameters"), path)
    returns = _returns_section(raw.get("returns"), path)
    pagination = _pagination_section(raw.get("pagination"), path)
    mcp = _mcp_section(raw.get("mcp", True), path)
    formatter = str(raw.get("formatter", "ruff"))
    if formatter not in ("ruff", "black"):
        raise ApigenError(
            f"formatter must be 'ruff' or 'black', not {formatter!r}", location=str(path)
        )
    return ProjectConfig(
        spec=str(raw.get("spec", ProjectConfig.spec)),
        output=str(raw.get("output", ProjectConfig.output)),
        upstream=str(raw.get("upstream", "")),
        formatter=formatter,
        package=package,
        resources=resources,
        extend=extend,
        readme_extra=readme_extra,
        client=client,
        defaults=defaults,
        rename=rename,
        parameters=parameters,
        returns=returns,
        pagination=pagination,
        mcp=mcp,
        root=path.parent.resolve(),
        file=path.resolve(),
    )


_DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$")


def _is_dotted(text: str) -> bool:
    return bool(_DOTTED.match(text)) and not any(
        keyword.iskeyword(part) for part in text.split(".")
    )


def _extend_section(raw: object, path: Path) -> dict[str, str]:
    """``extend:`` maps dotted resource paths to dotted module paths below ``lib/``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ApigenError("'extend' must map resource paths to lib modules", location=str(path))
    extend: dict[str, str] = {}
    for key, value in raw.items():
        if not (
            isinstance(key, str)
            and isinstance(value, str)
            and _is_dotted(key)
            and _is_dotted(value)
        ):
            raise ApigenError(
                f"extend[{key!r}] must map a dotted resource path to a dotted lib module",
                location=str(path),
            )
        extend[key] = value
    return extend


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")


def _client_section(raw: object, path: Path) -> ClientConfig:
    if raw is None:
        return ClientConfig()
    if not isinstance(raw, dict) or set(raw) - {
        "timeout",
        "idempotency_header",
        "multipart_format",
        "retry_non_idempotent",
        "retry_count_header",
        "platform_headers",
    }:
        raise ApigenError(
            "'client' takes timeout, idempotency_header, multipart_format, retry_non_idempotent,"
            " retry_count_header and platform_headers",
            location=str(path),
        )
    timeout = raw.get("timeout")
    if timeout is not None and (
        isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0
    ):
        raise ApigenError("client.timeout must be a positive number of seconds", location=str(path))
    header = raw.get("idempotency_header", "")
    if not isinstance(header, str) or (header and not _HEADER_NAME.match(header)):
        raise ApigenError("client.idempotency_header must be a header name", location=str(path))
    fmt = raw.get("multipart_format", "openapi")
    if fmt not in ("openapi", "brackets"):
        raise ApigenError(
            "client.multipart_format must be 'openapi' or 'brackets'", location=str(path)
        )
    policy = raw.get("retry_non_idempotent", "safe")
    if policy not in ("safe", "on_status"):
        raise ApigenError(
            "client.retry_non_idempotent must be 'safe' or 'on_status'", location=str(path)
        )
    count_header = raw.get("retry_count_header", "")
    if not isinstance(count_header, str) or (count_header and not _HEADER_NAME.match(count_header)):
        raise ApigenError("client.retry_count_header must be a header name", location=str(path))
    prefix = raw.get("platform_headers", "")
    if not isinstance(prefix, str) or (
        prefix and (not _HEADER_NAME.match(prefix) or prefix.endswith("-"))
    ):
        raise ApigenError(
            "client.platform_headers must be a header-name prefix such as X-Acme",
            location=str(path),
        )
    return ClientConfig(
        timeout=float(timeout) if timeout is not None else None,
        idempotency_header=header,
        multipart_format=fmt,
        retry_non_idempotent=policy,
        retry_count_header=count_header,
        platform_headers=prefix,
    )


def _string_pairs(raw: object, what: str, path: Path) -> tuple[tuple[str, str], ...]:
    if raw is None:
        return ()
    if not isinstance(raw, dict) or not all(
        isinstance(k, str) and isinstance(v, (str, int, float, bool)) for k, v in raw.items()
    ):
        raise ApigenError(f"{what} must map names to scalar values", location=str(path))
    pairs = []
    for key, value in raw.items():
        text = ("true" if value else "false") if isinstance(value, bool) else str(value)
        pairs.append((key, text))
    return tuple(sorted(pairs))


def _defaults_section(raw: object, path: Path) -> dict[str, CallDefaults]:
    """``defaults:`` maps dotted resource/method paths to ``{headers: {...}, query: {...}}``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ApigenError("'defaults' must map resource or method paths", location=str(path))
    out: dict[str, CallDefaults] = {}
    for key, value in raw.items():
        if (
            not (isinstance(key, str) and _is_dotted(key))
            or not isinstance(value, dict)
            or (set(value) - {"headers", "query"})
        ):
            raise ApigenError(
                f"defaults[{key!r}] must map a dotted path to headers and/or query",
                location=str(path),
            )
        headers = _string_pairs(value.get("headers"), f"defaults[{key!r}].headers", path)
        if not all(_HEADER_NAME.match(name) for name, _ in headers):
            raise ApigenError(f"defaults[{key!r}].headers has an invalid name", location=str(path))
        out[key] = CallDefaults(
            headers, _string_pairs(value.get("query"), f"defaults[{key!r}].query", path)
        )
    return out


def _rename_section(raw: object, path: Path) -> dict[str, dict[str, str]]:
    """``rename:`` maps dotted resource/method paths to ``{wire name: python name}``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ApigenError("'rename' must map resource or method paths", location=str(path))
    out: dict[str, dict[str, str]] = {}
    for key, value in raw.items():
        valid = isinstance(key, str) and _is_dotted(key) and isinstance(value, dict)
        if valid:
            valid = all(
                isinstance(k, str)
                and isinstance(v, str)
                and v.isidentifier()
                and not keyword.iskeyword(v)
                for k, v in value.items()
            )
        if not valid:
            raise ApigenError(
                f"rename[{key!r}] must map parameter names to Python identifiers",
                location=str(path),
            )
        out[key] = dict(value)
    return out


def _parameters_section(raw: object, path: Path) -> dict[str, dict[str, str]]:
    """``parameters:`` maps dotted method paths to ``{wire name: source operation}``."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ApigenError("'parameters' must map method paths", location=str(path))
    out: dict[str, dict[str, str]] = {}
    for key, value in raw.items():
        if not (
            isinstance(key, str)
            and _is_dotted(key)
            and isinstance(value, dict)
            and value
            and all(isinstance(k, str) and k and isinstance(v, str) for k, v in value.items())
        ):
            raise ApigenError(
                f"parameters[{key!r}] must map parameter names to the operation"
                " ('METHOD /path' or operationId) to copy each from",
                location=str(path),
            )
        out[key] = {str(k): str(v) for k, v in value.items()}
    return out


def _returns_section(raw: object, path: Path) -> dict[str, str]:
    """``returns:`` maps dotted method paths to component schema names."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ApigenError("'returns' must map method paths", location=str(path))
    out: dict[str, str] = {}
    for key, value in raw.items():
        if not (isinstance(key, str) and _is_dotted(key) and isinstance(value, str) and value):
            raise ApigenError(
                f"returns[{key!r}] must map a method path to a component schema name",
                location=str(path),
            )
        out[key] = value
    return out


def _readme_extra_section(raw: object, path: Path) -> tuple[ReadmeExtra, ...]:
    """``readme_extra:`` lists Markdown files inside the config's folder, read now (UTF-8)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, str) and item for item in raw):
        raise ApigenError(
            "'readme_extra' must be a list of Markdown file paths", location=str(path)
        )
    root = path.parent.resolve()
    extras: list[ReadmeExtra] = []
    for i, item in enumerate(raw):
        file = (root / item).resolve()
        if Path(item).is_absolute() or not file.is_relative_to(root):
            raise ApigenError(
                f"readme_extra[{i}] {item!r} must be a path inside the config's folder",
                location=str(path),
            )
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ApigenError(
                f"cannot read readme_extra[{i}] {item!r}: {exc}", location=str(path)
            ) from None
        extras.append(ReadmeExtra(item, text.strip("\n") + "\n"))
    return tuple(extras)


def _mcp_section(raw: object, path: Path) -> bool:
    """``mcp:`` is ``true`` (the default: generate the MCP server) or ``false``."""
    if not isinstance(raw, bool):
        raise _config_error(path, "mcp", f"must be true or false, not {raw!r}")
    return raw


_STYLE_KINDS: tuple[StyleKind, ...] = (
    "cursor",
    "offset",
    "page_number",
    "next_url",
    "link_header",
    "single",
)
_PATH_KEYS = ("items", "next_cursor", "has_more", "total", "total_pages", "next_url")


def _pagination_section(raw: object, path: Path) -> PaginationConfig:
    """``pagination:`` is ``false`` (no auto-pagination) or a mapping of ``detect``, ``styles``
    (page styles tried on every operation) and ``operations`` (operation → style or ``false``).
    """
    if raw is None or raw is True:
        return PaginationConfig()
    if raw is False:
        return PaginationConfig(detect=False)
    if not isinstance(raw, dict):
        raise _config_error(path, "pagination", "must be false or a mapping")
    unknown = set(raw) - {"detect", "styles", "operations"}
    if unknown:
        raise _config_error(
            path, "pagination", f"unknown keys: {', '.join(sorted(map(str, unknown)))}"
        )
    detect = raw.get("detect", True)
    if not isinstance(detect, bool):
        raise _config_error(path, "pagination.detect", "must be true or false")
    styles_raw = raw.get("styles") or []
    if not isinstance(styles_raw, list):
        raise _config_error(path, "pagination.styles", "must be a list of page styles")
    styles = tuple(
        _style_rule(item, f"pagination.styles[{i}]", path) for i, item in enumerate(styles_raw)
    )
    operations_raw = raw.get("operations") or {}
    if not isinstance(operations_raw, dict):
        raise _config_error(path, "pagination.operations", "must map operations to page styles")
    operations: dict[str, StyleRule | None] = {}
    for key, value in operations_raw.items():
        where = f"pagination.operations[{key!r}]"
        operations[str(key)] = None if value is False else _style_rule(value, where, path)
    return PaginationConfig(detect=detect, styles=styles, operations=operations)


def _config_error(path: Path, where: str, message: str) -> ApigenError:
    return ApigenError(f"{where}: {message}", location=str(path))


def _style_rule(raw: object, where: str, path: Path) -> StyleRule:
    """One page style: ``{style: cursor, param: after, next_cursor: meta.next, ...}``."""
    if not isinstance(raw, dict):
        raise _config_error(path, where, "must be a page style mapping (or false for an operation)")
    unknown = set(raw) - {"style", "param", "item_cursor", "first_page", *_PATH_KEYS}
    if unknown:
        raise _config_error(path, where, f"unknown keys: {', '.join(sorted(map(str, unknown)))}")
    kind = raw.get("style")
    if kind not in _STYLE_KINDS:
        raise _config_error(
            path, where, f"'style' must be one of {', '.join(_STYLE_KINDS)}, not {kind!r}"
        )
    for key in ("param", "item_cursor"):
        if key in raw and not (isinstance(raw[key], str) and raw[key]):
            raise _config_error(path, where, f"{key!r} must be a non-empty string")
    first_page = raw.get("first_page")
    if first_page is not None and (isinstance(first_page, bool) or not isinstance(first_page, int)):
        raise _config_error(path, where, "'first_page' must be an integer")
    paths = {
        key: _field_path(raw[key], f"{where}.{key}", path, body_allowed=key == "items")
        for key in _PATH_KEYS
        if key in raw
    }
    return StyleRule(
        kind=kind,
        items=paths.get("items"),
        param=raw.get("param"),
        next_cursor=paths.get("next_cursor"),
        item_cursor=raw.get("item_cursor"),
        has_more=paths.get("has_more"),
        total=paths.get("total"),
        total_pages=paths.get("total_pages"),
        first_page=first_page,
        next_url=paths.get("next_url"),
    )


def _field_path(raw: object, where: str, path: Path, *, body_allowed: bool) -> FieldPath:
    """``meta.next_cursor`` (dotted) or ``["@odata.nextLink"]`` (exact keys); ``[]`` = the body."""
    if isinstance(raw, str) and raw and all(raw.split(".")):
        return tuple(raw.split("."))
    keys = raw if isinstance(raw, list) else None
    if keys is not None and (keys or body_allowed) and all(isinstance(k, str) and k for k in keys):
        return tuple(keys)
    raise _config_error(path, where, "must be a dotted field name or a list of keys")


def find_config(
    explicit: Path | None, spec_arg: str | None, note: Callable[[str], None] = lambda _: None
) -> ProjectConfig:
    """The explicit config; else ``./apigen.yaml`` when no SPEC is given or SPEC is its ``spec:``.

    A ``./apigen.yaml`` about another spec is not applied, and ``note`` is told so in one line.
    """
    if explicit is not None:
        return load_config(explicit)
    candidate = Path.cwd() / CONFIG_FILE
    if not candidate.is_file():
        return load_config(None)
    config = load_config(candidate)
    if spec_arg is None or _same_spec(spec_arg, config):
        return config
    note(
        f"./{CONFIG_FILE} is not applied: it is about {config.spec}, not {spec_arg} "
        f"(pass --config {CONFIG_FILE} to apply it)"
    )
    return load_config(None)


def _same_spec(spec_arg: str, config: ProjectConfig) -> bool:
    if is_url(spec_arg) or is_url(config.spec):
        return spec_arg == config.spec
    return Path(spec_arg).resolve() == config.path(config.spec)
