"""Progress on long work (issue 18, point 4): a status line redrawn in place on a terminal once a
run passes a delay, one line per stage with -v when stderr is not a terminal, nothing with -q;
the generated files are the same whichever is shown."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import progress
from generator.cli import main
from generator.load.fetch import read_source
from generator.progress import Progress, reporting
from generator.timings import Timings
from tests.support.hostile import write_spec
from tests.support.project import tree_digest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "public-openapi.json"
STAGES = ("load", "ir", "name", "plan", "render", "format", "write")


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def _wait_for(predicate: object, seconds: float = 10.0) -> bool:
    assert callable(predicate)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


# ------------------------------------------------------------------------------ the reporter
def test_stage_lines_name_what_each_stage_counted() -> None:
    stream = io.StringIO()
    timings = Timings()
    with reporting(Progress(stream, live=False, lines=True)):
        with timings.stage("render", unit="files"):
            for _ in range(3):
                progress.advance()
        with timings.stage("load", unit="bytes"):
            progress.advance(2_500_000)
        with timings.stage("diff"):
            pass
    lines = stream.getvalue().splitlines()
    assert [re.sub(r"[\d.]+ s$", "T s", line) for line in lines] == [
        "apigen: render: 3 files, T s",
        "apigen: load: 2.5 MB, T s",
        "apigen: diff: T s",
    ]


def test_status_line_is_drawn_in_place_and_erased_at_the_end() -> None:
    stream = FakeTerminal()
    timings = Timings()
    with (
        reporting(Progress(stream, live=True, lines=False, delay=0)),
        timings.stage("render", unit="files"),
    ):
        progress.advance(1234)
        assert _wait_for(lambda: "render 1,234 files" in stream.getvalue())
    text = stream.getvalue()
    assert re.search(r"\r\x1b\[Kapigen: render 1,234 files, [\d.]+ s", text)
    assert text.endswith("\r\x1b[K")  # nothing is left on the user's line
    assert "\n" not in text


def test_a_run_shorter_than_the_delay_prints_nothing() -> None:
    stream = FakeTerminal()
    with (
        reporting(Progress(stream, live=True, lines=False, delay=60)),
        Timings().stage("render", unit="files"),
    ):
        progress.advance(5)
    assert stream.getvalue() == ""


def test_pause_erases_the_status_line_before_another_message() -> None:
    stream = FakeTerminal()
    with (
        reporting(watcher := Progress(stream, live=True, lines=False, delay=0)),
        Timings().stage("ir", unit="schemas"),
    ):
        progress.advance(7)
        assert _wait_for(lambda: "ir 7 schemas" in stream.getvalue())
        watcher.pause()
        assert stream.getvalue().endswith("\r\x1b[K")


def test_who_gets_a_reporter(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TERM", raising=False)
    assert Progress.for_stream(FakeTerminal(), quiet=True, verbose=True) is None
    assert Progress.for_stream(io.StringIO(), quiet=False, verbose=False) is None
    lines = Progress.for_stream(io.StringIO(), quiet=False, verbose=True)
    assert lines is not None and (lines._live, lines._lines) == (False, True)
    live = Progress.for_stream(FakeTerminal(), quiet=False, verbose=True)
    assert live is not None and (live._live, live._lines) == (True, False)
    monkeypatch.setenv("TERM", "dumb")
    dumb = Progress.for_stream(FakeTerminal(), quiet=False, verbose=False)
    assert dumb is None


def test_without_a_reporter_counting_is_a_no_op() -> None:
    assert progress.current() is None
    progress.advance(10, "files")  # must not fail or leak into a later run
    stream = io.StringIO()
    with (
        reporting(Progress(stream, live=False, lines=True)),
        Timings().stage("render", unit="files"),
    ):
        progress.advance()
    assert "render: 1 files" in stream.getvalue()


def test_fetching_counts_the_bytes_read() -> None:
    stream = io.StringIO()
    with (
        reporting(Progress(stream, live=False, lines=True)),
        Timings().stage("fetch", unit="bytes"),
    ):
        data = read_source(str(SPEC), timeout=5)
    assert f"apigen: fetch: {len(data) / 1000:.1f} kB, " in stream.getvalue()


# ------------------------------------------------------------------------------ the CLI
TINY = {
    "openapi": "3.1.0",
    "info": {"title": "Tiny", "version": "1"},
    "paths": {
        "/ping": {"get": {"operationId": "ping", "responses": {"204": {"description": "ok"}}}}
    },
}


def test_verbose_without_a_terminal_logs_every_stage_in_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    spec = write_spec(tmp_path, TINY)
    assert main(["-v", "generate", str(spec), "-o", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    stages = [
        m.group(1)
        for m in re.finditer(r"^apigen: (\w+): (?!generate:).*[\d.]+ s$", err, re.MULTILINE)
    ]
    assert stages == list(STAGES)
    assert re.search(r"^apigen: render: \d+ files, [\d.]+ s$", err, re.MULTILINE)
    assert main(["generate", str(spec), "-o", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().err.startswith("apigen: unchanged ")  # no -v: no stage lines


def _run_on_a_terminal(*args: str, cwd: Path) -> str:
    """Run the CLI with stderr on a pseudo-terminal; what the terminal received."""
    leader, follower = pty.openpty()
    env = dict(os.environ, APIGEN_PROGRESS_DELAY="0", PYTHONDONTWRITEBYTECODE="1", TERM="xterm")
    with subprocess.Popen(
        [sys.executable, "-m", "generator", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=follower,
    ) as proc:
        os.close(follower)
        received = b""
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # the follower side closed: the run is over
                    break
                if not chunk:
                    break
                received += chunk
            elif proc.poll() is not None:
                break
        proc.wait(timeout=30)
        os.close(leader)
    assert proc.returncode == 0, received
    return received.decode("utf-8")


def test_a_terminal_sees_the_stages_and_the_output_is_the_same(tmp_path: Path) -> None:
    out_live, out_quiet = tmp_path / "live", tmp_path / "quiet"
    shown = _run_on_a_terminal("generate", str(SPEC), "-o", str(out_live), cwd=tmp_path)
    drawn = re.findall(r"\r\x1b\[Kapigen: (\w+)[^\r\n]*, \d+\.\d s(?=\r)", shown)
    assert drawn and set(drawn) <= set(STAGES)
    assert "render" in drawn
    assert shown.rstrip().endswith("models) in " + str(out_live))
    assert "\x1b[K" not in shown.splitlines()[-1].split("apigen: generated")[-1]
    quiet = _run_on_a_terminal("-q", "generate", str(SPEC), "-o", str(out_quiet), cwd=tmp_path)
    assert quiet == ""  # -q: nothing at all, not even the status line
    assert tree_digest(out_live) == tree_digest(out_quiet)
