"""The final-assessment pool (assessment/pool/*.yaml) against its blueprint, the course's loader and fairness rules.

The engine draws `count` questions per blueprint row from the pool file of the row's module, among the questions
whose `objective` equals the row's. Each check is a small function over real files, run once on the course's own
files (which must pass) and once on a damaged copy in a temporary folder (which must fail), so that every check is
shown to be able to fail.
"""

from __future__ import annotations

import difflib
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from stemtrain.content import lint, paths
from stemtrain.content.fairness import course_fairness_problems, fairness_problems, fairness_stats
from stemtrain.content.fairnessitems import bank_questions
from stemtrain.content.loader import load_bank, load_references
from stemtrain.content.notebooktext import markdown_cells
from stemtrain.content.problems import ContentError
from stemtrain.content.yamlsource import read_yaml

ROOT = paths.course_root()
BLUEPRINT = ROOT / "assessment" / "blueprint.yaml"
POOL = ROOT / "assessment" / "pool"
ALLOWED_TYPES = {"single_choice", "multiple_select", "true_false"}
NEAR_COPY = 0.9
"""difflib ratio above which a pool text counts as a near-copy of a course-bank text."""
MIN_OPTION_CHARS = 25
"""Options shorter than this ("Time", "Type 1") may repeat a bank option without being a copy of an item."""


def pool_files(pool: Path = POOL) -> list[Path]:
    return sorted(pool.glob("*.yaml"))


def read(path: Path) -> Any:
    return read_yaml(path, str(path)).data


def questions(path: Path) -> list[dict[str, Any]]:
    return [q for _, q in bank_questions(read(path))]


def bank_ids() -> dict[str, Any]:
    """The ids of every course bank, as the loader records them (so a pool id that repeats one is a load problem)."""
    references = load_references()
    seen: dict[str, Any] = {}
    for bank in paths.bank_paths():
        load_bank(bank, references, seen)
    return seen


# ---- the checks, each a function of real files ---------------------------------------------------------------


def load_problems(pool: Path, seen: dict[str, Any] | None = None) -> list[str]:
    """Every problem the course's bank loader finds in the pool files (bibliography checked, ids checked against
    ``seen``). Pool files are loaded with their own ``modules`` record: a pool file shares its module's name with
    that module's bank, which the loader would otherwise report as a second bank for the module."""
    references = load_references()
    found: list[str] = []
    for f in pool_files(pool):
        try:
            load_bank(f, references, {} if seen is None else seen, modules={})
        except ContentError as exc:
            found += [str(p) for p in exc.problems]
    return found


def blueprint_problems(blueprint: Path, pool: Path) -> list[str]:
    """The blueprint's arithmetic: questions == sum of counts, and every row has at least 3 x count items."""
    plan = read(blueprint)
    rows = plan["draw"]
    found = []
    total = sum(r["count"] for r in rows)
    if plan["questions"] != total:
        found.append(f"questions is {plan['questions']} but the counts add up to {total}")
    have = Counter((read(f)["module"], q.get("objective")) for f in pool_files(pool) for q in questions(f))
    for r in rows:
        n = have[(r["module"], r["objective"])]
        if n < 3 * r["count"]:
            found.append(f"{r['module']} objective {r['objective']}: {n} items for count {r['count']} (needs {3 * r['count']})")
    keys = [(r["module"], r["objective"]) for r in rows]
    found += [f"row {k} appears {n} times" for k, n in Counter(keys).items() if n > 1]
    return found


def notebook_objectives(module: str) -> set[int]:
    """The numbers of the "Learning objectives" list in the module notebook's first Markdown cell."""
    _, first = markdown_cells(paths.notebook_path(module))[0]
    section = first.split("## Learning objectives", 1)[1].split("**Time", 1)[0]
    return {int(n) for n in re.findall(r"^(\d+)\.\s", section, re.M)}


