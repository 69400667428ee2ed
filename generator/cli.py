"""Command line: parse arguments, call one pipeline function, map errors to exit codes."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .config import ProjectConfig, find_config
from .errors import ApigenError

if TYPE_CHECKING:  # the pipeline is imported lazily, per command
    from .pipeline import InputPolicy

EXIT_BAD_INPUT = 2
_FAIL_ON = ("breaking", "potentially-breaking", "none")


class _Context:
    def __init__(self, quiet: bool, verbose: bool, strict: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.strict = strict

    def info(self, message: str) -> None:
        if not self.quiet:
            click.echo(message, err=True)

    def warn(self, message: str) -> None:
        if not self.quiet:
            click.echo(f"apigen: warning: {message}", err=True)


def _resolve(
    spec: str | None, out: str | None, config_path: str | None
) -> tuple[ProjectConfig, Path, Path]:
    config = find_config(Path(config_path) if config_path else None, spec)
    spec_path = Path(spec) if spec else config.path(config.spec)
    out_path = Path(out) if out else config.path(config.output)
    return config, spec_path, out_path


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="apigen")
@click.option("-q", "--quiet", is_flag=True, help="Print errors only.")
@click.option("-v", "--verbose", is_flag=True, help="Print every warning and timing.")
@click.option(
    "--strict", is_flag=True, help="Treat every warning about the spec as an error (exit 2)."
)
@click.pass_context
def cli(ctx: click.Context, quiet: bool, verbose: bool, strict: bool) -> None:
    """apigen: OpenAPI 3.0/3.1 → a typed Python client package."""
    ctx.obj = _Context(quiet, verbose, strict)


_spec_argument = click.argument("spec", required=False)
_out_option = click.option(
    "-o", "--out", help="Output folder (default: from apigen.yaml, else ./generated)."
)
_outside_refs_option = click.option(
    "--allow-outside-refs", is_flag=True, help="Let $ref read files outside the spec's folder."
)
_remote_refs_option = click.option(
    "--allow-remote-refs", is_flag=True, help="Let $ref fetch http(s) URLs."
)


def _input_policy(allow_outside_refs: bool, allow_remote_refs: bool) -> InputPolicy:
    from .pipeline import InputPolicy

    strict = bool(getattr(click.get_current_context().obj, "strict", False))
    return InputPolicy(outside=allow_outside_refs, remote=allow_remote_refs, strict=strict)


_config_option = click.option(
    "--config", "config_path", help="Project config (default: ./apigen.yaml when it is about SPEC)."
)


@cli.command()
@_spec_argument
@_out_option
@_config_option
@_outside_refs_option
@_remote_refs_option
@click.pass_obj
def generate(
    obj: _Context,
    spec: str | None,
    out: str | None,
    config_path: str | None,
    allow_outside_refs: bool,
    allow_remote_refs: bool,
) -> None:
    """Generate the client project from SPEC into OUT (atomically; on error nothing is written)."""
    from .pipeline import generate as run

    config, spec_path, out_path = _resolve(spec, out, config_path)
    generation = run(
        spec_path, config, out_path, _input_policy(allow_outside_refs, allow_remote_refs)
    )
    _report_warnings(obj, generation.warnings)
    obj.info(
        f"apigen: generated {generation.package.module} {generation.package.version} "
        f"({len(generation.api.operations)} operations, {len(generation.api.schemas)} models) in {out_path}"
    )


@cli.command()
@_spec_argument
@_out_option
@_config_option
@click.option(
    "--full", is_flag=True, help="Always render and compare (skip the manifest fast path)."
)
@_outside_refs_option
@_remote_refs_option
@click.pass_obj
def check(
    obj: _Context,
    spec: str | None,
    out: str | None,
    config_path: str | None,
    full: bool,
    allow_outside_refs: bool,
    allow_remote_refs: bool,
) -> None:
    """Regenerate SPEC in memory and compare with OUT: exit 0 in sync, 1 on drift."""
    from .check import check as run

    config, spec_path, out_path = _resolve(spec, out, config_path)
    drift = run(
        spec_path,
        config,
        out_path,
        full=full,
        refs=_input_policy(allow_outside_refs, allow_remote_refs),
    )
    for note in drift.notes:
        obj.info(f"apigen: note: {note}")
    if drift.in_sync:
        how = "rendered and compared" if drift.rendered else "manifest hashes match"
        obj.info(f"apigen: {out_path} is in sync with {spec_path} ({how})")
        return
    if drift.diff:
        click.echo(drift.diff, nl=False)
    click.echo(f"apigen: {drift.summary()}")
    raise click.exceptions.Exit(1)


@cli.command()
@_spec_argument
@_config_option
@_outside_refs_option
@_remote_refs_option
@click.pass_obj
def ir(
    obj: _Context,
    spec: str | None,
    config_path: str | None,
    allow_outside_refs: bool,
    allow_remote_refs: bool,
) -> None:
    """Print the intermediate representation of SPEC as JSON."""
    from .ir.serialize import api_to_json
    from .pipeline import load_api

    _, spec_path, _ = _resolve(spec, None, config_path)
    warnings: list = []  # type: ignore[type-arg]
    _, api = load_api(spec_path, warnings, _input_policy(allow_outside_refs, allow_remote_refs))
    _report_warnings(obj, warnings)
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
@click.option(
    "--config",
    "config_path",
    help="Project config whose pinned names judge the client (default: ./apigen.yaml if any).",
)
@click.pass_obj
def diff(
    obj: _Context, old: str, new: str, fmt: str, fail_on: str, config_path: str | None
) -> None:
    """Semantic diff of two specs (paths or URLs), judged by the client they generate.

    Exit 0 when nothing reaches --fail-on, 1 when something does, 2 on bad input.
    """
    from .config import CONFIG_FILE, load_config
    from .diff import FailOn, diff_apis, render_json, render_markdown, render_text
    from .pipeline import load_api

    found = Path(config_path) if config_path else Path.cwd() / CONFIG_FILE
    config = load_config(found if config_path or found.is_file() else None)
    new_warnings: list = []  # type: ignore[type-arg]
    _, old_api = load_api(old)
    _, new_api = load_api(new, new_warnings)
    report = diff_apis(
        old_api, new_api, old_config=config, new_config=config, new_warnings=new_warnings
    )
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
@_config_option
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Seconds before a fetch gives up.",
)
@click.pass_obj
def update(obj: _Context, source: str | None, config_path: str | None, timeout: float) -> None:
    """Fetch the upstream spec; if it changed: vendor it, regenerate, bump the version, write CHANGELOG."""
    from .update import update as run

    result = run(Path(config_path) if config_path else None, source, timeout=timeout, warn=obj.warn)
    obj.info(f"apigen: {result.message}")


def _report_warnings(obj: _Context, warnings: list) -> None:  # type: ignore[type-arg]
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
    except Exception as exc:  # a bug in apigen: still one line, unless debugging
        if os.environ.get("APIGEN_DEBUG"):
            raise
        click.echo(
            f"apigen: error: internal error: {type(exc).__name__}: {exc} (set APIGEN_DEBUG=1 for a traceback)",
            err=True,
        )
        return EXIT_BAD_INPUT
    return code if isinstance(code, int) else 0  # click returns a raised Exit's code here


if __name__ == "__main__":
    raise SystemExit(main())
