"""Rendering: the file plan (output path → template + view) and the Jinja environment, compiled
once. Pure: the same client plan always gives the same files."""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterator
from typing import Any

import jinja2

from ..paths import templates_dir
from ..plan.model import ClientPlan
from ..records import record
from .docs import build_docs
from .docs.markdown import md_fence
from .mcp import McpView, mcp_view
from .models import (
    CHUNK_SIZE,
    ModelsModule,
    ParamsModule,
    build_models_modules,
    build_params_modules,
)
from .namespaces import type_namespaces
from .package import package_view
from .sort_order import sorted_dunder_all, sorted_members

CUSTOM_CODE_DIR = "lib"
"""Below the package: created once, never overwritten or deleted by regeneration."""


@functools.lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates_dir())),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change mid-run: no stat per rendered file
        autoescape=False,  # output is Python/Markdown/TOML; spec text arrives pre-escaped
    )
    env.filters["fence"] = md_fence
    env.filters["dunder_all"] = sorted_dunder_all  # written sorted: formatting sorts nothing
    env.filters["member_order"] = sorted_members
    return env


@record
class RenderedFile:
    path: str
    """Relative to the output folder, always with ``/``."""
    body: str | Callable[[], Iterator[str]]
    """The text, or for the big docs a function that renders it in pieces, so a caller that
    writes them as they come never holds the file whole (``api.md`` is 63 MB on Microsoft Graph
    beta, and joining jinja's pieces took three times that)."""
    custom: bool = False
    """Part of the custom-code area: written only when absent."""

    @property
    def content(self) -> str:
        return self.body if isinstance(self.body, str) else "".join(self.body())

    def encoded(self, batch: int = 1 << 20, join: int = 256) -> Iterator[bytes]:
        """The file as UTF-8, in pieces of about ``batch`` characters (one for a plain text).
        Jinja's pieces are joined ``join`` at a time: counting each of millions (``api.md``)
        cost more than rendering them; 256 is a few kB of ``api.md``, about 1 MB at most of
        ``tools.json`` (whose pieces are whole tools)."""
        if isinstance(self.body, str):
            yield self.body.encode("utf-8")
            return
        pieces = self.body()
        pending: list[str] = []
        size = 0
        while chunk := list(itertools.islice(pieces, join)):
            text = "".join(chunk)
            pending.append(text)
            size += len(text)
            if size >= batch:
                yield "".join(pending).encode("utf-8")
                pending.clear()
                size = 0
        if pending:
            yield "".join(pending).encode("utf-8")


def render_project(plan: ClientPlan, *, chunk_size: int | None = None) -> list[RenderedFile]:
    """Every file of the client project, unformatted, sorted by path. ``chunk_size`` bounds the
    statements per ``types`` module (default ``CHUNK_SIZE``, read at call time so a test can
    lower it to force the split)."""
    return sorted(iter_project(plan, chunk_size=chunk_size), key=lambda f: f.path)


def iter_project(plan: ClientPlan, *, chunk_size: int | None = None) -> Iterator[RenderedFile]:
    """The files of :func:`render_project` one at a time, in no particular order, so a caller that
    writes each as it comes never holds the whole output (174 MB on Microsoft Graph beta)."""
    env = environment()
    pkg = package_view(plan)
    chunk_size = CHUNK_SIZE if chunk_size is None else chunk_size
    models = build_models_modules(plan, chunk_size)
    params = build_params_modules(plan, models, chunk_size)
    base = plan.module
    server = mcp_view(plan) if plan.mcp else None  # None: no server
    mcp: McpView | None = server[0] if server else None
    context: dict[str, Any] = {"pkg": pkg, "mcp": mcp}
    paths: set[str] = set()

    def file(
        path: str, content: str | Callable[[], Iterator[str]], custom: bool = False
    ) -> RenderedFile:
        paths.add(path)
        return RenderedFile(path, content, custom)

    def add(path: str, template: str, custom: bool = False, **extra: Any) -> RenderedFile:
        return file(path, env.get_template(template).render(**context, **extra), custom)

    def streamed(path: str, template: str, **extra: Any) -> RenderedFile:
        return file(path, lambda: env.get_template(template).generate(**context, **extra))

    if server is not None:  # first, so the catalog text is let go before the rest renders
        yield file(f"{base}/mcp/tools.json", server[1])
        server = None
    yield add(f"{base}/__init__.py", "package/__init__.py.jinja")
    yield add(f"{base}/_version.py", "package/_version.py.jinja")
    yield add(f"{base}/_client.py", "package/_client.py.jinja", root=pkg.root)
    yield add(f"{base}/py.typed", "package/py.typed.jinja")
    modules: list[ModelsModule | ParamsModule] = [*models, *params]
    exports = sorted_dunder_all(name for module in modules for name in module.names)
    yield add(
        f"{base}/types/__init__.py",
        "package/types/__init__.py.jinja",
        modules=modules,
        exports=exports,
    )
    for module in models:
        yield add(
            f"{base}/types/{module.module}.py", "package/types/_models.py.jinja", models=module
        )
    for chunk in params:
        yield add(f"{base}/types/{chunk.module}.py", "package/types/_params.py.jinja", params=chunk)
    for space in type_namespaces(plan):
        yield add(f"{base}/{space.file_path}", "package/types/namespace.py.jinja", space=space)
    yield add(f"{base}/{CUSTOM_CODE_DIR}/__init__.py", "package/lib/__init__.py.jinja", custom=True)
    for res in pkg.resources:
        if res.mixin_module is not None:  # a stub so a fresh output imports; the user's copy wins
            parts = res.mixin_module.split(".")
            for i in range(1, len(parts)):
                init = f"{base}/{CUSTOM_CODE_DIR}/{'/'.join(parts[:i])}/__init__.py"
                yield file(init, '"""Custom code."""\n', custom=True)
            yield add(
                f"{base}/{CUSTOM_CODE_DIR}/{'/'.join(parts)}.py",
                "package/lib/mixin.py.jinja",
                custom=True,
                res=res,
            )
    packages = {"resources"}
    for res in pkg.resources:
        yield add(f"{base}/{res.file_path}", "package/resource.py.jinja", res=res)
        parts = res.file_path.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            packages.add("/".join(parts[:i]))
    for package_dir in sorted(packages):
        init = f"{base}/{package_dir}/__init__.py"
        if init not in paths:
            yield file(
                init, '"""Generated resources; see the client class for the entry points."""\n'
            )
    for runtime in sorted((templates_dir() / "runtime").glob("*.py")):
        yield file(f"{base}/{runtime.name}", runtime.read_text(encoding="utf-8"))
    if mcp is not None:
        for name in ("__init__", "__main__", "_catalog", "_calls", "server"):
            yield add(f"{base}/mcp/{name}.py", f"package/mcp/{name}.py.jinja")
    yield add("pyproject.toml", "project/pyproject.toml.jinja")
    docs = build_docs(plan)
    yield streamed("README.md", "project/README.md.jinja", docs=docs)
    yield streamed("api.md", "project/api.md.jinja", docs=docs)
    yield add("LICENSE", "project/LICENSE.jinja")
    # Owned by `apigen update` (and the maintainer) after the first generation: never overwritten.
    yield add("CHANGELOG.md", "project/CHANGELOG.md.jinja", custom=True, docs=docs)
    yield add(".gitignore", "project/gitignore.jinja", custom=True)  # the maintainer's to extend
