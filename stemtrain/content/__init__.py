"""Course data: the schema, the one loader, the bibliography, safe text. No widgets here."""

from .loader import Bank, Course, load_bank, load_course, load_glossary, load_references, validate_files
from .paths import asset_path, bank_path, course_root, notebook_path
from .problems import ContentError, Problem
from .references import Reference, Term

__all__ = [
    "Bank",
    "Course",
    "ContentError",
    "Problem",
    "Reference",
    "Term",
    "asset_path",
    "bank_path",
    "course_root",
    "notebook_path",
    "load_bank",
    "load_course",
    "load_glossary",
    "load_references",
    "validate_files",
]
