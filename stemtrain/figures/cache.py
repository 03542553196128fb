"""A disk cache of drawn static figures, so opening a module need not import matplotlib at all.

A figure is fully determined by its function, arguments, the figure sources, the course style and the
matplotlib version; the key hashes all of them, so any change redraws. Interactive figures are not cached.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, Callable

__all__ = ["CachedFigure", "cached", "cache_dir"]


@dataclass(frozen=True)
class CachedFigure:
    """What a notebook shows of a static figure: the PNG, its title and its text description."""

    png: bytes
    title: str
    description: str

    def to_png(self) -> bytes:
        return self.png


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "stemtrain" / "figures"


@lru_cache(maxsize=1)
def _sources_digest() -> str:
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(here.glob("*.py")) + [here.parents[1] / "assets" / "stemtrain.mplstyle"]:
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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        payload = {"png": base64.b64encode(figure.png).decode("ascii"), "title": figure.title, "description": figure.description}
        tmp.write_text(json.dumps(payload), encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # a read-only home only costs speed
    return figure
