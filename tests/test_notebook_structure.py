"""Every course notebook follows the skeleton: title, objectives, time, hidden setup cell, sections,
quizzes from its bank placed after what they check, key points, references, what's next."""

from __future__ import annotations

import ast
import re

import pytest

from stemtrain.assessment import ASSESSMENT_MODULE
from stemtrain.content.loader import load_course
from stemtrain.content.paths import module_notebooks
from stemtrain.notebooks import load_cells
from stemtrain.pages.references import CITATION, find_citations

MODULES = module_notebooks()
TEACHING = [p for p in MODULES if p.stem != ASSESSMENT_MODULE]
"""The modules that teach (each with its bank); the final assessment's page has its own skeleton, tested below."""


@pytest.fixture(scope="module")
def course():
    return load_course()


def test_there_are_course_notebooks():
    assert any(p.name == "00-start-here.ipynb" for p in MODULES)


def _src(cell) -> str:
    return "".join(cell["source"])


@pytest.fixture(params=MODULES, ids=lambda p: p.stem)
def notebook(request):
    return request.param, load_cells(request.param)


@pytest.fixture(params=TEACHING, ids=lambda p: p.stem)
def teaching(request):
    return request.param, load_cells(request.param)


def test_title_and_why(notebook):
    path, cells = notebook
    first = _src(cells[0])
    assert cells[0]["cell_type"] == "markdown"
    assert re.match(rf"^# {path.name[:2]} · \S", first), "first cell starts '# NN · Title'"
    assert len(first.splitlines()) >= 3, "a sentence on why this matters follows the title"


def test_objectives_time_and_prerequisites(notebook):
    _, cells = notebook
    text = "\n".join(_src(c) for c in cells[:3] if c["cell_type"] == "markdown")
    assert "## Learning objectives" in text
    objectives = re.findall(r"^\d\. ", text.split("## Learning objectives")[1], re.M)
    assert 3 <= len(objectives) <= 6
    assert re.search(r"\*\*Time:\*\* about \d+ minutes", text)
    assert "**Before you start:**" in text


def test_one_hidden_setup_cell_calling_the_library_with_no_output(notebook):
    path, cells = notebook
    code = [c for c in cells if c["cell_type"] == "code"]
    setup = code[0]
    assert "setup" in setup["metadata"].get("tags", [])
    assert setup["metadata"].get("jupyter", {}).get("source_hidden") is True
    assert _src(setup).strip() == f'import stemtrain as st\n\ncourse = st.start("{path.stem}")'
    assert setup["outputs"] == []
    assert sum("setup" in c["metadata"].get("tags", []) for c in code) == 1


def test_other_code_cells_are_one_library_call_each(notebook):
    _, cells = notebook
    for cell in [c for c in cells if c["cell_type"] == "code"][1:]:
        tree = ast.parse(_src(cell))
        assert len(tree.body) == 1 and isinstance(tree.body[0], ast.Expr), _src(cell)
        call = tree.body[0].value
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute), _src(cell)
        assert isinstance(call.func.value, ast.Name) and call.func.value.id == "course", _src(cell)
        assert call.func.attr in {
            "quiz",
            "figure",
            "references",
            "glossary",
            "about",
            "navigation",
            "header",
            "sign_in",
            "progress",
            "assessment",
        }, _src(cell)
        assert cell["execution_count"] is not None, "committed executed"


def test_every_bank_question_is_asked_once_and_after_teaching_text(teaching, course):
    path, cells = teaching
    bank = course.banks[path.stem]
    asked: list[str] = []
    seen_markdown = False
    for cell in cells:
        if cell["cell_type"] == "markdown" and cell is not cells[0]:
            seen_markdown = True
        if cell["cell_type"] == "code" and "course.quiz(" in _src(cell):
            assert seen_markdown
            call = ast.parse(_src(cell)).body[0].value  # type: ignore[attr-defined]
            asked.extend(a.value for a in call.args)
    top_level = [q.id for q in bank.questions]
    assert sorted(asked) == sorted(top_level), "each bank question appears in exactly one quiz cell"
    quiz_cells = [i for i, c in enumerate(cells) if c["cell_type"] == "code" and "course.quiz(" in _src(c)]
    key_points = next(i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and _src(c).startswith("## Key points"))
    if len(bank.questions) > 6:
        assert min(quiz_cells) < key_points - 2, "quizzes follow the sections they check, not only the end"


