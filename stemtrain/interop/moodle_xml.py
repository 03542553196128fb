"""Moodle XML: one ``<quiz>`` file; a category question per module and per case; text as HTML.

Moodle XML carries almost everything: per-option feedback for choice, true/false and numeric questions, general
feedback, partial credit (the same rules as ours: share of right picks minus wrong, share of matches, share of
steps in place), the figure of an image-label item as an embedded file. Ordering needs Moodle's Ordering question
type (standard from Moodle 4.4, a plugin before); cases become their parts.
"""

from __future__ import annotations

import base64
import math
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from typing import Any

from ..markup import escape, render, render_inline
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
from .items import Item, case_limitations, items
from .model import Image, Limitation, Payload

__all__ = ["FILE_NAME", "export"]

FORMAT = "moodle-xml"
FILE_NAME = "stemtrain.moodle.xml"


def _text(parent: ET.Element, tag: str, html: str, **attrs: str) -> ET.Element:
    """``<tag format="html"><text>…</text></tag>``: ElementTree escapes the markup as XML text."""
    el = ET.SubElement(parent, tag, {"format": "html", **attrs})
    ET.SubElement(el, "text").text = html
    return el


def _plain(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _fraction(share: float) -> str:
    """A Moodle answer fraction in percent, cut toward zero so that n shares of 100/n never pass 100."""
    cut = math.trunc(share * 100 * 100_000) / 100_000
    return f"{cut:.5f}".rstrip("0").rstrip(".")


def _answer(parent: ET.Element, fraction: str, html: str, feedback: str = "", **extra: str) -> ET.Element:
    el = _text(parent, "answer", html, fraction=fraction)
    for tag, value in extra.items():
        _plain(el, tag, value)
    _text(el, "feedback", render_inline(feedback) if feedback else "")
    return el


def _head(quiz: ET.Element, qtype: str, item: Item, references: Mapping[str, Any], extra_html: str = "") -> ET.Element:
    q = ET.SubElement(quiz, "question", type=qtype)
    name = ET.SubElement(q, "name")
    ET.SubElement(name, "text").text = item.title
    _text(q, "questiontext", render(item.stem) + extra_html)
    _text(q, "generalfeedback", render(item.general(references)))
    for tag, value in (("defaultgrade", "1"), ("penalty", "0"), ("hidden", "0"), ("idnumber", item.question.id)):
        _plain(q, tag, value)
    return q


def _choice(quiz: ET.Element, item: Item, references: Mapping[str, Any]) -> None:
    question, key = item.question, item.key
    assert isinstance(question, (SingleChoice, MultipleSelect))
    q = _head(quiz, "multichoice", item, references)
    single = isinstance(key, ChoiceKey)
    for tag, value in (("single", "true" if single else "false"), ("shuffleanswers", "true"), ("answernumbering", "abc")):
        _plain(q, tag, value)
    for option in question.options:
        if isinstance(key, ChoiceKey):
            fraction = "100" if option.id == key.answer else "0"
        else:
            assert isinstance(key, MultipleKey)
            share = 1 / len(key.answers)
            fraction = _fraction(share if option.id in key.answers else -share)
        _answer(q, fraction, render_inline(option.text), key.feedback_for(option.id))


def _true_false(quiz: ET.Element, item: Item, references: Mapping[str, Any]) -> None:
    key = item.key
    assert isinstance(key, TrueFalseKey)
    q = _head(quiz, "truefalse", item, references)
    for value in (True, False):
        word = "true" if value else "false"
        answer = _answer(q, "100" if value == key.answer else "0", "", key.feedback_for(word))
        answer.set("format", "moodle_auto_format")
        answer.find("text").text = word  # type: ignore[union-attr]


def _matching(quiz: ET.Element, item: Item, references: Mapping[str, Any], image: Image | None) -> list[Limitation]:
    question, key = item.question, item.key
    assert isinstance(question, (Matching, ImageLabel)) and isinstance(key, AssignmentKey)
    figure = ""
    if isinstance(question, ImageLabel):
        if image is None:
            return [Limitation(question.id, FORMAT, "no picture of the figure was supplied, so the image-label item was not exported")]
        name = f"{question.figure.replace('.', '-')}.png"
        figure = f'<p><img src="@@PLUGINFILE@@/{name}" alt="{escape(image.description)}"></p>'
        lefts = {str(m): f"Structure {m}" for m in question.markers}
    else:
        lefts = {o.id: render_inline(o.text) for o in question.lefts}
    q = _head(quiz, "matching", item, references, figure)
    if figure:
        qtext = q.find("questiontext")
        assert qtext is not None
        ET.SubElement(qtext, "file", name=name, path="/", encoding="base64").text = base64.b64encode(image.png).decode()  # type: ignore[union-attr]
    _plain(q, "shuffleanswers", "true")
    choices = {o.id: o.text for o in question.choices}
    used = set()
    for left, choice in key.matches:
        sub = _text(q, "subquestion", lefts[left])
        ET.SubElement(ET.SubElement(sub, "answer"), "text").text = choices[choice]
        used.add(choice)
    for cid, text in choices.items():
        if cid not in used:  # an extra answer with an empty question is a distractor in Moodle's matching type
            sub = _text(q, "subquestion", "")
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = text
    if figure:
        return [
            Limitation(
                question.id, FORMAT, "an image-label item becomes a matching question (structure number -> label), the figure in its text"
            )
        ]
    return []


def _numeric(quiz: ET.Element, item: Item, references: Mapping[str, Any]) -> None:
    key = item.key
    assert isinstance(key, NumericKey)
    q = _head(quiz, "numerical", item, references)
    _answer(q, "100", f"{key.answer:g}", "", tolerance=f"{key.tolerance:g}").set("format", "moodle_auto_format")
    for tag, value in (("unitgradingtype", "0"), ("unitpenalty", "0"), ("showunits", "3"), ("unitsleft", "0")):
        _plain(q, tag, value)


def _ordering(quiz: ET.Element, item: Item, references: Mapping[str, Any]) -> list[Limitation]:
    question, key = item.question, item.key
    assert isinstance(question, Ordering) and isinstance(key, OrderingKey)
    q = _head(quiz, "ordering", item, references)
    options = (
        ("layouttype", "VERTICAL"),
        ("selecttype", "ALL"),
        ("selectcount", "0"),
        ("gradingtype", "ABSOLUTE_POSITION"),
        ("showgrading", "SHOW"),
        ("numberingstyle", "none"),
    )
    for tag, value in options:
        _plain(q, tag, value)
    texts = {o.id: o.text for o in question.items}
    for position, item_id in enumerate(key.order, start=1):
        _text(q, "answer", render_inline(texts[item_id]), fraction=str(position))
    return [Limitation(question.id, FORMAT, "needs Moodle's Ordering question type (standard from Moodle 4.4, a plugin before)")]


def _category(quiz: ET.Element, path: str) -> None:
    q = ET.SubElement(quiz, "question", type="category")
    ET.SubElement(ET.SubElement(q, "category"), "text").text = path


def export(
    banks: Sequence[Any], references: Mapping[str, Any], *, images: Mapping[str, Image] | None = None
) -> tuple[Payload, list[Limitation]]:
    """The banks as one Moodle XML file; ``images`` (figure name -> picture) lets image-label items carry their figure."""
    limitations = case_limitations(banks, FORMAT)
    quiz = ET.Element("quiz")
    quiz.append(ET.Comment(" stemtrain question banks in Moodle XML (generated: edit the YAML banks instead) "))
    category = None
    for item in items(banks):
        wanted = f"$course$/top/stemtrain/{item.bank_title}" + (f"/{item.case.id}" if item.case else "")
        if wanted != category:
            _category(quiz, wanted)
            category = wanted
        q = item.question
        if isinstance(q, (SingleChoice, MultipleSelect)):
            _choice(quiz, item, references)
        elif isinstance(q, TrueFalse):
            _true_false(quiz, item, references)
        elif isinstance(q, (Matching, ImageLabel)):
            image = (images or {}).get(q.figure) if isinstance(q, ImageLabel) else None
            limitations += _matching(quiz, item, references, image)
        elif isinstance(q, Numeric):
            _numeric(quiz, item, references)
        elif isinstance(q, Ordering):
            limitations += _ordering(quiz, item, references)
        else:
            limitations.append(Limitation(q.id, FORMAT, f"no Moodle XML form for question type {q.type!r}; not exported"))
    ET.indent(quiz)
    return {FILE_NAME: ET.tostring(quiz, encoding="utf-8", xml_declaration=True) + b"\n"}, limitations
