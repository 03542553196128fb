"""Where the course's files are: one place, so notebooks, the command line and tests agree."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["course_root", "asset_path", "bank_path", "notebook_path", "bank_paths", "notebook_paths"]


def course_root() -> Path:
    """The repository root (``STEMTRAIN_ROOT`` overrides it, e.g. for a copied course)."""
    env = os.environ.get("STEMTRAIN_ROOT")
    return Path(env).resolve() if env else Path(__file__).resolve().parents[2]


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
    """Every course notebook (modules and instructor notebooks), in order."""
    return sorted(p for p in (course_root() / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
