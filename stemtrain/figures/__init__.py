"""Teaching figures for the stemtrain course: one function per figure, each returning a ``TeachingFigure``.

Every figure is a pyplot-free ``matplotlib.figure.Figure`` in the course style, with a title and a plain-language
description for screen-reader users. Interactive explorers return an ``InteractiveFigure`` (an ipywidgets VBox).

Names are resolved lazily, so ``import stemtrain.figures`` is cheap and ipywidgets is imported only when an
explorer is asked for. Example::

    from stemtrain.figures import pfirrmann_explorer, motion_segment
"""

from __future__ import annotations

import importlib
from typing import Any

from .names import COURSE_MODULE, FIGURES, HOME

__all__ = [
    "InteractiveFigure",
    # base / interactive
    "TeachingFigure",
    "draw_isct_check",
    "draw_needle_path",
    "draw_pfirrmann",
    # applications (module 04)
    "evidence_map",
    "guidance_comparison",
    "harvest_sites",
    "herniation_types",
    "isct_check_explorer",
    "isct_verdict",
    # cells (module 02)
    "lineage_diagram",
    "make",
    # spine (module 01)
    "motion_segment",
    "needle_path_explorer",
    # delivery (module 05)
    "needle_path_result",
    "new_figure",
    "numbered_anatomy",
    "pfirrmann_explorer",
    # evidence (module 06)
    "responder_rates",
    # sources (module 03)
    "source_comparison",
]

_HOME = HOME
_COURSE_MODULES = {COURSE_MODULE.get(module, module) for module in HOME.values()} - {"base", "interactive"}


def make(name: str, **kwargs: Any) -> Any:
    """Build a figure by its course name, ``"module.function"`` (e.g. ``"spine.motion_segment"``).

    Banks and notebooks name figures this way, so a figure can be found without importing every module.
    """
    module, _, func = name.partition(".")
    if not func or module not in _COURSE_MODULES:
        raise ValueError(f"figure names look like 'spine.motion_segment', got {name!r}")
    home = _HOME[func] if name in FIGURES else module  # a figure may be drawn in a module split off its course module

    def draw() -> Any:
        return getattr(importlib.import_module(f"{__name__}.{home}"), func)(**kwargs)

    if func.endswith("_explorer"):
        from .explorers import EXPLORERS  # light: controls only; pictures come from the cache

        if name not in EXPLORERS:
            raise ValueError(f"no interactive figure {name!r}; known: {', '.join(sorted(EXPLORERS))}")
        return EXPLORERS[name](**kwargs)
    from .cache import cached

    return cached(name, kwargs, draw)


def __getattr__(name: str) -> Any:
    """Import the submodule that defines ``name`` on first use (PEP 562)."""
    module = "explorers" if name.endswith("_explorer") else _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    """List the public names alongside the module's own attributes."""
    return sorted(set(globals()) | set(__all__))
