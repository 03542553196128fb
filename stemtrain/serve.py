"""Course mode: the notebooks served by Voilà as pages without code, fully offline, on 127.0.0.1 only.

``stemtrain serve`` runs ``voila_command()``: Voilà through our own entry point, ``stemtrain.serve_app``, which
refuses other hosts (and, with ``--token``, requests without the token), reclaims the kernels of closed pages,
and opens the start page. This module stays light (the command line and the tests import it); the server is there.

Voilà's stock templates link Font Awesome from a CDN. Clinics may have no internet and learners
should not be tracked, so ``stemtrain serve`` uses a copy of the installed "lab" template with those
links dropped (nothing on our pages uses the icons). The copy is derived from whatever Voilà is
installed, so it follows Voilà upgrades.

While the server starts, ``warm_caches()`` runs in a background process: the validated course and every figure
a page draws go to the course cache first, so a learner's first open of a page is as fast as a later one.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path

from .cache import cache_dir
from .content.paths import course_root

__all__ = ["START_PAGE", "TEMPLATE", "offline_template_root", "voila_command", "voila_env", "warm_caches"]

TEMPLATE = "stemtrain"
START_PAGE = "00-start-here.ipynb"
_CDN_LINK = re.compile(r"^.*<(link|script)[^>]+(https?:)?//[^>]*>.*$\n?", re.M)


def _voila_templates() -> Path:
    from jupyter_core.paths import jupyter_path

    for base in jupyter_path("voila", "templates"):
        if (Path(base) / "lab" / "index.html.j2").exists():
            return Path(base)
    raise FileNotFoundError("Voilà's 'lab' template was not found; is voila installed?")


def offline_template_root(cache: Path | None = None) -> Path:
    """A Jupyter data folder holding the offline ``stemtrain`` template; put it on JUPYTER_PATH."""
    cache = cache or cache_dir("jupyter")
    source = _voila_templates()
    target = cache / "voila" / "templates" / TEMPLATE
    stamp = target / ".source"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == str(source):
        return cache
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source / "lab", target)
    page = source / "base" / "page.html"
    if page.exists():
        shutil.copy(page, target / "page.html")
    for path in list(target.glob("*.html")) + list(target.glob("*.j2")):
        text = path.read_text(encoding="utf-8")
        cleaned = _CDN_LINK.sub("", text)
        if cleaned != text:
            path.write_text(cleaned, encoding="utf-8")
    (target / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    stamp.write_text(str(source), encoding="utf-8")
    return cache


def voila_env(base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment Voilà needs to find the offline template.

    Relative ``PYTHONPATH`` entries are made absolute: the server may start elsewhere and its kernels run in the
    notebooks folder, so a relative entry would name another folder in each and they could import another stemtrain.
    """
    env = dict(os.environ if base is None else base)
    extra = str(offline_template_root())
    env["JUPYTER_PATH"] = os.pathsep.join(p for p in (extra, env.get("JUPYTER_PATH", "")) if p)
    if env.get("PYTHONPATH"):
        env["PYTHONPATH"] = os.pathsep.join(os.path.abspath(p) if p else p for p in env["PYTHONPATH"].split(os.pathsep))
    return env


def voila_command(port: int = 0, no_browser: bool = False, root: Path | None = None, token: bool = False) -> list[str]:
    """Serve every notebook of the course on 127.0.0.1, code hidden, with the offline template.

    ``token`` makes the server require a random token, which it prints in the start page's link (for machines
    several people use). The token is made by the server itself, so it never shows in a process list.
    """
    notebooks = (root or course_root()) / "notebooks"
    cmd = [sys.executable, "-m", "stemtrain.serve_app", str(notebooks), f"--template={TEMPLATE}", "--Voila.ip=127.0.0.1"]
    if port:
        cmd.append(f"--port={port}")
    if no_browser:
        cmd.append("--no-browser")
    if token:
        cmd.append("--token")
    return cmd


_PAGE_ORDER = ("spine", "cells", "sources", "applications", "delivery", "evidence")
"""The figure modules in the order of the pages that show them, so the next page's figures are drawn first."""


_NOT_ON_PAGES = ("stemtrain.cli", "stemtrain.serve", "stemtrain.certificate", "stemtrain.analytics", "stemtrain.notebooks")
"""Modules a page's kernel never imports (commands, this server, instructor tools)."""


def warm_caches(low_priority: bool = False) -> dict[str, float]:
    """Fill the course cache as the pages will use it: the validated course, the compiled code, every figure.

    The code a page imports is compiled once (into the course cache where Python may not write ``.pyc`` files);
    static figures are drawn once each, and an interactive figure's first view (building one draws it). Returns
    the seconds each step took. A step that fails is skipped: its page does the work itself, and reports it.
    """
    import importlib
    import inspect
    import pkgutil
    import time

    if low_priority and hasattr(os, "nice"):
        os.nice(10)  # the learner's kernels come first
    from .content.coursecache import cached_course
    from .figures import make
    from .figures.names import FIGURES, HOME

    timings: dict[str, float] = {}

    def step(name: str, work: Callable[[], object]) -> None:
        began = time.perf_counter()
        try:
            work()
        except Exception:  # noqa: BLE001 - a page that needs this does the work itself and reports any problem
            return
        timings[name] = time.perf_counter() - began

    step("course", cached_course)
    packages = [importlib.import_module(__package__ or "stemtrain")]
    while packages:
        package = packages.pop(0)
        for module in pkgutil.iter_modules(package.__path__, f"{package.__name__}."):
            if module.name.startswith(_NOT_ON_PAGES) or module.name.endswith(".__main__"):
                continue
            step(module.name, partial(importlib.import_module, module.name))
            if module.ispkg and module.name in sys.modules:
                packages.append(sys.modules[module.name])
    rank = {module: i for i, module in enumerate(_PAGE_ORDER)}
    for name in sorted(FIGURES, key=lambda n: (rank.get(n.partition(".")[0], len(rank)), n)):
        func = name.partition(".")[2]
        if func.endswith("_explorer"):
            step(name, partial(make, name))
            continue
        drawing = getattr(importlib.import_module(f"stemtrain.figures.{HOME[func]}"), func)
        if all(p.default is not p.empty for p in inspect.signature(drawing).parameters.values()):
            step(name, partial(make, name))
    return timings


if __name__ == "__main__":
    warm_caches(low_priority=True)
