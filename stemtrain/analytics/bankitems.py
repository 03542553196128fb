"""The analysis's view of the course banks: one ``ItemInfo`` per question, case parts under their case.

Option texts are the plain text a learner reads (no Markdown marks); which option is correct comes from the
keys, so this runs where the keys are (the instructor's machine or the class service), never on a learner page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .matrix import ItemInfo

__all__ = ["course_items", "items_from_banks"]


def _options(question: Any, key: Any, plain: Any) -> tuple[tuple[str, str, bool], ...]:
    if question.type == "single_choice":
        return tuple((o.id, plain(o.text), o.id == key.answer) for o in question.options)
    if question.type == "multiple_select":
        return tuple((o.id, plain(o.text), o.id in key.answers) for o in question.options)
    if question.type == "true_false":
        return (("true", "True", key.answer is True), ("false", "False", key.answer is False))
    return ()


def items_from_banks(banks: Iterable[Any]) -> dict[str, ItemInfo]:
    """Every question of ``banks`` (``stemtrain.content.Bank``), in bank order, each case followed by its parts."""
    from ..markup import to_plain

    items: dict[str, ItemInfo] = {}
    for bank in banks:
        for question in bank.questions:
            key = bank.keys.get(question.id)
            items[question.id] = ItemInfo(
                question.id, bank.module, None, question.type, to_plain(question.prompt), _options(question, key, to_plain)
            )
            for part in question.questions if question.type == "case" else ():
                items[part.id] = ItemInfo(
                    part.id, bank.module, question.id, part.type, to_plain(part.prompt), _options(part, bank.keys.get(part.id), to_plain)
                )
    return items


def course_items(course: Any = None) -> tuple[dict[str, ItemInfo], tuple[str, ...]]:
    """(items, module ids in course order) of the course (loaded here when not given)."""
    if course is None:
        from ..content import load_course

        course = load_course()
    banks: Mapping[str, Any] = course.banks
    return items_from_banks(banks[m] for m in course.modules), tuple(course.modules)
