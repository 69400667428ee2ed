"""Byte-identity check for refactors: hash every generated file of a set of specs, then compare.

A refactor of the generator must not change its output. This script generates the Parallel
client (with the project's ``apigen.yaml``) and every spec of a corpus folder (no config, as a
user would) with the apigen found under ``--root`` (a checkout: its ``generator/`` and
``templates/``), and records per-file sha256 hashes plus one tree hash per spec. The manifest's
generator fingerprint is blanked before hashing: it hashes the generator's own source, so it
changes with any edit by design. Two such records are compared with ``--compare``::

    python bench/identical.py --root /tmp/base --corpus .corpus --out /tmp/before.json
    python bench/identical.py --root . --corpus .corpus --out /tmp/after.json
    python bench/identical.py --compare /tmp/before.json /tmp/after.json

Failing specs are recorded by their error line (a refactor must fail the same way, too).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

MANIFEST = ".apigen-manifest.json"
PROJECT = Path(__file__).resolve().parents[1]


def tree_hashes(out: Path) -> dict[str, str]:
    """sha256 of every file below ``out`` by relative path; the manifest without its fingerprint."""
    hashes: dict[str, str] = {}
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        rel = path.relative_to(out).as_posix()
        data = path.read_bytes()
        if rel == MANIFEST:
            manifest = json.loads(data)
            manifest["generator"]["fingerprint"] = ""
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
        hashes[rel] = hashlib.sha256(data).hexdigest()
    return hashes


def tree_digest(hashes: dict[str, str]) -> str:
    digest = hashlib.sha256()
    for rel, value in sorted(hashes.items()):
        digest.update(f"{rel}\0{value}\n".encode())
    return digest.hexdigest()


def generate(root: Path, spec: Path | None, work: Path) -> dict[str, object]:
    """Run ``apigen generate`` from ``root``'s sources into ``work/out``; Parallel when no spec."""
    env = {**os.environ, "PYTHONPATH": str(root), "PYTHONDONTWRITEBYTECODE": "1"}
    out = work / "out"
    if spec is None:  # the project's spec with its apigen.yaml, from a copy of both
        shutil.copy(PROJECT / "apigen.yaml", work / "apigen.yaml")
        for folder in ("spec", "docs"):  # the spec, and the README extras the config names
            shutil.copytree(PROJECT / folder, work / folder)
        command = [sys.executable, "-m", "generator", "-q", "generate", "-o", str(out)]
    else:
        command = [sys.executable, "-m", "generator", "-q", "generate", str(spec), "-o", str(out)]
    result = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        lines = (result.stderr or result.stdout).strip().splitlines()
        return {"exit": result.returncode, "error": lines[-1] if lines else "", "files": {}}
    hashes = tree_hashes(out)
    return {"exit": 0, "tree": tree_digest(hashes), "files": hashes}


def record(root: Path, corpus: Path | None, jobs: int) -> dict[str, dict[str, object]]:
    specs: list[tuple[str, Path | None]] = [("parallel (apigen.yaml)", None)]
    if corpus is not None:
        specs += [(p.name, p.resolve()) for p in sorted(corpus.glob("*.json"))]

    def one(item: tuple[str, Path | None]) -> tuple[str, dict[str, object]]:
        name, spec = item
        with tempfile.TemporaryDirectory(prefix="apigen-identical-") as tmp:
            result = generate(root.resolve(), spec, Path(tmp))
        print(f"{name}: {result.get('tree') or result.get('error')}", file=sys.stderr)
        return name, result

    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(pool.map(one, specs))


def compare(before: dict[str, dict[str, object]], after: dict[str, dict[str, object]]) -> int:
    """Print every spec whose output differs (files added, removed or changed); 1 if any."""
    differing = 0
    for name in sorted(before.keys() | after.keys()):
        old, new = before.get(name), after.get(name)
        if old is None or new is None:
            print(f"{name}: only in {'after' if old is None else 'before'}")
            differing += 1
            continue
        old_files, new_files = old["files"], new["files"]
        assert isinstance(old_files, dict) and isinstance(new_files, dict)
        changed = sorted(
            rel
            for rel in old_files.keys() | new_files.keys()
            if old_files.get(rel) != new_files.get(rel)
        )
        if changed or old.get("error") != new.get("error"):
            differing += 1
            print(f"{name}: {len(changed)} file(s) differ: {', '.join(changed[:5])}")
            if old.get("error") != new.get("error"):
                print(f"  error before: {old.get('error')!r}\n  error after:  {new.get('error')!r}")
    print(f"{len(before)} specs before, {len(after)} after, {differing} differ")
    return 1 if differing else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=PROJECT, help="apigen checkout to run")
    parser.add_argument("--corpus", type=Path, help="folder of *.json specs")
    parser.add_argument("--out", type=Path, help="where to write the JSON record")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        before, after = (json.loads(p.read_text(encoding="utf-8")) for p in args.compare)
        return compare(before, after)
    result = record(args.root, args.corpus, args.jobs)
    text = json.dumps(result, indent=1, sort_keys=True)
    if args.out:
        args.out.write_text(text, encoding="utf-8")
    else:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
