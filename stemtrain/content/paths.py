"""Where the course's files are: one place, so notebooks, the command line and tests agree.

The course root holds ``assets/`` and ``notebooks/``. It is found, in order: ``STEMTRAIN_ROOT``; the source
checkout the package runs from (an editable install); the copy a wheel installs under
``<prefix>/share/stemtrain`` (``pip install .`` or ``pip install --user``).
"""

from __future__ import annotations

import os
import re
import site
import sys
from functools import lru_cache
from pathlib import Path

__all__ = [
    "CourseNotFound",
    "asset_path",
    "bank_path",
    "bank_paths",
    "course_root",
    "data_files",
    "module_notebooks",
    "notebook_path",
    "notebook_paths",
]

_MODULE = re.compile(r"^\d{2}-[a-z0-9-]+$")


class CourseNotFound(FileNotFoundError):
    """No course files where they were looked for; the message lists the places."""


def _candidates() -> list[Path]:
    found = [Path(__file__).resolve().parents[2]]
    for base in (sys.prefix, sys.base_prefix, site.getuserbase()):
        found.append(Path(base) / "share" / "stemtrain")
    return found


def _is_course(path: Path) -> bool:
    return (path / "assets" / "banks").is_dir() and (path / "notebooks").is_dir()


def course_root() -> Path:
    """The folder holding ``assets/`` and ``notebooks/``."""
    return _course_root(os.environ.get("STEMTRAIN_ROOT", ""))


@lru_cache(maxsize=8)
def _course_root(env: str) -> Path:
    """Looked up once per value of STEMTRAIN_ROOT: every path of the course goes through here."""
    if env:
        return Path(env).resolve()
    for candidate in _candidates():
        if _is_course(candidate):
            return candidate
    places = ", ".join(str(p) for p in _candidates())
    raise CourseNotFound(f"the course files (assets/ and notebooks/) were not found in: {places}. Set STEMTRAIN_ROOT to the course folder.")


def asset_path(*parts: str) -> Path:
    """A path below ``assets/``."""
    return course_root().joinpath("assets", *parts)


def bank_path(module: str) -> Path:
    """The bank file of a module, e.g. ``01-back-pain-and-the-spine``."""
    return asset_path("banks", f"{module}.yaml")


def notebook_path(module: str) -> Path:
    """The notebook of a module."""
    return course_root() / "notebooks" / f"{module}.ipynb"


def bank_paths() -> list[Path]:
    """Every course bank, in module order."""
    return sorted(asset_path("banks").glob("*.yaml"))


def notebook_paths() -> list[Path]:
    """Every notebook of the course (modules, the assessment, instructor notebooks), in order."""
    return sorted(p for p in (course_root() / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def module_notebooks() -> list[Path]:
    """The learners' module notebooks (``NN-slug.ipynb`` directly in ``notebooks/``), in course order."""
    return [p for p in notebook_paths() if p.parent.name == "notebooks" and _MODULE.match(p.stem)]


def data_files() -> list[Path]:
    """Every file the course's data is read from: the bibliography, the glossary and the banks."""
    return [p for p in (asset_path("references.yaml"), asset_path("glossary.yaml"), *bank_paths()) if p.exists()]
