"""``stemtrain lab``, ``serve`` and ``execute``: opening the course, and re-running notebooks for maintainers."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

__all__ = ["lab_command", "lab_root", "register"]


def _jupyter_command(args: argparse.Namespace, app: list[str]) -> list[str]:
    cmd = [sys.executable, "-m", *app]
    if args.port:
        cmd.append(f"--port={args.port}")
    if args.no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def lab_root() -> Path:
    """The folder JupyterLab opens on: the course root (a checkout, STEMTRAIN_ROOT, or the installed copy)."""
    from ..content.paths import course_root

    return course_root()


def lab_command(root: Path, *, port: int = 0, no_browser: bool = False, token: str | None = None) -> list[str]:
    """JupyterLab on the course folder, opening the start notebook: loopback only, no news prompt, and the app
    reachable from the page so the course's links open notebooks inside JupyterLab."""
    cmd = [sys.executable, "-m", "jupyterlab", f"--ServerApp.root_dir={root}", "--ServerApp.ip=127.0.0.1", "--LabApp.news_url=None"]
    cmd += ["--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "--LabApp.expose_app_in_browser=True"]
    if port:
        cmd.append(f"--port={port}")
    if no_browser:
        cmd.append("--no-browser")
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return [*cmd, "notebooks/00-start-here.ipynb"]


def _lab(args: argparse.Namespace) -> int:
    import subprocess

    root = lab_root()
    cmd = lab_command(root, port=args.port, no_browser=args.no_browser)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    return subprocess.call(cmd, cwd=root, env={**os.environ, "STEMTRAIN_ROOT": str(root)})


def _serve(args: argparse.Namespace) -> int:
    import signal
    import subprocess

    from ..serve import voila_command, voila_env

    cmd = voila_command(port=args.port, no_browser=args.no_browser, token=args.token)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    print("Starting course mode; the address of the start page follows. Press Ctrl+C to stop.", flush=True)
    server = subprocess.Popen(cmd, env=voila_env())
    signal.signal(signal.SIGTERM, lambda *_: server.terminate())  # stopping this command stops the server and its kernels
    try:
        return server.wait()
    except KeyboardInterrupt:  # the server got the same Ctrl+C: let it shut its kernels down
        return server.wait()


def _execute(args: argparse.Namespace) -> int:
    """Run notebooks in place for committing: a fixed demo learner and a fresh, throwaway records file."""
    import tempfile

    from ..content.paths import notebook_paths
    from ..notebooks import DEMO_LEARNER, execute_notebook

    targets = args.notebooks or [str(p) for p in notebook_paths()]
    with tempfile.TemporaryDirectory(prefix="stemtrain-execute-") as scratch:
        os.environ["STEMTRAIN_PROGRESS"] = os.path.join(scratch, "progress.sqlite3")
        os.environ["STEMTRAIN_LEARNER"] = DEMO_LEARNER
        for target in targets:
            print(f"executing {target}")
            execute_notebook(target)
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("execute", help="(maintainers) run notebooks in place, saving outputs and widget state")
    p.add_argument("notebooks", nargs="*", help="notebook files (default: every course notebook)")
    p.set_defaults(run=_execute)

    for name, helptext, run in (
        ("lab", "open the course in JupyterLab (notebook mode)", _lab),
        ("serve", "serve the course without code, with Voilà (course mode)", _serve),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--port", type=int, default=0, help="port to listen on (default: the first free one)")
        p.add_argument("--no-browser", action="store_true", help="do not open a web browser")
        p.add_argument("--dry-run", action="store_true", help="print the command instead of running it")
        if name == "serve":
            p.add_argument("--token", action="store_true", help="require a secret token, carried by the printed link (shared machines)")
        p.set_defaults(run=run)
