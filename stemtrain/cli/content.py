"""``stemtrain validate`` and ``stemtrain schema``: checking course data, with no widgets or plotting loaded."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

__all__ = ["register"]


def _validate(args: argparse.Namespace) -> int:
    from ..content.loader import validate_files

    problems = validate_files(args.paths or None)
    if not args.no_lint:
        from ..content.fairness import course_fairness_problems, fairness_problems
        from ..content.loader import shown_as
        from ..content.paths import bank_paths
        from ..content.problems import ContentError
        from ..content.yamlsource import read_yaml

        banks = []
        for path in [Path(p) for p in args.paths] or bank_paths():
            try:
                banks.append(read_yaml(path, shown_as(path)))
            except ContentError:
                continue  # already reported by validation
        problems += [p for located in banks for p in fairness_problems(located)]
        if not args.paths:
            from ..content.lint import lint_course

            problems += course_fairness_problems(banks) + lint_course()
    for problem in problems:
        print(problem)
    if not args.paths and not problems:
        import datetime as dt

        from ..content.freshness import bank_dates, reviews_due

        for line in reviews_due(bank_dates(), dt.datetime.now(dt.timezone.utc).date()):
            print(f"warning: {line}", file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found.", file=sys.stderr)
        return 1
    print("Course content is valid." if not args.paths else f"{len(args.paths)} file(s) valid.")
    return 0


def _schema(args: argparse.Namespace) -> int:
    from ..content import schema

    make = {"bank": schema.bank_schema, "references": schema.references_schema, "glossary": schema.glossary_schema}[args.kind]
    print(json.dumps(make(), indent=2, ensure_ascii=False))
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("validate", help="check question banks, the bibliography and the glossary")
    p.add_argument("paths", nargs="*", help="bank files to check (default: the whole course)")
    p.add_argument("--no-lint", action="store_true", help="skip the overclaiming-language and fair-item checks")
    p.set_defaults(run=_validate)

    p = sub.add_parser("schema", help="print the JSON Schema of a course data file")
    p.add_argument("kind", choices=["bank", "references", "glossary"], nargs="?", default="bank")
    p.set_defaults(run=_schema)
