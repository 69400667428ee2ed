"""Big files are written as they render and hashed/compared in pieces, and the parsed spec is let
go once the IR is built (issue 18, point 2: Microsoft Graph beta peaked at 897 MB; 542 MB now).
These pin the behaviour that bounds memory; bench/huge.py measures the peak itself."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from generator.config import ProjectConfig
from generator.emit.render import RenderedFile, iter_project, render_project
from generator.pipeline import generate, load_api
from generator.plan import build_plan
from generator.write import files
from generator.write.manifest import file_digest, path_digest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "public-openapi.json"


def test_streamed_docs_and_catalog_render_in_pieces_equal_to_the_whole() -> None:
    plan = build_plan(load_api(SPEC)[1], ProjectConfig())
    streamed = {f.path: f for f in iter_project(plan) if not isinstance(f.body, str)}
    assert {"README.md", "api.md"} <= streamed.keys()
    assert any(path.endswith("mcp/tools.json") for path in streamed)
    whole = {f.path: f.content for f in render_project(plan)}
    for path, file in streamed.items():
        pieces = list(file.encoded(batch=4096, join=16))
        assert len(pieces) > 1, path  # really in pieces, not one string
        assert b"".join(pieces) == whole[path].encode("utf-8"), path
    json.loads(next(v for k, v in whole.items() if k.endswith("mcp/tools.json")))


def test_pieces_joined_in_slices_keep_every_character() -> None:
    """Empty jinja pieces (a whole slice of them, too) and slice boundaries lose nothing."""
    parts = ["", "a", "", "é", *[""] * 40, "bc", "d" * 50, ""]
    file = RenderedFile("x.md", lambda: iter(parts))
    for batch, join in ((1, 1), (3, 2), (10, 7), (1 << 20, 256)):
        assert b"".join(file.encoded(batch=batch, join=join)) == "".join(parts).encode(), (
            batch,
            join,
        )


def test_a_plain_text_file_is_one_piece() -> None:
    assert list(RenderedFile("a.py", "x = 'é'\n").encoded()) == ["x = 'é'\n".encode()]


def test_write_new_takes_pieces(tmp_path: Path) -> None:
    files.write_new(tmp_path / "f", iter([b"ab", b"", b"cd"]))
    assert (tmp_path / "f").read_bytes() == b"abcd"


def test_digest_and_comparison_read_in_pieces(tmp_path: Path) -> None:
    data = bytes(range(256)) * 10_000  # 2.5 MB: more than one piece
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    a.write_bytes(data)
    b.write_bytes(data)
    c.write_bytes(data[:-1] + b"\x00")
    assert path_digest(a) == file_digest(data) == hashlib.sha256(data).hexdigest()
    assert files.same_bytes(a, b, piece=4096)
    assert not files.same_bytes(a, c, piece=4096)  # same size, last byte differs
    assert not files.same_bytes(a, tmp_path / "missing")
    (tmp_path / "short").write_bytes(data[:10])
    assert not files.same_bytes(a, tmp_path / "short")


def test_the_document_keeps_its_locations_without_its_tree() -> None:
    document, _ = load_api(SPEC)
    assert document.data == {}  # let go after the IR was built
    line = _line_of(SPEC, '"paths"')
    assert document.locate("#/paths") == f"{SPEC}:{line}"


def test_regenerating_an_edited_file_rewrites_it(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert generate(SPEC, ProjectConfig(), out).written
    assert not generate(SPEC, ProjectConfig(), out).written  # unchanged: compared in pieces
    readme = out / "README.md"
    readme.write_bytes(readme.read_bytes()[:-1] + b"!")
    assert generate(SPEC, ProjectConfig(), out).written
    assert readme.read_bytes().endswith(b"\n")


def _line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(needle)
