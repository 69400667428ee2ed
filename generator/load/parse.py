"""Bytes → JSON-compatible data: orjson for JSON (fast), PyYAML's *safe* loader for YAML.

Every failure becomes an :class:`ApigenError` located at ``file:line:col``. YAML is composed
first and only constructed after an alias/merge check, so "billion laughs" documents (and
merge-key bombs, which PyYAML would materialise) are refused in time linear in the file.
"""

from __future__ import annotations

import re
from typing import Any, Literal

import orjson
import yaml
from yaml.composer import ComposerError
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.tokens import AliasToken, AnchorToken

from ..errors import ApigenError
from .budget import check_parse_budget

try:
    from yaml import CSafeLoader as _SafeBase
except ImportError:  # pragma: no cover - libyaml missing
    from yaml import SafeLoader as _SafeBase  # type: ignore[assignment]

Format = Literal["json", "yaml"]

#: Alias-expanded node count above which a YAML document is refused (when also far above its size).
MAX_EXPANDED_NODES = 2_000_000
#: ... and the expansion factor over distinct nodes that marks it as a bomb rather than reuse.
MAX_EXPANSION = 20

_BOM = b"\xef\xbb\xbf"
# An alias (``*name``) or a merge key (``<<``) may be present: only then is the node graph checked.
_ALIAS_OR_MERGE = re.compile(rb"(?:^|[\s\[{,])\*[^\s,\[\]{}]|<<", re.MULTILINE)


class _SpecLoader(_SafeBase):
    """Safe loader whose output is JSON-compatible.

    Scalar mapping keys keep their source text (``200:`` → ``"200"``, ``on:`` → ``"on"``) the way
    a JSON spec spells them, and timestamps stay strings instead of becoming ``datetime``.
    """

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        self.flatten_mapping(node)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                raise ConstructorError(
                    "while constructing a mapping",
                    node.start_mark,
                    "mapping keys must be plain scalars",
                    key_node.start_mark,
                )
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


def _scalar_text(_loader: _SpecLoader, node: Node) -> str:
    return str(node.value)


_SpecLoader.add_constructor("tag:yaml.org,2002:timestamp", _scalar_text)
_SpecLoader.add_constructor("tag:yaml.org,2002:binary", _scalar_text)


def _where(name: str, mark: Any) -> str:
    if mark is None:
        return name
    return f"{name}:{mark.line + 1}:{mark.column + 1}"


def _check_aliases(root: Node, name: str) -> None:
    """Refuse recursive aliases and documents whose alias-expanded size explodes.

    Iterative post-order walk over the composed (shared) node graph, memoised by identity: linear
    in the number of distinct nodes, whatever the expansion.
    """
    sizes: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        nid = id(node)
        if isinstance(node, SequenceNode):
            children: list[Node] = list(node.value)
        elif isinstance(node, MappingNode):
            children = [n for pair in node.value for n in pair]
        else:
            children = []
        if done:
            total = 1 + sum(sizes[id(c)] for c in children)
            sizes[nid] = total
            on_path.discard(nid)
            if total > MAX_EXPANDED_NODES and total > MAX_EXPANSION * len(sizes):
                raise ApigenError(
                    f"YAML aliases expand to more than {MAX_EXPANDED_NODES} nodes "
                    f"(from {len(sizes)} distinct ones): refusing an alias bomb",
                    location=_where(name, node.start_mark),
                )
            continue
        if nid in sizes:
            continue
        if nid in on_path:
            raise ApigenError(
                "recursive YAML alias: a node contains itself",
                location=_where(name, node.start_mark),
            )
        on_path.add(nid)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in sizes)


def _yaml_error(exc: yaml.YAMLError, name: str) -> ApigenError:
    if isinstance(exc, yaml.MarkedYAMLError):
        problem = exc.problem or "malformed document"
        if isinstance(exc, ConstructorError) and "could not determine a constructor" in problem:
            tag = (exc.problem_mark and problem.split("'")[1]) or "?"
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            return ApigenError(
                f"unsupported YAML tag {tag}: only plain YAML data is accepted (safe loader)",
                location=_where(name, exc.problem_mark),
            )
        context = f" ({exc.context})" if exc.context else ""
        return ApigenError(
            f"invalid YAML: {problem}{context}", location=_where(name, exc.problem_mark)
        )
    return ApigenError(f"invalid YAML: {exc}", location=name)


