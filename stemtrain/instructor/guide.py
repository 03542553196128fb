"""The session guide's library calls: a session plan as a table, the class set-up commands, the live console.

The commands shown are data here (``ROOM``, ``HUB``), and a test runs every ``stemtrain`` one through the real
parser, so the guide cannot drift from the command line.
"""

from __future__ import annotations

import html
from typing import Any

from .display import HtmlBlock
from .plans import PLANS, Plan

__all__ = ["HUB", "ROOM", "plan", "plans", "session_console", "setup"]

ROOM: tuple[tuple[str, str, str], ...] = (
    ("instructor", 'pip install "stemtrain[class]"', "once, on the laptop that runs the class"),
    ("instructor", "stemtrain class serve --host 192.168.1.20", "your laptop's address on the room's network; it prints the join code"),
    (
        "learner",
        'stemtrain class join http://192.168.1.20:8765/ --code K7PX-3MWD --name "Ana Silva"',
        "once per computer, with the code shown",
    ),
    ("learner", "stemtrain class status", "checks where answers go"),
    ("learner", "stemtrain serve", "the course in the browser, without code (or stemtrain lab)"),
    ("instructor", "stemtrain live start --service http://192.168.1.20:8765/", "or use the console below"),
    ("instructor", "stemtrain live push talk-own-fat-reply --service http://192.168.1.20:8765/", "a question appears on every page"),
    ("instructor", "stemtrain live reveal --service http://192.168.1.20:8765/", "the answer and explanation, for everyone"),
    ("instructor", "stemtrain live end --service http://192.168.1.20:8765/", ""),
    ("instructor", "stemtrain report --service http://192.168.1.20:8765/ --out class-report --pseudonymise", "after the session"),
)
HUB: tuple[tuple[str, str, str], ...] = (
    ("admin", "sudo /opt/tljh/user/bin/python3 -m pip install stemtrain", "the course, for every learner's server"),
    ("admin", 'sudo /opt/tljh/hub/bin/python3 -m pip install "stemtrain[class]"', "the class service, for the hub"),
    ("admin", "sudo tljh-config reload hub", "after adding the service (docs/deploy.md, The Littlest JupyterHub)"),
    ("instructor", "stemtrain live start", "in a terminal of your own hub server; STEMTRAIN_CLASS_URL is already set"),
    ("instructor", "stemtrain report --service https://YOUR-HUB/services/stemtrain-class/ --out class-report", "with your hub token"),
)


_TD = '<td style="text-align:left;vertical-align:top">'
_TH = '<th style="text-align:left">'


def _cells(*values: str, tag: str = _TD) -> str:
    close = "</td>" if tag == _TD else "</th>"
    return "<tr>" + "".join(f"{tag}{v}{close}" for v in values) + "</tr>"


def _minutes(m: int) -> str:
    return f"{m // 60}:{m % 60:02d}"


def _table(p: Plan) -> str:
    rows, start = [], 0
    for step in p.steps:
        live = ", ".join(f"<code>{html.escape(q)}</code>" for q in step.live) or "–"
        where = f"Module {html.escape(step.module[:2])}: {html.escape(step.section)}" if step.module else html.escape(step.section)
        rows.append(_cells(f"{_minutes(start)}–{_minutes(start + step.minutes)}", where, html.escape(step.activity), live))
        start += step.minutes
    head = _cells("Time", "Module and section", "What to do", "Live questions", tag=_TH)
    return f"<table><caption>{p.minutes} minutes: {html.escape(p.title)}</caption>{head}{''.join(rows)}</table>"


def plan(minutes: int) -> HtmlBlock:
    """The session plan for 60, 90 or 120 minutes, as a table with running times."""
    if minutes not in PLANS:
        raise ValueError(f"there are plans for {', '.join(map(str, PLANS))} minutes, not {minutes}")
    p = PLANS[minutes]
    text = "\n".join(
        f"{step.minutes:>3} min  {step.module or '-'} · {step.section}" + (f"  [live: {', '.join(step.live)}]" if step.live else "")
        for step in p.steps
    )
    return HtmlBlock(f"<p><strong>Aim:</strong> {html.escape(p.aim)}</p>{_table(p)}", f"{p.minutes} minutes: {p.title}\n{text}")


def plans() -> HtmlBlock:
    """The three plans side by side: length, modules touched, live questions."""
    rows = "".join(
        _cells(f"{p.minutes} min", html.escape(p.title), str(len({s.module for s in p.steps if s.module})), str(len(p.live_questions())))
        for p in PLANS.values()
    )
    table = f"<table>{_cells('Session', 'Title', 'Modules', 'Live questions', tag=_TH)}{rows}</table>"
    text = "\n".join(f"{p.minutes} min: {p.title} ({len(p.live_questions())} live questions)" for p in PLANS.values())
    return HtmlBlock(table, text)


def setup(kind: str = "room") -> HtmlBlock:
    """The commands to set up a class: ``room`` (the service on the instructor's laptop) or ``hub`` (TLJH)."""
    steps = {"room": ROOM, "hub": HUB}.get(kind)
    if steps is None:
        raise ValueError(f"kind is 'room' or 'hub', not {kind!r}")
    rows = "".join(_cells(html.escape(who), f"<code>{html.escape(cmd)}</code>", html.escape(note)) for who, cmd, note in steps)
    text = "\n".join(f"[{who}] {cmd}" for who, cmd, _ in steps)
    return HtmlBlock(f"<table>{_cells('Who', 'Command', 'Note', tag=_TH)}{rows}</table>", text)


def session_console(minutes: int = 60, *, url: str | None = None, token: str | None = None) -> Any:
    """The live console offering the plan's questions, for the class service found as ``stemtrain live`` finds it.

    Without a class service (no ``STEMTRAIN_CLASS_URL``, no instructor token) the console says how to start one.
    """
    from ..live.console import live_console
    from .connection import instructor_connection

    questions = PLANS[minutes].live_questions() if minutes in PLANS else ()
    try:
        found = instructor_connection(url, token)
    except ValueError:
        return live_console("", "", questions=dict.fromkeys(questions))
    return live_console(found.page_url, found.token, questions=dict.fromkeys(questions))
