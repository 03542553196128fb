"""``stemtrain progress export | import``: a learner's (or a store's) answers to a file and into another store.

Both sides use ``stemtrain.records.csvformat``, the one answers format (CSV, or JSON with the same fields);
``--format xapi`` writes xAPI statements for a learning record store instead.
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register"]


def _export(args: argparse.Namespace) -> int:
    from ..records import open_store
    from ..records.csvformat import write_answers

    store = open_store(args.db or None)
    try:
        attempts = store.attempts(learner=args.learner or None)
    finally:
        store.close()
    fmt = args.format or ("xapi" if args.out.lower().endswith(".xapi.json") else "")
    if fmt == "xapi":
        from ..content import load_course
        from ..interop.xapi import write_xapi

        n = write_xapi(attempts, args.out, load_course().banks)
        print(f"{n} xAPI statements from {len(attempts)} answers written to {args.out}")
        return 0
    if fmt:
        from ..records.csvformat import write_csv, write_json

        n = (write_csv if fmt == "csv" else write_json)(attempts, args.out)
    else:
        n = write_answers(attempts, args.out)
    print(f"{n} answers written to {args.out}")
    return 0


def _numbered_in_order(attempts: list[Any]) -> list[Any]:
    """File order, except that each question's attempts come 1, 2, … (a store numbers them as they arrive)."""
    slots: dict[tuple[str, str, str], list[int]] = {}
    for i, a in enumerate(attempts):
        slots.setdefault((a.learner, a.module, a.question_id), []).append(i)
    out = list(attempts)
    for positions in slots.values():
        for slot, a in zip(positions, sorted((attempts[i] for i in positions), key=lambda a: (a.attempt, a.answered_at)), strict=True):
            out[slot] = a
    return out


def _import(args: argparse.Namespace) -> int:
    from ..records import open_store
    from ..records.csvformat import read_answers

    attempts = _numbered_in_order(read_answers(args.file))
    store = open_store(args.db or None)
    try:
        before = {a.event_id for a in store.attempts()}
        for attempt in attempts:
            store.add(attempt)
    finally:
        store.close()
    new = sum(1 for a in {a.event_id: a for a in attempts} if a not in before)
    print(f"{len(attempts)} answers read from {args.file}: {new} added, {len(attempts) - new} already there")
    return 0


def register(sub: Any) -> None:
    group = sub.add_parser("progress", help="your answers: export them to a file, or import a file into a store")
    commands = group.add_subparsers(dest="progress_command", required=True, metavar="SUBCOMMAND")

    p = commands.add_parser("export", help="write answers to a CSV or JSON file (by its extension), or xAPI statements")
    p.add_argument("--db", default="", help="records to read (default: where your answers go now, see 'stemtrain class status')")
    p.add_argument("--out", required=True, help="the file to write: .csv or .json")
    p.add_argument("--format", choices=("csv", "json", "xapi"), default="", help="the format (default: from the file's extension)")
    p.add_argument("--learner", default="", help="only this learner's answers (a class database holds many)")
    p.set_defaults(run=_export)

    p = commands.add_parser("import", help="add the answers in a CSV or JSON file to a store (answers already there are kept once)")
    p.add_argument("file", help="the answers file (.csv or .json)")
    p.add_argument("--db", default="", help="the store to add them to (default: where your answers go now)")
    p.set_defaults(run=_import)
