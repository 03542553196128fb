"""Quiz engine: pure models (public part and key) and grading; widget views in ``stemtrain.quiz.views``.

Names are imported on first use, so a light caller (the validator needs only ``quiz.order``) loads no models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .grading import PARTIAL_CREDIT_RULE, Checker, ResponseError, Result, grade, local_checker
    from .model import Case, ImageLabel, Key, Matching, MultipleSelect, Numeric, Ordering, Question, SingleChoice, TrueFalse

_HOME = {
    **dict.fromkeys(["PARTIAL_CREDIT_RULE", "Checker", "ResponseError", "Result", "grade", "local_checker"], "grading"),
    **dict.fromkeys(
        ["Case", "ImageLabel", "Key", "Matching", "MultipleSelect", "Numeric", "Ordering", "Question", "SingleChoice", "TrueFalse"], "model"
    ),
}

__all__ = [
    "PARTIAL_CREDIT_RULE",
    "Case",
    "Checker",
    "ImageLabel",
    "Key",
    "Matching",
    "MultipleSelect",
    "Numeric",
    "Ordering",
    "Question",
    "ResponseError",
    "Result",
    "SingleChoice",
    "TrueFalse",
    "grade",
    "local_checker",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
