"""Root pytest hooks, for both the library tests and nbval over the notebooks."""

from __future__ import annotations


def pytest_sessionstart(session):  # noqa: ANN001, ARG001 - pytest's hook signature
    """Build matplotlib's font cache before any kernel starts, so its one-time notice never lands in a notebook's stderr."""
    import matplotlib.font_manager  # noqa: F401
