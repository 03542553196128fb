"""Widget views driven as a learner would: set .value, press buttons with .click()."""

from __future__ import annotations

import ipywidgets as w
import pytest

from stemtrain.figures import make as picture
from stemtrain.quiz.views import CaseView, QuizSetView, view_for


@pytest.fixture
def answers():
    return []


def make(bank, refs, qid, answers, **kw):
    view = view_for(bank[qid], checker=bank.checker(), references=refs, picture=picture, **kw)
    view.on_answer(lambda event: answers.append((event.question.id, event.result)))
    return view


def test_single_choice_check_feedback_and_try_again(bank, test_refs, answers):
    view = make(bank, test_refs, "t-single", answers)
    assert repr(view) == "Quiz question t-single: choose Run > Run All Cells to answer it."
    view.choice.value = "b"
    view.check_button.click()
    html = view.feedback.value
    assert "✘" in html and "Not correct" in html
    assert "No: that is the outer ring." in html
    assert "The nucleus is the centre." in html
    assert "Test 2020" in html and "https://doi.org/10.1000/test.1" in html
    assert view.choice.disabled and view.check_button.disabled and not view.retry_button.disabled
    assert [a[0] for a in answers] == ["t-single"] and answers[0][1].score == 0.0
    view.retry_button.click()
    assert view.choice.value is None and view.feedback.value == "" and not view.choice.disabled
    view.choice.value = "a"
    view.check_button.click()
    assert "✔" in view.feedback.value and "Correct" in view.feedback.value
    assert [a[1].correct for a in answers] == [False, True]


def test_check_without_an_answer_asks_for_one_and_reports_nothing(bank, test_refs, answers):
    view = make(bank, test_refs, "t-single", answers)
    view.check_button.click()
    assert "Choose an answer first" in view.feedback.value
    assert answers == [] and view.result is None


def test_options_are_shuffled_the_same_way_every_time(bank, test_refs):
    def ids(view):
        return [oid for _, oid in view.choice.options]

    a = make(bank, test_refs, "t-multi", [])
    b = make(bank, test_refs, "t-multi", [])
    assert ids(a) == ids(b)
    assert sorted(ids(a)) == ["blood", "bm", "cord", "fat"]
    orders = {tuple(ids(make(bank, test_refs, "t-multi", [], seed=s))) for s in range(6)}
    assert len(orders) > 1  # the seed does change the order


def test_multiple_select_states_rule_and_gives_partial_credit(bank, test_refs, answers):
    view = make(bank, test_refs, "t-multi", answers)
    assert view.choice.legend == "Select all that apply:" and view.choice.multiple
    assert "Each right pick earns a share" in view.children[1].value
    view.choice.value = ["bm", "fat"]
    view.check_button.click()
    assert "Partly correct" in view.feedback.value and "score 67%" in view.feedback.value
    assert answers[-1][1].score == pytest.approx(0.6667)


def test_true_false(bank, test_refs, answers):
    view = make(bank, test_refs, "t-tf", answers)
    assert [tuple(o) for o in view.choice.options] == [("True", "true"), ("False", "false")]
    view.choice.value = "false"
    view.check_button.click()
    assert answers[-1][1].correct and "Right." in view.feedback.value


def test_ordering_checks_every_step_is_filled_and_unique(bank, test_refs, answers):
    view = make(bank, test_refs, "t-order", answers)
    view.slots[0].value = "consent"
    view.check_button.click()
    assert "Choose an item for every step" in view.feedback.value
    for slot, value in zip(view.slots, ["consent", "consent", "inject", "observe"], strict=False):
        slot.value = value
    view.check_button.click()
    assert "Each item can be used once" in view.feedback.value and answers == []
    for slot, value in zip(view.slots, ["consent", "timeout", "inject", "observe"], strict=False):
        slot.value = value
    view.check_button.click()
    assert answers[-1][1].correct
    assert all(s.description.startswith("Step ") for s in view.slots)  # every input has a label


def test_matching(bank, test_refs, answers):
    view = make(bank, test_refs, "t-match", answers)
    labels = [s.description for s in view.selects.values()]
    assert labels == ["Nucleus pulposus:", "Annulus fibrosus:", "Endplate:"]
    choice_ids = {v for _, v in view.selects["np"].options}
    assert choice_ids == {None, "np", "af", "ep", "distractor-1"}
    for pid, select in view.selects.items():
        select.value = pid
    view.check_button.click()
    assert answers[-1][1].correct