def test_key_points_references_and_whats_next(teaching):
    _, cells = teaching
    heads = [_src(c).splitlines()[0] for c in cells if c["cell_type"] == "markdown" and _src(c)]
    assert "## Key points" in heads and "## References" in heads and "## What's next" in heads
    assert heads.index("## Key points") < heads.index("## References") < heads.index("## What's next")
    ref_at = next(i for i, c in enumerate(cells) if _src(c).startswith("## References"))
    assert _src(cells[ref_at + 1]).strip() == "course.references()"
    assert _src(cells[-1]).strip() == "course.navigation()", "the last cell links to the previous and next module"
    code = [_src(c).strip() for c in cells if c["cell_type"] == "code"]
    assert code[1] == "course.header()", "the page's bar (who is signed in, score, links) comes right after the setup cell"


def test_every_citation_resolves_and_every_factual_section_cites(notebook, course):
    _, cells = notebook
    cites = {r.cite for r in course.references.values()}
    for cell in cells:
        if cell["cell_type"] != "markdown":
            continue
        text = _src(cell)
        for group in (g for g in CITATION.findall(text) if re.search(r"\d{4}[a-z]?", g)):
            for label in (g.strip() for g in group.split(";")):
                assert label in cites, f"[{label}] is not a `cite` label in assets/references.yaml"
    not_teaching = (
        "## Learning",
        "## Key points",
        "## Glossary",
        "## References",
        "## What's next",
        "## How",
        "## Practice",
        "## Check",
        "## Quiz",
        "## Sign in",
        "## Your progress",
    )
    body = [c for c in cells if c["cell_type"] == "markdown" and _src(c).startswith("## ") and not _src(c).startswith(not_teaching)]
    for cell in body:
        assert find_citations(_src(cell), cites), f"teaching section cites nothing: {_src(cell)[:60]!r}"


def test_the_final_assessment_page_is_the_assessment_between_the_bars():
    """07 teaches nothing new: the rules, the assessment itself, how a certificate is checked, what's next; no practice quiz."""
    path = next(p for p in MODULES if p.stem == ASSESSMENT_MODULE)
    cells = load_cells(path)
    code = [_src(c).strip() for c in cells if c["cell_type"] == "code"]
    assert code[1:] == ["course.header()", "course.assessment()", "course.references()", "course.navigation()"]
    heads = [_src(c).splitlines()[0] for c in cells if c["cell_type"] == "markdown" and _src(c)]
    assert heads.index("## How the assessment works") < heads.index("## References") < heads.index("## What's next")
    assert _src(cells[-1]).strip() == "course.navigation()"
    assert "Self-study, not proctored" in "\n".join(_src(c) for c in cells if c["cell_type"] == "markdown")


def test_committed_outputs_carry_widget_state(notebook):
    path, _ = notebook
    import json

    meta = json.loads(path.read_text(encoding="utf-8"))["metadata"]
    state = meta.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {}).get("state", {})
    assert state, "saved widget state lets a committed notebook show its quizzes before it is run"


def test_no_prose_cell_runs_over_about_250_words(notebook):
    """Short cells read better on a clinic laptop; tables and citations do not count as prose."""
    _, cells = notebook
    for n, cell in enumerate(cells):
        if cell["cell_type"] != "markdown":
            continue
        prose = "\n".join(line for line in _src(cell).splitlines() if not line.lstrip().startswith("|"))
        words = len(re.findall(r"\w+", CITATION.sub("", prose)))
        assert words <= 250, f"cell {n} has {words} words of prose; split it at a natural subheading"
