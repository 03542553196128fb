"""The fairness check: each rule on a small bank, a bank that passes, and the real course."""

from __future__ import annotations

import textwrap

from stemtrain.content import paths
from stemtrain.content.fairness import (
    THRESHOLDS,
    course_fairness_problems,
    fairness_problems,
    fairness_stats,
    visible_length,
)
from stemtrain.content.problems import Problem
from stemtrain.content.yamlsource import read_yaml
from stemtrain.quiz.model import shown_order, shuffled


def plain_shuffle(order: list[int], qid: str) -> list[int]:
    """A display that could give an ordering away: what the lint must catch."""
    return shuffled(order, qid, seed=0)


HEAD = """\
schema_version: 1
module: 99-test
title: Test bank
reviewed: 2026-12-01
questions:
"""


def bank(tmp_path, body: str, name: str = "bank.yaml"):
    """Write a bank whose questions start on line 6, and read it as the course does."""
    path = tmp_path / name
    path.write_text(HEAD + textwrap.dedent(body), encoding="utf-8")
    return read_yaml(path, name)


def single(qid: str, key: str, *distractors: str) -> str:
    lines = [f"  - id: {qid}", "    type: single_choice", "    prompt: Which?", "    options:"]
    lines.append(f'      - {{id: k, text: "{key}"}}')
    lines += [f'      - {{id: d{i}, text: "{d}", feedback: "No."}}' for i, d in enumerate(distractors)]
    lines += ["    answer: k", "    explanation: Why.", "    references: [r]"]
    return "\n".join(lines) + "\n"


def true_false(qid: str, answer: bool) -> str:
    return (
        f"  - id: {qid}\n    type: true_false\n    prompt: A statement.\n    answer: {str(answer).lower()}\n"
        "    explanation: Why.\n    references: [r]\n"
    )


def ordering(qid: str, n: int) -> str:
    items = "".join(f"      - {{id: s{i}, text: Step {i}}}\n" for i in range(n))
    return f"  - id: {qid}\n    type: ordering\n    prompt: Put in order.\n    items:\n{items}    explanation: Why.\n    references: [r]\n"


def test_a_fair_bank_passes(tmp_path):
    located = bank(
        tmp_path,
        single("fair-one", "Bone marrow", "Adipose tissue", "Umbilical cord")
        + single("fair-two", "About 1 in 10,000", "About 1 in 100", "About half of them")
        + single("fair-three", "The lungs", "The spinal disc", "The liver, first")
        + true_false("fair-tf-1", True)
        + true_false("fair-tf-2", False)
        + ordering("order-5", 4),
    )
    assert fairness_problems(located) == []
    assert course_fairness_problems([located]) == []


def test_key_much_longer_than_every_distractor(tmp_path):
    key = "x" * 48  # 2.4 times the longest distractor (20 characters)
    located = bank(tmp_path, single("long-key", key, "y" * 20, "z" * 12))
    assert fairness_problems(located) == [
        Problem(
            "bank.yaml",
            10,
            "long-key",
            "options[0].text",
            "the correct option is 2.4x as long as the longest distractor; make the options similar in length",
        )
    ]


def test_key_length_counts_only_what_learners_see(tmp_path):
    assert visible_length("**Bold** and `code` and [a link](https://example.org/very/long/path)") == 24
    # 21 visible characters against 20: the Markdown marks do not make the key stand out.
    located = bank(tmp_path, single("marked", "**" + "x" * 21 + "** _[]_", "y" * 20, "z" * 20))
    assert visible_length("**" + "x" * 21 + "** _[]_") == 24
    assert fairness_problems(located) == []


def test_short_options_may_differ_by_a_large_ratio(tmp_path):
    located = bank(tmp_path, single("short", "Type 1 only", "Type 2", "Type 3"))
    assert fairness_problems(located) == []


def test_long_key_inside_a_case_question(tmp_path):
    body = """\
      - id: case-one
        type: case
        prompt: A case
        vignette: A patient asks.
        explanation: Why.
        references: [r]
        questions:
          - id: case-one-reply
            type: single_choice
            prompt: Which reply?
            options:
              - {id: k, text: "That has not been shown in any trial that compared the cells with a sham."}
              - {id: a, text: "Yes, it always works.", feedback: "No."}
              - {id: b, text: "No, never.", feedback: "No."}
            answer: k
            explanation: Why.
            references: [r]
          - id: case-one-tf
            type: true_false
            prompt: A statement.
            answer: true
            explanation: Why.
            references: [r]
    """
    located = bank(tmp_path, textwrap.indent(textwrap.dedent(body), "  "))
    assert fairness_problems(located) == [
        Problem(
            "bank.yaml",
            17,
            "case-one-reply",
            "options[0].text",
            "the correct option is 3.5x as long as the longest distractor; make the options similar in length",
        )
    ]


def test_bank_where_the_key_is_usually_the_longest(tmp_path):
    # Each key is only a little longer (no single item is flagged), but it is the longest in 2 of 3 items.
    located = bank(
        tmp_path,
        single("habit-one", "Bone marrow cells", "Adipose tissue", "Umbilical cord")
        + single("habit-two", "About 1 in 10,000 cells", "About 1 in 100", "About half of them")
        + single("habit-three", "The lungs", "The spinal disc", "The liver, first"),
    )
    assert fairness_problems(located) == [
        Problem(
            "bank.yaml",
            6,
            "-",
            "questions",
            "the correct option is the longest in 2 of 3 single-choice items; at most a third may be: "
            "shorten correct options or lengthen distractors so that length gives nothing away",
        )
    ]


