"""A diff report as text (terminal), JSON (tools) or Markdown (CHANGELOG, pull requests)."""

from __future__ import annotations

import json

from .model import Report, Severity


def _heading(report: Report) -> str:
    return f"{report.title} {report.old_version} → {report.new_version}"


def _counts(report: Report) -> str:
    parts = [f"{len(report.by_severity(s))} {s.value}" for s in Severity]
    return ", ".join(parts)


def render_text(report: Report) -> str:
    lines = [f"{_heading(report)}: {_counts(report)}"]
    for severity in Severity:
        changes = report.by_severity(severity)
        if changes:
            lines.append("")
            lines.append(f"{severity.heading} ({len(changes)}):")
            lines.extend(f"  - {c.location}: {c.message}" for c in changes)
    if not report.changes:
        lines.append("no client-visible changes")
    lines.append("")
    lines.append(f"suggested version bump: {report.suggested_bump.value}")
    return "\n".join(lines) + "\n"


def render_json(report: Report) -> str:
    data = {
        "title": report.title,
        "old_version": report.old_version,
        "new_version": report.new_version,
        "breaking": report.breaking,
        "suggested_bump": report.suggested_bump.value,
        "summary": {s.value: len(report.by_severity(s)) for s in Severity},
        "changes": [
            {
                "kind": c.kind,
                "severity": c.severity.value,
                "location": c.location,
                "message": c.message,
            }
            for c in report.ordered()
        ],
    }
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"


def _md(text: str) -> str:
    """Spec text inside Markdown: code-span the location, escape what would start markup."""
    return text.replace("\\", "\\\\").replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_")


def render_markdown(report: Report, *, level: int = 2, title: bool = True) -> str:
    """Sections per severity (worst first); ``level`` is the heading depth of the sections."""
    lines: list[str] = []
    if title:
        lines += [f"{'#' * level} {_md(_heading(report))}", ""]
        level += 1
    for severity in Severity:
        changes = report.by_severity(severity)
        if not changes:
            continue
        lines += [f"{'#' * level} {severity.heading}", ""]
        lines += [f"- `{c.location.replace('`', '')}`: {_md(c.message)}" for c in changes]
        lines.append("")
    if not report.changes:
        lines += ["No client-visible changes.", ""]
    lines.append(f"Suggested version bump: **{report.suggested_bump.value}**.")
    return "\n".join(lines) + "\n"
