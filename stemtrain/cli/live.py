"""``stemtrain live start | push QUESTION | close | reveal | status | end``: run a live session from a terminal.

The same calls as the live console's buttons; close and reveal act on the question pushed last. The service
and token are found as for ``stemtrain report --service`` (``STEMTRAIN_CLASS_URL``, ``--token``,
``STEMTRAIN_INSTRUCTOR_TOKEN`` or the service's instructor.json).
"""

from __future__ import annotations

import argparse
from typing import Any

__all__ = ["register"]


def _client(args: argparse.Namespace) -> Any:
    from ..instructor.connection import instructor_connection
    from ..live.client import LiveClient

    found = instructor_connection(args.service or None, args.token or None, data_dir=args.data_dir or None)
    return LiveClient(found.url, found.token)


def _status_line(current: dict[str, Any]) -> str:
    poll = current.get("poll")
    if not current.get("session"):
        return "No live session."
    if not poll:
        return "Live session under way; no question pushed yet."
    counts = current.get("results") or {}
    bars = ", ".join(f"{o['id']}: {o['count']}" for o in counts.get("options", []))
    answered = f"{counts.get('answered', 0)} of {counts.get('learners', 0)} answered"
    return f"Poll {poll['id']} on {poll['question']['question_id']} ({poll['state']}): {answered} [{bars}]"


def _run(args: argparse.Namespace) -> int:
    from ..live.client import LiveError

    client = _client(args)
    try:
        if args.live_command == "start":
            client.start()
        elif args.live_command == "push":
            client.push(args.question_id)
        elif args.live_command in ("close", "reveal"):
            poll = client.current().get("poll")
            if not poll:
                raise ValueError("no question has been pushed in this session")
            getattr(client, args.live_command)(poll["id"])
        elif args.live_command == "end":
            client.end()
        print(_status_line(client.current()))
    except LiveError as exc:
        raise RuntimeError(str(exc)) from None
    return 0


def register(sub: Any) -> None:
    group = sub.add_parser("live", help="(instructors) live questions: push a bank question to every joined learner's page")
    commands = group.add_subparsers(dest="live_command", required=True, metavar="SUBCOMMAND")
    for name, helptext in (
        ("start", "start a live session"),
        ("push", "push a question (single choice, multiple select or true/false; case parts too)"),
        ("close", "stop taking answers to the question pushed last"),
        ("reveal", "show everyone the answer, the explanation and the room's counts"),
        ("status", "the question pushed last and how the room answered (counts only)"),
        ("end", "end the live session"),
    ):
        p = commands.add_parser(name, help=helptext)
        if name == "push":
            p.add_argument("question_id", help="the question's id in its bank, e.g. talk-own-fat-facts")
        p.add_argument("--service", default="", help="the class service address (default STEMTRAIN_CLASS_URL)")
        p.add_argument("--token", default="", help="the instructor token (default: STEMTRAIN_INSTRUCTOR_TOKEN or instructor.json)")
        p.add_argument("--data-dir", default="", help="where 'stemtrain class serve' keeps instructor.json")
        p.set_defaults(run=_run)
