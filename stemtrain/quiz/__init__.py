"""Quiz engine: pure models (public part and key) and grading here; widget views in ``stemtrain.quiz.views``."""

from .grading import PARTIAL_CREDIT_RULE, Checker, ResponseError, Result, grade, local_checker
from .model import Case, ImageLabel, Key, Matching, MultipleSelect, Numeric, Ordering, Question, SingleChoice, TrueFalse

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
