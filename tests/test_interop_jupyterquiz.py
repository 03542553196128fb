"""jupyterquiz import, on jupyterquiz's own example banks taken from its sdist on PyPI at test time (not stored here)."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from stemtrain.cli import main
from stemtrain.interop.jupyterquiz import convert, slug

VERSION = "2.9.6.4"


@pytest.fixture(scope="session")
def examples(tmp_path_factory) -> list[dict]:
    """``examples/questions.json`` from the jupyterquiz sdist (the wheel ships no examples)."""
    where = tmp_path_factory.mktemp("jupyterquiz")
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:", "-q", "-d", str(where), f"jupyterquiz=={VERSION}"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if run.returncode != 0:
        pytest.skip(f"could not download jupyterquiz {VERSION} from PyPI: {run.stderr.strip()[-300:]}")
    (sdist,) = where.glob("jupyterquiz-*.tar.gz")
    with tarfile.open(sdist) as archive:
        member = archive.extractfile(f"jupyterquiz-{VERSION}/examples/questions.json")
        assert member is not None
        return json.load(member)


def test_slug_is_kebab_case_and_stable():
    assert slug("Enter the value of $\\pi$ to 2 decimal places.") == "enter-the-value-of-to-2-decimal-places"
    assert slug("Which of these is the ratio?") == slug("Which of these is the ratio?")


def test_examples_convert_with_feedback_and_ids(examples):
    bank, lost = convert(examples, module="99-jq", title="jupyterquiz examples")
    kinds = [q["type"] for q in bank["questions"]]
    assert kinds.count("multiple_select") == 2 and kinds.count("single_choice") == 4 and kinds.count("numeric") == 2
    ids = [q["id"] for q in bank["questions"]]
    assert len(ids) == len(set(ids)) and all(i == i.lower() and " " not in i for i in ids)
    first = bank["questions"][0]
    assert first["options"][-1] == {"id": "e", "text": "Live snakes via Python", "feedback": "I hope not."}
    code = next(q for q in bank["questions"] if q["id"].startswith("the-variable-mylist"))
    assert code["options"][1]["text"] == "`mylist+=[3]`" and code["answer"] == "b"
    assert all(q["references"] == [] for q in bank["questions"])
    assert any("were not kept" in line for line in lost)


def test_precision_is_significant_digits_since_2_7(examples):
    bank, _ = convert(examples, module="99-jq", title="t")
    with_precision = [q for q in bank["questions"] if q["type"] == "numeric"][1]
    assert with_precision["answer"] == 3.14 and with_precision["tolerance"] == pytest.approx(0.005)  # 3 significant digits
    old, _ = convert(examples, module="99-jq", title="t", precision="decimal")
    assert [q for q in old["questions"] if q["type"] == "numeric"][1]["tolerance"] == pytest.approx(0.0005)  # 3 decimals


def test_string_and_match_are_listed_not_imported():
    bank, lost = convert(
        [{"question": "Who?", "type": "string", "answers": []}, {"question": "Pair", "type": "match"}], module="99-x", title="x"
    )
    assert bank["questions"] == [] and len(lost) == 2 and "string" in lost[0] and "match" in lost[1]


def test_command_writes_a_bank_that_validate_rejects_until_references_are_added(examples, tmp_path, capsys):
    source = tmp_path / "questions.json"
    source.write_text(json.dumps(examples), encoding="utf-8")
    out = tmp_path / "bank.yaml"
    assert main(["import", "jupyterquiz", str(source), "--out", str(out)]) == 0
    data = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert data["module"] == "99-questions" and len(data["questions"]) == 8
    capsys.readouterr()
    assert main(["validate", "--no-lint", str(out)]) == 1
    printed = capsys.readouterr().out
    for q in data["questions"]:
        assert f"{q['id']}: references: needs at least 1 entries" in printed
    assert Path(out).read_text(encoding="utf-8").startswith("# Converted from jupyterquiz")
