"""``apigen diff``: a semantic diff of two specs on the IR, classified for client users."""

from .compare import diff_apis
from .model import Bump, Change, FailOn, Report, Severity, Usage
from .render import render_json, render_markdown, render_text

__all__ = [
    "Bump",
    "Change",
    "FailOn",
    "Report",
    "Severity",
    "Usage",
    "diff_apis",
    "render_json",
    "render_markdown",
    "render_text",
]
