"""Course data: the schema, the one loader, the bibliography. No widgets here.

Names are imported on first use, so validating the course (the command line) never builds question models.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .course import Bank, CourseContent
    from .loader import content_version, load_bank, load_course, load_glossary, load_references, validate_files
    from .paths import asset_path, bank_path, course_root, notebook_path
    from .problems import ContentError, Problem
    from .references import Reference, Term

_HOME = {
    "Bank": "course",
    "CourseContent": "course",
    "content_version": "loader",
    "load_bank": "loader",
    "load_course": "loader",
    "load_glossary": "loader",
    "load_references": "loader",
    "validate_files": "loader",
    "asset_path": "paths",
    "bank_path": "paths",
    "course_root": "paths",
    "notebook_path": "paths",
    "ContentError": "problems",
    "Problem": "problems",
    "Reference": "references",
    "Term": "references",
}

__all__ = [
    "Bank",
    "ContentError",
    "CourseContent",
    "Problem",
    "Reference",
    "Term",
    "asset_path",
    "bank_path",
    "content_version",
    "course_root",
    "load_bank",
    "load_course",
    "load_glossary",
    "load_references",
    "notebook_path",
    "validate_files",
]


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
