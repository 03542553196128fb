"""The parts of a module page that are not quizzes: pure functions from the course's content to HTML.

``about``, ``glossary``, ``references`` and ``navigation`` each take the course content and a module id
and return a ``Rich`` block (HTML with a plain-text twin); the session's methods of the same names
delegate here, so notebooks stay one call per cell.
"""

from __future__ import annotations

from .about import about
from .figure import figure
from .glossary import glossary
from .navigation import navigation
from .references import cited, find_citations, references
from .rich import Rich

__all__ = ["Rich", "about", "cited", "figure", "find_citations", "glossary", "navigation", "references"]
