"""``stemtrain report``: the class report (a self-contained HTML page and CSV files) from any source of answers."""

from __future__ import annotations

import argparse
import os
from typing import Any

__all__ = ["register"]


def _report(args: argparse.Namespace) -> int:
    from ..analytics import write_report
    from ..analytics.bankitems import course_items
    from ..instructor.sources import load_class

    if args.synthetic is not None:
        from ..analytics.synthetic import synthetic_class

        if args.db or args.service or args.files:
            raise ValueError("--synthetic makes up a class: give no other source with it")
        attempts = synthetic_class(args.synthetic, args.learners)
    else:
        attempts = load_class(db=args.db, service=args.service, files=args.files, token=args.token, data_dir=args.data_dir)
    items, modules = course_items()
    key = args.pseudonym_key or os.environ.get("STEMTRAIN_PSEUDONYM_KEY", "")
    page = write_report(attempts, items, modules, args.out, pseudonymise=args.pseudonymise, pass_mark=args.pass_mark, pseudonym_key=key)
    print(f"{len(attempts)} answers: report written to {page} (CSV files beside it)")
    return 0


def _share(text: str) -> float:
    value = float(text.rstrip("%")) / (100 if text.endswith("%") or float(text.rstrip("%")) > 1 else 1)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"{text}: a pass mark is between 0 and 1 (or 0% and 100%)")
    return value


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="(instructors) class results and item analysis: report.html and CSV files",
        description="Write report.html (self-contained: opens offline, loads nothing) and learners/items/distractors/modules CSV "
        "files. Read the class from a records database, the class service, or answers files (CSV or JSON, see the README).",
    )
    p.add_argument("files", nargs="*", metavar="FILE", help="answers files (.csv or .json) in the documented columns")
    p.add_argument("--db", default="", help="a records database URL (e.g. sqlite:///progress.sqlite3)")
    p.add_argument("--service", default="", help="the class service address (needs the instructor's token)")
    p.add_argument("--token", default="", help="the instructor token (default: STEMTRAIN_INSTRUCTOR_TOKEN or instructor.json)")
    p.add_argument("--data-dir", default="", help="where 'stemtrain class serve' keeps instructor.json (default: its own default)")
    p.add_argument("--out", required=True, help="folder to write report.html and the CSV files into")
    p.add_argument("--pseudonymise", action="store_true", help="replace names by stable pseudonyms (Learner 01 …), for projecting")
    p.add_argument("--pseudonym-key", default="", help="private key for the pseudonyms (default STEMTRAIN_PSEUDONYM_KEY)")
    p.add_argument("--pass-mark", type=_share, default=0.8, help="pass mark as a share or percentage (default 0.8)")
    p.add_argument("--synthetic", type=int, metavar="SEED", help="a made-up class from this seed instead of real answers (rehearsal)")
    p.add_argument("--learners", type=int, default=24, help="learners in the --synthetic class (default 24)")
    p.set_defaults(run=_report)
