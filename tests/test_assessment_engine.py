"""The final assessment's engine on its own: blueprint and pool checks, seeded forms, scoring and results, the
proctor's rules by an injected clock (over memory and over a real SQLite progress file), and self-study with its
completion document. Everything reads the tiny fixture pool in ``tests/data/assessment`` (or a copy of it in tmp_path).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from assessment_support import right, wrong

from stemtrain.assessment import SELF_STUDY_LABEL
from stemtrain.assessment.attempt import AssessmentError
from stemtrain.assessment.blueprint import DEFAULT_PASS_MARK, Blueprint, load_blueprint
from stemtrain.assessment.files import AssessmentFiles
from stemtrain.assessment.forms import assemble, form_seed, public_item
from stemtrain.assessment.local import LocalExaminer, MemoryAttempts
from stemtrain.assessment.pool import Pool, load_pool
from stemtrain.assessment.proctor import AttemptRefused, Proctor
from stemtrain.assessment.result import AssessmentResult, summarise
from stemtrain.assessment.scoring import ItemScore, response_problem, score_items
from stemtrain.assessment.status import printable_name, status_of
from stemtrain.certificate.claims import CertificateError
from stemtrain.certificate.signing import load_public_key
from stemtrain.certificate.verify import verify_pdf
from stemtrain.content import load_course
from stemtrain.content.problems import ContentError, Problem
from stemtrain.quiz.grading import grade
from stemtrain.records import Attempt, open_store
from stemtrain.records.assessment import AssessmentRecord, SQLiteAttempts

FIXTURE = Path(__file__).parent / "data" / "assessment"
UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def pool() -> Pool:
    return load_pool(FIXTURE / "pool")


@pytest.fixture(scope="module")
def blueprint(pool: Pool) -> Blueprint:
    return load_blueprint(FIXTURE / "blueprint.yaml", pool)


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """A copy of the fixture (blueprint.yaml and pool/) to break."""
    target = tmp_path / "assessment"
    shutil.copytree(FIXTURE, target)
    return target


def line_of(text: str, needle: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


def problems_of(call: Any) -> list[Problem]:
    with pytest.raises(ContentError) as caught:
        call()
    return caught.value.problems


# --- the blueprint --------------------------------------------------------------------------------------
def test_the_fixture_blueprint_loads_against_its_pool(blueprint: Blueprint, pool: Pool):
    assert (blueprint.id, blueprint.questions, blueprint.max_attempts, blueprint.time_limit_minutes) == ("fixture-final-2026", 12, 3, 45)
    assert sum(c.count for c in blueprint.draw) == blueprint.questions == 12
    assert blueprint.pass_mark == DEFAULT_PASS_MARK == 0.8
    assert re.fullmatch(r"[0-9a-f]{16}", blueprint.version) and blueprint.path.endswith("blueprint.yaml")
    assert set(blueprint.summary()) == {"id", "title", "questions", "pass_mark", "max_attempts", "time_limit_minutes"}
    for cell in blueprint.draw:
        assert len(pool.eligible(cell.module, cell.objective)) >= 2 * cell.count


def test_the_pass_mark_defaults_to_0_8_and_can_be_set(copy: Path, pool: Pool):
    path = copy / "blueprint.yaml"
    text = path.read_text()
    path.write_text(text.replace("pass_mark: 0.8\n", ""))
    assert load_blueprint(path, pool).pass_mark == 0.8
    path.write_text(text.replace("pass_mark: 0.8", "pass_mark: 0.7"))
    changed = load_blueprint(path, pool)
    assert changed.pass_mark == 0.7
    assert changed.version != load_blueprint(FIXTURE / "blueprint.yaml", pool).version  # a record can tell them apart


LAST_CELL = "{module: 06-evidence-regulation-and-patients, objective: 3, count: 1}"
BAD_BLUEPRINTS = {
    "pass mark above 1": (
        lambda t: t.replace("pass_mark: 0.8", "pass_mark: 1.5"),
        "pass_mark:",
        ("-", "pass_mark"),
        "at most 1",
    ),
    "pass mark 0": (lambda t: t.replace("pass_mark: 0.8", "pass_mark: 0"), "pass_mark:", ("-", "pass_mark"), "more than 0"),
    "pass mark as a word": (
        lambda t: t.replace("pass_mark: 0.8", "pass_mark: high"),
        "pass_mark:",
        ("-", "pass_mark"),
        "must be a number",
    ),
    "counts do not add up": (
        lambda t: t.replace("questions: 12", "questions: 13"),
        "questions:",
        ("-", "questions"),
        "is 13, but the draw cells add up to 12",
    ),
    "repeated cell": (
        lambda t: t.replace(LAST_CELL, "{module: 01-back-pain-and-the-spine, objective: 1, count: 1}"),
        "{module: 01-back-pain-and-the-spine, objective: 1, count: 1}",
        ("draw[6]", "-"),
        "repeats module 01-back-pain-and-the-spine objective 1 (first in draw[0])",
    ),
    "cell the pool cannot fill": (
        lambda t: t.replace(LAST_CELL, LAST_CELL.replace("count: 1", "count: 3")).replace("questions: 12", "questions: 14"),
        "objective: 3, count: 3",
        ("draw[6]", "count"),
        "draws 3 item(s) but the pool has only 2 for module 06-evidence-regulation-and-patients objective 3",
    ),
    "objective with no items": (
        lambda t: t.replace(LAST_CELL, LAST_CELL.replace("objective: 3", "objective: 2")),
        "objective: 2, count: 1",
        ("draw[6]", "count"),
        "the pool has only 0",
    ),
    "cell with fewer than twice its count": (
        lambda t: t.replace(LAST_CELL, LAST_CELL.replace("count: 1", "count: 2")).replace("questions: 12", "questions: 13"),
        "objective: 3, count: 2",
        ("draw[6]", "count"),
        "the pool needs at least 4 (twice the count)",
    ),
    "module with no pool file": (
        lambda t: t.replace(LAST_CELL, LAST_CELL.replace("06-evidence-regulation-and-patients", "07-final-assessment")),
        "07-final-assessment",
        ("draw[6]", "module"),
        "'07-final-assessment' has no pool file",
    ),
    "count 0": (
        lambda t: t.replace(LAST_CELL, LAST_CELL.replace("count: 1", "count: 0")).replace("questions: 12", "questions: 11"),
        "objective: 3, count: 0",
        ("draw[6]", "count"),
        "must be at least 1",
    ),
    "unknown field": (lambda t: t.replace("questions: 12", "questions: 12\nshuffle: true"), "shuffle", ("-", "shuffle"), "unknown field"),
    "newer schema": (
        lambda t: t.replace("schema_version: 1", "schema_version: 2"),
        "schema_version",
        ("-", "schema_version"),
        "this stemtrain reads blueprint schema_version 1",
    ),
}


@pytest.mark.parametrize("case", list(BAD_BLUEPRINTS))
def test_a_bad_blueprint_is_refused_naming_file_line_and_field(case: str, copy: Path, pool: Pool):
    change, needle, (item, field), words = BAD_BLUEPRINTS[case]
    path = copy / "blueprint.yaml"
    text = change(path.read_text())
    path.write_text(text)
    problems = problems_of(lambda: load_blueprint(path, pool))
    assert len(problems) == 1, problems
    found = problems[0]
    assert found.file.endswith("blueprint.yaml")
    assert (found.line, found.item, found.field) == (line_of(text, needle), item, field), found
    assert words in found.message
    assert str(found).startswith(f"{found.file}:{found.line}: {item}: {field}: ")


def test_without_the_pool_only_the_blueprint_itself_is_checked(copy: Path):
    path = copy / "blueprint.yaml"
    path.write_text(
        path.read_text().replace(LAST_CELL, LAST_CELL.replace("count: 1", "count: 2")).replace("questions: 12", "questions: 13")
    )
    assert load_blueprint(path).questions == 13  # no pool given: whether cells fill is not known here


def test_every_problem_of_a_blueprint_is_reported_at_once(copy: Path, pool: Pool):
    path = copy / "blueprint.yaml"
    text = path.read_text().replace("questions: 12", "questions: 20")
    text = text.replace(LAST_CELL, "{module: 01-back-pain-and-the-spine, objective: 1, count: 1}")
    path.write_text(text)
    found = {(p.item, p.field) for p in problems_of(lambda: load_blueprint(path, pool))}
    assert found == {("-", "questions"), ("draw[6]", "-")}


# --- the pool -------------------------------------------------------------------------------------------
def test_the_fixture_pool_loads_with_its_keys(pool: Pool):
    assert len(pool.ids) == 26 and all(i.startswith("fa-") for i in pool.ids)
    assert sorted(pool.banks) == [f.stem for f in sorted((FIXTURE / "pool").glob("*.yaml"))]
    assert {pool.item(i).type for i in pool.ids} == {"single_choice", "multiple_select", "true_false"}
    assert pool.module_of("fa-reg-listing") == "06-evidence-regulation-and-patients"
    assert pool.eligible("06-evidence-regulation-and-patients", 3) == ["fa-reg-registered", "fa-reg-listing"]  # file order
    assert pool.eligible("99-nothing", 1) == []
    assert right(pool, "fa-spine-parts") == ["disc", "facets", "vertebrae"]
    assert re.fullmatch(r"[0-9a-f]{16}", pool.version) and load_pool(FIXTURE / "pool").version == pool.version
    with pytest.raises(KeyError, match="fa-missing"):
        pool.item("fa-missing")


SPINE = "01-back-pain-and-the-spine.yaml"
NUMERIC = """  - id: fa-spine-count
    type: numeric
    objective: 1
    prompt: "How many lumbar vertebrae do most people have?"
    answer: 5
    tolerance: 0
    unit: vertebrae
    explanation: "Five."
    references: [inoue-2019]
