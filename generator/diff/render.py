"""A diff report as text (terminal), JSON (tools; schema in docs/diff.md) or Markdown (CHANGELOG,
pull-request comments)."""

from __future__ import annotations

import json
from typing import Any

from .model import Change, FailOn, Report, Severity, Usage

JSON_FORMAT_VERSION = 1
"""Bumped when a field of the JSON output changes meaning or goes away (adding one does not)."""
_TEXT_USAGES = 3


def _heading(report: Report) -> str:
    return f"{report.title} {report.old_version} → {report.new_version}"


def _counts(report: Report) -> str:
    return ", ".join(f"{len(report.by_severity(s))} {s.value}" for s in Severity)


def _where(change: Change) -> str:
    return f"{change.location} ({change.route})" if change.route else change.location


def _used_by(usages: tuple[Usage, ...], limit: int) -> str:
    """``used by: request body of POST /pets, response 200 of GET /pets and 3 more``."""
    if not usages or usages[0].direction == "none":
        return ""
    shown = ", ".join(f"{u.role} of {u.route}" for u in usages[:limit])
    more = f" and {len(usages) - limit} more" if len(usages) > limit else ""
    return f"used by: {shown}{more}"


def render_text(report: Report, fail_on: FailOn = FailOn.BREAKING) -> str:
    lines = [f"{_heading(report)}: {_counts(report)}"]
    for severity in Severity:
        changes = report.by_severity(severity)
        if changes:
            lines.append("")
            lines.append(f"{severity.heading} ({len(changes)}):")
            for c in changes:
                lines.append(f"  - {_where(c)}: {c.message}")
                used = "" if c.route else _used_by(c.usages, _TEXT_USAGES)
                if used:
                    lines.append(f"      {used}")
    if not report.changes:
        lines.append("no client-visible changes")
    lines.append("")
    lines.append(f"suggested version bump: {report.suggested_bump.value}")
    if fail_on is not FailOn.BREAKING:
        verdict = "fails" if report.fails(fail_on) else "passes"
        lines.append(f"--fail-on {fail_on.value}: {verdict}")
    return "\n".join(lines) + "\n"


def report_data(report: Report, fail_on: FailOn = FailOn.BREAKING) -> dict[str, Any]:
    """The JSON document (``docs/diff.md`` describes every field)."""
    return {
        "format_version": JSON_FORMAT_VERSION,
        "title": report.title,
        "old_version": report.old_version,
        "new_version": report.new_version,
        "breaking": report.breaking,
        "fail_on": fail_on.value,
        "fails": report.fails(fail_on),
        "suggested_bump": report.suggested_bump.value,
        "summary": {s.value: len(report.by_severity(s)) for s in Severity},
        "changes": [
            {
                "kind": c.kind,
                "severity": c.severity.value,
                "location": c.location,
                "route": c.route or None,
                "message": c.message,
                "usages": [
                    {
                        "route": u.route or None,
                        "method": u.method or None,
                        "role": u.role,
                        "direction": u.direction,
                        "severity": u.severity.value,
                    }
                    for u in c.usages
                ],
            }
            for c in report.ordered()
        ],
    }


def render_json(report: Report, fail_on: FailOn = FailOn.BREAKING) -> str:
    return json.dumps(report_data(report, fail_on), indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    """Spec text inside Markdown: escape what would start markup or close a table cell."""
    return (
        text.replace("\\", "\\\\")
        .replace("<", "&lt;")
        .replace("*", "\\*")
        .replace("_", "\\_")
        .replace("|", "\\|")
        .replace("\n", " ")
    )


def _code(text: str) -> str:
    return "`" + text.replace("`", "").replace("\n", " ") + "`"


def render_markdown(
    report: Report,
    *,
    level: int = 2,
    title: bool = True,
    fail_on: FailOn | None = None,
    usages: int = _TEXT_USAGES,
) -> str:
    """Sections per severity (worst first); ``level`` is the heading depth of the sections.

    With ``fail_on`` (a pull-request comment) a verdict line and the counts open the text;
    each schema change lists up to ``usages`` of the operations it affects.
    """
    lines: list[str] = []
    if title:
        lines += [f"{'#' * level} {_md(_heading(report))}", ""]
        level += 1
    if fail_on is not None:
        verdict = "❌ fails" if report.fails(fail_on) else "✅ passes"
        bump = report.suggested_bump.value
        lines.append(
            f"**{verdict}** `--fail-on {fail_on.value}`: {_counts(report)}; "
            f"suggested version bump **{bump}**."
        )
        lines.append("")
    for severity in Severity:
        changes = report.by_severity(severity)
        if not changes:
            continue
        lines += [f"{'#' * level} {severity.heading} ({len(changes)})", ""]
        for c in changes:
            route = f" ({_code(c.route)})" if c.route else ""
            lines.append(f"- {_code(c.location)}{route}: {_md(c.message)}")
            used = "" if c.route else _used_by(c.usages, usages)
            if used:
                lines.append(f"  <sub>{_md(used)}</sub>")
        lines.append("")
    if not report.changes:
        lines += ["No client-visible changes.", ""]
    if fail_on is None:
        lines.append(f"Suggested version bump: **{report.suggested_bump.value}**.")
    return "\n".join(lines).rstrip("\n") + "\n"
