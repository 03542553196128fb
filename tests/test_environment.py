"""environment.yml and pyproject.toml must ask for the same packages (conda cannot be solved here)."""

from __future__ import annotations

import re
from pathlib import Path

import tomllib
import yaml

ROOT = Path(__file__).resolve().parents[1]
# PyPI name -> conda-forge name where they differ.
CONDA_NAME = {"matplotlib": "matplotlib-base", "fastjsonschema": "python-fastjsonschema", "build": "python-build"}


def _split(requirement: str) -> tuple[str, str]:
    """(name, version spec); a PyPI extra such as ``psycopg[binary]`` has no conda equivalent and is dropped."""
    name, spec = re.match(r"^([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", requirement.strip()).groups()  # type: ignore[union-attr]
    return name.lower(), spec.replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_reqs = project["dependencies"] + project["optional-dependencies"]["test"]
    wanted = {CONDA_NAME.get(n, n): s for n, s in map(_split, pip_reqs)}
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    conda = {}
    pip_section = []
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            pip_section = dep["pip"]
        else:
            conda.update([_split(dep)])
    conda.pop("python")
    conda.pop("pip")
    assert conda == wanted
    assert pip_section == ["-e .[test]"]
    assert env["channels"][0] == "conda-forge"


def test_python_floor_agrees():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert project["requires-python"] == ">=3.10" and "python>=3.10" in env


def test_ci_runs_the_readme_test_command_verbatim():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", readme, re.S).group(1).strip().splitlines()  # type: ignore[union-attr]
    assert len(block) == 2 and "stemtrain lab" in block[0] and "pytest" in block[1]
    assert block[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