"""
BAD_POOLS = {
    "id without fa-": (
        lambda t: t.replace("id: fa-spine-nucleus", "id: spine-nucleus"),
        "id: spine-nucleus",
        ("spine-nucleus", "id"),
        "pool item ids start with 'fa-'",
    ),
    "type a form cannot show": (
        lambda t: t + NUMERIC,
        "type: numeric",
        ("fa-spine-count", "type"),
        "'numeric' cannot be on a form; pool items are single_choice, multiple_select, true_false",
    ),
    "missing objective": (
        lambda t: t.replace("    type: true_false\n    objective: 1\n", "    type: true_false\n"),
        "id: fa-spine-nucleus",
        ("fa-spine-nucleus", "objective"),
        "every pool item names the objective it checks",
    ),
    "objective as a word": (
        lambda t: t.replace("    type: true_false\n    objective: 1\n", "    type: true_false\n    objective: one\n"),
        "objective: one",
        ("fa-spine-nucleus", "objective"),
        "must be an integer",
    ),
    "true/false answered with a word": (
        lambda t: t.replace("    answer: true\n", "    answer: yes please\n"),
        "answer: yes please",
        ("fa-spine-nucleus", "answer"),
        "must be",
    ),
    "key naming no option": (
        lambda t: t.replace("answer: segment", "answer: nope"),
        "answer: nope",
        ("fa-spine-motion-segment", "answer"),
        "'nope' is not among the option ids",
    ),
    "module not named as the file": (
        lambda t: t.replace("module: 01-back-pain-and-the-spine", "module: 01-back-pain"),
        "module: 01-back-pain",
        ("-", "module"),
        "01-back-pain-and-the-spine.yaml",
    ),
}


@pytest.mark.parametrize("case", list(BAD_POOLS))
def test_a_bad_pool_item_is_refused_naming_file_item_and_field(case: str, copy: Path):
    change, needle, (item, field), words = BAD_POOLS[case]
    path = copy / "pool" / SPINE
    text = change(path.read_text())
    path.write_text(text)
    problems = problems_of(lambda: load_pool(copy / "pool"))
    assert len(problems) == 1, problems
    found = problems[0]
    assert found.file.endswith(f"pool/{SPINE}")
    assert (found.item, found.field) == (item, field), found
    assert found.line == line_of(text, needle), found
    assert words in found.message


def test_pool_files_are_named_like_modules_of_the_course(copy: Path):
    (copy / "pool" / "spine.yaml").write_text((copy / "pool" / SPINE).read_text())
    stray = problems_of(lambda: load_pool(copy / "pool"))
    assert [(Path(p.file).name, p.line) for p in stray] == [("spine.yaml", 1)] and "NN-slug.yaml" in stray[0].message
    (copy / "pool" / "spine.yaml").unlink()
    other = (copy / "pool" / SPINE).read_text().replace("module: 01-back-pain-and-the-spine", "module: 42-not-a-module")
    other = other.replace("id: fa-", "id: fa-x-")
    (copy / "pool" / "42-not-a-module.yaml").write_text(other)
    unknown = problems_of(lambda: load_pool(copy / "pool"))
    assert [(Path(p.file).name, p.field) for p in unknown] == [("42-not-a-module.yaml", "module")]
    assert "is not a module of the course" in unknown[0].message


def test_an_id_used_in_two_pool_files_is_refused(copy: Path):
    path = copy / "pool" / "02-what-are-mscs.yaml"
    path.write_text(path.read_text().replace("id: fa-msc-broad-family", "id: fa-spine-nucleus"))
    problems = problems_of(lambda: load_pool(copy / "pool"))
    assert [(Path(p.file).name, p.item, p.field) for p in problems] == [("02-what-are-mscs.yaml", "fa-spine-nucleus", "id")]
    assert SPINE in problems[0].message  # where it was first used


def test_a_missing_or_empty_pool_folder_is_one_clear_problem(tmp_path: Path):
    gone = problems_of(lambda: load_pool(tmp_path / "nowhere"))
    assert len(gone) == 1 and "does not exist" in gone[0].message
    (tmp_path / "empty").mkdir()
    empty = problems_of(lambda: load_pool(tmp_path / "empty"))
    assert len(empty) == 1 and "holds no NN-slug.yaml file" in empty[0].message


# --- forms ----------------------------------------------------------------------------------------------
def test_the_seed_is_fixed_bytes_not_a_python_random_stream():
    assert form_seed("fixture-final-2026", "ana", 1) == "2f0450719566713cb6a370cad64ca589b1ff55e8ba93a856eb3720b71ce7c9d1"
    assert len({form_seed("b", "ana", 1), form_seed("b", "ana", 2), form_seed("b", "ben", 1), form_seed("b", "ana1", 1)}) == 4


def _options(form_items: tuple[str, ...], pool: Pool, seed: str) -> list[list[str]]:
    return [[o["id"] for o in public_item(pool.item(q), pool.module_of(q), seed)["options"]] for q in form_items]


def test_a_form_is_the_same_on_reopening_and_differs_between_learners_and_attempts(blueprint: Blueprint, pool: Pool):
    first = assemble(blueprint, pool, "ana", 1)
    again = assemble(blueprint, pool, "ana", 1)
    assert again == first
    assert _options(again.items, pool, again.seed) == _options(first.items, pool, first.seed)
    assert assemble(blueprint, pool, "ben", 1).items != first.items
    second = assemble(blueprint, pool, "ana", 2)
    assert second.items != first.items and second.seed != first.seed
    forms = {assemble(blueprint, pool, f"learner-{i}", 1).items for i in range(40)}
    assert len(forms) >= 38  # two learners almost never sit the same test
    with pytest.raises(ValueError, match="start at 1"):
        assemble(blueprint, pool, "ana", 0)


def test_every_form_draws_each_cell_its_count_from_eligible_items(blueprint: Blueprint, pool: Pool):
    used: Counter[str] = Counter()
    for i in range(60):
        form = assemble(blueprint, pool, f"learner-{i}", 1 + i % 3)
        assert len(form.items) == len(set(form.items)) == blueprint.questions
        cells = Counter((pool.module_of(q), pool.item(q).objective) for q in form.items)
        assert cells == Counter({(c.module, c.objective): c.count for c in blueprint.draw})
        used.update(form.items)
    assert set(used) == set(pool.ids)  # over many forms every item gets used
    orders = [assemble(blueprint, pool, f"learner-{i}", 1).items for i in range(20)]
    assert any(
        list(items) != [q for cell in blueprint.draw for q in pool.eligible(cell.module, cell.objective) if q in items] for items in orders
    )


def test_option_order_is_seeded_and_not_always_the_file_order(pool: Pool):
    for qid in ("fa-spine-motion-segment", "fa-spine-parts", "fa-evidence-press"):
        item = pool.item(qid)
        file_order = [o.id for o in item.options]  # type: ignore[attr-defined]
        orders = {tuple(_options((qid,), pool, form_seed("b", f"learner-{i}", 1))[0]) for i in range(30)}
        assert all(sorted(o) == sorted(file_order) for o in orders)
        assert len(orders) > 1 and any(list(o) != file_order for o in orders)
    seed = form_seed("b", "ana", 1)
    assert _options(("fa-spine-parts",), pool, seed) == _options(("fa-spine-parts",), pool, seed)


def test_a_public_item_holds_no_key(pool: Pool):
    for qid in pool.ids:
        shown = public_item(pool.item(qid), pool.module_of(qid), "seed")
        assert set(shown) == {"id", "module", "objective", "type", "prompt", "options"}
        assert all(set(o) == {"id", "text"} for o in shown["options"])
        assert pool.key(qid).explanation not in repr(shown)
    assert public_item(pool.item("fa-spine-nucleus"), "01-back-pain-and-the-spine", "s")["options"] == []


# --- scoring and results --------------------------------------------------------------------------------
FIVE = ("fa-spine-motion-segment", "fa-spine-nucleus", "fa-msc-broad-family", "fa-msc-lab-definition", "fa-reg-listing")


def test_four_of_five_passes_at_exactly_the_pass_mark(pool: Pool):
    responses = {q: right(pool, q) for q in FIVE[:4]} | {FIVE[4]: wrong(pool, FIVE[4])}
    result = summarise(score_items(pool, FIVE, responses), 0.8, "class")
    assert (result.score, result.score_permille, result.passed, result.percent) == (0.8, 800, True, "80.0 %")
    three = summarise(score_items(pool, FIVE, {q: right(pool, q) for q in FIVE[:3]}), 0.8, "class")
    assert (three.score_permille, three.passed, three.answered) == (600, False, 3)
    assert summarise(score_items(pool, FIVE, responses), 0.85, "class").passed is False
    assert summarise([], 0.8, "class").passed is False  # an empty form never passes


def test_results_per_objective_and_the_modules_to_revisit(pool: Pool):
    responses = {q: right(pool, q) for q in FIVE} | {"fa-msc-broad-family": wrong(pool, "fa-msc-broad-family")}
    result = summarise(score_items(pool, FIVE, responses), 0.8, "class")
    by_cell = {(o.module, o.objective): (o.score, o.possible, o.met) for o in result.objectives}
    assert by_cell == {
        ("01-back-pain-and-the-spine", 1): (2.0, 2, True),
        ("02-what-are-mscs", 1): (1.0, 2, False),
        ("06-evidence-regulation-and-patients", 3): (1.0, 1, True),
    }
    assert result.revisit == ("02-what-are-mscs",) and result.passed is True  # 4/5 passes, and still names what to revisit
    all_wrong = summarise(score_items(pool, FIVE, {q: wrong(pool, q) for q in FIVE}), 0.8, "class")
    assert all_wrong.revisit == ("01-back-pain-and-the-spine", "02-what-are-mscs", "06-evidence-regulation-and-patients")


def test_an_unanswered_item_scores_zero(pool: Pool):
    scores = score_items(pool, FIVE, {FIVE[0]: right(pool, FIVE[0]), FIVE[1]: None})
    assert [(s.score, s.answered) for s in scores] == [(1.0, True)] + [(0.0, False)] * 4
    empty_select = score_items(pool, ("fa-spine-parts",), {"fa-spine-parts": []})
    assert [(s.score, s.answered) for s in empty_select] == [(0.0, False)]
    result = summarise(scores, 0.8, "self-study")
    assert (result.answered, result.questions, result.score_permille) == (1, 5, 200)


@pytest.mark.parametrize(
    ("picked", "score"),
    [
        (["vertebrae", "disc", "facets"], 1.0),
        (["vertebrae", "disc"], 0.6667),
        (["vertebrae"], 0.3333),
        (["vertebrae", "disc", "kidney"], 0.3333),
        (["vertebrae", "kidney"], 0.0),
        (["kidney"], 0.0),
        (["vertebrae", "disc", "facets", "kidney"], 0.6667),
    ],
)
def test_multiple_select_keeps_the_course_partial_credit(pool: Pool, picked: list[str], score: float):
    (scored,) = score_items(pool, ("fa-spine-parts",), {"fa-spine-parts": picked})
    assert scored.score == pytest.approx(score, abs=1e-4)
    assert scored.score == grade(pool.item("fa-spine-parts"), pool.key("fa-spine-parts"), picked).score  # as the course grades it


def test_a_response_is_checked_for_shape_against_the_public_item(pool: Pool):
    def item(qid: str) -> dict[str, Any]:
        return public_item(pool.item(qid), pool.module_of(qid), "s")

    assert response_problem(item("fa-spine-nucleus"), True) is None and response_problem(item("fa-spine-nucleus"), None) is None
    assert response_problem(item("fa-spine-nucleus"), "true") == "must be true or false"
    assert response_problem(item("fa-spine-motion-segment"), "segment") is None
    assert "one option id" in str(response_problem(item("fa-spine-motion-segment"), "nope"))
    assert "one option id" in str(response_problem(item("fa-spine-motion-segment"), ["segment"]))
    assert response_problem(item("fa-spine-parts"), ["disc", "facets"]) is None
    assert "distinct" in str(response_problem(item("fa-spine-parts"), ["disc", "disc"]))
    assert "distinct" in str(response_problem(item("fa-spine-parts"), "disc"))
    assert response_problem({"type": "numeric", "options": []}, 5) == "items of type 'numeric' cannot be answered here"


def test_a_result_survives_json(pool: Pool):
    when = dt.datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
    result = summarise(score_items(pool, FIVE, {q: right(pool, q) for q in FIVE}), 0.8, "class", submitted_at=when, certificate_code="X")
    assert AssessmentResult.from_dict(result.to_dict()) == result
    scores = [ItemScore(f"q{i}", "01-m", 1, 1.0 if i < 2 else 0.0, True) for i in range(3)]
    assert summarise(scores, 0.8, "class").percent == "66.7 %"


# --- the proctor ----------------------------------------------------------------------------------------
class Clock:
    """The proctor's clock, moved by the test (never the computer's)."""

    def __init__(self, start: dt.datetime = T0) -> None:
        self.now = start

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture(params=["memory", "sqlite"])
def attempts(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "memory":
        yield MemoryAttempts()
        return
    store = open_store(tmp_path / "progress.sqlite3")
    yield SQLiteAttempts(store)
    store.close()


class Heard:
    def __init__(self) -> None:
        self.passed: list[AssessmentRecord] = []
        self.finished: list[AssessmentRecord] = []

    def on_pass(self, record: AssessmentRecord) -> str:
        self.passed.append(record)
        return f"CODE-{record.id}"


def proctor_over(attempts: Any, blueprint: Blueprint, pool: Pool, clock: Clock, heard: Heard | None = None) -> Proctor:
    heard = heard or Heard()
    return Proctor(blueprint, pool, attempts, mode="class", clock=clock, on_pass=heard.on_pass, on_finish=heard.finished.append)


def refused(call: Any) -> AttemptRefused:
    with pytest.raises(AttemptRefused) as caught:
        call()
    return caught.value


def answer_all(proctor: Proctor, learner: str, record: AssessmentRecord, pool: Pool, good: int) -> None:
    for n, qid in enumerate(record.form):
        proctor.save(learner, record.id, qid, right(pool, qid) if n < good else wrong(pool, qid))


def test_starting_again_resumes_the_attempt_under_way(attempts: Any, blueprint: Blueprint, pool: Pool):
    clock = Clock()
    proctor = proctor_over(attempts, blueprint, pool, clock)
    record, new = proctor.start("ana")
    assert new and record.number == 1 and record.deadline == T0 + dt.timedelta(minutes=45) and record.mode == "class"
    proctor.save("ana", record.id, record.form[0], right(pool, record.form[0]))
    clock.advance(minutes=10)
    again, new_again = proctor.start("ana")
    assert not new_again and again.id == record.id and again.form == record.form and again.seed == record.seed
    assert again.responses == {record.form[0]: right(pool, record.form[0])}
    assert again.deadline == record.deadline  # re-opening never restarts the time
    form = proctor.form(again)
    assert [i["id"] for i in form["items"]] == list(record.form) and form["responses"] == again.responses
    assert form["now"] == (T0 + dt.timedelta(minutes=10)).isoformat() and form["result"] is None


def test_the_attempt_limit_and_no_attempt_after_a_pass(attempts: Any, blueprint: Blueprint, pool: Pool):
    clock, heard = Clock(), Heard()
    proctor = proctor_over(attempts, blueprint, pool, clock, heard)
    for number in (1, 2, 3):
        record, _ = proctor.start("ana")
        assert record.number == number
        assert proctor.submit("ana", record.id).passed is False
    limit = refused(lambda: proctor.start("ana"))
    assert (limit.status, limit.field) == (409, "attempts") and "all 3 attempts are used" in str(limit)
    assert [r.passed for r in heard.finished] == [False] * 3 and heard.passed == []

    record, _ = proctor.start("ben")
    answer_all(proctor, "ben", record, pool, good=12)
    done = proctor.submit("ben", record.id)
    assert done.passed is True and done.total == 1.0 and done.certificate_code == f"CODE-{record.id}"
    after = refused(lambda: proctor.start("ben"))
    assert (after.status, after.field) == (409, "attempts") and "you passed on attempt 1" in str(after)
    assert [r.learner for r in heard.passed] == ["ben"] and [r.learner for r in heard.finished] == ["ana"] * 3 + ["ben"]
    overview = proctor.overview("ben")
    assert overview["passed"] and overview["attempts_used"] == 1 and overview["in_progress"] is None
    assert overview["last_result"]["passed"] and overview["last_attempt"] == record.id


def test_the_deadline_is_the_proctors_clock(attempts: Any, blueprint: Blueprint, pool: Pool):
    clock, heard = Clock(), Heard()
    proctor = proctor_over(attempts, blueprint, pool, clock, heard)
    record, _ = proctor.start("ana")
    for qid in record.form[:9]:
        proctor.save("ana", record.id, qid, right(pool, qid))
    clock.advance(minutes=44, seconds=59)
    proctor.save("ana", record.id, record.form[9], right(pool, record.form[9]))  # one second before: kept
    clock.advance(seconds=2)
    late = refused(lambda: proctor.save("ana", record.id, record.form[10], right(pool, record.form[10])))
    assert (late.status, late.field) == (409, "deadline")
    assert "the time limit ended at 09:45:00 UTC on 02 March 2026" in str(late)
    kept = proctor.own("ana", record.id)
    assert kept.auto_submitted and kept.submitted_at == record.deadline
    assert kept.answered() == 10 and record.form[10] not in kept.responses
    assert kept.total == pytest.approx(10 / 12) and kept.passed is True  # 83.3 %: the answers saved in time are scored
    assert [r.id for r in heard.finished] == [record.id]  # scored once
    again = refused(lambda: proctor.submit("ana", record.id))
    assert (again.status, again.field) == (409, "attempt") and "submitted once" in str(again)
    assert len(heard.finished) == 1


def test_a_store_takes_no_response_at_or_after_the_deadline(attempts: Any, blueprint: Blueprint, pool: Pool):
    """The proctor looks at the deadline first; the store looks again in the same transaction as the write (time moves on)."""
    record, _ = proctor_over(attempts, blueprint, pool, Clock()).start("ana")
    assert record.deadline is not None
    qid = record.form[0]
    assert attempts.save_assessment_response(record.id, qid, True, record.deadline - dt.timedelta(microseconds=1))
    assert not attempts.save_assessment_response(record.id, qid, False, record.deadline)
    assert attempts.assessment_attempt(record.id).responses == {qid: True}


def test_an_attempt_nobody_looked_at_is_submitted_at_its_deadline(attempts: Any, blueprint: Blueprint, pool: Pool):
    clock, heard = Clock(), Heard()
    proctor = proctor_over(attempts, blueprint, pool, clock, heard)
    record, _ = proctor.start("ana")
    proctor.save("ana", record.id, record.form[0], right(pool, record.form[0]))
    clock.advance(days=3)
    done = proctor.submit("ana", record.id)  # the late submit gets the result kept at the deadline
    assert done.auto_submitted and done.submitted_at == record.deadline and done.answered() == 1 and done.passed is False
    second, new = proctor.start("ana")
    assert new and second.number == 2 and second.deadline == clock.now + dt.timedelta(minutes=45)


def test_a_clock_in_another_time_zone_tells_the_same_deadline(attempts: Any, blueprint: Blueprint, pool: Pool):
    clock = Clock(dt.datetime(2026, 3, 2, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=2))))
    proctor = proctor_over(attempts, blueprint, pool, clock)
    record, _ = proctor.start("ana")
    kept = proctor.own("ana", record.id)
    assert kept.started_at == T0 and kept.deadline == T0 + dt.timedelta(minutes=45)
    clock.advance(minutes=46)
    late = refused(lambda: proctor.save("ana", record.id, record.form[0], True))
    assert late.field == "deadline" and "09:45:00 UTC" in str(late)


def test_a_form_is_submitted_once(attempts: Any, blueprint: Blueprint, pool: Pool):
    clock, heard = Clock(), Heard()
    proctor = proctor_over(attempts, blueprint, pool, clock, heard)
    record, _ = proctor.start("ana")
    answer_all(proctor, "ana", record, pool, good=6)
    clock.advance(minutes=5)
    done = proctor.submit("ana", record.id)
    assert done.submitted_at == T0 + dt.timedelta(minutes=5) and not done.auto_submitted and done.total == 0.5
    twice = refused(lambda: proctor.submit("ana", record.id))
    assert (twice.status, twice.field) == (409, "attempt") and "submitted at 09:05:00 UTC on 02 March 2026" in str(twice)
    closed = refused(lambda: proctor.save("ana", record.id, record.form[0], right(pool, record.form[0])))
    assert (closed.status, closed.field) == (409, "attempt") and "can no longer change" in str(closed)
    assert len(heard.finished) == 1 and proctor.own("ana", record.id).total == 0.5
    result = proctor.result(proctor.own("ana", record.id))
    assert (result.score_permille, result.passed, result.answered, len(result.objectives)) == (500, False, 12, 7)


class Meanwhile:
    """The store, with something another request does between the proctor's reading a form and its keeping the scores."""

    def __init__(self, inner: Any, meanwhile: Any) -> None:
        self.inner, self.meanwhile = inner, meanwhile

    def finish_assessment_attempt(self, record: AssessmentRecord) -> bool:
        if self.meanwhile is not None:
            then, self.meanwhile = self.meanwhile, None
            then(record)
        return bool(self.inner.finish_assessment_attempt(record))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