def test_numeric_takes_typed_text(bank, test_refs, answers):
    view = make(bank, test_refs, "t-number", answers)
    assert view.number.description == "Your answer (%):"
    view.number.value = "about seventy"
    view.check_button.click()
    assert "Type a number" in view.feedback.value and answers == []
    view.number.value = " 69.5 "
    view.check_button.click()
    assert answers[-1][1].correct


def test_case_view_reports_each_part_and_combines(bank, test_refs, answers):
    view = make(bank, test_refs, "t-case", answers)
    assert isinstance(view, CaseView) and "45-year-old" in view.vignette.value
    assert "Part 1 of 2" in view.parts[0].prompt.value
    assert view.result is None
    result = view.submit({"t-case-a": False, "t-case-b": "b"})
    assert [a[0] for a in answers] == ["t-case-a", "t-case-b"]
    assert result is not None and result.score == 0.5 and result.question_id == "t-case"


def test_quiz_set_keeps_a_running_score(bank, test_refs, answers):
    quiz = QuizSetView([bank["t-single"], bank["t-tf"], bank["t-case"]], title="Practice", references=test_refs, checker=bank.checker())
    quiz.on_answer(lambda event: answers.append(event.question.id))
    assert "0 of 4" in quiz.summary.value  # the case counts its two parts
    first = quiz.views[0]
    first.choice.value = "a"
    first.check_button.click()
    assert "Your score: 1 of 4" in quiz.summary.value and "(1 of 4 questions checked)" in quiz.summary.value
    first.retry_button.click()
    assert "Your score: 0 of 4" in quiz.summary.value
    quiz.views[2].submit({"t-case-a": False, "t-case-b": "b"})  # one part right: partial points show one decimal
    assert "Your score: 1 of 4" in quiz.summary.value
    multi = QuizSetView([bank["t-multi"]], references=test_refs, checker=bank.checker())
    multi.views[0].submit(["bm"])
    assert "Your score: 0.3 of 1" in multi.summary.value
    assert "Question 2" in quiz.views[1].prompt.value and "Case 3" in quiz.views[2].vignette.value
    assert answers == ["t-single", "t-case-a", "t-case-b"]


HOSTILE = '<script>window.pwned=1</script><img src=x onerror="window.pwned=1">'


def test_hostile_text_is_escaped_everywhere(bank, test_refs):
    from dataclasses import replace

    from stemtrain.quiz.grading import local_checker
    from stemtrain.quiz.model import Option

    evil = replace(bank["t-single"], prompt=HOSTILE, options=(Option("a", HOSTILE), Option("b", "safe")))
    key = replace(bank.key("t-single"), explanation=HOSTILE, feedback=(("a", HOSTILE),))
    view = view_for(evil, references=test_refs, checker=local_checker({"t-single": key}))
    view.choice.value = "a"
    view.check_button.click()
    for html in (view.prompt.value, view.feedback.value):
        assert "<script" not in html and "<img" not in html
        assert "&lt;script&gt;" in html
    # the radio label keeps the text, angle brackets and all: the widget shows labels as text, never as HTML
    assert HOSTILE in [label for label, _ in view.choice.options]


def test_image_label_shows_the_figure_and_a_labelled_choice_per_number(bank, test_refs, answers):
    view = make(bank, test_refs, "t-label", answers)
    assert view.image.value[:8] == b"\x89PNG\r\n\x1a\n"
    assert [s.description for s in view.selects.values()] == ["Structure 1:", "Structure 2:", "Structure 3:"]
    assert any("Figure:" in c.value for c in view.children if isinstance(c, w.HTML))
    view.check_button.click()
    assert "Choose a label for every numbered structure" in view.feedback.value
    for number, select in view.selects.items():
        select.value = number
    view.check_button.click()
    assert answers[-1][1].correct and "✔" in view.feedback.value


def test_a_failing_listener_is_reported_and_the_others_still_run(bank, test_refs, answers):
    quiz = QuizSetView([bank["t-single"], bank["t-tf"]], references=test_refs, checker=bank.checker())

    def broken(_event):
        raise RuntimeError("dashboard offline")

    quiz.on_answer(broken)
    quiz.on_answer(lambda event: answers.append(event.question.id))
    quiz.views[0].submit("a")
    assert answers == ["t-single"]
    assert "Your score: 1 of 2" in quiz.summary.value  # the score still follows
    assert "dashboard offline" in quiz.views[0].notice.value and "went wrong" in quiz.views[0].notice.value
    quiz.on_answer(broken, remove=True)
    quiz.views[1].submit(False)
    assert quiz.views[1].notice.value == "" and answers == ["t-single", "t-tf"]


