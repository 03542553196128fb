"""stemtrain: a Jupyter course for clinic staff on MSC therapy for chronic low back pain.

``import stemtrain`` stays light (no ipywidgets, no matplotlib): the command line imports it too.
Views and figures import their heavy libraries when they are built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import bytecode

bytecode.install()

__version__ = "0.2.0"
__all__ = ["CourseSession", "ModuleSession", "__version__", "load_course", "start", "validate_files"]

if TYPE_CHECKING:
    from .content.loader import load_course, validate_files
    from .finalpage import start
    from .session import CourseSession, ModuleSession


def __getattr__(name: str) -> Any:
    """Import on first use, so the command line never pays for what it does not call."""
    if name == "start":
        from .finalpage import start

        return start
    if name in ("CourseSession", "ModuleSession"):
        from . import session

        return getattr(session, name)
    if name in ("load_course", "validate_files"):
        from .content import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'stemtrain' has no attribute {name!r}")
