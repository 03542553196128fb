"""Thin ipywidgets views over the public part of questions: show, take an answer, ask the checker, show feedback.

One small module per widget family (choice, assign, numeric, case, quiz set), like ipywidgets' own
``widget_*.py``. Views are given a checker, never a key.
"""

from __future__ import annotations

from typing import Any

from ..model import Case, ImageLabel, Matching, MultipleSelect, Numeric, Ordering, Question, SingleChoice, TrueFalse
from .assign import ImageLabelView, MatchingView, OrderingView
from .base import Answered, Incomplete, QuestionView
from .case import CaseView
from .choice import MultipleSelectView, SingleChoiceView, TrueFalseView
from .numeric import NumericView, parse_number
from .quizset import QuizSetView

__all__ = [
    "Answered",
    "CaseView",
    "ImageLabelView",
    "Incomplete",
    "MatchingView",
    "MultipleSelectView",
    "NumericView",
    "OrderingView",
    "QuestionView",
    "QuizSetView",
    "SingleChoiceView",
    "TrueFalseView",
    "parse_number",
    "view_for",
]

_VIEWS: dict[type, type] = {
    SingleChoice: SingleChoiceView,
    MultipleSelect: MultipleSelectView,
    TrueFalse: TrueFalseView,
    Ordering: OrderingView,
    Matching: MatchingView,
    Numeric: NumericView,
    ImageLabel: ImageLabelView,
    Case: CaseView,
}


def view_for(question: Question, **kwargs: Any) -> Any:
    """The view that fits a question's type (a ``QuestionView``, or a ``CaseView`` for a case)."""
    try:
        cls = _VIEWS[type(question)]
    except KeyError:
        raise TypeError(f"no view for {type(question).__name__}") from None
    if cls is CaseView:
        kwargs.pop("parent_id", None)
    return cls(question, **kwargs)