def test_a_response_saved_while_the_form_is_scored_is_scored_too(attempts: Any, blueprint: Blueprint, pool: Pool):
    clock, heard = Clock(), Heard()
    record, _ = proctor_over(attempts, blueprint, pool, clock).start("ana")
    late = record.form[11]
    racing = Meanwhile(attempts, lambda r: attempts.save_assessment_response(r.id, late, right(pool, late), clock()))
    proctor = proctor_over(racing, blueprint, pool, clock, heard)
    answer_all(proctor, "ana", record, pool, good=12)
    proctor.save("ana", record.id, late, wrong(pool, late))
    done = proctor.submit("ana", record.id)
    assert done.responses[late] == right(pool, late) and done.item_scores is not None and done.item_scores[late] == 1.0
    kept = attempts.assessment_attempt(record.id)
    assert kept.total == 1.0 and kept.item_scores[late] == 1.0 and len(heard.finished) == 1  # what is kept is what was scored


def test_of_two_submissions_at_once_one_stands_and_the_other_is_told(attempts: Any, blueprint: Blueprint, pool: Pool):
    clock, heard = Clock(), Heard()
    plain = proctor_over(attempts, blueprint, pool, clock, heard)
    record, _ = plain.start("ana")
    answer_all(plain, "ana", record, pool, good=12)
    racing = proctor_over(Meanwhile(attempts, lambda r: plain.submit("ana", r.id)), blueprint, pool, clock, heard)
    second = refused(lambda: racing.submit("ana", record.id))
    assert (second.status, second.field) == (409, "attempt") and "submitted once" in str(second)
    assert [r.id for r in heard.finished] == [record.id] and len(heard.passed) == 1  # scored once, one certificate


