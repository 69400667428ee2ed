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
from .schemas import field_names, name_api

__all__ = [
    "MethodBinding",
    "ResourceNode",
    "UniqueNamer",
    "build_resource_tree",
    "class_name",
    "constant_name",
    "field_name",
    "field_names",
    "method_name",
    "module_name",
    "name_api",
    "snake_case",
]
