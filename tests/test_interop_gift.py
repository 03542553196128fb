"""GIFT export, read back by pygiftparser (an independent GIFT parser from PyPI) and checked against the keys."""

from __future__ import annotations

import io
import re

import pytest
from interop_support import all_types, course, plain

from stemtrain.interop import gift
from stemtrain.quiz.model import Matching, MultipleSelect, Numeric, Ordering, SingleChoice

pygiftparser = pytest.importorskip("pygiftparser.parser")


def _unescape(text: str) -> str:
    """pygiftparser leaves GIFT's backslash escapes in place; Moodle removes them."""
    return re.sub(r"\\(.)", r"\1", text)


def _exported(banks, refs) -> tuple[str, list]:
    payload, limits = gift.export(banks, refs)
    assert list(payload) == [gift.FILE_NAME]
    return payload[gift.FILE_NAME].decode("utf-8"), limits


def _parsed(text: str) -> dict[str, object]:
    return {_unescape(q.title).split(": ")[-1]: q for q in pygiftparser.parseFile(io.StringIO(text))}


@pytest.fixture(scope="module")
def exported():
    bank, refs = all_types()
    text, limits = _exported([bank], refs)
    return bank, refs, text, limits, _parsed(text)


def test_escape_covers_every_special_character():
    assert gift.escape("a~b=c#d{e}f:g\\h") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h"
    assert gift.escape("two\nlines") == "two lines"


def test_single_choice_round_trips_with_feedback(exported):
    bank, _, _, _, parsed = exported
    q, key = bank["t-single"], bank.key("t-single")
    assert isinstance(q, SingleChoice)
    answers = {_unescape(plain(a.answer)): a for a in parsed["t-single"].answers.answers}
    for option in q.options:
        got = answers[plain(option.text)]
        assert (got.fraction == 100) == (option.id == key.answer)
        assert _unescape(plain(got.feedback)) == key.feedback_for(option.id)
    assert "The nucleus is the centre." in plain(_unescape(parsed["t-single"].generalFeedback))


def test_multiple_select_weights_match_partial_credit(exported):
    bank, _, _, _, parsed = exported
    q, key = bank["t-multi"], bank.key("t-multi")
    assert isinstance(q, MultipleSelect)
    answers = {plain(a.answer): a for a in parsed["t-multi"].answers.answers}
    share = 100 / len(key.answers)
    for option in q.options:
        assert answers[option.text].fraction == pytest.approx(share if option.id in key.answers else -share, abs=1e-4)
    assert type(parsed["t-multi"].answers).__name__ == "MultipleChoicesSet"


def test_true_false_feedback_goes_to_the_right_side(exported):
    bank, _, _, _, parsed = exported
    key = bank.key("t-tf")
    got = parsed["t-tf"].answers
    assert got.answer is key.answer is False
    assert got.feedbackWrong == key.feedback_for("true") and got.feedbackCorrect == key.feedback_for("false")


def test_matching_pairs_and_distractor(exported):
    bank, _, _, _, parsed = exported
    q, key = bank["t-match"], bank.key("t-match")
    assert isinstance(q, Matching)
    lefts, choices = {o.id: o.text for o in q.lefts}, {o.id: o.text for o in q.choices}
    got = {a.question.strip(): a.answer.strip() for a in parsed["t-match"].answers.answers}
    assert {lefts[left]: choices[c] for left, c in key.matches} == {k: v for k, v in got.items() if k}
    assert got[""] == "A nerve"


def test_numeric_answer_and_tolerance(exported):
    bank, _, _, _, parsed = exported
    q, key = bank["t-number"], bank.key("t-number")
    assert isinstance(q, Numeric)
    (answer,) = parsed["t-number"].answers.answers
    assert (answer.value, answer.tolerance) == (key.answer, key.tolerance)
    assert "Answer in %" in plain(parsed["t-number"].text)


def test_ordering_uses_the_ordering_plugin_syntax_in_the_correct_order(exported):
    bank, _, text, limits, parsed = exported
    q, key = bank["t-order"], bank.key("t-order")
    assert isinstance(q, Ordering)
    assert not parsed["t-order"].valid  # a plain GIFT reader rejects the plugin syntax: hence the limitation
    block = re.search(r"::t-order::.*?\{\n>(\d+) ALL VERTICAL ABSOLUTE_POSITION\n(.*?)\n\}", text, re.S)
    assert block is not None and int(block.group(1)) == len(key.order)
    texts = {o.id: o.text for o in q.items}
    assert block.group(2).splitlines() == [texts[i] for i in key.order]
    assert any(lim.question_id == "t-order" and "Ordering question type" in lim.what for lim in limits)


def test_plain_gift_leaves_ordering_out_and_says_so():
    bank, refs = all_types()
    payload, limits = gift.export([bank], refs, ordering_plugin=False)
    assert "::t-order::" not in payload[gift.FILE_NAME].decode()
    assert any(lim.question_id == "t-order" and "not exported" in lim.what for lim in limits)


def test_image_label_is_listed_not_dropped_silently(exported):
    _, _, text, limits, _ = exported
    assert "t-label" not in text
    assert [lim.format for lim in limits if lim.question_id == "t-label"] == ["gift"]


def test_case_parts_are_separate_items_titled_by_the_case(exported):
    _, _, text, limits, parsed = exported
    assert "$CATEGORY: $course$/top/stemtrain/Every question type/t-case" in text
    for part in ("t-case-a", "t-case-b"):
        assert _unescape(parsed[part].title).startswith("t-case (case, part")
        assert "45-year-old office worker" in plain(_unescape(parsed[part].text))
    assert any(lim.question_id == "t-case" and "parts" in lim.what for lim in limits)


def test_every_course_question_is_exported_or_listed():
    content = course()
    banks = [content.banks[m] for m in content.modules]
    text, limits = _exported(banks, content.references)
    parsed = pygiftparser.parseFile(io.StringIO(text))
    listed = {lim.question_id for lim in limits}
    for bank in banks:
        for q in bank.questions:
            for sub in q.linked() or (q,):
                assert f"// {sub.id} (" in text or sub.id in listed, sub.id
    invalid = [_unescape(q.title) for q in parsed if not q.valid]
    ordering = {sub.id for b in banks for sub in b.by_id.values() if isinstance(sub, Ordering)}
    assert {t.split(": ")[-1] for t in invalid} <= ordering  # only the plugin-syntax items are foreign to plain GIFT