def test_a_response_of_the_wrong_type_or_for_another_form_is_refused(attempts: Any, blueprint: Blueprint, pool: Pool):
    proctor = proctor_over(attempts, blueprint, pool, Clock())
    record, _ = proctor.start("ana")
    by_type = {pool.item(q).type: q for q in record.form}
    for kind, bad in (("true_false", "true"), ("single_choice", ["x"]), ("multiple_select", "all")):
        wrong_type = refused(lambda q=by_type[kind], b=bad: proctor.save("ana", record.id, q, b))
        assert (wrong_type.status, wrong_type.field) == (422, "response") and str(wrong_type).startswith("response: must be")
    elsewhere = next(q for q in pool.ids if q not in record.form)
    off_form = refused(lambda: proctor.save("ana", record.id, elsewhere, True))
    assert (off_form.status, off_form.field) == (404, "question_id") and elsewhere in str(off_form)
    assert proctor.own("ana", record.id).responses == {}
    qid = record.form[0]
    proctor.save("ana", record.id, qid, right(pool, qid))
    proctor.save("ana", record.id, qid, None)  # cleared
    assert proctor.own("ana", record.id).answered() == 0 and qid not in proctor.form(proctor.own("ana", record.id))["responses"]


def test_another_learners_attempt_is_not_found(attempts: Any, blueprint: Blueprint, pool: Pool):
    proctor = proctor_over(attempts, blueprint, pool, Clock())
    record, _ = proctor.start("ana")
    for call in (
        lambda: proctor.own("ben", record.id),
        lambda: proctor.save("ben", record.id, record.form[0], right(pool, record.form[0])),
        lambda: proctor.submit("ben", record.id),
        lambda: proctor.own("ana", record.id + 100),
    ):
        found = refused(call)
        assert (found.status, found.field) == (404, "attempt")
    assert not proctor.own("ana", record.id).submitted