def objective_problems(blueprint: Path, pool: Path) -> list[str]:
    """Every pool item and every blueprint row names an objective that its module's notebook lists."""
    found = []
    for f in pool_files(pool):
        module = read(f)["module"]
        known = notebook_objectives(module)
        for q in questions(f):
            if q.get("objective") not in known:
                found.append(f"{q['id']}: objective {q.get('objective')!r} is not one of {module}'s objectives {sorted(known)}")
    for r in read(blueprint)["draw"]:
        if r["objective"] not in notebook_objectives(r["module"]):
            found.append(f"blueprint row {r['module']} objective {r['objective']} is not in the notebook")
    return found


def fairness_report(pool: Path) -> list[str]:
    """The course's own fairness rules (per file and across the pool), plus the pool-wide figures the banks meet."""
    located = [read_yaml(f, str(f)) for f in pool_files(pool)]
    found = [str(p) for loc in located for p in fairness_problems(loc)] + [str(p) for p in course_fairness_problems(located)]
    stats = fairness_stats(located)["course"]
    if stats["key_longest"] > stats["single"] / 3:
        found.append(f"the key is the longest option in {stats['key_longest']} of {stats['single']} single-choice items")
    return found


def multiple_select_problems(pool: Path) -> list[str]:
    """Multiple-select keys must not be a habit of "all" or "most" options.

    The course's fairness module has no rule for this, so it is stated here: no item keys every option, and at
    most half of the items key more than half of their options.
    """
    found, most, items = [], 0, 0
    for f in pool_files(pool):
        for q in questions(f):
            if q["type"] != "multiple_select":
                continue
            items += 1
            keyed, offered = len(q["answers"]), len(q["options"])
            if keyed == offered:
                found.append(f"{q['id']}: every option is keyed")
            most += keyed > offered / 2
    if items and most > items / 2:
        found.append(f"{most} of {items} multiple-select items key more than half of their options")
    return found


def texts(data: Any) -> list[tuple[str, str, str]]:
    """(kind, question id, text) for prompts, case vignettes and option texts."""
    out = []
    for _, q in bank_questions(data):
        if q.get("type") == "case":
            out.append(("vignette", q["id"], q["vignette"]))
        out.append(("prompt", q["id"], q["prompt"]))
        out += [("option", q["id"], o["text"]) for o in q.get("options", []) if len(o["text"]) >= MIN_OPTION_CHARS]
    return out


def near_copies(pool: Path) -> list[str]:
    """Pool prompts (and options) that equal or nearly equal a course-bank prompt (or option)."""
    bank = [t for b in paths.bank_paths() for t in texts(read(b))]
    found = []
    for f in pool_files(pool):
        for kind, qid, text in texts(read(f)):
            low = text.lower()
            for bank_kind, bank_id, bank_text in bank:
                if (kind == "option") != (bank_kind == "option"):
                    continue
                m = difflib.SequenceMatcher(None, low, bank_text.lower())
                if m.real_quick_ratio() > NEAR_COPY and m.quick_ratio() > NEAR_COPY and m.ratio() > NEAR_COPY:
                    found.append(f"{qid} {kind} ~ {bank_id} ({m.ratio():.2f}): {text[:60]!r}")
    return found


