"""A disk cache of drawn static figures, so opening a module need not import matplotlib at all.

A figure is fully determined by its function, arguments, the figure sources, the course style and the
matplotlib version; the key hashes all of them, so any change redraws. Each view of an interactive figure
is cached the same way, so moving a slider back to a view seen before redraws nothing.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from ..cache import atomic_write
from ..cache import cache_dir as course_cache_dir
from ..content.paths import asset_path

__all__ = ["CachedFigure", "cache_dir", "cached"]


@dataclass(frozen=True)
class CachedFigure:
    """What a notebook shows of a static figure: the PNG, its title and its text description."""

    png: bytes
    title: str
    description: str

    def to_png(self) -> bytes:
        return self.png


def cache_dir() -> Path:
    return course_cache_dir("figures")


@lru_cache(maxsize=1)
def _sources_digest() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in [*sorted(here.glob("*.py")), asset_path("stemtrain.mplstyle")]:
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    for package in ("matplotlib", "numpy"):
        try:
            digest.update(metadata.version(package).encode())
        except metadata.PackageNotFoundError:
            pass
    return digest.hexdigest()


def cached(name: str, kwargs: dict[str, Any], draw: Callable[[], Any]) -> Any:
    """The figure from the cache, or ``draw()`` (a TeachingFigure, or an interactive widget, returned as is)."""
    key = hashlib.sha256(f"{_sources_digest()}|{name}|{json.dumps(kwargs, sort_keys=True, default=repr)}".encode()).hexdigest()[:24]
    path = cache_dir() / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return CachedFigure(base64.b64decode(data["png"]), data["title"], data["description"])
    except (OSError, ValueError, KeyError):
        pass
    made = draw()
    if not hasattr(made, "to_png"):
        return made
    # Render once: a second savefig of the same Figure can differ, and cached and fresh must look the same.
    figure = CachedFigure(made.to_png(), made.title, made.description)
    payload = {"png": base64.b64encode(figure.png).decode("ascii"), "title": figure.title, "description": figure.description}
    atomic_write(path, json.dumps(payload).encode("utf-8"))
    return figure