def test_a_proctor_with_no_time_limit_never_closes_by_itself(attempts: Any, pool: Pool, copy: Path):
    path = copy / "blueprint.yaml"
    path.write_text(path.read_text().replace("time_limit_minutes: 45", "time_limit_minutes: null"))
    clock = Clock()
    proctor = proctor_over(attempts, load_blueprint(path, pool), pool, clock)
    record, _ = proctor.start("ana")
    assert record.deadline is None and proctor.form(record)["deadline"] is None
    clock.advance(days=30)
    proctor.save("ana", record.id, record.form[0], right(pool, record.form[0]))
    assert not proctor.own("ana", record.id).submitted


def test_the_course_map_row(attempts: Any, blueprint: Blueprint, pool: Pool):
    proctor = proctor_over(attempts, blueprint, pool, Clock())
    assert status_of([]).text == "not started"
    record, _ = proctor.start("ana")
    proctor.save("ana", record.id, record.form[0], right(pool, record.form[0]))
    under_way = status_of(attempts.assessment_attempts("ana"), now=T0)
    assert (under_way.answered, under_way.total, under_way.text, under_way.done) == (1, 12, "attempt 1 under way", False)
    late = status_of(attempts.assessment_attempts("ana"), now=T0 + dt.timedelta(minutes=45))
    assert late.text == "attempt 1: time is up, open the assessment for the result" and not late.done
    proctor.submit("ana", record.id)
    record, _ = proctor.start("ana")
    answer_all(proctor, "ana", record, pool, good=11)
    proctor.submit("ana", record.id)
    best = status_of(attempts.assessment_attempts("ana"))
    assert (best.text, best.done) == ("91.7 %, passed", True)


