"""``apigen update``: fetch the upstream spec and, when it changed, release a new client.

Everything that can fail (fetch, parse, validation, the diff, rendering, formatting) happens
before the first byte lands in the project; then the spec, ``apigen.yaml`` and the output folder
go through the write stage's one commit sequence (``generator.write.commit``), the same one
``generate`` uses: all three are replaced, or on any failure (a full disk included) none is.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable
from dataclasses import field, replace
from pathlib import Path

import yaml
from packaging.version import InvalidVersion, Version

from .config import CONFIG_FILE, ProjectConfig, load_config
from .diff import Report, Severity, diff_apis, render_markdown
from .errors import ApigenError, SpecWarning
from .input_policy import InputPolicy
from .ir import Api
from .load.fetch import read_source
from .paths import spec_label
from .pipeline import load_api, renamed_methods, render
from .records import record
from .timings import Timings
from .versioning import package_version
from .write import files
from .write.commit import commit_output
from .write.manifest import Manifest
from .write.output import ensure_writable, output_folder

CHANGELOG = "CHANGELOG.md"
"""Lives in the output folder beside the package; not in the manifest, so regeneration keeps it."""
_CHANGELOG_TITLE = "# Changelog\n"


@record
class UpdateResult:
    message: str
    updated: bool
    package_version: str = ""
    report: Report | None = None
    warnings: list[SpecWarning] = field(default_factory=list)
    """What rendering the new spec reported (e.g. stale ``resources:`` entries in apigen.yaml)."""
    timings: Timings = field(default_factory=Timings)


def update(
    config_file: Path | None,
    source: str | None,
    *,
    timeout: float = 30.0,
    warn: Callable[[str], None] = lambda _: None,
    strict: bool = False,
) -> UpdateResult:
    """Fetch ``source`` (default: the config's ``upstream``); see the module docstring.

    ``strict`` makes every warning about the new spec an error, as ``--strict`` does.
    """
    if config_file is None and (Path.cwd() / CONFIG_FILE).is_file():
        config_file = Path.cwd() / CONFIG_FILE
    config = load_config(config_file)
    source = source or config.upstream
    if not source:
        raise ApigenError(
            f"nothing to fetch: pass --from URL_OR_PATH or set 'upstream' in {CONFIG_FILE}"
        )
    timings = Timings()
    with timings.stage("fetch", unit="bytes"):
        raw = read_source(source, timeout=timeout)
    spec_path = config.path(config.spec)
    out_dir = output_folder(config.path(config.output))
    old_raw = spec_path.read_bytes() if spec_path.is_file() else None
    with tempfile.TemporaryDirectory(prefix="apigen-update-") as tmp:
        fetched = Path(tmp) / spec_path.name
        fetched.write_bytes(raw)
        policy = InputPolicy(strict=strict)
        new_api = _load_fetched(fetched, source, policy)
        if old_raw is not None and hashlib.sha256(old_raw).digest() == hashlib.sha256(raw).digest():
            return UpdateResult(
                f"up to date (spec {new_api.version}, {source})", updated=False, timings=timings
            )
        ensure_writable(out_dir)
        old_api = load_api(spec_path)[1] if old_raw is not None else None
        if old_api is not None and old_api.version == new_api.version:
            warn(
                "the spec's content changed but its info.version is still "
                f"{new_api.version}; regenerating anyway"
            )
        report = (
            diff_apis(old_api, new_api, old_config=config, new_config=config)
            if old_api is not None
            else None
        )
        old_manifest = Manifest.read(out_dir)
        old_version = (
            old_manifest.package_version
            if old_manifest
            else (package_version(old_api.version, config) if old_api else "")
        )
        new_config, config_text = _bump(config, config_file, old_version, new_api)
        generation = render(
            fetched,
            new_config,
            staging_parent=out_dir.parent,
            out_name=out_dir.name,
            spec_source=spec_label(spec_path, config),
            refs=policy,
        )
        timings.stages.extend(generation.timings.stages)
        reported = (
            {c.location for c in report.changes if c.kind == "method-renamed"} if report else set()
        )
        for operation, before, after in renamed_methods(old_manifest, generation.manifest):
            if f"client.{after}" not in reported:  # renamed by the generator, not by the spec
                warn(
                    f"renamed client.{before}() to client.{after}() ({operation}); calls to the "
                    "old name break: pin it under `resources:` in apigen.yaml to keep it"
                )
        caution = _version_caution(report, old_version, generation.package.version, new_api)
        if caution is not None:
            warn(caution)
        try:
            with timings.stage("write"):
                _write_changelog(
                    out_dir,
                    generation.staging,
                    changelog_entry(generation.package.version, old_api, new_api, report, caution),
                )
                changed = [(spec_path, raw)]
                if config_file is not None and config_text is not None:
                    changed.append((config_file, config_text.encode("utf-8")))
                generated = generation.generated_paths(old_manifest) | {CHANGELOG}
                commit_output(generation.staging, out_dir, generated, changed)
        except BaseException:
            generation.discard()
            raise
    bump = report.suggested_bump.value if report else "initial"
    breaking = f", {len(report.by_severity(Severity.BREAKING))} breaking" if report else ""
    return UpdateResult(
        f"updated {old_api.version if old_api else '(none)'} → {new_api.version}: "
        f"{generation.package.module} {generation.package.version} ({bump}{breaking}); "
        f"see {out_dir / CHANGELOG}",
        updated=True,
        package_version=generation.package.version,
        report=report,
        warnings=generation.warnings,
        timings=timings,
    )


def _version_caution(
    report: Report | None, old_version: str, new_version: str, new_api: Api
) -> str | None:
    """A loud word when breaking changes ship under the same release (only ``.postN`` moved)."""
    if report is None or not report.breaking or not old_version:
        return None
    if _version(new_version).release != _version(old_version).release:
        return None
    return (
        f"BREAKING changes, but the package version only moves {old_version} → {new_version}: "
        f"the spec's info.version {new_api.version!r} gives the same release; pin package.version "
        f"in {CONFIG_FILE} to release them as a new major version"
    )


def _load_fetched(path: Path, source: str, policy: InputPolicy) -> Api:
    """Parse and check the fetched spec; errors name the source, not the temporary copy."""
    try:
        return load_api(path, refs=policy)[1]
    except ApigenError as exc:
        if exc.location:
            exc.location = exc.location.replace(str(path), source)
        raise


# ---------------------------------------------------------------------------------- version bump
def _version(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion:
        return Version("0")


def _bump(
    config: ProjectConfig, config_file: Path | None, old_version: str, new_api: Api
) -> tuple[ProjectConfig, str | None]:
    """The config that makes the new package version higher than ``old_version``, and its new text.

    Normally the spec's ``info.version`` moves and ``package.post`` returns to 0; when it does
    not, ``post`` counts up. A pinned ``package.version`` gets its last number raised.
    """
    old = _version(old_version)
    package = config.package
    if package.version:
        if _version(package.version) > old:
            return config, None
        new_package = replace(package, version=_raise_last(old_version or package.version))
        key, value = "version", new_package.version
    else:
        fresh = replace(package, post=0)
        candidate = _version(package_version(new_api.version, replace(config, package=fresh)))
        if candidate > old:
            new_package = fresh
        elif candidate.release == old.release:
            new_package = replace(package, post=(old.post or 0) + 1)
        else:
            raise ApigenError(
                f"the new spec's info.version {new_api.version!r} is lower than the released "
                "package "
                f"{old_version}; set package.version in {CONFIG_FILE}"
            )
        key, value = "post", str(new_package.post)
    if new_package == package:
        return config, None
    if config_file is None:
        raise ApigenError(
            f"the package version must move to record this update, but there is no {CONFIG_FILE}"
        )
    text = set_package_key(config_file.read_text(encoding="utf-8"), key, value)
    return replace(config, package=new_package), text


def _raise_last(version: str) -> str:
    parsed = _version(version)
    release = list(parsed.release or (0,))
    release[-1] += 1
    return ".".join(str(n) for n in release)


_PACKAGE_LINE = re.compile(r"^package:\s*(#.*)?$")


def set_package_key(text: str, key: str, value: str) -> str:
    """Set ``package.<key>`` in the YAML text, keeping comments and layout everywhere else."""
    lines = text.splitlines(keepends=True)
    start = next(
        (i for i, line in enumerate(lines) if _PACKAGE_LINE.match(line.rstrip("\n"))), None
    )
    if start is None:
        if any(line.startswith("package:") for line in lines):
            raise ApigenError(
                f"write 'package' in {CONFIG_FILE} as a block mapping so apigen can set "
                f"package.{key}"
            )
        sep = "" if not text or text.endswith("\n") else "\n"
        new_text = f"{text}{sep}package:\n  {key}: {value}\n"
    else:
        end = start + 1
        while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
            end += 1
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1  # trailing blank lines belong to what follows
        block = lines[start + 1 : end]
        indent = next((ln[: len(ln) - len(ln.lstrip(" \t"))] for ln in block if ln.strip()), "  ")
        pattern = re.compile(rf"^{re.escape(indent)}{re.escape(key)}\s*:.*$")
        for offset, line in enumerate(block):
            if pattern.match(line.rstrip("\n")):
                lines[start + 1 + offset] = f"{indent}{key}: {value}\n"
                break
        else:
            lines.insert(end, f"{indent}{key}: {value}\n")
        new_text = "".join(lines)
    parsed = yaml.safe_load(new_text) or {}
    if str((parsed.get("package") or {}).get(key)) != value:
        raise ApigenError(
            f"could not set package.{key} in {CONFIG_FILE}; set it to {value} by hand"
        )
    return new_text


# ---------------------------------------------------------------------------------- CHANGELOG
def changelog_entry(
    version: str,
    old_api: Api | None,
    new_api: Api,
    report: Report | None,
    caution: str | None = None,
) -> str:
    """One release section: a version caution first, then breaking changes (worst-first)."""
    spec = f"spec {old_api.version} → {new_api.version}" if old_api else f"spec {new_api.version}"
    head = f"## {version} ({spec})\n\n"
    if caution is not None:
        head += f"> **Warning:** {caution}.\n\n"
    if report is None:
        return head + "First release generated from this spec.\n"
    return head + render_markdown(report, level=3, title=False)


def _write_changelog(out_dir: Path, staging: Path, entry: str) -> None:
    """Insert ``entry`` above the newest release of the project's CHANGELOG, into ``staging``.

    The maintainer's file (``out_dir``) is the base, else the rendered default; the staged copy
    then replaces it with the rest of the tree.
    """
    current = out_dir / CHANGELOG
    staged = staging / CHANGELOG
    base = current if current.is_file() else staged
    previous = base.read_text(encoding="utf-8") if base.is_file() else _CHANGELOG_TITLE
    lines = previous.splitlines(keepends=True)
    first = next((i for i, line in enumerate(lines) if line.startswith("## ")), len(lines))
    head = "".join(lines[:first]).rstrip("\n") + "\n\n"
    rest = "".join(lines[first:])
    staged.unlink(missing_ok=True)
    text = (head + entry + ("\n" + rest if rest else "")).rstrip("\n") + "\n"
    files.write_new(staged, text.encode("utf-8"))
