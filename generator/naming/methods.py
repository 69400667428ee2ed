"""Default method names: the HTTP method and the path's shape, as the best SDKs name them.

For a route (``routes.read_route``) whose last segment is

* a parameter (an *item*: ``/files/{file_id}``): ``GET`` → ``retrieve``, ``DELETE`` →
  ``delete``, ``PATCH``/``PUT``/``POST`` → ``update``;
* an *action* (a verb such as ``cancel``, ``search``, ``estimate-price``, a custom method
  ``:cancel``, or a ``GET`` of something below an item that is not a list, such as
  ``/files/{id}/content``): the action, on the resource before it;
* otherwise a *collection*: ``GET`` → ``list`` (when it answers with a list, or items of it can
  be addressed) else ``retrieve`` (a singleton, ``/organization/data_retention``), ``POST`` →
  ``create`` (``update`` on a singleton), ``PUT``/``PATCH`` → ``update``, ``DELETE`` →
  ``delete``.

A segment is never an action when other paths continue below it. The operationId names
operations whose path says nothing (``GET /``), and breaks ties (``naming.resources``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import Literal, cast

from ..ir.model import Api, ObjectSchema, Operation, RefSchema
from ..pagination.detect import answers_with_list, list_items
from ..records import record
from .identifiers import method_name, module_name, snake_case
from .routes import Route, Segment, drop_common_prefix, read_route
from .words import ACTION_VERBS, CONNECTIVES, NOUN_VERBS, same_noun

Rule = Literal["item", "collection", "singleton", "action", "operation id"]

_SYNONYMS: dict[str, frozenset[str]] = {
    "retrieve": frozenset({"retrieve", "get", "read", "fetch", "show", "describe", "find"}),
    "list": frozenset({"list", "get", "search", "find", "query", "all"}),
    "create": frozenset({"create", "add", "post", "new", "insert", "make"}),
    "update": frozenset({"update", "modify", "patch", "edit", "set", "put", "change"}),
    "delete": frozenset({"delete", "remove", "destroy", "del", "erase"}),
}
"""Leading operationId words that agree with a shape's name (``getPet`` agrees with
``retrieve``): the operation whose id agrees keeps a contested name."""

_UPDATE_PRIORITY = {"patch": 0, "put": 1, "post": 2}
"""Which of several updaters of one item is ``update``: PATCH, then PUT, then POST."""

_GENERIC_SECURITY_WORDS = frozenset(
    {
        "access",
        "api",
        "apikey",
        "auth",
        "authentication",
        "authorization",
        "basic",
        "bearer",
        "client",
        "cookie",
        "credential",
        "credentials",
        "default",
        "header",
        "http",
        "https",
        "id",
        "jwt",
        "key",
        "keys",
        "o",
        "oauth",
        "oauth2",
        "auth2",
        "openid",
        "query",
        "scheme",
        "secret",
        "security",
        "token",
        "tokens",
    }
)


@record
class Placement:
    """Where one operation goes when no config names it."""

    operation: Operation
    resource: tuple[str, ...]
    """The resource path (``("beta", "threads", "runs")``)."""
    name: str
    """The method name the shape gives (``create``)."""
    rule: Rule
    route: Route
    fallback: str
    """The name the operationId gives (``operation_id_name``)."""
    rank: tuple[object, ...]
    """Lower keeps a contested name: an operationId that agrees with the name, then no query
    string, then the lowest version, then PATCH before PUT before POST, then the shorter path.
    Intrinsic to the operation, so the order of the document never matters."""

    def alternatives(self, winner: Placement | None) -> tuple[str, ...]:
        """Names to fall back on, in order, when ``winner`` keeps ``name``: what tells the two
        paths apart (the query string's words, the version), the operationId's name,
        ``replace`` for a ``PUT``."""
        out: list[str] = []
        route, name = self.route, self.name
        if route.query and (winner is None or winner.route.query != route.query):
            out.append(method_name(f"{name}_{'_'.join(route.query)}"))
        if route.version and (winner is None or winner.route.version != route.version):
            out.append(method_name(f"{name}_v{'_'.join(str(n) for n in route.version)}"))
        if self.fallback and self.fallback != name:
            out.append(self.fallback)
        if self.operation.method.lower() == "put" and name == "update":
            out.append("replace")
        return tuple(dict.fromkeys(out))


_PLACEMENTS = "naming.default_placements"


def default_placements(api: Api) -> tuple[Placement, ...]:
    """Every operation's default placement, worked out once per API (see share_placements)."""
    found = api.memo.get(_PLACEMENTS)
    if found is None:
        found = api.memo[_PLACEMENTS] = tuple(_default_placements(api))
    return cast("tuple[Placement, ...]", found)


def share_placements(source: Api, target: Api) -> None:
    """Let ``target`` reuse the placements worked out for ``source``: naming gives schemas
    their class names and nothing else, and placements read only operations and schema
    shapes, so an API and its named copy place every operation alike. Only when the two
    really share their operations and shapes (the same objects) is anything shared."""
    found = source.memo.get(_PLACEMENTS)
    if found is None or target.operations is not source.operations:
        return
    if len(target.schemas) != len(source.schemas):
        return
    for a, b in zip(source.schemas, target.schemas, strict=True):
        if a.key != b.key or a.schema is not b.schema:
            return
    target.memo.setdefault(_PLACEMENTS, found)


def _default_placements(api: Api) -> list[Placement]:
    lists = _ListReader(api)
    routes = drop_common_prefix([read_route(op.path) for op in api.operations])
    namespaces = [_security_namespace(api, op) for op in api.operations]
    index = _RouteIndex(api.operations, routes, namespaces)
    out: list[Placement] = []
    for op, route, security in zip(api.operations, routes, namespaces, strict=True):
        namespace = (*security, *route.namespace)
        resource, name, rule = _shape_name(op, route, namespace, index, lists)
        resource = tuple(module_name(word) for word in resource)
        fallback = operation_id_name(op, resource)
        if rule == "operation id":
            name = fallback
        out.append(
            Placement(
                operation=op,
                resource=resource,
                name=method_name(name),
                rule=rule,
                route=route,
                fallback=fallback,
                rank=_rank(op, route, name, fallback),
            )
        )
    return out


class _ListReader:
    """Whether a ``GET`` answers with a list: an array, a page of items (``data``, ``items``,
    a page the pagination rules recognise), an object whose only array is named like the
    path (``/regions`` → ``{"regions": [...]}``), or a schema named a list
    (``RegionListResponse``)."""

    def __init__(self, api: Api) -> None:
        self.api = api

    def __call__(self, op: Operation, word: str) -> bool:
        if answers_with_list(self.api, op):
            return True
        items = list_items(self.api, op)
        if items and same_noun(snake_case(items[-1]), word.split("_")[-1]):
            return True
        if items and len(items) == 1 and self._only_property(op):
            return True  # ``{"list": [...]}``: a wrapper around one array
        id_words = snake_case(op.operation_id).split("_")
        if id_words[0] == "list" or "all" in id_words:
            return True  # ``listThings``, ``getAllThings``: the operationId says so
        body = next(
            (c.schema for r in op.responses if r.status.startswith("2") for c in r.contents),
            None,
        )
        if isinstance(body, RefSchema):
            key = self.api.schema(body.ref).key.rsplit("/", 1)[-1]
            return "list" in snake_case(key).split("_")
        return False

    def _only_property(self, op: Operation) -> bool:
        body = next(
            (c.schema for r in op.responses if r.status.startswith("2") for c in r.contents),
            None,
        )
        resolved = self.api.resolve(body) if body is not None else None
        return isinstance(resolved, ObjectSchema) and len(resolved.properties) == 1


Lists = Callable[[Operation, str], bool]


class _RouteIndex:
    """Which paths continue below a resource, which select items of it, and which operations
    share a path."""

    def __init__(
        self,
        operations: Sequence[Operation],
        routes: Sequence[Route],
        namespaces: Sequence[tuple[str, ...]],
    ) -> None:
        self.continued: set[tuple[object, ...]] = set()
        self.itemized: set[tuple[object, ...]] = set()
        self.on_path: dict[tuple[object, ...], list[Operation]] = {}
        for op, route, security in zip(operations, routes, namespaces, strict=True):
            namespace = (*security, *route.namespace)
            shape = route.shape
            if not route.ends_with_parameter and not route.action:
                self.on_path.setdefault((namespace, shape, route.query), []).append(op)
            words = route.words
            for i, segment in enumerate(route.segments):
                key = (namespace, words[: i + 1])
                if i < len(route.segments) - 1 or segment.item or route.action:
                    self.continued.add(key)
                if segment.item:
                    self.itemized.add(key)

    def key(self, namespace: tuple[str, ...], segments: tuple[Segment, ...]) -> tuple[object, ...]:
        """By words alone, as the resource tree is: ``/a/{id}/b`` and ``/a/b`` meet at ``a.b``."""
        return (namespace, tuple(s.word for s in segments))

    def has_children(self, namespace: tuple[str, ...], segments: tuple[Segment, ...]) -> bool:
        return self.key(namespace, segments) in self.continued

    def has_items(self, namespace: tuple[str, ...], segments: tuple[Segment, ...]) -> bool:
        return self.key(namespace, segments) in self.itemized

    def operations_at(self, namespace: tuple[str, ...], route: Route) -> list[Operation]:
        """The operations on the same path as ``route`` (which ends with a literal)."""
        return self.on_path.get((namespace, route.shape, route.query), [])


def _shape_name(
    op: Operation,
    route: Route,
    namespace: tuple[str, ...],
    index: _RouteIndex,
    lists: Lists,
) -> tuple[tuple[str, ...], str, Rule]:
    method = op.method.lower()
    words = route.words
    if route.action:
        return (*namespace, *words), route.action, "action"
    if not route.segments:
        return namespace, "", "operation id"
    if route.ends_with_parameter:
        if method in ("head", "options", "trace"):
            return (*namespace, *words), "", "operation id"
        if method == "post" and _acts(op, words):
            return (*namespace, *words), "", "operation id"
        verb = {"get": "retrieve", "delete": "delete"}.get(method, "update")
        return (*namespace, *words), verb, "item"
    segments = route.segments
    last = segments[-1].word
    children = index.has_children(namespace, segments)
    if not children and _is_action(op, route, index, namespace, lists):
        return (*namespace, *words[:-1]), last, "action"
    if method == "get":
        if lists(op, last) or index.has_items(namespace, segments):
            return (*namespace, *words), "list", "collection"
        return (*namespace, *words), "retrieve", "singleton"
    if method == "post":
        singleton = _is_singleton(route, namespace, index, lists)
        return (
            (*namespace, *words),
            "update" if singleton else "create",
            ("singleton" if singleton else "collection"),
        )
    if method in ("put", "patch"):
        return (*namespace, *words), "update", "collection"
    if method == "delete":
        return (*namespace, *words), "delete", "collection"
    return (*namespace, *words), "", "operation id"


def _is_action(
    op: Operation, route: Route, index: _RouteIndex, namespace: tuple[str, ...], lists: Lists
) -> bool:
    """The one ``GET`` or ``POST`` of a path that is a verb (``cancel``, ``estimate_price``),
    or the one ``GET`` of something below another resource that does not answer with a list
    (``/files/{id}/content``, ``/queue/metrics``)."""
    segments = route.segments
    method = op.method.lower()
    if method not in ("get", "post") or len(index.operations_at(namespace, route)) > 1:
        return False  # several operations on one path make it a resource (``GET`` + ``PUT``)
    words = segments[-1].word.split("_")
    if words[0] in ACTION_VERBS and (len(words) == 1 or words[0] not in NOUN_VERBS):
        return True
    return method == "get" and len(segments) >= 2 and not lists(op, segments[-1].word)


def _acts(op: Operation, resource: tuple[str, ...]) -> bool:
    """A ``POST`` to an item whose operationId starts with a verb that neither creates nor
    updates (``cancelEvalRun``): an action, named by its operationId."""
    first = operation_id_name(op, resource).split("_")[0]
    return (
        first in ACTION_VERBS
        and first not in _SYNONYMS["update"]
        and first not in _SYNONYMS["create"]
        and first not in ("get", "list", "delete", "remove", "replace", "upsert")
    )


def _is_singleton(
    route: Route, namespace: tuple[str, ...], index: _RouteIndex, lists: Lists
) -> bool:
    """A path without items whose ``GET`` answers with one object: a ``POST`` updates it."""
    if index.has_items(namespace, route.segments):
        return False
    getters = [o for o in index.operations_at(namespace, route) if o.method.lower() == "get"]
    return bool(getters) and not any(lists(g, route.segments[-1].word) for g in getters)


def _security_namespace(api: Api, op: Operation) -> tuple[str, ...]:
    """Operations that need a credential the API does not use by default (an admin key) go
    under a namespace named after it (``AdminApiKeyAuth`` → ``admin``), when its name says
    more than how it is sent."""
    if not api.security or not op.security or set(op.security) & set(api.security):
        return ()
    words = [w for w in snake_case(op.security[0]).split("_") if w not in _GENERIC_SECURITY_WORDS]
    return ("_".join(words),) if words else ()


_NON_WORD = re.compile(r"\W")
_SLASHES = re.compile(r"[/\\]")


def operation_id_name(op: Operation, resource: Iterable[str]) -> str:
    """The method name the operationId gives, without the resource words it repeats
    (``listVectorStoreFiles`` on ``vector_stores.files`` → ``list``) and without framework
    suffixes (``tasks_runs_post_v1_tasks_runs_post``)."""
    base = strip_framework_suffix(op.operation_id, op.method, op.path)
    base = _SLASHES.split(base)[-1] or base  # ``issues/list-comments``: the group is a tag
    words = [w for w in snake_case(base).split("_") if w]
    resource_words = [w for part in resource for w in part.split("_") if w]
    keep = len(words)
    for k in range(min(len(words) - 1, len(resource_words)), 0, -1):
        if all(same_noun(a, b) for a, b in zip(words[-k:], resource_words[-k:], strict=True)):
            if words[-k - 1] not in CONNECTIVES:
                keep = len(words) - k
            break
    return method_name("_".join(words[:keep]))


def strip_framework_suffix(operation_id: str, method: str, path: str) -> str:
    """``tasks_runs_post_v1_tasks_runs_post`` → ``tasks_runs_post`` (FastAPI's generated ids)."""
    words = _NON_WORD.sub("_", path)
    suffix = "_" + words.strip("_") + "_" + method.lower()
    for candidate in (suffix, words + "_" + method.lower()):
        if operation_id.endswith(candidate) and len(operation_id) > len(candidate):
            return operation_id[: -len(candidate)].rstrip("_") or operation_id
    return operation_id


def agrees(fallback: str, name: str) -> bool:
    """Whether an operationId's name says the same as the shape's (``get`` / ``retrieve``)."""
    if fallback == name:
        return True
    return fallback in _SYNONYMS.get(name, frozenset())


def _rank(op: Operation, route: Route, name: str, fallback: str) -> tuple[object, ...]:
    return (
        not agrees(fallback, name),
        bool(route.query),
        route.version,
        _UPDATE_PRIORITY.get(op.method.lower(), 3),
        len(route.segments),
        op.path,
        op.method,
    )
