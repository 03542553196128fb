"""QTI items and tests, built once in QTI 2.1's vocabulary; ``qti21`` and ``qti3`` give them their namespace and names.

QTI 3 renamed every element (``choiceInteraction`` -> ``qti-choice-interaction``) and attribute (``maxChoices`` ->
``max-choices``) but kept the model, so one builder serves both. Scoring is written out in response processing
so it matches ours exactly: map_response for select-all and matching (share per right pick or match, floored
at 0), one condition per position for ordering, a tolerance for numbers. Feedback per option and the explanation
are modal feedback keyed on the FEEDBACK outcome.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from ..quiz.model import (
    AssignmentKey,
    ChoiceKey,
    ImageLabel,
    Matching,
    MultipleKey,
    MultipleSelect,
    Numeric,
    NumericKey,
    Ordering,
    OrderingKey,
    SingleChoice,
    TrueFalse,
    TrueFalseKey,
)
from .items import Item, identifier
from .model import Image
from .xhtml import append_markdown

__all__ = ["EXPLANATION", "HTML_TAGS", "build_item", "build_test", "image_name"]

EXPLANATION = "EXPLANATION"
HTML_TAGS = frozenset({"p", "strong", "em", "ul", "ol", "li", "code", "br", "a", "img", "div", "span"})


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, attrs)
    if text is not None:
        el.text = text
    return el


def _value(parent: ET.Element, value: str) -> None:
    _el(parent, "value", value)


def _base(parent: ET.Element, base_type: str, value: str) -> ET.Element:
    return _el(parent, "baseValue", value, baseType=base_type)


def _set_outcome(parent: ET.Element, name: str) -> ET.Element:
    return _el(parent, "setOutcomeValue", identifier=name)


def _tail(text: str) -> str:
    """An id after a letter prefix (``L-``, ``R-``): only characters an NCName allows."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)


def image_name(figure: str) -> str:
    """The package path of a figure's picture."""
    return f"images/{re.sub(r'[^A-Za-z0-9_-]', '-', figure)}.png"


