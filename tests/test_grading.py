"""Grading of every question type: right, wrong, partial, and malformed responses."""

from __future__ import annotations

import pytest

from stemtrain.quiz.grading import ResponseError, case_result, grade


def check(bank, qid, response):
    """Grade as a view's checker does: the public question plus the key the checker holds."""
    return grade(bank[qid], bank.key(qid), response)


def test_single_choice(bank):
    right = check(bank, "t-single", "a")
    assert (right.correct, right.score, right.verdict) == (True, 1.0, "Correct")
    assert right.feedback == (("Nucleus pulposus", "Yes: the gel-like centre."),)
    wrong = check(bank, "t-single", "b")
    assert (wrong.correct, wrong.score, wrong.verdict) == (False, 0.0, "Not correct")
    assert check(bank, "t-single", "c").feedback == ()  # an option without feedback adds none


@pytest.mark.parametrize("response", [None, 1, "z", ["a"], b"a"])
def test_single_choice_malformed(bank, response):
    with pytest.raises(ResponseError, match="question 't-single' \\(single_choice\\): expected one option id"):
        check(bank, "t-single", response)


@pytest.mark.parametrize(
    ("picked", "score", "correct"),
    [
        (["bm", "fat", "cord"], 1.0, True),
        (["cord", "bm", "fat"], 1.0, True),
        (["bm", "fat"], 0.6667, False),
        (["bm", "fat", "cord", "blood"], 0.6667, False),  # a wrong pick costs one share
        (["bm", "blood"], 0.0, False),
        (["blood"], 0.0, False),  # floored at zero
        ([], 0.0, False),
    ],
)
def test_multiple_select_partial_credit(bank, picked, score, correct):
    result = check(bank, "t-multi", picked)
    assert (result.score, result.correct) == (score, correct)


def test_multiple_select_feedback_names_missed_and_wrong_picks(bank):
    result = check(bank, "t-multi", ["bm", "blood"])
    labels = dict(result.feedback)
    assert labels["Red blood cells"] == "Red cells have no nucleus."
    assert labels["Umbilical cord tissue"] == "This one also applies."
    assert result.verdict == "Not correct"
    assert check(bank, "t-multi", ["bm"]).verdict == "Partly correct"


@pytest.mark.parametrize("response", ["bm", ["bm", "bm"], ["zz"], 3, None])
def test_multiple_select_malformed(bank, response):
    with pytest.raises(ResponseError, match="t-multi"):
        check(bank, "t-multi", response)


def test_true_false(bank):
    assert check(bank, "t-tf", False).correct
    wrong = check(bank, "t-tf", True)
    assert not wrong.correct and wrong.feedback == (("True", "No."),)
    for bad in ("false", 0, None):
        with pytest.raises(ResponseError, match="expected True or False"):
            check(bank, "t-tf", bad)


def test_ordering(bank):
    right = check(bank, "t-order", ["consent", "timeout", "inject", "observe"])
    assert right.correct and right.score == 1.0
    swapped = check(bank, "t-order", ["consent", "inject", "timeout", "observe"])
    assert (swapped.correct, swapped.score) == (False, 0.5)
    assert swapped.feedback[1] == ("Step 2: Injection", "should be: Time-out")
    assert check(bank, "t-order", ["observe", "inject", "timeout", "consent"]).score == 0.0


@pytest.mark.parametrize(
    "response", [["consent", "timeout", "inject"], ["consent", "consent", "inject", "observe"], "consent", None, ["a", "b", "c", "d"]]
)
def test_ordering_malformed(bank, response):
    with pytest.raises(ResponseError, match="t-order"):
        check(bank, "t-order", response)


def test_matching(bank):
    right = check(bank, "t-match", {"np": "np", "af": "af", "ep": "ep"})
    assert right.correct and right.score == 1.0
    partial = check(bank, "t-match", {"np": "np", "af": "distractor-1", "ep": "af"})
    assert (partial.correct, partial.score) == (False, 0.3333)
    assert dict(partial.feedback)["Annulus fibrosus"] == "belongs with: Tough outer ring"


@pytest.mark.parametrize("response", [{"np": "np"}, {"np": "np", "af": "af", "ep": "nope"}, ["np"], None])
def test_matching_malformed(bank, response):
    with pytest.raises(ResponseError, match="t-match"):
        check(bank, "t-match", response)


def test_numeric_tolerance(bank):
    assert check(bank, "t-number", 69).correct
    assert check(bank, "t-number", 70.0).correct  # on the edge of the tolerance
    assert check(bank, "t-number", 68).correct
    wrong = check(bank, "t-number", 74)
    assert not wrong.correct
    assert wrong.feedback[0][1] == "The accepted answer is 69 % (± 1 %)."


@pytest.mark.parametrize("response", ["69", True, float("nan"), float("inf"), None])
def test_numeric_malformed(bank, response):
    with pytest.raises(ResponseError, match="expected a finite number"):
        check(bank, "t-number", response)


def test_case_is_the_mean_of_its_parts(bank):
    right = check(bank, "t-case", {"t-case-a": False, "t-case-b": "a"})
    assert right.correct and right.score == 1.0 and len(right.parts) == 2
    half = check(bank, "t-case", {"t-case-a": True, "t-case-b": "a"})
    assert (half.correct, half.score, half.verdict) == (False, 0.5, "Partly correct")
    with pytest.raises(ResponseError, match="t-case"):
        check(bank, "t-case", {"t-case-a": False})
    with pytest.raises(ResponseError, match="t-case-b"):
        check(bank, "t-case", {"t-case-a": False, "t-case-b": "zzz"})


def test_grading_a_non_question_is_a_type_error(bank):
    with pytest.raises(TypeError, match="no grader for str"):
        grade("not a question", bank.key("t-single"), "a")  # type: ignore[arg-type]


def test_a_key_of_another_question_is_refused(bank):
    with pytest.raises(TypeError, match="the key given for 't-single' is ChoiceKey of 't-case-b'"):
        grade(bank["t-single"], bank.key("t-case-b"), "a")
    with pytest.raises(TypeError, match="is TrueFalseKey"):
        grade(bank["t-single"], bank.key("t-tf"), "a")


def test_results_carry_what_the_view_shows_after_a_check(bank):
    result = check(bank, "t-single", "b")
    assert result.explanation == "The nucleus is the centre." and result.references == ("test-2020",)
    assert result.max_score == 1.0


def test_a_case_result_combines_its_parts_in_order(bank):
    case = bank["t-case"]
    parts = [check(bank, "t-case-a", False), check(bank, "t-case-b", "b")]
    combined = case_result(case, parts)
    assert (combined.question_id, combined.score, combined.correct) == ("t-case", 0.5, False)
    assert combined.response == {"t-case-a": False, "t-case-b": "b"}
    with pytest.raises(ResponseError, match="one result per part, in order"):
        case_result(case, parts[::-1])


def test_image_label(bank):
    right = check(bank, "t-label", {"1": "1", "2": "2", "3": "3"})
    assert right.correct and right.score == 1.0
    partial = check(bank, "t-label", {1: "1", 2: "distractor-1", 3: "2"})  # marker numbers may be ints
    assert (partial.correct, partial.score) == (False, 0.3333)
    assert dict(partial.feedback)["Structure 2"] == "this is the Intervertebral disc"
    for bad in ({"1": "1"}, {"1": "1", "2": "2", "3": "zzz"}, ["1", "2", "3"], None):
        with pytest.raises(ResponseError, match="t-label"):
            check(bank, "t-label", bad)
