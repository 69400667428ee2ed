"""The stages wired together: load → IR → names → plan → render → format → write (or compare)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__
from .config import ProjectConfig
from .emit.format import format_tree
from .emit.render import RenderedFile, render_project
from .errors import ApigenError, SpecWarning
from .fingerprint import generator_fingerprint
from .ir import Api, build_api
from .load import Document, load_spec
from .naming import name_api
from .paths import spec_label
from .plan import ClientPlan, build_plan
from .write.manifest import MANIFEST_NAME, Manifest, file_digest
from .write.output import carry_over, stage_files, swap_into_place


@dataclass
class Generation:
    """A rendered and formatted project, held in a staging folder until written or discarded."""

    document: Document
    api: Api
    package: ClientPlan
    staging: Path
    manifest: Manifest
    custom_files: list[str]
    warnings: list[SpecWarning] = field(default_factory=list)

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def files(self) -> dict[str, bytes]:
        """Generated files (manifest included, custom-code area excluded) by relative path."""
        out = {path: (self.staging / path).read_bytes() for path in self.manifest.files}
        out[MANIFEST_NAME] = (self.staging / MANIFEST_NAME).read_bytes()
        return out


@dataclass(frozen=True)
class InputPolicy:
    """How far to trust the input: what ``$ref`` may reach, and whether warnings are fatal."""

    outside: bool = False
    """Let ``$ref`` read files outside the spec's folder (``../../etc/passwd``, absolute paths)."""
    remote: bool = False
    """Let ``$ref`` fetch http(s) URLs."""
    strict: bool = False
    """Treat every warning (degraded construct, duplicate operationId, bad default) as an error."""


def load_api(
    spec: str | Path, warnings: list[SpecWarning] | None = None, refs: InputPolicy = InputPolicy()
) -> tuple[Document, Api]:
    document = load_spec(spec, allow_outside_refs=refs.outside, allow_remote_refs=refs.remote)
    collected = warnings if warnings is not None else []
    collected.extend(getattr(document, "warnings", ()))
    api = name_api(build_api(document, collected))
    if refs.strict and collected:
        first = collected[0]
        more = f" (and {len(collected) - 1} more)" if len(collected) > 1 else ""
        raise ApigenError(
            f"{first.message}{more}; --strict makes warnings errors",
            pointer=first.pointer,
            location=document.locate(first.pointer),
        )
    return document, api


def render(
    spec: Path,
    config: ProjectConfig,
    staging_parent: Path | None = None,
    out_name: str = "out",
    spec_source: str | None = None,
    refs: InputPolicy = InputPolicy(),
) -> Generation:
    """Render and format the whole project into a staging folder (nothing else is touched).

    ``spec_source`` overrides how the manifest names the spec (``update`` renders a fetched spec
    from a temporary file before vendoring it).
    """
    warnings: list[SpecWarning] = []
    document, api = load_api(spec, warnings, refs)
    package = build_plan(api, without_stale_bindings(api, config, warnings))
    rendered = render_project(package)
    parent = staging_parent or Path(tempfile.gettempdir())
    staging = stage_files(
        parent / out_name, ((f.path, f.content.encode("utf-8")) for f in rendered)
    )
    try:
        format_tree(staging, config.formatter)
        manifest = _manifest(
            document, package, config, spec_source or spec_label(spec, config), staging, rendered
        )
        (staging / MANIFEST_NAME).write_text(manifest.to_json(), encoding="utf-8")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    custom = [f.path for f in rendered if f.custom]
    return Generation(document, api, package, staging, manifest, custom, warnings)


def without_stale_bindings(
    api: Api, config: ProjectConfig, warnings: list[SpecWarning]
) -> ProjectConfig:
    """Drop (with a warning) naming-config entries for operations the spec no longer has.

    Upstream removing an operation must not make ``apigen update`` fail; the maintainer deletes
    the stale entry at leisure. The manifest still records the config as written.
    """
    known = {f"{op.method.upper()} {op.path}" for op in api.operations} | {
        op.operation_id for op in api.operations
    }
    stale = [key for key in config.resources if key not in known]
    for key in stale:
        warnings.append(
            SpecWarning(
                f"naming config entry {key!r} matches no operation; ignored",
                f"apigen.yaml#/resources/{key}",
            )
        )
    if not stale:
        return config
    return replace(config, resources={k: v for k, v in config.resources.items() if k in known})


def _manifest(
    document: Document,
    package: ClientPlan,
    config: ProjectConfig,
    spec_source: str,
    staging: Path,
    rendered: list[RenderedFile],
) -> Manifest:
    return Manifest(
        generator_version=__version__,
        generator_fingerprint=generator_fingerprint(config.formatter),
        spec_source=spec_source,
        spec_version=package.api.version,
        spec_sha256=document.sha256,
        config_sha256=config.digest(),
        package_version=package.version,
        files={
            f.path: file_digest((staging / f.path).read_bytes()) for f in rendered if not f.custom
        },
        custom_dirs=(f"{package.module}/lib",),
    )


def generate(
    spec: Path, config: ProjectConfig, out_dir: Path, refs: InputPolicy = InputPolicy()
) -> Generation:
    """Regenerate ``out_dir`` atomically; unchanged output is left untouched (mtimes too)."""
    generation = render(
        spec, config, staging_parent=out_dir.parent, out_name=out_dir.name, refs=refs
    )
    try:
        old = Manifest.read(out_dir)
        if old is not None and _unchanged(out_dir, generation):
            generation.discard()
            return generation
        generated = set(generation.manifest.files) | {MANIFEST_NAME}
        if old is not None:
            generated |= set(old.files)
        carry_over(out_dir, generation.staging, generated)
        swap_into_place(generation.staging, out_dir)
    except BaseException:
        generation.discard()
        raise
    return generation


def _unchanged(out_dir: Path, generation: Generation) -> bool:
    for path, data in generation.files().items():
        target = out_dir / path
        try:
            if target.read_bytes() != data:
                return False
        except OSError:
            return False
    for path in generation.custom_files:
        if not (out_dir / path).exists():
            return False
    old = Manifest.read(out_dir)
    return old is not None and set(old.files) == set(generation.manifest.files)
