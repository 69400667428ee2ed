"""The generator fingerprint and its cache beside the bytecode: a cached value is only ever
returned for the very files it was computed from."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator import fingerprint
from generator.paths import templates_dir


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the templates and a cache file of its own, swapped in for one test."""
    copy = tmp_path / "templates"
    shutil.copytree(templates_dir(), copy)
    monkeypatch.setattr(fingerprint, "templates_dir", lambda: copy)
    monkeypatch.setattr(fingerprint, "_CACHE", tmp_path / "cache" / "apigen-fingerprint")
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    fingerprint.generator_fingerprint.cache_clear()
    yield copy
    fingerprint.generator_fingerprint.cache_clear()


def _fresh() -> str:
    """The fingerprint computed from the files, with no cache and no memo."""
    fingerprint.generator_fingerprint.cache_clear()
    cache: Path = fingerprint._CACHE
    cache.unlink(missing_ok=True)
    value = fingerprint.generator_fingerprint()
    cache.unlink(missing_ok=True)
    fingerprint.generator_fingerprint.cache_clear()
    return value


@pytest.mark.usefixtures("templates")
def test_cached_value_is_the_computed_one_and_is_reused() -> None:
    first = fingerprint.generator_fingerprint()
    assert fingerprint._CACHE.read_text().split()[1] == first
    signature = fingerprint._CACHE.read_text().split()[0]
    fingerprint._CACHE.write_text(f"{signature} {'f' * 64}\n")  # proves the cache is read
    fingerprint.generator_fingerprint.cache_clear()
    assert fingerprint.generator_fingerprint() == "f" * 64
    assert _fresh() == first


def test_an_edit_of_the_same_size_is_not_served_from_the_cache(templates: Path) -> None:
    before = fingerprint.generator_fingerprint()
    target = templates / "package" / "_version.py.jinja"
    text = target.read_text()
    stat = target.stat()
    target.write_text(text[:-2] + ("x" if text[-2] != "x" else "y") + text[-1])
    os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # a later edit
    fingerprint.generator_fingerprint.cache_clear()
    after = fingerprint.generator_fingerprint()
    assert after != before and after == _fresh()


@pytest.mark.usefixtures("templates")
def test_nothing_is_written_when_python_writes_no_bytecode(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert fingerprint.generator_fingerprint() == _fresh()
    assert not fingerprint._CACHE.exists()


@pytest.mark.usefixtures("templates")
def test_an_unreadable_or_foreign_cache_is_ignored() -> None:
    expected = _fresh()
    fingerprint._CACHE.parent.mkdir(parents=True, exist_ok=True)
    for junk in ("", "one-field", "a b c", f"{'0' * 64} {'f' * 64}"):
        fingerprint._CACHE.write_text(junk)
        fingerprint.generator_fingerprint.cache_clear()
        assert fingerprint.generator_fingerprint() == expected