# --- names on certificates ------------------------------------------------------------------------------
def test_a_printable_name_has_no_reordering_characters_and_fits_a_certificate():
    assert printable_name("  Ana \u202eevil\u202c  Silva ", "ana") == "Ana evil Silva"
    assert printable_name("\u2067\u2069 \x00", "ben") == "ben" and printable_name("", "") == "Learner"
    long = ("مريم <script>alert(1)</script> 🧑‍⚕️ " * 40)[:500]
    assert len(printable_name(long, "x")) <= 300
    assert printable_name("e\u0301" * 400, "x") == "é" * 300  # counted as the claims count, after NFC


# --- self-study -----------------------------------------------------------------------------------------
@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder of the test's own, so nothing is written to the real one."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    monkeypatch.delenv("STEMTRAIN_PROGRESS", raising=False)
    return folder


def self_study(progress: Path, clock: Clock, name: str = "Ana Silva") -> tuple[LocalExaminer, Any]:
    store = open_store(progress)
    files = AssessmentFiles(FIXTURE / "blueprint.yaml", FIXTURE / "pool", "the test fixture")
    return LocalExaminer("ana", display_name=name, store=store, files=files, clock=clock), store


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_self_study_is_labelled_and_kept_in_the_progress_file(home: Path, tmp_path: Path, pool: Pool):
    progress = tmp_path / "learner" / "progress.sqlite3"
    progress.parent.mkdir()
    clock = Clock()
    examiner, store = self_study(progress, clock)
    assert examiner.mode == "self-study" and examiner.overview().mode == "self-study"
    form = examiner.start()
    assert examiner.notice == "" and form.mode == "self-study" and form.seconds_left() == 45 * 60
    for item in form.items[:6]:
        examiner.save(form.id, item.id, right(pool, item.id))
    store.close()

    reopened, store = self_study(progress, clock)  # the tab was closed: a new kernel, the same file
    again = reopened.start()
    assert again.id == form.id and dict(again.responses) == {i.id: right(pool, i.id) for i in form.items[:6]}
    for item in form.items[6:11]:
        reopened.save(form.id, item.id, right(pool, item.id))
    done = reopened.submit(form.id)
    assert done.result is not None and done.result.mode == "self-study" and done.result.passed and done.result.score_permille == 917
    kept = SQLiteAttempts(store).assessment_attempts("ana")
    assert [(r.mode, r.passed, r.answered()) for r in kept] == [("self-study", True, 11)]
    with pytest.raises(AssessmentError) as closed:
        reopened.save(form.id, form.items[11].id, right(pool, form.items[11].id))
    assert closed.value.kind == "closed" and closed.value.field == "attempt"
    with pytest.raises(AssessmentError) as refused_again:
        reopened.start()
    assert refused_again.value.kind == "refused" and "passed" in str(refused_again.value)
    store.close()


