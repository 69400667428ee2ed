"""What a diff produces: classified changes, where each one bites, and the version bump."""

from __future__ import annotations

from enum import Enum
from typing import Literal

from ..records import record

Direction = Literal["request", "response", "none"]
"""Which way a value travels where a schema is used: sent by the client, received, or neither
(a component no operation uses, such as a webhook payload)."""


class Severity(str, Enum):
    """How a change affects code written against the old client (ordered: worst first)."""

    BREAKING = "breaking"
    POTENTIALLY_BREAKING = "potentially-breaking"
    NON_BREAKING = "non-breaking"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def heading(self) -> str:
        return _TITLES[self]


_RANK = {Severity.BREAKING: 0, Severity.POTENTIALLY_BREAKING: 1, Severity.NON_BREAKING: 2}
_TITLES = {
    Severity.BREAKING: "Breaking changes",
    Severity.POTENTIALLY_BREAKING: "Potentially breaking changes",
    Severity.NON_BREAKING: "Non-breaking changes",
}


def worst(*severities: Severity) -> Severity:
    return min(severities, key=lambda s: s.rank, default=Severity.NON_BREAKING)


class FailOn(str, Enum):
    """``--fail-on``: the least severe class that makes ``apigen diff`` exit 1."""

    BREAKING = "breaking"
    POTENTIALLY_BREAKING = "potentially-breaking"
    NONE = "none"


class Bump(str, Enum):
    """Semantic-versioning increment suggested for the generated client."""

    NONE = "none"
    PATCH = "patch"
    MINOR = "minor"
    MAJOR = "major"


@record
class Usage:
    """One place a changed schema or parameter is used, and how the change rates there."""

    route: str
    """``POST /v1/tasks/runs``; empty for a schema no operation uses."""
    method: str
    """``client.task_run.create``; empty when ``route`` is."""
    role: str
    """``request body``, ``response 200``, ``query parameter 'limit'``, ``unused``."""
    direction: Direction
    severity: Severity


@record
class Change:
    kind: str
    """Stable identifier (``operation-removed``, ``enum-value-added``, ...) for tools and tests."""
    severity: Severity
    """The worst over ``usages`` (the change's own rating when it has none)."""
    location: str
    """Where, in client terms: ``client.pets.list``, ``Pet.tag``, ``servers``."""
    message: str
    route: str = ""
    """The HTTP operation (``GET /pets``) for operation-level changes."""
    usages: tuple[Usage, ...] = ()
    """Every operation that sends or receives what changed (schemas and shared parameters)."""

    @property
    def bump(self) -> Bump:
        if self.severity is Severity.BREAKING:
            return Bump.MAJOR
        if self.severity is Severity.POTENTIALLY_BREAKING or self.kind.endswith("-added"):
            return Bump.MINOR
        return Bump.PATCH


_BUMP_ORDER = (Bump.NONE, Bump.PATCH, Bump.MINOR, Bump.MAJOR)


@record
class Report:
    title: str
    old_version: str
    new_version: str
    changes: tuple[Change, ...]

    def by_severity(self, severity: Severity) -> list[Change]:
        return [c for c in self.changes if c.severity is severity]

    @property
    def breaking(self) -> bool:
        return any(c.severity is Severity.BREAKING for c in self.changes)

    def fails(self, policy: FailOn) -> bool:
        """Whether ``apigen diff --fail-on policy`` exits 1 for this report."""
        if policy is FailOn.NONE:
            return False
        limit = Severity(policy.value).rank
        return any(c.severity.rank <= limit for c in self.changes)

    @property
    def suggested_bump(self) -> Bump:
        return max((c.bump for c in self.changes), key=_BUMP_ORDER.index, default=Bump.NONE)

    def ordered(self) -> list[Change]:
        """Worst first; discovery order (spec order) within a severity."""
        return sorted(self.changes, key=lambda c: c.severity.rank)