def test_restore_shows_an_earlier_result_without_reporting_it(bank, test_refs, answers):
    view = make(bank, test_refs, "t-multi", answers)
    earlier = bank.checker()(bank["t-multi"], ["bm", "fat"])
    view.restore(earlier)
    assert answers == [] and view.result == earlier
    assert view.choice.value == ["bm", "fat"]
    assert "Partly correct" in view.feedback.value and view.check_button.disabled
    with pytest.raises(ValueError, match="result for 't-multi' given to the view of 't-single'"):
        make(bank, test_refs, "t-single", answers).restore(earlier)


def test_a_checker_that_cannot_be_reached_is_said_in_the_view(bank, test_refs, answers):
    def unreachable(question, response):
        raise ConnectionError("class service not answering")

    view = view_for(bank["t-single"], checker=unreachable, references=test_refs)
    view.on_answer(answers.append)
    assert view.submit("a") is None
    assert "could not be checked" in view.notice.value and "class service not answering" in view.notice.value
    assert answers == [] and view.result is None and not view.check_button.disabled


@pytest.mark.parametrize(
    ("typed", "unit", "value"),
    [
        ("0,69", "", 0.69),
        ("69,0", "", 69.0),
        (" 69.5 ", "%", 69.5),
        ("69%", "%", 69.0),
        ("69 %", "%", 69.0),
        ("1,234.5", "", 1234.5),
        ("1.234,5", "", 1234.5),
        ("-2", "", -2.0),
        ("0,250", "%", 0.25),
        ("5 mL", "mL", 5.0),
        ("\u22122", "", -2.0),
    ],
)
def test_numbers_are_read_the_way_staff_type_them(typed, unit, value):
    from stemtrain.quiz.views import parse_number

    assert parse_number(typed, unit) == pytest.approx(value)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,000", "could be read two ways"),
        ("about seventy", "Type a number"),
        ("69%", "Type a number"),
        ("nan", "Type a number"),
        ("1e999", "ordinary number"),
        ("9" * 5000, "ordinary number"),
    ],
)
def test_unclear_numbers_are_refused_with_a_message(typed, message):
    from stemtrain.quiz.views import Incomplete, parse_number

    with pytest.raises(Incomplete, match=message):
        parse_number(typed, "")


def test_a_decimal_comma_is_not_read_as_a_thousands_separator(bank, test_refs, answers):
    view = make(bank, test_refs, "t-number", answers)
    view.number.value = "0,69"
    view.check_button.click()
    assert answers[-1][1].response == pytest.approx(0.69) and not answers[-1][1].correct


def test_shared_layouts_cannot_be_changed_by_one_view(bank, test_refs):
    view = make(bank, test_refs, "t-single", [])
    with pytest.raises(AttributeError, match="shared by many quiz widgets"):
        view.layout.display = "none"


def test_a_pick_sent_from_the_page_is_taken_only_when_it_names_options(bank, test_refs, answers):
    view = make(bank, test_refs, "t-single", answers)
    page_sends = view.choice._handle_custom_msg  # what the browser's model.send({...}) arrives as
    page_sends({"value": "b"}, [])
    assert view.choice.value == "b"
    for hostile in ({"value": "zz"}, {"value": ["a"]}, {"value": {"a": 1}}, "b", {"other": 1}):
        page_sends(hostile, [])
        assert view.choice.value == "b"
    view.check_button.click()
    assert answers[-1][1].score == 0.0  # "b" is the wrong answer of t-single
    multi = make(bank, test_refs, "t-multi", answers)
    multi.choice._handle_custom_msg({"value": ["fat", "bm"]}, [])
    assert multi.choice.value == [v for _label, v in multi.choice.options if v in {"bm", "fat"}]
    multi.choice._handle_custom_msg({"value": ["bm", "nope"]}, [])
    assert sorted(multi.choice.value) == ["bm", "fat"]
    multi.check_button.click()
    multi.choice._handle_custom_msg({"value": ["bm"]}, [])
    assert sorted(multi.choice.value) == ["bm", "fat"]  # a checked question keeps its answer until Try again
