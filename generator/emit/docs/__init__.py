"""The generated project's documentation: the README and ``api.md``.

``picks`` chooses the example calls by shape, ``examples`` makes their argument values,
``readme`` and ``reference`` gather each page's facts; the pages themselves (prose and code
blocks) are the templates ``README.md.jinja``, ``readme.py.jinja`` and ``api.md.jinja``. Spec
prose passes through ``markdown`` (escaping) and values through ``py_literal``.
"""

from __future__ import annotations

import re

from ...literals import clean_text
from ...plan.model import ClientPlan
from ...records import record
from . import picks
from .examples import ExampleValues
from .markdown import md_block, md_cell, md_code
from .readme import ReadmeDoc, build_readme
from .reference import ModelDoc, ResourceDoc, model_docs, resource_docs


@record
class DocsView:
    title: str
    description: str
    spec_version: str
    openapi: str
    package_version: str
    version_scheme: str
    base_url: str
    user_agent: str
    readme: ReadmeDoc
    resources: list[ResourceDoc]
    models: list[ModelDoc]


def build_docs(plan: ClientPlan) -> DocsView:
    api = plan.api
    values = ExampleValues(api)
    entries = picks.entries(plan)
    return DocsView(
        title=md_cell(plan.title),
        description=md_block(api.description) if clean_text(api.description) != plan.title else "",
        spec_version=md_code(api.version),
        openapi=md_code(api.openapi),
        package_version=md_code(plan.version),
        version_scheme=_version_scheme(plan),
        base_url=md_code(plan.base_url),
        user_agent=md_code(f"{plan.distribution}/{plan.version} (python; apigen)"),
        readme=build_readme(plan, entries, values),
        resources=resource_docs(entries, values),
        models=model_docs(plan),
    )


def _version_scheme(plan: ClientPlan) -> str:
    base = re.sub(r"\.post\d+$", "", plan.version)
    return md_cell(
        f"The package version is the spec's info.version ({plan.api.version} → {base}); when "
        f"only the generator changes, apigen's post counter is appended ({base}.post1, "
        f"{base}.post2, ...) so every published build has a distinct version."
    )


__all__ = ["DocsView", "build_docs"]
