"""Quiz engine: pure models and grading here; widget views in ``stemtrain.quiz.view``."""

from .grading import PARTIAL_CREDIT_RULE, ResponseError, Result, grade
from .model import Case, Matching, MultipleSelect, Numeric, Ordering, Question, SingleChoice, TrueFalse

__all__ = [
    "Case",
    "Matching",
    "MultipleSelect",
    "Numeric",
    "Ordering",
    "Question",
    "SingleChoice",
    "TrueFalse",
    "PARTIAL_CREDIT_RULE",
    "ResponseError",
    "Result",
    "grade",
]
