"""The instructor notebooks and the session guide's data: plans that fit the course, commands the parser takes,
notebooks built as the design says (title, one hidden setup cell, one library call per cell, committed outputs),
citations that resolve, and no overclaiming."""

from __future__ import annotations

import ast
import json
import re
import shlex
from pathlib import Path

import pytest

from stemtrain.cli import parser
from stemtrain.content.loader import load_course
from stemtrain.content.paths import notebook_path
from stemtrain.instructor import guide
from stemtrain.instructor.plans import PLANS

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks" / "instructor").glob("*.ipynb"))


@pytest.fixture(scope="module")
def course():
    return load_course()


def _headings(module: str) -> set[str]:
    cells = json.loads(notebook_path(module).read_text(encoding="utf-8"))["cells"]
    lines = [line for c in cells if c["cell_type"] == "markdown" for line in "".join(c["source"]).splitlines()]
    return {line[3:].strip() for line in lines if line.startswith("## ")}


@pytest.mark.parametrize("minutes", sorted(PLANS))
def test_plan_steps_add_up_and_name_real_sections_and_pushable_questions(minutes, course):
    from stemtrain.classroom.livequestions import QuestionCatalogue

    plan = PLANS[minutes]
    assert plan.minutes == minutes and sum(s.minutes for s in plan.steps) == minutes
    catalogue = QuestionCatalogue(course)
    for step in plan.steps:
        if step.module is None:
            assert not step.live
            continue
        assert step.section in _headings(step.module), f"{step.module} has no section {step.section!r}"
        for qid in step.live:
            assert catalogue.get(qid).module == step.module  # pushable (a choice question), and from this module


def test_longer_plans_keep_the_core_of_the_short_one():
    core = {(s.module, s.section) for s in PLANS[60].steps}
    for minutes in (90, 120):
        assert core <= {(s.module, s.section) for s in PLANS[minutes].steps}


def test_plan_tables_show_running_times_and_escape_text():
    shown = guide.plan(90)
    assert "0:00–0:05" in shown.html and "1:25–1:30" in shown.html
    assert "<script" not in shown.html and repr(shown).startswith("90 minutes: ")
    with pytest.raises(ValueError, match="60, 90, 120"):
        guide.plan(45)


def _notebook_commands() -> list[str]:
    found = []
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "markdown":
                for block in re.findall(r"```bash\n(.*?)```", "".join(cell["source"]), re.S):
                    found += [line for line in block.splitlines() if line.strip()]
    return found


def test_every_stemtrain_command_shown_is_accepted_by_the_parser():
    commands = [cmd for _, cmd, _ in guide.ROOM + guide.HUB] + _notebook_commands()
    checked = 0
    for command in commands:
        words = shlex.split(command)
        if words[0] != "stemtrain":
            continue  # pip, sudo, tljh-config
        args = parser().parse_args(words[1:])  # argparse exits on an unknown flag
        assert args.command in ("class", "serve", "live", "report", "progress"), command
        checked += 1
    assert checked >= 12
    serve = parser().parse_args(shlex.split(guide.ROOM[1][1])[1:])
    join = parser().parse_args(shlex.split(guide.ROOM[2][1])[1:])
    assert join.url == f"http://{serve.host}:8765/"  # learners join the address the service listens on


def test_there_are_the_two_instructor_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["class-dashboard.ipynb", "session-guide.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_shape_title_setup_cell_and_one_library_call_per_cell(path: Path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# Instructor · ")
    code = [c for c in cells if c["cell_type"] == "code"]
    setup = [c for c in code if "setup" in c["metadata"].get("tags", [])]
    assert len(setup) == 1 and code[0] is setup[0] and setup[0]["metadata"]["jupyter"]["source_hidden"] is True
    assert setup[0]["outputs"] == []
    for node in ast.parse("".join(setup[0]["source"])).body:  # imports and one library call, nothing else
        assert isinstance(node, (ast.ImportFrom, ast.Import)) or (isinstance(node, ast.Assign) and isinstance(node.value, ast.Call))
    for cell in code[1:]:
        (node,) = ast.parse("".join(cell["source"])).body
        assert isinstance(node, ast.Expr) and isinstance(node.value, ast.Call), cell["source"]
        assert cell["execution_count"] is not None and cell["outputs"], "committed with its output"
        assert all(o["output_type"] == "execute_result" for o in cell["outputs"])  # no stray stdout or stderr


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_citations_resolve_to_the_bibliography(path: Path, course):
    from stemtrain.pages.references import CITATION

    labels = {r.cite for r in course.references.values()}
    text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "markdown")
    cited = {label.strip() for group in CITATION.findall(text) for label in group.split(";")}
    assert cited - labels == set()
    if path.stem == "session-guide":
        assert len(cited) >= 30  # every module's misconceptions rest on the module's own sources


def test_instructor_notebooks_pass_the_overclaiming_lint():
    from stemtrain.content.lint import lint_course

    problems = [p for p in lint_course(report_unused=False) if "instructor" in str(p)]
    assert problems == []


def test_the_session_guide_covers_every_module(course):
    text = (ROOT / "notebooks" / "instructor" / "session-guide.ipynb").read_text(encoding="utf-8")
    for module in course.modules:
        assert f"### Module {module[:2]} · " in text
