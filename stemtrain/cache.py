"""The course's disk cache: one folder, one atomic write. Everything in it can be rebuilt from the course files.

Validated course data, compiled schema checks, drawn figures, notebook text and the offline Voilà template
all live under ``cache_dir()``. A read-only or full home only costs speed: every write may fail quietly.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["atomic_write", "cache_dir", "prune"]


def cache_dir(*parts: str) -> Path:
    """``$STEMTRAIN_CACHE`` or ``$XDG_CACHE_HOME/stemtrain`` (default ``~/.cache/stemtrain``), plus ``parts``."""
    env = os.environ.get("STEMTRAIN_CACHE")
    base = Path(env) if env else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "stemtrain"
    return base.joinpath(*parts)


def atomic_write(path: Path, data: bytes) -> bool:
    """Write ``data`` so that readers see the old file or the new one, never half of it; False if it could not."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        tmp.replace(path)
        return True
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        return False


def prune(folder: Path, pattern: str, keep: str) -> None:
    """Remove older generations of a cached file (``pattern`` matches them all), keeping names starting ``keep``."""
    try:
        for old in folder.glob(pattern):
            if not old.name.startswith((keep, ".")):
                old.unlink(missing_ok=True)
    except OSError:
        pass
