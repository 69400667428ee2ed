"""The client plan built from the named IR and the project config: identity, auth, resources."""

from __future__ import annotations

from collections.abc import Mapping

from ..config import ProjectConfig
from ..errors import ApigenError
from ..ir.model import Api, Operation, Parameter, RefSchema, SecurityScheme
from ..literals import clean_text
from ..naming.client import client_names
from ..naming.resources import ResourceNode, build_resource_tree
from ..pagination import PageStyle
from ..pagination.detect import page_styles
from ..versioning import package_version
from .annotations import AnnotationRenderer
from .model import AuthPlan, ClientPlan, ResourcePlan
from .operations import plan_operation
from .overrides import extra_parameters, return_schema, unknown_methods
from .types import plan_types, sent_objects


def build_plan(api: Api, config: ProjectConfig) -> ClientPlan:
    """Everything the generated client is; pure: the same IR and config give the same plan."""
    names = client_names(api, config.package)
    request = AnnotationRenderer(api, "request")
    response = AnnotationRenderer(api, "response")
    tree = build_resource_tree(api, config.resources)
    pages = page_styles(
        api, config.pagination, config_file=str(config.file) if config.file else None
    )
    root = _resource(api, tree, config, pages, request, response)
    known = {".".join(resource.path) for resource in root.walk() if resource.path}
    methods = {".".join((*op.resource, op.name)) for r in root.walk() for op in r.operations}
    for section, entries in (("parameters", config.parameters), ("returns", config.returns)):
        for key in unknown_methods(list(entries), methods):
            raise ApigenError(
                f"config {section!r} names an unknown method {key!r}", pointer=f"{section}/{key}"
            )
    for path in sorted(config.extend):
        if path not in known:
            raise ApigenError(
                f"config 'extend' names an unknown resource {path!r}", pointer=f"extend/{path}"
            )
    homes = [op for resource in root.walk() for op in resource.operations if not op.alias_of]
    title = clean_text(api.title)
    return ClientPlan(
        api=api,
        distribution=names.distribution,
        module=names.module,
        client_class=names.client_class,
        async_client_class="Async" + names.client_class,
        env_prefix=names.env_prefix,
        version=package_version(api.version, config),
        base_url=api.servers[0].url if api.servers else "http://localhost",
        title=title,
        description=config.package.description or f"Python client for the {title}.",
        license=config.package.license,
        auth=_auth(api, names.env_prefix),
        root=root,
        types=plan_types(api, sent_objects(api, homes), response, request),
        readme_extras=tuple(extra.text for extra in config.readme_extra),
        timeout=config.client.timeout,
        idempotency_header=config.client.idempotency_header,
        multipart_format=config.client.multipart_format,
        retry_non_idempotent=config.client.retry_non_idempotent,
        retry_count_header=config.client.retry_count_header,
        platform_headers=config.client.platform_headers,
        name_collisions=tuple(collision.describe() for collision in tree.collisions),
        mcp=config.mcp,
    )


def _resource(
    api: Api,
    node: ResourceNode,
    config: ProjectConfig,
    pages: Mapping[str, PageStyle],
    request: AnnotationRenderer,
    response: AnnotationRenderer,
) -> ResourcePlan:
    operations = tuple(
        plan_operation(
            api,
            binding.operation,
            node.path,
            binding.name,
            binding.alias_of,
            request,
            response,
            config.call_defaults((*node.path, binding.name)),
            config.renames((*node.path, binding.name)),
            pages.get(binding.operation.pointer),
            *_overrides(api, config, binding.operation, ".".join((*node.path, binding.name))),
        )
        for binding in node.methods
    )
    children = tuple(
        _resource(api, node.children[name], config, pages, request, response)
        for name in sorted(node.children)
    )
    return ResourcePlan(
        path=node.path,
        class_name=node.class_name or "Client",
        operations=operations,
        children=children,
        mixin=config.extend.get(".".join(node.path)) if node.path else None,
    )


def _overrides(
    api: Api, config: ProjectConfig, op: Operation, method: str
) -> tuple[tuple[Parameter, ...], RefSchema | None]:
    """The ``parameters:`` and ``returns:`` entries of one method, checked against the spec."""
    extra = extra_parameters(api, op, method, config.parameters.get(method, {}))
    name = config.returns.get(method)
    return extra, return_schema(api, op, method, name) if name is not None else None


def _auth(api: Api, env_prefix: str) -> AuthPlan:
    schemes = {scheme.name: scheme for scheme in api.security_schemes}
    candidates = [schemes[name] for name in api.security if name in schemes]
    if not candidates:
        used = {name for op in api.operations for name in (op.security or ())}
        candidates = [schemes[name] for name in sorted(used) if name in schemes]
    required = bool(api.security)
    for scheme in candidates:
        plan = _auth_for(scheme, f"{env_prefix}_API_KEY", required)
        if plan is not None:
            return plan
    return AuthPlan("none", "", "", False, "")


def _auth_for(scheme: SecurityScheme, env_var: str, required: bool) -> AuthPlan | None:
    description = scheme.description or ""
    if (
        scheme.type == "apiKey"
        and scheme.param_name
        and scheme.location in ("header", "query", "cookie")
    ):
        return AuthPlan(
            "api_key", "api_key", env_var, required, description, scheme.param_name, scheme.location
        )
    if scheme.type == "http" and scheme.scheme == "basic":
        return AuthPlan("basic", "api_key", env_var, required, description)
    if scheme.type in ("http", "oauth2", "openIdConnect"):
        return AuthPlan("bearer", "api_key", env_var, required, description)
    return None
