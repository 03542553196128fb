"""What each entry point imports: the command line and ``import stemtrain`` stay light; layers keep their order."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LIGHT = {
    "import stemtrain and its data layers": (
        "import stemtrain, stemtrain.cli, stemtrain.content, stemtrain.quiz, stemtrain.records, stemtrain.identity, stemtrain.figures",
        ("ipywidgets", "matplotlib", "IPython", "jsonschema", "yaml"),
    ),
    "validate a clean course": (
        "from stemtrain.cli import main\nassert main(['validate']) == 0",
        ("ipywidgets", "matplotlib", "IPython", "jsonschema", "stemtrain.quiz.model", "subprocess"),
    ),
    "figure drawing modules": (
        "import stemtrain.figures.base, stemtrain.figures.spine, stemtrain.figures.delivery",
        ("ipywidgets", "IPython"),
    ),
    "a warm module page: quizzes and figures from the caches": (
        "import stemtrain as st\ncourse = st.start('05-image-guided-delivery')\ncourse.quiz('deliver-pathway-order')\n"
        "course.quiz('deliver-anatomy-label')\ncourse.about(); course.glossary(); course.references()",
        ("matplotlib", "markdown_it", "jsonschema", "yaml"),
    ),
    "a module's setup cell": (
        "import stemtrain as st\ncourse = st.start('01-back-pain-and-the-spine')",
        ("ipywidgets", "matplotlib", "jsonschema", "yaml"),
    ),
}


@pytest.mark.parametrize("name", list(LIGHT))
def test_entry_points_stay_light(name: str) -> None:
    code, heavy = LIGHT[name]
    subprocess.run([sys.executable, "-c", code], capture_output=True, cwd=ROOT, timeout=120)  # warm the course cache
    check = f"{code}\nimport sys\nprint(sorted(m for m in {heavy!r} if m in sys.modules))"
    run = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[]", f"{name} imported {run.stdout.strip().splitlines()[-1]}"
