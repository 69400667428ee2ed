"""Command line: parse arguments, call one pipeline function, map errors to exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from . import __version__
from .config import ProjectConfig, find_config
from .errors import ApigenError, SpecWarning

if TYPE_CHECKING:  # the pipeline is imported lazily, per command
    from .input_policy import InputPolicy
    from .timings import Timings

EXIT_BAD_INPUT = 2
_FAIL_ON = ("breaking", "potentially-breaking", "none")

F = TypeVar("F", bound=Callable[..., Any])


class _Context:
    """Global options, which may stand before or after the subcommand."""

    def __init__(self) -> None:
        self.quiet = False
        self.verbose = False
        self.strict = False
        self.config: str | None = None

    def info(self, message: str) -> None:
        if not self.quiet:
            self._pause_progress()
            click.echo(message, err=True)

    def warn(self, message: str) -> None:
        if not self.quiet:
            self._pause_progress()
            click.echo(f"apigen: warning: {message}", err=True)

    def progress(self) -> AbstractContextManager[None]:
        """Show the stages of the work inside the block as it runs (see ``generator.progress``)."""
        from .progress import Progress, reporting

        return reporting(Progress.for_stream(sys.stderr, quiet=self.quiet, verbose=self.verbose))

    @staticmethod
    def _pause_progress() -> None:
        from .progress import current

        watcher = current()
        if watcher is not None:
            watcher.pause()

    def timings(self, what: str, timings: Timings) -> None:
        if self.verbose and not self.quiet:
            click.echo(f"apigen: timing: {what}: {timings.summary()}", err=True)


def _set_flag(name: str) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, _: click.Parameter, value: Any) -> None:
        if value:
            setattr(ctx.ensure_object(_Context), name, value)

    return callback


def _global_options(command: F) -> F:
    """``-q``, ``-v``, ``--strict`` and ``--config``, accepted on the group and on every command."""
    options = [
        click.option(
            "-q",
            "--quiet",
            is_flag=True,
            expose_value=False,
            callback=_set_flag("quiet"),
            help="Print errors only.",
        ),
        click.option(
            "-v",
            "--verbose",
            is_flag=True,
            expose_value=False,
            callback=_set_flag("verbose"),
            help="List every warning and print how long each stage took.",
        ),
        click.option(
            "--strict",
            is_flag=True,
            expose_value=False,
            callback=_set_flag("strict"),
            help="Treat every warning about the spec as an error (exit 2).",
        ),
        click.option(
            "--config",
            "config",
            metavar="PATH",
            expose_value=False,
            callback=_set_flag("config"),
            help="Project config. Default: ./apigen.yaml when no SPEC is given or SPEC is its "
            "`spec:` (otherwise it is not applied, and a note says so).",
        ),
    ]
    for option in reversed(options):
        command = option(command)
    return command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="apigen")
@_global_options
@click.pass_context
def cli(ctx: click.Context) -> None:
    """apigen: OpenAPI 3.0/3.1 → a typed Python client package."""
    ctx.ensure_object(_Context)


def _resolve(
    obj: _Context, spec: str | None, out: str | None
) -> tuple[ProjectConfig, str | Path, Path]:
    """The config, the spec (a URL stays text) and the output folder of one command."""
    config = find_config(
        Path(obj.config) if obj.config else None,
        spec,
        lambda note: obj.info(f"apigen: note: {note}"),
    )
    spec_source, out_path = config.command_paths(spec, out)
    return config, spec_source, out_path


_spec_argument = click.argument("spec", required=False)
_out_option = click.option(
    "-o", "--out", help="Output folder (default: from apigen.yaml, else ./generated)."
)
_outside_refs_option = click.option(
    "--allow-outside-refs", is_flag=True, help="Let $ref read files outside the spec's folder."
)
_remote_refs_option = click.option(
    "--allow-remote-refs",
    is_flag=True,
    help="Let $ref fetch http(s) URLs outside the spec's folder.",
)


def _input_policy(obj: _Context, allow_outside_refs: bool, allow_remote_refs: bool) -> InputPolicy:
    from .input_policy import InputPolicy

    return InputPolicy(outside=allow_outside_refs, remote=allow_remote_refs, strict=obj.strict)


@cli.command()
@_spec_argument
@_out_option
@_outside_refs_option
@_remote_refs_option
@_global_options
@click.pass_obj
def generate(
    obj: _Context,
    spec: str | None,
    out: str | None,
    allow_outside_refs: bool,
    allow_remote_refs: bool,
) -> None:
    """Generate the client project from SPEC (a path or URL) into OUT (atomically; on error
    nothing is written)."""
    from .pipeline import generate as run

    config, spec_source, out_path = _resolve(obj, spec, out)
    with obj.progress():
        generation = run(
            spec_source, config, out_path, _input_policy(obj, allow_outside_refs, allow_remote_refs)
        )
    _report_warnings(obj, generation.warnings)
    if obj.verbose and not obj.quiet:
        for collision in generation.package.name_collisions:
            click.echo(f"apigen: name collision: {collision}", err=True)
    for operation, before, after in generation.renamed:
        obj.warn(
            f"renamed client.{before}() to client.{after}() ({operation}); calls to the "
            "old name break: pin it under `resources:` in apigen.yaml to keep it"
        )
    obj.timings("generate", generation.timings)
    state = "generated" if generation.written else "unchanged"
    obj.info(
        f"apigen: {state} {generation.package.module} {generation.package.version} "
        f"({len(generation.api.operations)} operations, {len(generation.api.schemas)} models) "
        f"in {out_path}"
    )


@cli.command()
@_spec_argument
@_out_option
@click.option(
    "--full", is_flag=True, help="Always render and compare (skip the manifest fast path)."
)
@_outside_refs_option
@_remote_refs_option
@_global_options
@click.pass_obj
def check(
    obj: _Context,
    spec: str | None,
    out: str | None,
    full: bool,
    allow_outside_refs: bool,
    allow_remote_refs: bool,
) -> None:
    """Regenerate SPEC in memory and compare with OUT: exit 0 in sync, 1 on drift."""
    from .check import check as run
    from .check import in_sync_line
    from .timings import Timings

    config, spec_source, out_path = _resolve(obj, spec, out)
    timings = Timings()
    with obj.progress(), timings.stage("check"):
        drift = run(
            spec_source,
            config,
            out_path,
            full=full,
            refs=_input_policy(obj, allow_outside_refs, allow_remote_refs),
        )
    obj.timings("check", timings)
    for note in drift.notes:
        obj.info(f"apigen: note: {note}")
    if drift.in_sync:
        obj.info(in_sync_line(out_path, spec_source, rendered=drift.rendered))
        return
    if drift.diff:
        click.echo(drift.diff, nl=False)
    click.echo(f"apigen: {drift.summary()}")
    raise click.exceptions.Exit(1)


@cli.command()
@_spec_argument
@_outside_refs_option
@_remote_refs_option
@_global_options
@click.pass_obj
def ir(
    obj: _Context,
    spec: str | None,
    allow_outside_refs: bool,
    allow_remote_refs: bool,
) -> None:
    """Print the intermediate representation of SPEC (a path or URL) as JSON."""
    from .ir.serialize import api_to_json
    from .pipeline import load_api
    from .timings import Timings

    _, spec_source, _ = _resolve(obj, spec, None)
    warnings: list[SpecWarning] = []
    timings = Timings()
    with obj.progress():
        _, api = load_api(
            spec_source,
            warnings,
            _input_policy(obj, allow_outside_refs, allow_remote_refs),
            timings,
        )
    _report_warnings(obj, warnings)
    obj.timings("ir", timings)
    click.echo(api_to_json(api))


@cli.command()
@click.argument("old")
@click.argument("new")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: a pull-request comment; json: the schema in docs/diff.md.",
)
@click.option(
    "--fail-on",
    type=click.Choice(_FAIL_ON),
    default="breaking",
    show_default=True,
    help="Exit 1 when a change this severe or worse is found ('none': always exit 0).",
)
@_global_options
@click.pass_obj
def diff(obj: _Context, old: str, new: str, fmt: str, fail_on: str) -> None:
    """Semantic diff of two specs (paths or URLs), judged by the client they generate.

    Exit 0 when nothing reaches --fail-on, 1 when something does, 2 on bad input. The project
    config (--config; default ./apigen.yaml if any) supplies the names that judge the client.
    """
    from .config import CONFIG_FILE, load_config
    from .diff import FailOn, diff_apis, render_json, render_markdown, render_text
    from .pipeline import load_api
    from .timings import Timings

    found = Path(obj.config) if obj.config else Path.cwd() / CONFIG_FILE
    config = load_config(found if obj.config or found.is_file() else None)
    timings = Timings()
    refs = _input_policy(obj, False, False)
    new_warnings: list[SpecWarning] = []
    with obj.progress():
        _, old_api = load_api(old, refs=refs, timings=timings)
        _, new_api = load_api(new, new_warnings, refs=refs, timings=timings)
        with timings.stage("diff"):
            report = diff_apis(
                old_api, new_api, old_config=config, new_config=config, new_warnings=new_warnings
            )
    obj.timings("diff", timings)
    policy = FailOn(fail_on)
    if fmt == "json":
        click.echo(render_json(report, policy), nl=False)
    elif fmt == "markdown":
        click.echo(render_markdown(report, fail_on=policy), nl=False)
    else:
        click.echo(render_text(report, policy), nl=False)
    if report.fails(policy):
        raise click.exceptions.Exit(1)


@cli.command()
@click.option("--from", "source", help="Spec URL or path (default: `upstream` in apigen.yaml).")
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Seconds before the fetch gives up (a total deadline, redirects and body included).",
)
@_global_options
@click.pass_obj
def update(obj: _Context, source: str | None, timeout: float) -> None:
    """Fetch the upstream spec; if it changed: vendor it, regenerate, bump the version, write
    the CHANGELOG."""
    from .update import update as run

    with obj.progress():
        result = run(
            Path(obj.config) if obj.config else None,
            source,
            timeout=timeout,
            warn=obj.warn,
            strict=obj.strict,
        )
    _report_warnings(obj, result.warnings)
    obj.timings("update", result.timings)
    obj.info(f"apigen: {result.message}")


def _report_warnings(obj: _Context, warnings: Sequence[SpecWarning]) -> None:
    if obj.verbose:
        for warning in warnings:
            obj.warn(str(warning))
    elif warnings:
        obj.warn(f"{len(warnings)} constructs degraded (run with --verbose to list them)")


def main(argv: list[str] | None = None) -> int:
    """Entry point: every failure is one ``apigen: error:`` line and exit code 2."""
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    try:
        code = cli.main(args=argv, prog_name="apigen", standalone_mode=False)
    except ApigenError as exc:
        click.echo(f"apigen: error: {exc.one_line()}", err=True)
        return exc.exit_code
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_BAD_INPUT
    except click.Abort:
        click.echo("apigen: aborted", err=True)
        return 130
    except RecursionError:
        click.echo("apigen: error: the spec nests too deeply to process", err=True)
        return EXIT_BAD_INPUT
    except SystemExit as exc:
        return int(exc.code or 0) if isinstance(exc.code, int) else 1
    except OSError as exc:  # the machine (disk, permissions), not apigen: say so, and where
        reason = os.strerror(exc.errno) if exc.errno else str(exc)
        where = f": {exc.filename}" if exc.filename else ""
        click.echo(f"apigen: error: {reason[:1].lower()}{reason[1:]}{where}", err=True)
        return EXIT_BAD_INPUT
    except Exception as exc:  # a bug in apigen: still one line, unless debugging
        if os.environ.get("APIGEN_DEBUG"):
            raise
        click.echo(
            f"apigen: error: internal error: {type(exc).__name__}: {exc} "
            "(set APIGEN_DEBUG=1 for a traceback)",
            err=True,
        )
        return EXIT_BAD_INPUT
    return code if isinstance(code, int) else 0  # click returns a raised Exit's code here


if __name__ == "__main__":
    raise SystemExit(main())
