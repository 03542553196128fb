"""Live questions in class: the learner's panel, the instructor's console, and a small client of the service.

A learner page shows the panel with one call (``live_panel()``); its browser-side code asks the class service
about once a second for the pushed question, so it works while the kernel is busy, catches up when opened late,
and says so when the service cannot be reached. Nothing here imports the service or its web framework.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["LiveClient", "LiveConsole", "LiveError", "LivePanel", "learner_access", "live_console", "live_panel"]

_HOME = {
    "LiveClient": "client",
    "LiveError": "client",
    "learner_access": "credentials",
    "LivePanel": "panel",
    "live_panel": "panel",
    "LiveConsole": "console",
    "live_console": "console",
}


def __getattr__(name: str) -> Any:
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
