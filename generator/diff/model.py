"""What a diff produces: classified changes and the version bump they call for."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


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


class Bump(str, Enum):
    """Semantic-versioning increment suggested for the generated client."""

    NONE = "none"
    PATCH = "patch"
    MINOR = "minor"
    MAJOR = "major"


@dataclass(frozen=True)
class Change:
    kind: str
    """Stable identifier (``operation-removed``, ``enum-value-added``, ...) for tools and tests."""
    severity: Severity
    location: str
    """Where, in client terms: ``POST /v1/runs``, ``TaskSpec.output``, ``servers``."""
    message: str

    @property
    def bump(self) -> Bump:
        if self.severity is Severity.BREAKING:
            return Bump.MAJOR
        if self.severity is Severity.POTENTIALLY_BREAKING or self.kind.endswith("-added"):
            return Bump.MINOR
        return Bump.PATCH


_BUMP_ORDER = (Bump.NONE, Bump.PATCH, Bump.MINOR, Bump.MAJOR)


@dataclass(frozen=True)
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

    @property
    def suggested_bump(self) -> Bump:
        return max((c.bump for c in self.changes), key=_BUMP_ORDER.index, default=Bump.NONE)

    def ordered(self) -> list[Change]:
        """Worst first; discovery order (spec order) within a severity."""
        return sorted(self.changes, key=lambda c: c.severity.rank)
