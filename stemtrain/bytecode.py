"""Compiled stemtrain modules kept in the course cache, for interpreters that may not write ``.pyc`` files.

Many machines (container images, these course laptops) set ``PYTHONDONTWRITEBYTECODE``, so every kernel and every
``stemtrain`` command would compile the whole package again: about half of a module's setup cell. The source tree is
left alone, as the setting intends; the compiled code goes to ``cache_dir("bytecode")``, keyed by each file's
modification time and size, exactly as Python's own ``.pyc`` files are. With bytecode writing on, nothing changes.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import marshal
import os
import sys
from collections.abc import Sequence
from types import CodeType, ModuleType

from .cache import atomic_write, cache_dir, prune

__all__ = ["install"]


class _CachingLoader(importlib.machinery.SourceFileLoader):
    """A source loader that keeps the compiled code object beside the course's other cached files."""

    def get_code(self, fullname: str) -> CodeType:
        source_path = self.get_filename(fullname)
        stat = os.stat(source_path)
        stem = f"{fullname}.{sys.implementation.cache_tag}"
        cached = cache_dir("bytecode", f"{stem}.{stat.st_mtime_ns}.{stat.st_size}.marshal")
        try:
            code = marshal.loads(cached.read_bytes())
            if isinstance(code, CodeType):
                return code
        except (OSError, EOFError, ValueError, TypeError):
            pass
        code = self.source_to_code(self.get_data(source_path), source_path)
        if atomic_write(cached, marshal.dumps(code)):
            prune(cached.parent, f"{stem}.*", cached.name)  # the code of earlier versions of this file
        return code


class _StemtrainFinder(importlib.abc.MetaPathFinder):
    """Finds ``stemtrain.*`` modules as usual, then gives them the caching loader."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if not fullname.startswith("stemtrain.") or path is None:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is not None and type(spec.loader) is importlib.machinery.SourceFileLoader and spec.origin:
            spec.loader = _CachingLoader(fullname, spec.origin)
        return spec


def install() -> None:
    """Use the cache for the rest of this process, when Python itself will not write bytecode."""
    if sys.dont_write_bytecode and not any(isinstance(f, _StemtrainFinder) for f in sys.meta_path):
        sys.meta_path.insert(0, _StemtrainFinder())
