"""The command line: a few thin commands over the same library the notebooks use."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from collections.abc import Sequence

__all__ = ["main"]


def _validate(args: argparse.Namespace) -> int:
    from .content.loader import validate_files

    problems = validate_files(args.paths or None)
    if not args.no_lint and not args.paths:
        from .content.lint import lint_course

        problems += lint_course()
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("Course content is valid." if not args.paths else f"{len(args.paths)} file(s) valid.")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .content import schema

    make = {"bank": schema.bank_schema, "references": schema.references_schema, "glossary": schema.glossary_schema}[args.kind]
    print(json.dumps(make(), indent=2, ensure_ascii=False))
    return 0


def _jupyter_command(args: argparse.Namespace, app: list[str]) -> list[str]:
    cmd = [sys.executable, "-m", *app]
    if args.port:
        cmd.append(f"--port={args.port}")
    if args.no_browser:
        cmd.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    return cmd


def _lab(args: argparse.Namespace) -> int:
    from .content.paths import course_root

    root = course_root()
    cmd = _jupyter_command(args, ["jupyterlab"]) + [f"--ServerApp.root_dir={root}", "notebooks/00-start-here.ipynb"]
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    return subprocess.call(cmd, cwd=root)


def _serve(args: argparse.Namespace) -> int:
    from .serve import voila_command, voila_env

    cmd = voila_command(port=args.port, no_browser=args.no_browser)
    if args.dry_run:
        print(" ".join(cmd))
        return 0
    print("Course mode: open the start page, /voila/render/00-start-here.ipynb, in your browser.")
    return subprocess.call(cmd, env=voila_env())


def _execute(args: argparse.Namespace) -> int:
    from .content.paths import notebook_paths
    from .notebooks import execute_notebook

    targets = args.notebooks or [str(p) for p in notebook_paths()]
    for target in targets:
        print(f"executing {target}")
        execute_notebook(target)
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stemtrain", description="MSC therapy for back pain: a course for clinic staff.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("validate", help="check question banks, the bibliography and the glossary")
    p.add_argument("paths", nargs="*", help="bank files to check (default: the whole course)")
    p.add_argument("--no-lint", action="store_true", help="skip the overclaiming-language check")
    p.set_defaults(run=_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of a course data file")
    p.add_argument("kind", choices=["bank", "references", "glossary"], nargs="?", default="bank")
    p.set_defaults(run=_schema)

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
        p.set_defaults(run=run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run a command; returns the exit code (0 clean, 1 problems found, 2 usage error)."""
    args = _parser().parse_args(argv)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