def overclaims(pool: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The course's overclaiming lint ("cure", "regenerates your disc", "FDA-approved", ...) run over the pool files
    instead of the banks, with the same allow-list and the same exemption for false-on-purpose text."""
    monkeypatch.setattr(paths, "bank_paths", lambda: pool_files(pool))
    monkeypatch.setattr(paths, "notebook_paths", list)
    return [str(p) for p in lint.lint_course(report_unused=False) if p.file.startswith("assessment/pool/")]


def copy_course_files(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the blueprint and the pool to damage."""
    shutil.copytree(POOL, tmp_path / "pool")
    shutil.copy(BLUEPRINT, tmp_path / "blueprint.yaml")
    return tmp_path / "blueprint.yaml", tmp_path / "pool"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ---- the real files pass -------------------------------------------------------------------------------------


def test_there_is_one_pool_file_per_blueprint_module_and_each_module_has_a_bank():
    modules = {r["module"] for r in read(BLUEPRINT)["draw"]}
    assert {f.stem for f in pool_files()} == modules
    assert modules <= {b.stem for b in paths.bank_paths()}
    assert all(read(f)["module"] == f.stem for f in pool_files())


@pytest.mark.parametrize("path", pool_files(), ids=lambda p: p.stem)
def test_a_pool_file_loads_with_the_course_bank_loader(path: Path):
    bank = load_bank(path, load_references(), {}, modules={})
    assert bank.module == path.stem and len(bank.questions) == len(questions(path))


def test_the_pool_loads_with_no_problems_and_its_ids_are_new():
    seen = bank_ids()
    course_ids = set(seen)
    assert load_problems(POOL, seen) == []
    ids = [q["id"] for f in pool_files() for q in questions(f)]
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    assert not set(ids) & course_ids
    assert all(i.startswith("fa-") for i in ids)


def test_the_pool_uses_only_the_three_types_and_every_item_has_an_objective():
    for f in pool_files():
        for q in questions(f):
            assert q["type"] in ALLOWED_TYPES, (q["id"], q["type"])
            assert isinstance(q.get("objective"), int), q["id"]


def test_the_blueprint_adds_up_and_every_row_has_three_times_its_count():
    assert blueprint_problems(BLUEPRINT, POOL) == []
    assert read(BLUEPRINT)["questions"] == 25


def test_every_objective_is_one_the_module_notebook_lists():
    assert notebook_objectives("06-evidence-regulation-and-patients") == {1, 2, 3, 4, 5, 6}
    assert objective_problems(BLUEPRINT, POOL) == []


def test_the_pool_passes_the_course_fairness_checks():
    assert fairness_report(POOL) == []
    assert multiple_select_problems(POOL) == []
    stats = fairness_stats([read_yaml(f, str(f)) for f in pool_files()])["course"]
    true, false = stats["tf_true"], stats["tf_false"]
    assert 0.4 <= true / (true + false) <= 0.6, (true, false)


def test_every_reference_resolves_in_the_bibliography():
    references = load_references()
    cited = {r for f in pool_files() for q in questions(f) for r in q["references"]}
    assert cited and cited <= set(references), sorted(cited - set(references))


def test_no_pool_text_nearly_copies_a_course_bank_text():
    assert near_copies(POOL) == []


def test_the_pool_passes_the_overclaiming_lint(monkeypatch):
    assert overclaims(POOL, monkeypatch) == []


# ---- negative controls: the same checks fail on damaged copies ----------------------------------------------


def test_a_row_short_of_items_fails(tmp_path):
    blueprint, pool = copy_course_files(tmp_path)
    edit(
        blueprint,
        "{module: 05-image-guided-delivery, objective: 5, count: 1}",
        "{module: 05-image-guided-delivery, objective: 5, count: 2}",
    )
    edit(blueprint, "questions: 25", "questions: 26")
    assert blueprint_problems(blueprint, pool) == ["05-image-guided-delivery objective 5: 3 items for count 2 (needs 6)"]


def test_a_removed_item_leaves_its_row_short(tmp_path):
    blueprint, pool = copy_course_files(tmp_path)
    path = pool / "04-therapeutic-applications.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"] = [q for q in data["questions"] if q["id"] != "fa-04-who-decides"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert blueprint_problems(blueprint, pool) == ["04-therapeutic-applications objective 4: 2 items for count 1 (needs 3)"]


def test_questions_that_do_not_add_up_fail(tmp_path):
    blueprint, pool = copy_course_files(tmp_path)
    edit(blueprint, "questions: 25", "questions: 24")
    assert blueprint_problems(blueprint, pool) == ["questions is 24 but the counts add up to 25"]


def test_the_loader_rejects_a_yaml_boolean_option_id_and_an_unknown_reference(tmp_path):
    _, pool = copy_course_files(tmp_path)
    path = pool / "06-evidence-regulation-and-patients.yaml"
    edit(path, "      - id: speeds\n", "      - id: no\n")
    edit(path, "references: [us-v-uscsc-2021,", "references: [no-such-source,")
    problems = load_problems(pool)
    assert any("options[1].id: must be a string, got bool" in p for p in problems), problems
    assert any("'no-such-source' is not in the course bibliography" in p for p in problems), problems


def test_a_pool_id_that_repeats_a_bank_id_fails(tmp_path):
    _, pool = copy_course_files(tmp_path)
    edit(pool / "02-what-are-mscs.yaml", "id: fa-02-engraftment", "id: msc-dish-vs-body")
    problems = load_problems(pool, bank_ids())
    assert any("msc-dish-vs-body: id: duplicate question id" in p for p in problems), problems


def test_an_objective_the_notebook_does_not_list_fails(tmp_path):
    blueprint, pool = copy_course_files(tmp_path)
    text = (pool / "05-image-guided-delivery.yaml").read_text(encoding="utf-8")
    (pool / "05-image-guided-delivery.yaml").write_text(text.replace("objective: 5", "objective: 9", 1), encoding="utf-8")
    assert objective_problems(blueprint, pool) == [
        "fa-05-distance-action: objective 9 is not one of 05-image-guided-delivery's objectives [1, 2, 3, 4, 5]"
    ]


def test_one_sided_true_false_answers_fail(tmp_path):
    _, pool = copy_course_files(tmp_path)
    path = pool / "06-evidence-regulation-and-patients.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    answer: false\n", "    answer: true\n"), encoding="utf-8")
    assert any("true/false answers in this bank are true" in p for p in fairness_report(pool))


