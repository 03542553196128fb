"""Course mode: the notebooks served by Voilà as pages without code, fully offline.

Voilà's stock templates link Font Awesome from a CDN. Clinics may have no internet and learners
should not be tracked, so ``stemtrain serve`` uses a copy of the installed "lab" template with those
links dropped (nothing on our pages uses the icons). The copy is derived from whatever Voilà is
installed, so it follows Voilà upgrades.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
from pathlib import Path

from .cache import cache_dir
from .content.paths import course_root

__all__ = ["TEMPLATE", "offline_template_root", "voila_command", "voila_env"]

TEMPLATE = "stemtrain"
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


def voila_command(port: int = 0, no_browser: bool = False, root: Path | None = None) -> list[str]:
    """Serve every notebook of the course on 127.0.0.1, code hidden, with the offline template."""
    notebooks = (root or course_root()) / "notebooks"
    cmd = [sys.executable, "-m", "voila", str(notebooks), f"--template={TEMPLATE}", "--Voila.ip=127.0.0.1"]
    if port:
        cmd.append(f"--port={port}")
    if no_browser:
        cmd.append("--no-browser")
    return cmd
