"""The stages wired together: load → IR → names → plan → render → format → write (or compare)."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import __version__, progress
from .config import ProjectConfig
from .errors import ApigenError, SpecWarning
from .fingerprint import generator_fingerprint
from .heap import long_lived_stages
from .input_policy import TRUST_NOTHING, InputPolicy
from .ir import Api, build_api
from .load import Document, load_spec
from .naming import name_api
from .paths import spec_label
from .plan import ClientPlan, build_plan
from .records import record
from .timings import Timings
from .versioning import version_note
from .write import files
from .write.commit import commit_output
from .write.format import format_tree
from .write.manifest import MANIFEST_NAME, Manifest, path_digest
from .write.output import ensure_writable, output_folder, stage_files


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
    timings: Timings = field(default_factory=Timings)
    written: bool = False
    """Whether the output folder was replaced (``False``: it already held exactly this)."""
    renamed: list[tuple[str, str, str]] = field(default_factory=list)
    """Methods the previous generation in the output folder called by another name."""

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)

    def files(self) -> dict[str, bytes]:
        """Generated files (manifest included, custom-code area excluded) by relative path."""
        out = {path: (self.staging / path).read_bytes() for path in self.manifest.files}
        out[MANIFEST_NAME] = (self.staging / MANIFEST_NAME).read_bytes()
        return out

    def generated_paths(self, old: Manifest | None) -> set[str]:
        """Every path apigen owns in the output folder: this run's files and the old manifest's."""
        paths = set(self.manifest.files) | {MANIFEST_NAME}
        return paths | set(old.files) if old is not None else paths


@record
class RenderedPath:
    """A file already in the staging folder: where, and whether it is custom code."""

    path: str
    custom: bool


def load_api(
    spec: str | Path,
    warnings: list[SpecWarning] | None = None,
    refs: InputPolicy = TRUST_NOTHING,
    timings: Timings | None = None,
) -> tuple[Document, Api]:
    with long_lived_stages():
        return _load_api(spec, warnings, refs, timings)


def _load_api(
    spec: str | Path,
    warnings: list[SpecWarning] | None,
    refs: InputPolicy,
    timings: Timings | None,
) -> tuple[Document, Api]:
    clock = timings if timings is not None else Timings()
    with clock.stage("load", unit="bytes"):
        document = load_spec(spec, allow_outside_refs=refs.outside, allow_remote_refs=refs.remote)
    collected = warnings if warnings is not None else []
    collected.extend(getattr(document, "warnings", ()))
    with clock.stage("ir", unit="schemas"):
        api = build_api(document, collected)
        progress.advance(len(api.schemas))
    document = document.without_tree()
    with clock.stage("name", unit="operations"):
        api = name_api(api)
        progress.advance(len(api.operations))
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
    spec: str | Path,
    config: ProjectConfig,
    staging_parent: Path | None = None,
    out_name: str = "out",
    spec_source: str | None = None,
    refs: InputPolicy = TRUST_NOTHING,
) -> Generation:
    """Render and format the whole project into a staging folder (nothing else is touched).

    ``spec_source`` overrides how the manifest names the spec (``update`` renders a fetched spec
    from a temporary file before vendoring it).
    """
    with long_lived_stages():
        return _render(spec, config, staging_parent, out_name, spec_source, refs)


def _render(
    spec: str | Path,
    config: ProjectConfig,
    staging_parent: Path | None,
    out_name: str,
    spec_source: str | None,
    refs: InputPolicy,
) -> Generation:
    timings = Timings()
    warnings: list[SpecWarning] = []
    document, api = load_api(spec, warnings, refs, timings)
    note = None if config.package.version else version_note(api.version)
    if note is not None:
        warnings.append(SpecWarning(note, "#/info/version"))
    with timings.stage("plan", unit="types"):
        package = build_plan(api, without_stale_bindings(api, config, warnings))
        progress.advance(len(package.types))
    # Imported here: the templates (jinja2) are for generating; `apigen diff` loads specs only.
    from .emit.render import iter_project

    rendered: list[RenderedPath] = []  # each file is written as it comes, then let go

    def encoded() -> Iterator[tuple[str, Iterator[bytes]]]:
        for file in iter_project(package):
            rendered.append(RenderedPath(file.path, file.custom))
            progress.advance()
            yield file.path, file.encoded()

    with timings.stage("render", unit="files"):
        parent = staging_parent or Path(tempfile.gettempdir())
        staging = stage_files(parent / out_name, encoded())
    rendered.sort(key=lambda f: f.path)
    try:
        with timings.stage("format", unit="files"):
            progress.advance(len(rendered))
            format_tree(staging, config.formatter)
        manifest = _manifest(
            document, package, config, spec_source or spec_label(spec, config), staging, rendered
        )
        files.write_new(staging / MANIFEST_NAME, manifest.to_json().encode("utf-8"))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    custom = [f.path for f in rendered if f.custom]
    return Generation(document, api, package, staging, manifest, custom, warnings, timings)


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
    rendered: list[RenderedPath],
) -> Manifest:
    return Manifest(
        generator_version=__version__,
        generator_fingerprint=generator_fingerprint(config.formatter),
        spec_source=spec_source,
        spec_version=package.api.version,
        spec_sha256=document.sha256,
        spec_self_contained=document.self_contained,
        config_sha256=config.digest(),
        package_version=package.version,
        files={f.path: path_digest(staging / f.path) for f in rendered if not f.custom},
        custom_dirs=(f"{package.module}/lib",),
        methods={
            f"{op.operation.method.upper()} {op.operation.path}": ".".join(op.method_path)
            for op in package.methods()
            if not op.alias_of
        },
    )


def renamed_methods(old: Manifest | None, new: Manifest) -> list[tuple[str, str, str]]:
    """``(operation, old method path, new method path)`` for each operation both generations
    have whose method moved (a new generator's default rules, a config change)."""
    if old is None:
        return []
    return [
        (key, before, new.methods[key])
        for key, before in sorted(old.methods.items())
        if key in new.methods and new.methods[key] != before
    ]


def generate(
    spec: str | Path, config: ProjectConfig, out_dir: Path, refs: InputPolicy = TRUST_NOTHING
) -> Generation:
    """Regenerate ``out_dir`` atomically; unchanged output is left untouched (mtimes too).

    A symlinked ``out_dir`` is written through: its target is replaced and the link stays.
    """
    target = output_folder(out_dir)
    ensure_writable(target)
    old = Manifest.read(target)
    generation = render(spec, config, staging_parent=target.parent, out_name=target.name, refs=refs)
    generation.renamed = renamed_methods(old, generation.manifest)
    try:
        with generation.timings.stage("write", unit="files"):
            progress.advance(len(generation.manifest.files))
            if old is not None and _unchanged(target, generation, old):
                generation.discard()
                return generation
            commit_output(generation.staging, target, generation.generated_paths(old))
    except BaseException:
        generation.discard()
        raise
    generation.written = True
    return generation


def _unchanged(out_dir: Path, generation: Generation, old: Manifest) -> bool:
    if set(old.files) != set(generation.manifest.files):
        return False
    for path in (*generation.manifest.files, MANIFEST_NAME):
        if not files.same_bytes(out_dir / path, generation.staging / path):
            return False
    return all((out_dir / path).exists() for path in generation.custom_files)