def test_bank_with_one_sided_true_false_answers(tmp_path):
    located = bank(tmp_path, true_false("tf-one", False) + true_false("tf-two", False) + true_false("tf-three", False))
    assert fairness_problems(located) == [
        Problem(
            "bank.yaml",
            6,
            "-",
            "questions",
            "3 of 3 true/false answers in this bank are false; at most 75% may share one answer, "
            "so rewrite some statements so that their answer is true",
        )
    ]
    # A bank with a single true/false item cannot be balanced, and is not checked on its own.
    assert fairness_problems(bank(tmp_path, true_false("tf-alone", True), "alone.yaml")) == []


def test_course_with_one_sided_true_false_answers(tmp_path):
    # Each bank is within its own limit (2 of 3), but the course has 4 false answers out of 6.
    first = bank(tmp_path, true_false("a-1", False) + true_false("a-2", False) + true_false("a-3", True), "a.yaml")
    second = bank(tmp_path, true_false("b-1", False) + true_false("b-2", False) + true_false("b-3", True), "b.yaml")
    assert fairness_problems(first) == [] and fairness_problems(second) == []
    assert course_fairness_problems([first, second]) == [
        Problem(
            ".",
            1,
            "-",
            "true_false",
            "4 of 6 true/false answers across the course are false; at most 60% may share one answer, "
            "so rewrite some statements so that their answer is true",
        )
    ]


def test_ordering_shown_in_the_correct_order(tmp_path):
    assert shuffled([0, 1, 2], "order-18", seed=0) == [0, 1, 2]
    located = bank(tmp_path, ordering("order-18", 3))
    assert fairness_problems(located, show=plain_shuffle) == [
        Problem(
            "bank.yaml",
            10,
            "order-18",
            "items",
            "learners see the items already in the correct order; the course's display order should never allow this: "
            "report it with the question id",
        )
    ]


def test_ordering_with_most_items_in_place(tmp_path):
    shown = shuffled(list(range(5)), "order-37", seed=0)
    assert sum(pos == item for pos, item in enumerate(shown)) == 3 and shown != list(range(5))
    located = bank(tmp_path, ordering("order-37", 5))
    assert fairness_problems(located, show=plain_shuffle) == [
        Problem(
            "bank.yaml",
            10,
            "order-37",
            "items",
            "3 of 5 items are shown in their correct place; the course's display order should never allow this: "
            "report it with the question id",
        )
    ]


def test_ordering_shown_in_reverse(tmp_path):
    assert shuffled([0, 1, 2], "order-2", seed=0) == [2, 1, 0]
    located = bank(tmp_path, ordering("order-2", 3))
    assert fairness_problems(located, show=plain_shuffle) == [
        Problem(
            "bank.yaml",
            10,
            "order-2",
            "items",
            "learners see the items in exactly the reverse of the correct order; the course's display order should never "
            "allow this: report it with the question id",
        )
    ]


def test_all_or_none_of_the_above_options(tmp_path):
    body = single("catch-single", "Bone marrow", "Umbilical cord", "None of the above") + (
        "  - id: catch-multi\n"
        "    type: multiple_select\n"
        "    prompt: Which apply?\n"
        "    options:\n"
        "      - {id: a, text: Fever}\n"
        "      - {id: b, text: Worsening pain}\n"
        "      - {id: c, text: All of these.}\n"
        "    answers: [a, b]\n"
        "    explanation: Why.\n"
        "    references: [r]\n"
    )
    located = bank(tmp_path, body)
    assert fairness_problems(located) == [
        Problem(
            "bank.yaml",
            12,
            "catch-single",
            "options[2].text",
            "'None of the above' is an 'all/none of the above' option; replace it with a specific statement",
        ),
        Problem(
            "bank.yaml",
            22,
            "catch-multi",
            "options[2].text",
            "'All of these.' is an 'all/none of the above' option; replace it with a specific statement",
        ),
    ]


def test_statements_that_only_contain_all_or_none_pass(tmp_path):
    located = bank(
        tmp_path,
        single("plain-words", "None: discs cannot cause pain", "Nearly all of them are", "Any other cell type"),
    )
    assert fairness_problems(located) == []


def test_thresholds_are_the_documented_ones():
    doc = (paths.course_root() / "docs" / "authoring.md").read_text(encoding="utf-8")
    section = doc[doc.index("## Fair items") :]
    for number in ("1.5", "15 characters", "a third", "75%", "60%", "half"):
        assert number in section, number
    assert (THRESHOLDS.key_ratio, THRESHOLDS.key_gap, THRESHOLDS.tf_bank_share, THRESHOLDS.tf_course_share) == (1.5, 15, 0.75, 0.6)
    assert THRESHOLDS.key_longest_share == 1 / 3 and THRESHOLDS.order_in_place_share == 0.5


def test_the_course_banks_are_fair():
    root = paths.course_root()
    banks = [read_yaml(f, str(f.relative_to(root))) for f in paths.bank_paths()]
    assert banks
    problems = [p for located in banks for p in fairness_problems(located)] + course_fairness_problems(banks)
    assert problems == [], "\n".join(map(str, problems))
    course = fairness_stats(banks)["course"]
    assert course["key_longest"] <= course["single"] / 3


def test_the_course_display_order_never_gives_an_ordering_away(tmp_path):
    for qid, n in (("order-18", 3), ("order-37", 5)):
        assert fairness_problems(bank(tmp_path, ordering(qid, n))) == []
    for n in range(3, 11):
        for k in range(200):
            shown = shown_order(list(range(n)), f"q{k}")
            assert shown not in (list(range(n)), list(range(n))[::-1]) and sum(a == b for a, b in enumerate(shown)) <= n // 3
