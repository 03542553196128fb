"""Item analysis against numbers worked out by hand, flag rules, missing answers, cases, and the class summary."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from stemtrain.analytics import ItemInfo, analyse, summarise
from stemtrain.analytics.items import MIN_LEARNERS, item_statistics, overall_statistics
from stemtrain.analytics.matrix import layout_items, score_matrix

pytestmark = pytest.mark.filterwarnings("error")

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Rec:
    learner: str
    module: str
    question_id: str
    parent_id: str | None
    attempt: int
    score: float
    max_score: float
    response: Any
    answered_at: datetime


ITEMS = {
    "q1": ItemInfo("q1", "m1", None, "single_choice", "Which cells?", (("a", "MSCs", True), ("b", "Blood", False), ("c", "Bone", False))),
    "q2": ItemInfo(
        "q2", "m1", None, "multiple_select", "Which sources?", (("x", "Marrow", True), ("y", "Fat", True), ("z", "Skin", False))
    ),
    "case-1": ItemInfo("case-1", "m2", None, "case", "A patient with disc pain"),
    "case-1-a": ItemInfo(
        "case-1-a", "m2", "case-1", "true_false", "Is it discogenic?", (("true", "True", True), ("false", "False", False))
    ),
    "case-1-b": ItemInfo("case-1-b", "m2", "case-1", "numeric", "Which level?"),
}

# First attempts, learners L1..L6 (rows) x items q1, q2, case-1-a, case-1-b (columns), 1 point each.
HAND = [
    [1, 1, 1, 1],  # L1 total 4
    [1, 1, 1, 0],  # L2 total 3
    [1, 1, 0, 0],  # L3 total 2
    [1, 0, 1, 0],  # L4 total 2
    [0, 1, 0, 1],  # L5 total 2
    [0, 0, 0, 0],  # L6 total 0
]
Q2_PICKS = [["x", "y"], ["x", "y"], ["x", "y"], ["x", "z"], ["x", "y"], ["z"]]


def hand_records() -> list[Rec]:
    out = []
    for i, (s1, s2, s3, s4) in enumerate(HAND):
        learner, at = f"L{i + 1}", T0 + timedelta(minutes=i)
        out.append(Rec(learner, "m1", "q1", None, 1, s1, 1, "a" if s1 else "b", at))
        out.append(Rec(learner, "m1", "q2", None, 1, s2, 1, Q2_PICKS[i], at))
        out.append(Rec(learner, "m2", "case-1-a", "case-1", 1, s3, 1, bool(s3), at))
        out.append(Rec(learner, "m2", "case-1-b", "case-1", 1, s4, 1, 3 if s4 else 4, at))
    # A second attempt after feedback: item analysis must ignore it (first attempts only).
    out.append(Rec("L6", "m1", "q1", None, 2, 1, 1, "a", T0 + timedelta(days=1)))
    return out


def test_hand_worked_facility_sd_discrimination_efficiency():
    a = analyse(hand_records(), ITEMS)
    q1, q2, p1, p2 = (a.item(q) for q in ("q1", "q2", "case-1-a", "case-1-b"))
    # q1 = (1,1,1,1,0,0): facility 4/6; Sxx = 4 - 4²/6 = 4/3; SD = sqrt(Sxx/(n-1)) = sqrt(4/15) = 0.516398.
    assert q1.n == 6 and q1.facility == pytest.approx(4 / 6) and q1.sd == pytest.approx(0.516398, abs=1e-6)
    # Rest of test = total - item = (3,2,1,1,2,0): Σr = 9, Σr² = 19, Srr = 19 - 81/6 = 5.5;
    # Σxr = 3+2+1+1 = 7, Sxr = 7 - 4·9/6 = 1. D = 1 / sqrt(4/3 · 5.5) = 0.369274.
    assert q1.discrimination == pytest.approx(0.369274, abs=1e-6)
    # Sorted pairing: x (0,0,1,1,1,1) with r (0,1,1,2,2,3): Σ = 1+2+2+3 = 8, Smax = 8 - 6 = 2; E = 1/2.
    assert q1.efficiency == pytest.approx(0.5)
    # q2 = (1,1,1,0,1,0): rest (3,2,1,2,1,0), the same sums as q1, so D = 0.369274 and E = 0.5.
    assert q2.discrimination == pytest.approx(0.369274, abs=1e-6) and q2.efficiency == pytest.approx(0.5)
    # case-1-a = (1,1,0,1,0,0): facility 0.5, Sxx = 1.5, SD = sqrt(0.3) = 0.547723; rest (3,2,2,1,2,0):
    # Σr = 10, Σr² = 22, Srr = 22 - 100/6 = 16/3; Σxr = 6, Sxr = 6 - 3·10/6 = 1; D = 1/sqrt(1.5·16/3) = 1/sqrt(8).
    # Sorted: r (0,1,2,2,2,3), top three 2+2+3 = 7, Smax = 7 - 5 = 2, E = 0.5.
    assert p1.facility == pytest.approx(0.5) and p1.sd == pytest.approx(0.547723, abs=1e-6)
    assert p1.discrimination == pytest.approx(1 / 8**0.5) and p1.efficiency == pytest.approx(0.5)
    # case-1-b = (1,0,0,0,1,0): rest (3,3,2,2,1,0): Σr = 11, Σr² = 27, Srr = 27 - 121/6 = 41/6; Sxx = 4/3;
    # Σxr = 3+1 = 4, Sxr = 4 - 2·11/6 = 1/3; D = (1/3)/sqrt(4/3 · 41/6) = 0.110432.
    # Sorted: r (0,1,2,2,3,3), top two 3+3 = 6, Smax = 6 - 11/3 = 7/3, E = (1/3)/(7/3) = 1/7.
    assert p2.discrimination == pytest.approx(0.110432, abs=1e-6) and p2.efficiency == pytest.approx(1 / 7)


def test_hand_worked_effective_weight_and_test_statistics():
    a = analyse(hand_records(), ITEMS)
    # Covariance with the total (4,3,2,2,2,0), times n-1: q1 Σ xT - n·x̄·T̄ = 11 - 4·13/6 = 7/3; q2 the same;
    # case-1-a 9 - 3·13/6 = 2.5; case-1-b 6 - 2·13/6 = 5/3. Weight = sqrt(c) / Σ sqrt(c):
    roots = [(7 / 3) ** 0.5, (7 / 3) ** 0.5, 2.5**0.5, (5 / 3) ** 0.5]  # 1.5275, 1.5275, 1.5811, 1.2910
    for qid, root in zip(("q1", "q2", "case-1-a", "case-1-b"), roots, strict=False):
        assert a.item(qid).effective_weight == pytest.approx(root / sum(roots))
    assert a.item("case-1-a").effective_weight == pytest.approx(0.266761, abs=1e-6)
    t = a.test
    # Totals (4,3,2,2,2,0): mean 13/6, median 2, St = 37 - 169/6 = 53/6, SD = sqrt(53/30) = 1.329160.
    assert (t.learners, t.complete, t.items, t.max_score) == (6, 6, 4, 4.0)
    assert t.mean == pytest.approx(13 / 6) and t.median == 2 and t.sd == pytest.approx(1.329160, abs=1e-6)
    # Alpha: Σ item Sxx = 4/3 + 4/3 + 1.5 + 4/3 = 5.5; α = 4/3 · (1 - 5.5/(53/6)) = 4/3 · 20/53 = 80/159 = 0.503145.
    # KR-20 agrees for 0/1 items: Σpq = 2/9·3 + 1/4 = 0.916667, var_T = 53/36, 4/3 · (1 - 0.916667/1.472222).
    assert t.alpha == pytest.approx(80 / 159)
    # Error ratio sqrt(1 - α) = sqrt(79/159) = 0.704880; standard error = 0.704880 · 1.329160 = 0.936898.
    assert t.error_ratio == pytest.approx((79 / 159) ** 0.5) and t.standard_error == pytest.approx(0.936898, abs=1e-6)
    # Module m1 as a quiz on its own (q1, q2): totals (2,2,2,1,1,0), St = 14 - 8²/6 = 10/3; item Sxx 4/3 + 4/3 = 8/3;
    # α = 2/1 · (1 - (8/3)/(10/3)) = 0.4. Module m2 (the case parts): totals (2,1,0,1,1,0), St = 7 - 25/6 = 17/6;
    # Sxx 1.5 + 4/3 = 17/6, so α = 2 · (1 - 1) = 0: the two parts do not hang together at all.
    assert a.modules["m1"].alpha == pytest.approx(0.4) and a.modules["m2"].alpha == pytest.approx(0.0, abs=1e-12)


def test_distractor_counts_single_multiple_and_true_false():
    a = analyse(hand_records(), ITEMS)
    q1 = {o.option_id: (o.count, o.share) for o in a.item("q1").options}
    assert q1 == {"a": (4, pytest.approx(4 / 6)), "b": (2, pytest.approx(2 / 6)), "c": (0, 0.0)}  # L6's retry not counted
    q2 = {o.option_id: o.count for o in a.item("q2").options}
    assert q2 == {"x": 5, "y": 4, "z": 2}  # each option picked counts; shares add up to more than 1
    assert {o.option_id: o.count for o in a.item("case-1-a").options} == {"true": 3, "false": 3}
    assert a.item("case-1-b").options == ()
    rows = a.distractor_rows()
    assert len(rows) == 3 + 3 + 2 and rows[0]["option_text"] == "MSCs" and rows[0]["correct"] is True


def test_wrong_option_more_popular_than_the_key_gets_a_note():
    recs = [Rec(f"L{i}", "m1", "q1", None, 1, 0, 1, "b", T0) for i in range(4)] + [Rec("L9", "m1", "q1", None, 1, 1, 1, "a", T0)]
    notes = {o.option_id: o.note for o in analyse(recs, {"q1": ITEMS["q1"]}).item("q1").options}
    assert "check the key" in notes["b"] and notes["a"] == "" and notes["c"] == ""


def test_case_parts_are_analysed_as_parts_and_listed_under_their_case():
    a = analyse(hand_records(), ITEMS)
    assert [s.question_id for s in a.items] == ["q1", "q2", "case-1-a", "case-1-b"]  # no row for the case itself
    assert a.cases == {"case-1": ("case-1-a", "case-1-b")}
    assert [s.parent_id for s in a.items] == [None, None, "case-1", "case-1"]
    # Parts listed later in the bank still come straight after their case's position.
    shuffled = {k: ITEMS[k] for k in ("q1", "case-1", "q2", "case-1-a", "case-1-b")}
    assert layout_items(shuffled).columns == ("q1", "case-1-a", "case-1-b", "q2")
    # Module order comes first when given.
    assert layout_items(ITEMS, ["m2", "m1"]).columns == ("case-1-a", "case-1-b", "q1", "q2")


def test_missing_answers_are_left_out_not_scored_zero():
    # L7 answered only q1 (right); L8 answered q1 and q2 (both right) and nothing in m2.
    recs = [
        *hand_records(),
        Rec("L7", "m1", "q1", None, 1, 1, 1, "a", T0),
        Rec("L8", "m1", "q1", None, 1, 1, 1, "a", T0),
        Rec("L8", "m1", "q2", None, 1, 1, 1, ["x", "y"], T0),
    ]
    a = analyse(recs, ITEMS)
    q1 = a.item("q1")
    assert q1.n == 8 and q1.facility == pytest.approx(6 / 8)
    assert a.item("q2").n == 7 and a.item("q2").facility == pytest.approx(5 / 7)
    assert a.item("case-1-a").n == 6  # L7, L8 did not get it wrong: they did not answer it
    # Rest = share of the points on the other items answered. L7 has no other item: left out of D.
    # L1..L6: (3,2,1,1,2,0)/3; L8: 1/1. Times 3: r = (3,2,1,1,2,0,3), x = (1,1,1,1,0,0,1), n = 7:
    # Sxx = 5 - 25/7 = 10/7; Srr = 28 - 144/7 = 52/7; Sxr = 10 - 5·12/7 = 10/7; D = (10/7)/sqrt(10/7 · 52/7) = 10/sqrt(520).
    assert q1.discrimination == pytest.approx(10 / 520**0.5)
    # Alpha needs every item from every learner: the 6 complete learners, as in the hand-worked example.
    assert (a.test.learners, a.test.complete) == (8, 6) and a.test.alpha == pytest.approx(80 / 159)


def _ability_class(n: int = 40) -> tuple[list[Rec], dict[str, ItemInfo]]:
    """Learner i has ability i; five anchor items of rising difficulty, plus one item per flag rule."""
    items = {f"anchor-{k}": ItemInfo(f"anchor-{k}", "m1", None, "numeric", "Anchor") for k in range(5)}
    for qid in ("hard", "easy", "reversed"):
        items[qid] = ItemInfo(qid, "m1", None, "numeric", qid)
    recs = []
    for i in range(n):
        scores = {f"anchor-{k}": i >= 8 * k + 4 for k in range(5)}
        scores["hard"] = i >= n - 2  # 2 of 40 right: facility exactly 5 %
        scores["easy"] = i >= 2  # 38 of 40 right: facility exactly 95 %
        scores["reversed"] = i < n // 2  # the weaker half right
        recs += [Rec(f"learner-{i:02d}", "m1", q, None, 1, float(ok), 1, 1, T0) for q, ok in scores.items()]
    return recs, items


def test_each_flag_rule():
    recs, items = _ability_class()
    a = analyse(recs, items)
    codes = {s.question_id: {f.code for f in s.flags} for s in a.items}
    assert "very_hard" in codes["hard"]  # facility 2/40 = 5 % (the rule is <= 5 %)
    assert "very_easy" in codes["easy"]  # facility 38/40 = 95 % (the rule is >= 95 %)
    assert a.item("reversed").discrimination < 0 and "negative_discrimination" in codes["reversed"]
    assert "low_discrimination" not in codes["reversed"]  # negative is the stronger message, given alone
    assert not any(codes[f"anchor-{k}"] for k in range(1, 5))  # sound items carry no flag
    hand = analyse(hand_records(), ITEMS).item("case-1-b")  # D = 0.110, E = 1/7 (worked out above)
    assert {"low_discrimination", "low_efficiency"} <= {f.code for f in hand.flags}
    assert all(f.note and "<" not in f.note for s in a.items for f in s.flags)  # plain words for instructors


def test_minimum_sample_warnings():
    small = analyse(hand_records(), ITEMS)
    assert any(f"at least {MIN_LEARNERS}" in w for w in small.warnings)
    assert all("few_learners" in {f.code for f in s.flags} for s in small.items)
    recs, items = _ability_class(MIN_LEARNERS + 10)
    big = analyse(recs, items)
    assert not any("learners have answered" in w for w in big.warnings)
    assert not any(f.code == "few_learners" for s in big.items for f in s.flags)


def test_statistics_match_plain_definitions_on_a_random_class():
    rng = np.random.default_rng(7)
    x = (rng.random((300, 12)) < rng.uniform(0.2, 0.9, 12)).astype(float) * rng.integers(1, 4, 12)
    stats = item_statistics(x, x.max(0))
    total = x.sum(1)
    for i in range(x.shape[1]):
        assert stats["discrimination"][i] == pytest.approx(np.corrcoef(x[:, i], total - x[:, i])[0, 1])
    k = x.shape[1]
    alpha = k / (k - 1) * (1 - x.var(0, ddof=1).sum() / total.var(ddof=1))
    assert overall_statistics(x, x.max(0)).alpha == pytest.approx(alpha)


def test_unknown_questions_and_duplicate_first_attempts_are_reported():
    recs = hand_records() + [
        Rec("L1", "m9", "not-in-bank", None, 1, 1, 1, "a", T0),
        Rec("L1", "m2", "case-1", None, 1, 2, 2, None, T0),  # a score for the case as a whole
        Rec("L2", "m1", "q1", None, 1, 0, 1, "b", T0 - timedelta(hours=1)),  # an earlier, second "first" attempt
    ]
    mx = score_matrix(recs, ITEMS)
    assert any("not among the analysed items were left out (not-in-bank)" in w for w in mx.warnings)
    assert any("cases as a whole" in w for w in mx.warnings) and any("more than one first attempt" in w for w in mx.warnings)
    assert mx.scores[mx.learners.index("L2"), 0] == 0.0  # the earlier one was kept


def test_importing_analytics_and_analysing_needs_no_matplotlib():
    code = "import sys, stemtrain.analytics as a; a.analyse, a.summarise; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[1])


def test_summary_completion_pass_and_module_difficulty():
    s = summarise(hand_records(), ["m1", "m2"], ITEMS, pass_mark=0.8)
    r = s.result("L6", "m1")
    # L6: q1 first 0 then 1 on the retry, q2 0 -> first 0/2, best 1/2; complete, not passed.
    assert (r.answered, r.complete, r.first_score, r.best_score, r.passed) == (2, True, 0.0, 0.5, False)
    assert s.result("L1", "m2").passed and not s.result("L2", "m2").passed  # 2/2 passes; 1/2 = 50 % does not
    assert s.modules_passed("L1") == 2
    m1, m2 = s.difficulty
    # m1 first attempts: q1 4/6 + q2 4/6 = 8 of 12 points; passed: L1, L2, L3 (both right).
    assert (m1.learners_started, m1.learners_complete, m1.learners_passed) == (6, 6, 3)
    assert m1.facility == pytest.approx(8 / 12) and m1.pass_rate == pytest.approx(0.5)
    assert m2.facility == pytest.approx(5 / 12)  # case parts 3/6 + 2/6
    assert s.scores == pytest.approx([1.0, 0.75, 0.5, 0.5, 0.5, 0.0])  # first attempts, over answered items
    counts, _ = s.distribution(bins=4)  # bands 0-25, 25-50, 50-75, 75-100 (the last includes 100 %)
    assert counts.tolist() == [1, 0, 3, 2]


def test_summary_counts_unanswered_as_not_yet():
    recs = [Rec("Ana", "m1", "q1", None, 1, 1, 1, "a", T0)]
    r = summarise(recs, ["m1", "m2"], ITEMS).result("Ana", "m1")
    assert (r.answered, r.items, r.complete, r.best_score, r.passed) == (1, 2, False, 1.0, False)
    assert summarise(recs, ["m1", "m2"], ITEMS).result("Ana", "m2").best_score is None
    with pytest.raises(ValueError, match="pass_mark"):
        summarise(recs, ["m1"], ITEMS, pass_mark=80)
