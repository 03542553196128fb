"""stemtrain: a Jupyter course for clinic staff on MSC therapy for chronic low back pain.

``import stemtrain`` stays light (no ipywidgets, no matplotlib): the command line imports it too.
Views and figures import their heavy libraries when they are built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["start", "CourseSession", "AnswerEvent", "load_course", "validate_files", "__version__"]

if TYPE_CHECKING:
    from .content import load_course, validate_files
    from .course import AnswerEvent, CourseSession, start


def __getattr__(name: str) -> Any:
    """Import on first use, so the command line never pays for what it does not call."""
    if name in ("start", "CourseSession", "AnswerEvent"):
        from . import course

        return getattr(course, name)
    if name in ("load_course", "validate_files"):
        from . import content

        return getattr(content, name)
    raise AttributeError(f"module 'stemtrain' has no attribute {name!r}")
