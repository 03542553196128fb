"""Moodle XML export, parsed back with lxml (not our writer) and read question by question against the keys."""

from __future__ import annotations

import base64

import pytest
from interop_support import all_types, course, fake_images, plain

from stemtrain.interop import moodle_xml

etree = pytest.importorskip("lxml.etree")


def _export(banks, refs, images=None):
    payload, limits = moodle_xml.export(banks, refs, images=images)
    root = etree.fromstring(payload[moodle_xml.FILE_NAME], etree.XMLParser(resolve_entities=False, no_network=True))
    return root, limits


@pytest.fixture(scope="module")
def exported():
    bank, refs = all_types()
    root, limits = _export([bank], refs, fake_images([bank]))
    by_id = {q.findtext("idnumber"): q for q in root.iter("question") if q.get("type") != "category"}
    return bank, root, limits, by_id


def _answers(question) -> dict[str, tuple[float, str]]:
    return {
        plain(a.findtext("text")): (float(a.get("fraction")), plain(a.findtext("feedback/text") or "")) for a in question.findall("answer")
    }


def test_file_is_a_moodle_quiz_with_one_category_per_module_and_case(exported):
    _, root, _, _ = exported
    assert root.tag == "quiz"
    categories = [q.findtext("category/text") for q in root.iter("question") if q.get("type") == "category"]
    assert categories == ["$course$/top/stemtrain/Every question type", "$course$/top/stemtrain/Every question type/t-case"]


def test_single_choice(exported):
    bank, _, _, by_id = exported
    q, key = bank["t-single"], bank.key("t-single")
    got = by_id["t-single"]
    assert got.get("type") == "multichoice" and got.findtext("single") == "true"
    assert "<strong>centre</strong>" in got.findtext("questiontext/text")
    assert _answers(got) == {o.text: (100.0 if o.id == key.answer else 0.0, key.feedback_for(o.id)) for o in q.options}
    assert "The nucleus is the centre." in plain(got.findtext("generalfeedback/text"))
    assert "Test 2020" in plain(got.findtext("generalfeedback/text"))


def test_multiple_select_partial_credit(exported):
    bank, _, _, by_id = exported
    q, key = bank["t-multi"], bank.key("t-multi")
    got = by_id["t-multi"]
    assert got.findtext("single") == "false"
    share = 100 / len(key.answers)
    answers = _answers(got)
    for o in q.options:
        assert answers[o.text][0] == pytest.approx(share if o.id in key.answers else -share, abs=1e-4)
    assert sum(f for f, _ in answers.values() if f > 0) <= 100


def test_true_false(exported):
    bank, _, _, by_id = exported
    key = bank.key("t-tf")
    got = by_id["t-tf"]
    assert got.get("type") == "truefalse"
    assert _answers(got) == {"true": (0.0, key.feedback_for("true")), "false": (100.0, key.feedback_for("false"))}


def test_ordering_lists_items_in_the_correct_order(exported):
    bank, _, limits, by_id = exported
    q, key = bank["t-order"], bank.key("t-order")
    got = by_id["t-order"]
    assert got.get("type") == "ordering" and got.findtext("gradingtype") == "ABSOLUTE_POSITION"
    texts = {o.id: o.text for o in q.items}
    answers = sorted(got.findall("answer"), key=lambda a: int(a.get("fraction")))
    assert [plain(a.findtext("text")) for a in answers] == [texts[i] for i in key.order]
    assert any(lim.question_id == "t-order" for lim in limits)


def test_matching_pairs_and_distractors(exported):
    bank, _, _, by_id = exported
    q, key = bank["t-match"], bank.key("t-match")
    got = by_id["t-match"]
    pairs = [(plain(s.findtext("text")), s.findtext("answer/text")) for s in got.findall("subquestion")]
    lefts, choices = {o.id: o.text for o in q.lefts}, {o.id: o.text for o in q.choices}
    assert pairs == [(lefts[left], choices[c]) for left, c in key.matches] + [("", "A nerve")]


def test_numeric(exported):
    bank, _, _, by_id = exported
    key = bank.key("t-number")
    (answer,) = by_id["t-number"].findall("answer")
    assert (float(answer.findtext("text")), float(answer.findtext("tolerance"))) == (key.answer, key.tolerance)


def test_image_label_carries_its_figure(exported):
    bank, _, limits, by_id = exported
    q, key = bank["t-label"], bank.key("t-label")
    got = by_id["t-label"]
    assert got.get("type") == "matching"
    (file,) = got.findall("questiontext/file")
    assert base64.b64decode(file.text).startswith(b"\x89PNG")
    assert f"@@PLUGINFILE@@/{file.get('name')}" in got.findtext("questiontext/text")
    choices = {o.id: o.text for o in q.choices}
    pairs = [(s.findtext("text"), s.findtext("answer/text")) for s in got.findall("subquestion")]
    assert pairs[: len(key.matches)] == [(f"Structure {m}", choices[c]) for m, c in key.matches]
    assert any(lim.question_id == "t-label" and "matching" in lim.what for lim in limits)


def test_image_label_without_a_picture_is_listed():
    bank, refs = all_types()
    root, limits = _export([bank], refs)
    assert "t-label" not in [q.findtext("idnumber") for q in root.iter("question")]
    assert any(lim.question_id == "t-label" and "not exported" in lim.what for lim in limits)


def test_case_parts(exported):
    _, _, limits, by_id = exported
    for part in ("t-case-a", "t-case-b"):
        assert by_id[part].findtext("name/text").startswith("t-case (case, part")
        assert "45-year-old" in by_id[part].findtext("questiontext/text")
    assert any(lim.question_id == "t-case" for lim in limits)


def test_markup_is_escaped_as_xml_text():
    bank, refs = all_types()
    payload, _ = moodle_xml.export([bank], refs)
    raw = payload[moodle_xml.FILE_NAME].decode()
    assert "&lt;strong&gt;centre&lt;/strong&gt;" in raw  # HTML inside <text> is XML-escaped, never raw markup


def test_whole_course_exports_every_question():
    content = course()
    banks = [content.banks[m] for m in content.modules]
    root, limits = _export(banks, content.references, fake_images(banks))
    exported = {q.findtext("idnumber") for q in root.iter("question")}
    for bank in banks:
        for q in bank.questions:
            for sub in q.linked() or (q,):
                assert sub.id in exported, sub.id
    assert all(lim.format == "moodle-xml" for lim in limits)
