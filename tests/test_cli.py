"""The command line: exit codes, messages without tracebacks, and a light import."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from stemtrain.cli import main

DATA = Path(__file__).parent / "data"


def test_validate_clean_course_exits_zero(capsys):
    assert main(["validate"]) == 0
    assert "Course content is valid." in capsys.readouterr().out


def test_validate_broken_files_lists_every_problem_and_exits_one(capsys):
    files = [str(DATA / "broken" / name) for name in ("unknown-field.yaml", "python-tag.yaml", "syntax.yaml")]
    assert main(["validate", *files]) == 1
    out = capsys.readouterr().out
    assert "unknown-field.yaml:10: q1: colour: unknown field" in out
    assert "python-tag.yaml:2: -: schema_version: YAML tag" in out
    assert "syntax.yaml:5: -: -: YAML syntax error" in out
    assert "Traceback" not in out


def test_validate_as_a_process_never_shows_a_traceback():
    run = subprocess.run(
        [sys.executable, "-m", "stemtrain", "validate", str(DATA / "broken" / "alias-bomb.yaml"), str(DATA / "nope.yaml")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 1
    assert "YAML anchors and aliases" in run.stdout and "cannot read file" in run.stdout
    assert "Traceback" not in run.stdout + run.stderr


def test_schema_prints_json(capsys):
    import json

    assert main(["schema", "bank"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema["properties"]["schema_version"] == {"const": 1}


def test_lab_and_serve_commands(capsys):
    assert main(["lab", "--no-browser", "--port", "8899", "--dry-run"]) == 0
    lab = capsys.readouterr().out
    words = lab.split()
    assert words[1:3] == ["-m", "jupyterlab"] and {"--port=8899", "--no-browser", "--ServerApp.ip=127.0.0.1"} <= set(words)
    assert lab.strip().endswith("notebooks/00-start-here.ipynb")
    assert main(["serve", "--no-browser", "--port", "8898", "--dry-run"]) == 0
    serve = capsys.readouterr().out
    assert "-m stemtrain.serve_app" in serve and "--template=stemtrain --Voila.ip=127.0.0.1 --port=8898 --no-browser" in serve


def test_offline_template_drops_every_cdn_link(tmp_path):
    from stemtrain.serve import TEMPLATE, offline_template_root

    root = offline_template_root(tmp_path)
    template = root / "voila" / "templates" / TEMPLATE
    files = list(template.glob("*.html")) + list(template.glob("*.j2"))
    assert (template / "index.html.j2").exists() and (template / "page.html").exists()
    for f in files:
        text = f.read_text(encoding="utf-8")
        assert "cdn.jsdelivr.net" not in text and "cdnjs" not in text, f.name


def test_execute_runs_a_notebook_in_place_with_outputs_and_widget_state(tmp_path, capsys):
    import json

    import nbformat
    from nbformat.v4 import new_code_cell, new_notebook

    nb_path = tmp_path / "scratch.ipynb"
    nb = new_notebook(cells=[new_code_cell("import ipywidgets\nipywidgets.IntSlider(description='n')"), new_code_cell("print(6 * 7)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, nb_path)
    assert main(["execute", str(nb_path)]) == 0
    saved = json.loads(nb_path.read_text(encoding="utf-8"))
    assert "".join(saved["cells"][1]["outputs"][0]["text"]) == "42\n"
    assert saved["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert "executing" in capsys.readouterr().out
    # The kernel client's sockets are closed by execute itself, not left to the garbage collector (pytest reports those as unraisable).
    import gc

    gc.collect()