def may_share(raw: bytes) -> bool:
    """Whether YAML data parsed from ``raw`` can contain shared sub-trees (aliases, merge keys)."""
    return _ALIAS_OR_MERGE.search(raw) is not None


def _is_duplicate_anchor(exc: yaml.YAMLError) -> bool:
    return isinstance(exc, ComposerError) and "found duplicate anchor" in str(exc.context)


def rename_duplicate_anchors(text: str) -> str:
    """Give every redefinition of an anchor a fresh name, and its later aliases with it.

    YAML 1.2 lets a document define an anchor name again (an alias refers to the closest
    preceding definition); PyYAML and libyaml refuse it ("found duplicate anchor"), yet real
    specs do it. Renaming at the token level keeps every line where it was, so error locations
    still point into the file as written. Names only grow by a suffix never used in the text.
    """
    taken: set[str] = set()
    current: dict[str, str] = {}
    edits: list[tuple[int, int, str]] = []
    for token in yaml.scan(text, Loader=_SafeBase):
        if isinstance(token, AnchorToken):
            fresh = token.value
            serial = 1
            while fresh in taken:
                serial += 1
                fresh = f"{token.value}__{serial}"
            taken.add(fresh)
            current[token.value] = fresh
        elif isinstance(token, AliasToken):
            fresh = current.get(token.value, token.value)
        else:
            continue
        if fresh != token.value:
            edits.append((token.start_mark.index + 1, token.end_mark.index, fresh))
    pieces: list[str] = []
    end = 0
    for start, stop, fresh in edits:
        pieces += [text[end:start], fresh]
        end = stop
    pieces.append(text[end:])
    return "".join(pieces)


def compose_yaml(raw: bytes) -> Node | None:
    """Compose one YAML document into its node graph, accepting redefined anchor names."""
    try:
        return _compose(raw)
    except yaml.YAMLError as exc:
        if not _is_duplicate_anchor(exc):
            raise
        try:
            text = raw.removeprefix(_BOM).decode("utf-8")
        except UnicodeDecodeError:
            raise exc from None
        return _compose(rename_duplicate_anchors(text))


def _compose(source: bytes | str) -> Node | None:
    loader = _SpecLoader(source)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _construct(node: Node) -> Any:
    loader = _SpecLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def parse_yaml(raw: bytes, name: str) -> Any:
    """Safe-load one YAML document (C loader when available)."""
    try:
        node = compose_yaml(raw)
        if node is None:
            return None
        if may_share(raw):
            _check_aliases(node, name)
        return _construct(node)
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, name) from None
    except RecursionError:  # only the pure-Python fallback recurses; libyaml stops at 1000 levels
        raise ApigenError("invalid YAML: nesting too deep", location=name) from None


def parse_json(raw: bytes, name: str) -> Any:
    """orjson parse; its 1024-level depth limit and the memory budget become clear errors,
    never a crash."""
    check_parse_budget(raw, name)
    try:
        return orjson.loads(raw.removeprefix(_BOM))
    except orjson.JSONDecodeError as exc:
        message = exc.msg
        if "depth limit" in message or "recursion" in message:
            message = "nesting deeper than 1024 levels"
        raise ApigenError(
            f"invalid JSON: {message}", location=f"{name}:{exc.lineno}:{exc.colno}"
        ) from None


def sniff_format(raw: bytes, name: str) -> Format:
    """Extension first; otherwise JSON when the text starts like JSON."""
    lower = name.lower().split("?", 1)[0]
    if lower.endswith(".json"):
        return "json"
    if lower.endswith((".yaml", ".yml")):
        return "yaml"
    return "json" if raw.removeprefix(_BOM).lstrip()[:1] in (b"{", b"[") else "yaml"


def parse_bytes(raw: bytes, name: str) -> tuple[Any, Format]:
    """Parse ``raw`` as JSON or YAML; JSON-looking ``.yaml`` files still take the fast path."""
    if not raw.removeprefix(_BOM).strip():
        raise ApigenError("spec is empty", location=name)
    fmt = sniff_format(raw, name)
    if fmt == "json":
        return parse_json(raw, name), "json"
    if raw.removeprefix(_BOM).lstrip()[:1] == b"{":
        check_parse_budget(raw, name)
        try:
            return orjson.loads(raw.removeprefix(_BOM)), "json"
        except orjson.JSONDecodeError:
            pass  # a YAML flow mapping; fall through
    return parse_yaml(raw, name), "yaml"