def test_a_habit_of_long_keys_fails(tmp_path):
    _, pool = copy_course_files(tmp_path)
    path = pool / "06-evidence-regulation-and-patients.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for q in data["questions"]:
        if q["type"] == "single_choice":
            key = next(o for o in q["options"] if o["id"] == q["answer"])
            key["text"] += " (this is what the evidence shows)"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert any("the correct option is the longest in" in p for p in fairness_report(pool))


def test_all_keyed_multiple_select_items_fail(tmp_path):
    _, pool = copy_course_files(tmp_path)
    path = pool / "02-what-are-mscs.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for q in data["questions"]:
        if q["type"] == "multiple_select":
            q["answers"] = [o["id"] for o in q["options"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    assert multiple_select_problems(pool) == [
        "fa-02-isct-checks-select: every option is keyed",
        "fa-02-signals-select: every option is keyed",
    ]


def test_an_overclaiming_key_fails(tmp_path, monkeypatch):
    root = tmp_path / "course"
    shutil.copytree(POOL, root / "assessment" / "pool")
    (root / "assets").mkdir()
    shutil.copy(paths.asset_path("lint-allow.yaml"), root / "assets" / "lint-allow.yaml")
    monkeypatch.setenv("STEMTRAIN_ROOT", str(root))
    pool = root / "assessment" / "pool"
    assert overclaims(pool, monkeypatch) == []
    edit(pool / "03-msc-sources.yaml", "in reported disc series, MSC-like cells", "it regenerates your disc, and MSC-like cells")
    found = overclaims(pool, monkeypatch)
    assert len(found) == 1 and "fa-03-bmac-count" in found[0] and "'regenerates your disc'" in found[0], found


def test_a_copied_bank_prompt_fails(tmp_path):
    _, pool = copy_course_files(tmp_path)
    bank_prompt = read(paths.bank_path("01-back-pain-and-the-spine"))["questions"][0]["prompt"]
    path = pool / "01-back-pain-and-the-spine.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["questions"][0]["prompt"] = bank_prompt.replace("accurately", "correctly")
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    found = near_copies(pool)
    assert len(found) == 1 and found[0].startswith("fa-01-mri-wear-cause prompt ~ spine-lbp-burden"), found
