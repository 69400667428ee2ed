"""How many operations the pagination detector pages, by style; optionally against an official SDK.

    .venv/bin/python bench/pagination.py .corpus/*.json
    .venv/bin/python bench/pagination.py openai.yaml --official openai.csv --list

``--official`` takes the per-operation CSV the naming-parity scorer writes for the same spec (its
``verb``, ``path``, ``official`` and ``official_paginated`` columns): the report then counts the
official SDK's paginated methods the detector also pages, and lists the misses and the
operations only the detector pages, so each can be judged.
"""

from __future__ import annotations

import argparse
import collections
import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generator.errors import ApigenError
from generator.ir.model import Api
from generator.pagination import PageStyle
from generator.pagination.detect import page_styles
from generator.pipeline import load_api


def describe(style: PageStyle) -> str:
    args = ", ".join(f"{name}={value!r}" for name, value in style.runtime_arguments())
    return f"{style.runtime_class}({args})"


def compare(api: Api, styles: dict[str, PageStyle], official_csv: Path, listing: bool) -> str:
    rows = {(r["verb"].lower(), r["path"]): r for r in csv.DictReader(official_csv.open())}
    official = hits = extras = 0
    notes: list[str] = []
    for op in api.operations:
        row = rows.get((op.method, op.path))
        style = styles.get(op.pointer)
        where = f"{op.method.upper()} {op.path}"
        if row is not None and row["official_paginated"] == "yes":
            official += 1
            hits += style is not None
            if style is None:
                notes.append(f"- missed: `{where}` (official `{row['official']}`)")
        elif style is not None:
            extras += 1
            name = row["official"] if row and row["official"] else "not in the official SDK"
            notes.append(f"- only ours: `{where}` ({name}): `{describe(style)}`")
    share = f"{100 * hits / official:.1f}%" if official else "-"
    text = f"official paginated methods: {official}, paged by the detector: {hits} ({share}); "
    text += f"paged only by the detector: {extras}\n"
    return text + ("\n".join(notes) + "\n" if listing and notes else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("specs", nargs="+", type=Path)
    parser.add_argument("--official", type=Path, help="naming-parity CSV of the (one) spec")
    parser.add_argument("--list", action="store_true", help="list every paged operation")
    args = parser.parse_args(argv)
    print("| spec | operations | GET | paged | by style |\n|---|---|---|---|---|")
    total: collections.Counter[str] = collections.Counter()
    details: list[str] = []
    for spec in args.specs:
        try:
            api = load_api(spec)[1]
        except ApigenError as exc:
            print(f"| {spec.stem} | error: {exc.one_line()} | | | |")
            continue
        styles = page_styles(api)
        kinds = collections.Counter(style.kind for style in styles.values())
        gets = sum(op.method == "get" for op in api.operations)
        total.update(kinds)
        total["operations"] += len(api.operations)
        total["GET"] += gets
        by_style = ", ".join(f"{kind} {n}" for kind, n in sorted(kinds.items()))
        print(f"| {spec.stem} | {len(api.operations)} | {gets} | {len(styles)} | {by_style} |")
        if args.official is not None:
            details.append(compare(api, styles, args.official, args.list))
        elif args.list:
            by_pointer = {op.pointer: op for op in api.operations}
            for pointer, style in styles.items():
                op = by_pointer[pointer]
                details.append(f"{spec.stem}: {op.method.upper()} {op.path} {describe(style)}")
    paged = sum(n for kind, n in total.items() if kind not in ("operations", "GET"))
    print(f"| **all** | {total['operations']} | {total['GET']} | {paged} | |")
    if details:
        print()
        print("\n".join(details))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
