"""Count the type and field names of a generated client that read as machine-made.

Run on the output folder of ``apigen generate`` (a spec generated with no config)::

    python bench/type_names.py /tmp/openai-out [--list]

Counts, over the top-level definitions of the client's ``types`` package (classes, aliases and
functional TypedDicts):

- ``ParamParam``: request types named ``<Model>ParamParam``;
- ``VariantN``: names carrying a union member's position (``…Variant3…``);
- numbered: a name that is another defined name plus a number (``FunctionToolParam2`` beside
  ``FunctionToolParam``): what a collision left behind;
- renamed fields: model fields whose attribute is not their wire name although the wire name is
  a Python identifier (``object_`` for ``object``), counted per field.
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_VARIANT = re.compile(r"Variant[0-9]+")
_NUMBERED = re.compile(r"^(?P<stem>.*?[A-Za-z_])(?P<number>[0-9]+)(?P<tail>_?)$")


@dataclass
class Counts:
    names: list[str] = field(default_factory=list)
    param_param: list[str] = field(default_factory=list)
    variant: list[str] = field(default_factory=list)
    numbered: list[str] = field(default_factory=list)
    renamed_fields: list[str] = field(default_factory=list)

    def table(self) -> str:
        rows = [
            ("type names", len(self.names)),
            ("…ParamParam", len(self.param_param)),
            ("…VariantN…", len(self.variant)),
            ("numbered (Name2 beside Name)", len(self.numbered)),
            ("renamed fields (identifier wire name)", len(self.renamed_fields)),
        ]
        return "\n".join(f"{label:<40} {count:>6}" for label, count in rows)


def _type_modules(out: Path) -> Iterator[Path]:
    packages = [p for p in sorted(out.iterdir()) if (p / "types").is_dir()]
    for package in packages:
        yield from sorted((package / "types").glob("_*.py"))


def _definitions(tree: ast.Module) -> Iterator[tuple[str, ast.stmt]]:
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            yield node.name, node
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            yield node.target.id, node
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id != "__all__":
                yield target.id, node


def _renamed(node: ast.ClassDef) -> Iterator[str]:
    """``attr (wire)`` for every ``attr: T = Field(..., alias="wire")`` with ``wire != attr``."""
    for statement in node.body:
        if not (isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name)):
            continue
        value = statement.value
        if not isinstance(value, ast.Call):
            continue
        for keyword in value.keywords:
            if keyword.arg == "alias" and isinstance(keyword.value, ast.Constant):
                wire = keyword.value.value
                if isinstance(wire, str) and wire.isidentifier() and wire != statement.target.id:
                    yield f"{node.name}.{statement.target.id} ({wire})"


def count(out: Path) -> Counts:
    counts = Counts()
    for module in _type_modules(out):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for name, node in _definitions(tree):
            counts.names.append(name)
            if isinstance(node, ast.ClassDef):
                counts.renamed_fields.extend(_renamed(node))
    defined = {name.lower() for name in counts.names}
    for name in counts.names:
        if "ParamParam" in name:
            counts.param_param.append(name)
        if _VARIANT.search(name):
            counts.variant.append(name)
        match = _NUMBERED.match(name)
        if match and (match["stem"] + match["tail"]).lower() in defined:
            counts.numbered.append(name)
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="a generated client's output folder")
    parser.add_argument("--list", action="store_true", help="print every counted name")
    args = parser.parse_args(argv)
    counts = count(args.out)
    print(counts.table())
    if args.list:
        for label in ("param_param", "variant", "numbered", "renamed_fields"):
            for name in sorted(getattr(counts, label)):
                print(f"{label}\t{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