def test_the_self_study_document_verifies_with_the_self_study_key_and_says_so(home: Path, tmp_path: Path, pool: Pool):
    progress = tmp_path / "learner" / "progress.sqlite3"
    progress.parent.mkdir()
    name = ("Zoë Ñúñez مريم 🧑‍⚕️ <b>" * 30)[:480]  # a sign-in name may be longer than a certificate takes
    examiner, store = self_study(progress, Clock(), name=name)
    start_here = load_course().banks["00-start-here"]
    for part in (p for q in start_here.questions for p in (q.linked() or (q,))):  # one module done, on this computer
        store.add(Attempt(learner="ana", module=start_here.module, question_id=part.id, response="a", correct=True, score=1.0))
    form = examiner.start()
    for item in form.items:
        examiner.save(form.id, item.id, right(pool, item.id))
    examiner.submit(form.id)
    pdf = examiner.certificate(form.id)
    assert examiner.key_path == progress.parent / "self-study-key.pem" and examiner.key_path.stat().st_mode & 0o077 == 0
    assert not (home / ".stemtrain").exists()  # the key is beside the progress file in use, not in the default place
    verdict = verify_pdf(pdf, load_public_key(examiner.public_key_pem()))
    assert verdict.mode == verdict.claims.mode == "self-study" and verdict.claims.passed and verdict.claims.score_permille == 1000
    assert verdict.learner == printable_name(name, "ana") and verdict.claims.issued_at == T0
    assert "self-study" in verdict.claims.issuer and verdict.claims.modules == ("00 · Start here",)
    text = " ".join(pdf_text(pdf).split())
    assert SELF_STUDY_LABEL == "Self-study, not proctored" and SELF_STUDY_LABEL in text
    assert "Zoë Ñúñez" in text
    assert examiner.certificate(form.id) == pdf  # the same document every time it is made
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    with pytest.raises(CertificateError):
        verify_pdf(pdf, Ed25519PrivateKey.generate().public_key())  # a class's key never verifies it
    store.close()


