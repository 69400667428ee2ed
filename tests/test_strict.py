"""Spec mistakes apigen can work around are warnings; ``--strict`` makes each one an error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from generator.cli import main

SPEC = """\
openapi: 3.1.0
info: {title: Sloppy, version: '1'}
paths:
  /a:
    get:
      operationId: same
      parameters:
        - name: code
          in: query
          schema: {type: string, pattern: '([unclosed'}
        - name: limit
          in: query
          schema: {type: integer, default: 'ten'}
      responses: {'204': {description: ok}}
  /b:
    get:
      operationId: same
      responses: {'204': {description: ok}}
"""


def _tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(folder)).encode() + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture
def sloppy(tmp_path: Path) -> Path:
    spec = tmp_path / "sloppy.yaml"
    spec.write_text(SPEC)
    return spec


def test_warnings_name_their_pointers(sloppy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["-v", "ir", str(sloppy)]) == 0
    err = capsys.readouterr().err
    assert "#/paths/~1a/get/parameters/0/schema/pattern: invalid regular expression" in err
    assert (
        "#/paths/~1a/get/parameters/1/schema/default: default does not match type 'integer'" in err
    )
    assert "#/paths/~1b/get/operationId: duplicate operationId 'same'" in err


def test_strict_turns_the_first_warning_into_an_error(
    sloppy: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # no project apigen.yaml (and no note that it is not applied)
    out = tmp_path / "out"
    assert main(["generate", str(sloppy), "-o", str(out)]) == 0
    before = _tree_hash(out)
    capsys.readouterr()
    assert main(["--strict", "generate", str(sloppy), "-o", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("apigen: error:") and "\n" not in err
    assert (
        "#/paths/~1a/get/parameters/0/schema/pattern" in err
        and "(and 2 more)" in err
        and "--strict" in err
    )
    assert _tree_hash(out) == before
