"""The command line: thin commands over the same library the notebooks use, one small module per group.

``main(argv)`` returns the exit code: 0 done, 1 problems found (or the command failed), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..certificate import command as certificate
from ..classroom import command as classroom
from ..interop import command as interop
from . import assessment, content, live, progress, report, run

__all__ = ["main", "parser"]

_GROUPS = (content, run, interop, classroom, assessment, progress, report, live, certificate)
"""``assessment`` adds the instructor's final-assessment commands to the ``class`` group, so it comes after ``classroom``."""


def parser() -> argparse.ArgumentParser:
    """The ``stemtrain`` parser with every command group registered."""
    top = argparse.ArgumentParser(prog="stemtrain", description="MSC therapy for back pain: a course for clinic staff.")
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in _GROUPS:
        group.register(sub)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command and return its exit code (argparse's usage errors become 2, never an exception).

    A failure the user can act on (missing course files, an unusable records file, a missing program) is one
    line on stderr and exit code 1; ``STEMTRAIN_DEBUG=1`` shows the traceback instead.
    """
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code) if isinstance(exc.code, int) else 2
    try:
        return int(args.run(args))
    except (OSError, RuntimeError, ValueError) as exc:
        if os.environ.get("STEMTRAIN_DEBUG") == "1":
            raise
        print(f"stemtrain {args.command}: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
