"""The validated course, kept in memory and on disk so a notebook's setup cell does not re-parse the banks.

The disk copy is a pickle keyed by a hash of every data file and of the code that builds the models, so any
change to either rebuilds it. It lives in the learner's own cache folder; it is a cache of public course data,
never of anything a learner must not change (assessment keys live in the class service, not here).
"""

from __future__ import annotations

import hashlib
import pickle
import sys
from pathlib import Path
from typing import Any

from ..cache import atomic_write, cache_dir, prune
from .paths import data_files

__all__ = ["CourseCache", "cached_course"]

_CODE = ("content/*.py", "quiz/model.py", "quiz/grading.py", "figures/names.py")


class CourseCache:
    """One process's cache of the validated course: checked against the files' modification times on each use."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder
        self._stamp: tuple[tuple[str, int], ...] | None = None
        self._course: Any = None

    @property
    def folder(self) -> Path:
        return self._folder or cache_dir()

    def get(self) -> Any:
        """The course, from memory, else from disk, else loaded and validated (raises ContentError on bad content)."""
        stamp = tuple((str(f), f.stat().st_mtime_ns) for f in data_files())
        if self._course is None or stamp != self._stamp:
            self._course = self._from_disk()
            self._stamp = stamp
        return self._course

    def clear(self) -> None:
        self._course, self._stamp = None, None

    def _key(self) -> str:
        digest = hashlib.sha256(sys.version.encode())
        package = Path(__file__).resolve().parents[1]
        sources = sorted(p for pattern in _CODE for p in package.glob(pattern))
        for f in [*sources, *data_files()]:
            digest.update(str(f).encode())
            digest.update(f.read_bytes())
        return digest.hexdigest()[:24]

    def _from_disk(self) -> Any:
        from .course import CourseContent

        path = self.folder / f"course-{self._key()}.pickle"
        try:
            course = pickle.loads(path.read_bytes())
            if isinstance(course, CourseContent):
                return course
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            pass
        from .loader import collect
        from .problems import ContentError

        course, problems = collect()
        if problems:
            raise ContentError(problems)  # nothing is cached for bad content
        from dataclasses import replace

        from ..markup import prerender
        from .course import FrozenMap

        course = replace(course, rendered=FrozenMap(prerender(course.texts())))
        try:
            data = pickle.dumps(course, protocol=pickle.HIGHEST_PROTOCOL)
        except pickle.PicklingError:
            return course
        if atomic_write(path, data):
            prune(path.parent, "course-*.pickle", path.name)
        return course


_DEFAULT = CourseCache()


def cached_course() -> Any:
    """The course, from the process-wide cache."""
    return _DEFAULT.get()
