"""Stage 4: the client plan, the facts every output is rendered from (see ``plan.model``)."""

from .annotations import Annotation, AnnotationRenderer
from .client import build_plan
from .model import (
    ArgumentPlan,
    AuthPlan,
    BodyPlan,
    ClientPlan,
    FieldPlan,
    OperationPlan,
    RequestTypePlan,
    ResourcePlan,
    ReturnPlan,
    TypePlan,
)

__all__ = [
    "Annotation",
    "AnnotationRenderer",
    "ArgumentPlan",
    "AuthPlan",
    "BodyPlan",
    "ClientPlan",
    "FieldPlan",
    "OperationPlan",
    "RequestTypePlan",
    "ResourcePlan",
    "ReturnPlan",
    "TypePlan",
    "build_plan",
]