def _declare(root: ET.Element, cardinality: str, base_type: str, correct: list[str], mapping: Mapping[str, float] | None = None) -> None:
    decl = _el(root, "responseDeclaration", identifier="RESPONSE", cardinality=cardinality, baseType=base_type)
    values = _el(decl, "correctResponse")
    for value in correct:
        _value(values, value)
    if mapping is not None:
        mapped = _el(decl, "mapping", lowerBound="0", defaultValue="0")
        for key, points in mapping.items():
            _el(mapped, "mapEntry", mapKey=key, mappedValue=f"{points:.6g}")
    score = _el(root, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float", normalMaximum="1")
    _value(_el(score, "defaultValue"), "0")
    _el(root, "outcomeDeclaration", identifier="FEEDBACK", cardinality="multiple", baseType="identifier")


def _choices(parent: ET.Element, options: list[tuple[str, str]], tag: str = "simpleChoice", **attrs: str) -> None:
    for ident, text in options:
        append_markdown(_el(parent, tag, identifier=ident, **attrs), text, "", inline=True)


def _score_if_correct(rp: ET.Element, test: ET.Element | None = None) -> None:
    cond = _el(_el(rp, "responseCondition"), "responseIf")
    if test is None:
        test = ET.Element("match")
        _el(test, "variable", identifier="RESPONSE")
        _el(test, "correct", identifier="RESPONSE")
    cond.append(test)
    _base(_set_outcome(cond, "SCORE"), "float", "1")


def _score_mapped(rp: ET.Element) -> None:
    cond = _el(_el(rp, "responseCondition"), "responseIf")
    _el(_el(_el(cond, "not"), "isNull"), "variable", identifier="RESPONSE")
    _el(_set_outcome(cond, "SCORE"), "mapResponse", identifier="RESPONSE")


def _feedback(rp: ET.Element, with_response: bool) -> None:
    multiple = _el(_set_outcome(rp, "FEEDBACK"), "multiple")
    if with_response:
        _el(multiple, "variable", identifier="RESPONSE")
    _base(multiple, "identifier", EXPLANATION)


def _modal(root: ET.Element, ident: str, title: str, markdown: str, wrapped: bool) -> None:
    box = _el(root, "modalFeedback", outcomeIdentifier="FEEDBACK", identifier=ident, showHide="show", title=title)
    append_markdown(_el(box, "contentBody") if wrapped else box, markdown, "")


def _choice_item(root: ET.Element, body: ET.Element, rp: ET.Element, item: Item) -> list[tuple[str, str]]:
    q, k = item.question, item.key
    if isinstance(q, TrueFalse):
        assert isinstance(k, TrueFalseKey)
        options, correct, mapping = [("true", "True"), ("false", "False")], ["true" if k.answer else "false"], None
    else:
        assert isinstance(q, (SingleChoice, MultipleSelect))
        options = [(identifier(o.id), o.text) for o in q.options]
        if isinstance(k, ChoiceKey):
            correct, mapping = [identifier(k.answer)], None
        else:
            assert isinstance(k, MultipleKey)
            share = 1 / len(k.answers)
            correct = [identifier(o.id) for o in q.options if o.id in k.answers]
            mapping = {identifier(o.id): share if o.id in k.answers else -share for o in q.options}
    single = mapping is None
    _declare(root, "single" if single else "multiple", "identifier", correct, mapping)
    interaction = _el(body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="true", maxChoices="1" if single else "0")
    _choices(interaction, options)
    if single:
        _score_if_correct(rp)
    else:
        _score_mapped(rp)
    _feedback(rp, with_response=True)
    ids = {"true": "true", "false": "false"} if isinstance(q, TrueFalse) else {o.id: identifier(o.id) for o in q.options}
    return [(ids[choice], note) for choice, note in k.feedback if choice in ids]


def _ordering_item(root: ET.Element, body: ET.Element, rp: ET.Element, item: Item) -> None:
    q, k = item.question, item.key
    assert isinstance(q, Ordering) and isinstance(k, OrderingKey)
    _declare(root, "ordered", "identifier", [identifier(i) for i in k.order])
    interaction = _el(body, "orderInteraction", responseIdentifier="RESPONSE", shuffle="true")
    _choices(interaction, [(identifier(o.id), o.text) for o in q.items])
    share = f"{1 / len(k.order):.6g}"
    for position, item_id in enumerate(k.order, start=1):
        cond = _el(_el(rp, "responseCondition"), "responseIf")
        match = _el(cond, "match")
        _el(_el(match, "index", n=str(position)), "variable", identifier="RESPONSE")
        _base(match, "identifier", identifier(item_id))
        total = _el(_set_outcome(cond, "SCORE"), "sum")
        _el(total, "variable", identifier="SCORE")
        _base(total, "float", share)
    _feedback(rp, with_response=False)


def _assignment_item(root: ET.Element, body: ET.Element, rp: ET.Element, item: Item, image: Image | None) -> None:
    q, k = item.question, item.key
    assert isinstance(q, (Matching, ImageLabel)) and isinstance(k, AssignmentKey)
    if isinstance(q, ImageLabel):
        lefts = [(f"S-{m}", f"Structure {m}") for m in q.markers]
        left_id = {str(m): f"S-{m}" for m in q.markers}
        if image is not None:
            _el(_el(body, "p"), "img", src=f"../{image_name(q.figure)}", alt=image.description)
    else:
        lefts = [(f"L-{_tail(o.id)}", o.text) for o in q.lefts]
        left_id = {o.id: f"L-{_tail(o.id)}" for o in q.lefts}
    pairs = [f"{left_id[left]} R-{_tail(choice)}" for left, choice in k.matches]
    _declare(root, "multiple", "directedPair", pairs, {pair: 1 / len(pairs) for pair in pairs})
    interaction = _el(body, "matchInteraction", responseIdentifier="RESPONSE", shuffle="true", maxAssociations=str(len(lefts)))
    _choices(_el(interaction, "simpleMatchSet"), lefts, "simpleAssociableChoice", matchMax="1")
    _choices(_el(interaction, "simpleMatchSet"), [(f"R-{_tail(o.id)}", o.text) for o in q.choices], "simpleAssociableChoice", matchMax="1")
    _score_mapped(rp)
    _feedback(rp, with_response=False)


def _numeric_item(root: ET.Element, body: ET.Element, rp: ET.Element, item: Item) -> None:
    q, k = item.question, item.key
    assert isinstance(q, Numeric) and isinstance(k, NumericKey)
    _declare(root, "single", "float", [f"{k.answer:g}"])
    line = _el(body, "p")
    _el(line, "textEntryInteraction", responseIdentifier="RESPONSE", expectedLength="8").tail = f" {q.unit}" if q.unit else None
    test = ET.Element("equal", toleranceMode="absolute", tolerance=f"{k.tolerance:g} {k.tolerance:g}")
    _el(test, "variable", identifier="RESPONSE")
    _el(test, "correct", identifier="RESPONSE")
    _score_if_correct(rp, test)
    _feedback(rp, with_response=False)


def build_item(item: Item, references: Mapping[str, Any], image: Image | None = None, *, wrapped_feedback: bool = False) -> ET.Element:
    """One ``assessmentItem`` (QTI 2.1 names, no namespace yet); QTI 3 wraps modal feedback in a content body."""
    q = item.question
    root = ET.Element("assessmentItem", identifier=identifier(q.id), title=item.title, adaptive="false", timeDependent="false")
    root.set("{http://www.w3.org/XML/1998/namespace}lang", "en")
    body = ET.Element("itemBody")
    append_markdown(body, item.stem, "")
    rp = ET.Element("responseProcessing")
    notes: list[tuple[str, str]] = []
    if isinstance(q, (SingleChoice, MultipleSelect, TrueFalse)):
        notes = _choice_item(root, body, rp, item)
    elif isinstance(q, Ordering):
        _ordering_item(root, body, rp, item)
    elif isinstance(q, (Matching, ImageLabel)):
        _assignment_item(root, body, rp, item, image)
    elif isinstance(q, Numeric):
        _numeric_item(root, body, rp, item)
    else:
        raise ValueError(f"no QTI form for question type {q.type!r}")
    root.extend([body, rp])
    for ident, note in notes:
        _modal(root, ident, "Feedback", note, wrapped_feedback)
    _modal(root, EXPLANATION, "Explanation", item.general(references), wrapped_feedback)
    return root


def build_test(module: str, title: str, groups: list[tuple[str, str, list[str]]]) -> ET.Element:
    """One ``assessmentTest`` per bank: a section for the module, a subsection per case (``groups``: id, title, item ids)."""
    test = ET.Element("assessmentTest", identifier=f"T-{identifier(module)}", title=title)
    part = _el(test, "testPart", identifier="P-1", navigationMode="nonlinear", submissionMode="individual")
    section = _el(part, "assessmentSection", identifier=f"S-{identifier(module)}", title=title, visible="true")
    for group_id, group_title, ids in groups:
        target = section
        if group_id != module:
            target = _el(section, "assessmentSection", identifier=f"S-{identifier(group_id)}", title=group_title, visible="true")
        for qid in ids:
            _el(target, "assessmentItemRef", identifier=identifier(qid), href=f"items/{qid}.xml")
    return test