def test_self_study_refuses_a_document_for_a_failed_attempt_and_works_without_a_file(home: Path, tmp_path: Path):
    progress = tmp_path / "progress.sqlite3"
    examiner, store = self_study(progress, Clock())
    form = examiner.submit(examiner.start().id)
    assert form.result is not None and not form.result.passed and form.result.revisit
    with pytest.raises(AssessmentError) as no_document:
        examiner.certificate(form.id)
    assert no_document.value.kind == "refused"
    store.close()
    files = AssessmentFiles(FIXTURE / "blueprint.yaml", FIXTURE / "pool", "the test fixture")
    memory = LocalExaminer("ana", files=files, clock=Clock())
    assert memory.start().number == 1 and "on this page only" in memory.notice
    nowhere = LocalExaminer("ana", clock=Clock())
    nowhere.files = None  # a learner who installed the course from the wheel: no pool on the computer
    with pytest.raises(AssessmentError) as missing:
        nowhere.overview()
    assert missing.value.kind == "missing" and "STEMTRAIN_ASSESSMENT_POOL" in str(missing.value)


def test_self_study_names_the_problems_of_broken_files(home: Path, copy: Path):
    (copy / "blueprint.yaml").write_text((copy / "blueprint.yaml").read_text().replace("questions: 12", "questions: 99"))
    examiner = LocalExaminer("ana", files=AssessmentFiles(copy / "blueprint.yaml", copy / "pool", "a copy"), clock=Clock())
    with pytest.raises(AssessmentError) as broken:
        examiner.start()
    assert broken.value.kind == "missing" and "blueprint.yaml:8: -: questions: is 99" in str(broken.value)
