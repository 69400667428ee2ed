"""Stage 3: every identifier decision in one place (spec names → safe, distinct Python names)."""

from .identifiers import (
    UniqueNamer,
    class_name,
    constant_name,
    field_name,
    method_name,
    module_name,
    snake_case,
)
from .resources import MethodBinding, ResourceNode, build_resource_tree

__all__ = [
    "MethodBinding",
    "ResourceNode",
    "UniqueNamer",
    "build_resource_tree",
    "class_name",
    "constant_name",
    "field_name",
    "method_name",
    "module_name",
    "snake_case",
]
