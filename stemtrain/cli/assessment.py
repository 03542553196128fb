"""``stemtrain class attempts | revoke``: the instructor's side of the final assessment, from a terminal.

``attempts`` lists every attempt the class service keeps (learner, attempt number, started, submitted, score,
passed, certificate code), optionally for one learner and into a CSV file; ``revoke`` revokes a certificate with a
reason that its verification then shows. The service and token are found as for ``stemtrain live``
(``--service`` or ``STEMTRAIN_CLASS_URL``; ``--token``, ``STEMTRAIN_INSTRUCTOR_TOKEN`` or the service's instructor.json).
These commands join the ``class`` group that ``stemtrain.classroom.command`` makes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

__all__ = ["ATTEMPT_COLUMNS", "attempt_rows", "register"]

ATTEMPT_COLUMNS = {
    "learner": "the learner's name in the class",
    "number": "the attempt's number (1, 2, ...)",
    "started": "when the attempt started (UTC, ISO 8601)",
    "submitted": "when it was submitted, or its deadline when time ran out (empty: under way)",
    "score": "share 0-1 of the points (empty: not submitted)",
    "passed": "true when the score reached the pass mark (empty: not submitted)",
    "auto_submitted": "true when the time limit submitted it",
    "certificate_code": "the certificate issued for a pass, else empty",
}


def _call(url: str, token: str, method: str, path: str, body: Any = None) -> Any:
    """One request to the class service with the instructor's token; ``RuntimeError`` in one sentence when it fails."""
    import http.client
    import urllib.error
    import urllib.request

    data = None if body is None else json.dumps(body).encode("utf-8")
    headers = {"Accept": "application/json", "Authorization": f"Bearer {token}"}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return json.loads(reply.read() or b"null")
    except urllib.error.HTTPError as exc:
        try:
            detail = json.loads(exc.read()).get("detail", "")
        except (ValueError, AttributeError):
            detail = exc.reason
        raise RuntimeError(f"{url}: {method} {path.partition('?')[0]} was refused ({exc.code}: {detail})") from None
    except (OSError, http.client.HTTPException) as exc:
        raise RuntimeError(f"{url}: the class service is not answering ({getattr(exc, 'reason', None) or exc})") from None


def _connection(args: argparse.Namespace) -> tuple[str, str]:
    from ..instructor.connection import instructor_connection

    found = instructor_connection(args.service or None, args.token or None, data_dir=args.data_dir or None)
    return found.url, found.token


def _when(text: Any) -> str:
    if not text:
        return ""
    value = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def attempt_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The service's attempt records as the rows ``attempts`` prints and writes (in ``ATTEMPT_COLUMNS``)."""
    rows = []
    for r in records:
        submitted = r.get("submitted_at")
        rows.append(
            {
                "learner": r["learner"],
                "number": int(r["number"]),
                "started": _when(r.get("started_at")),
                "submitted": _when(submitted),
                "score": None if not submitted or r.get("total") is None else float(r["total"]),
                "passed": None if not submitted else bool(r.get("passed")),
                "auto_submitted": bool(r.get("auto_submitted")),
                "certificate_code": r.get("certificate_code") or None,
            }
        )
    return rows


def _percent(share: float | None) -> str:
    if share is None:
        return "-"
    value = int(share * 1000 + 0.5 + 1e-9)
    return f"{value // 10}.{value % 10} %"


def _table(rows: list[dict[str, Any]]) -> str:
    head = ("Learner", "#", "Started", "Submitted", "Score", "Passed", "Certificate")
    lines = [
        (
            r["learner"],
            str(r["number"]),
            r["started"] or "-",
            (r["submitted"] + (" (time ran out)" if r["auto_submitted"] else "")) if r["submitted"] else "under way",
            _percent(r["score"]),
            "-" if r["passed"] is None else ("yes" if r["passed"] else "no"),
            r["certificate_code"] or "-",
        )
        for r in rows
    ]
    widths = [max(len(str(c)) for c in column) for column in zip(head, *lines, strict=False)]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in [head, *lines])


def _attempts(args: argparse.Namespace) -> int:
    url, token = _connection(args)
    path = "api/assessment/attempts" + (f"?{urlencode({'learner': args.learner})}" if args.learner else "")
    records = _call(url, token, "GET", path)
    rows = attempt_rows(records if isinstance(records, list) else [])
    if args.csv:
        from ..analytics.csvfiles import write_csv

        write_csv(Path(args.csv), ATTEMPT_COLUMNS, rows)
    if rows:
        print(_table(rows))
    who = f" by {args.learner}" if args.learner else ""
    print(f"{len(rows)} attempt(s){who}" + (f"; written to {args.csv}" if args.csv else ""))
    return 0


def _revoke(args: argparse.Namespace) -> int:
    url, token = _connection(args)
    reason = " ".join(args.reason.split())
    if not reason:
        raise ValueError("--reason: say why the certificate is revoked (its verification shows the reason)")
    found = _call(url, token, "POST", f"api/certificates/{quote(args.code.strip(), safe='')}/revoke", {"reason": reason})
    print(f"Certificate {found['code']} ({found['learner']}) is revoked since {_when(found['revoked_at'])}: {found['reason']}")
    return 0


def _class_commands(sub: Any) -> Any:
    """The sub-commands of the ``class`` group (made by ``stemtrain.classroom.command``)."""
    group = sub.choices["class"]
    for action in group._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the 'class' command group has no sub-commands")


def _connection_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--service", default="", help="the class service address (default STEMTRAIN_CLASS_URL)")
    p.add_argument("--token", default="", help="the instructor token (default: STEMTRAIN_INSTRUCTOR_TOKEN or instructor.json)")
    p.add_argument("--data-dir", default="", help="where 'stemtrain class serve' keeps instructor.json")


def register(sub: Any) -> None:
    commands = _class_commands(sub)
    p = commands.add_parser("attempts", help="(instructors) final-assessment attempts: who, when, score, pass, certificate")
    p.add_argument("--learner", default="", help="only this learner's attempts")
    p.add_argument("--csv", default="", metavar="FILE", help="also write them to this CSV file (UTF-8, for a spreadsheet)")
    _connection_options(p)
    p.set_defaults(run=_attempts)

    p = commands.add_parser("revoke", help="(instructors) revoke a certificate; its verification then shows the reason")
    p.add_argument("code", metavar="CODE", help="the certificate's verification code, e.g. HAPN-9FHV-Z9TG-C")
    p.add_argument("--reason", required=True, help="why it is revoked (shown to anyone who checks the code)")
    _connection_options(p)
    p.set_defaults(run=_revoke)
