"""The one file format for answers moving between stores, instructors and spreadsheets: CSV (and the same as JSON).

Columns, exactly: ``learner,module,question_id,part_id,attempt,score,max_score,response,answered_at``.
``part_id`` is empty except for a case part, where ``question_id`` is the case's id and ``part_id`` the part's
(an ``Attempt`` has it the other way round: ``question_id`` is the part's own id, ``parent_id`` the case's).
``response`` is JSON; ``answered_at`` is ISO 8601 with a time zone. A JSON file is a list of objects with the
same fields, and may add ``event_id``; a row without one gets an id made from what identifies it (learner,
module, question, part, attempt, time), so importing the same file twice keeps each answer once.

Every problem names the file, the line and the column (``answers.csv:17: score: "abc" is not a number``), and
all of them are reported together (up to ``MAX_PROBLEMS``), so a file is fixed in one go.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import hashlib
import json
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from .model import Attempt

__all__ = ["COLUMNS", "AnswerFileError", "read_answers", "read_csv", "read_json", "to_rows", "write_answers", "write_csv", "write_json"]

COLUMNS = ("learner", "module", "question_id", "part_id", "attempt", "score", "max_score", "response", "answered_at")
MAX_PROBLEMS = 20


class AnswerFileError(ValueError):
    """An answers file that cannot be read; ``problems`` holds one ``file:line: column: what`` sentence each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        more = f"\n… and more (the first {MAX_PROBLEMS} are shown)" if len(problems) > MAX_PROBLEMS else ""
        super().__init__("\n".join(problems[:MAX_PROBLEMS]) + more)


def to_rows(attempts: Iterable[Attempt]) -> Iterator[dict[str, Any]]:
    """Each attempt as the format's fields (plus ``event_id``), case parts under their case."""
    for a in attempts:
        yield {
            "learner": a.learner,
            "module": a.module,
            "question_id": a.parent_id or a.question_id,
            "part_id": a.question_id if a.parent_id else "",
            "attempt": a.attempt,
            "score": a.score,
            "max_score": a.max_score,
            "response": json.dumps(a.response, ensure_ascii=False, allow_nan=False),
            "answered_at": a.answered_at.isoformat(),
            "event_id": a.event_id,
        }


def write_csv(attempts: Iterable[Attempt], file: str | Path | IO[str]) -> int:
    """Write the CSV (UTF-8; with a byte-order mark when writing a file, so spreadsheets read accents right)."""
    with _opened(file, "w", "utf-8-sig") as f:
        writer = csv.DictWriter(f, fieldnames=COLUMNS, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        n = 0
        for row in to_rows(attempts):
            writer.writerow({**row, "score": _number(row["score"]), "max_score": _number(row["max_score"])})
            n += 1
    return n


def write_json(attempts: Iterable[Attempt], file: str | Path | IO[str]) -> int:
    """Write the same fields as a JSON list, with each answer's ``event_id`` and ``response`` as JSON (not text)."""
    rows = [{**r, "response": json.loads(r["response"])} for r in to_rows(attempts)]
    with _opened(file, "w", "utf-8") as f:
        f.write(json.dumps(rows, indent=1, ensure_ascii=False) + "\n")
    return len(rows)


def read_csv(file: str | Path | IO[str], name: str | None = None) -> list[Attempt]:
    """Read the CSV into attempts (``mode="import"``); raise ``AnswerFileError`` naming every bad line and column."""
    shown = name or _name(file)
    problems: list[str] = []
    out: list[Attempt] = []
    with _opened(file, "r", "utf-8-sig") as f:
        reader = csv.reader(f, strict=True)
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise AnswerFileError([f"{shown}:1: not a CSV file ({exc})"]) from None
        if header is None:
            raise AnswerFileError([f"{shown}:1: the file is empty; the first line names the columns: {','.join(COLUMNS)}"])
        header = [h.strip() for h in header]
        missing = [c for c in COLUMNS if c not in header]
        extra = [c for c in header if c not in COLUMNS]
        if missing or extra or len(set(header)) != len(header):
            said = "; ".join(
                x
                for x in (
                    f"missing {', '.join(missing)}" if missing else "",
                    f"unknown {', '.join(repr(c) for c in extra)}" if extra else "",
                    "a column named twice" if len(set(header)) != len(header) else "",
                )
                if x
            )
            raise AnswerFileError([f"{shown}:1: the columns must be exactly {','.join(COLUMNS)} ({said})"])
        start = reader.line_num + 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                problems.append(f"{shown}:{start}: {exc}")
                break
            line, start = start, reader.line_num + 1
            if not any(c.strip() for c in cells):
                continue  # a blank line
            if len(cells) != len(header):
                problems.append(f"{shown}:{line}: {len(cells)} cells where the header has {len(header)}")
                continue
            _collect(dict(zip(header, cells, strict=True)), f"{shown}:{line}", out, problems, text=True)
    if problems:
        raise AnswerFileError(problems)
    return out


def read_json(file: str | Path | IO[str], name: str | None = None) -> list[Attempt]:
    """Read a JSON list of the same fields (``response`` is the JSON value itself); problems name the entry."""
    shown = name or _name(file)
    with _opened(file, "r", "utf-8-sig") as f:
        try:
            data = json.load(f)
        except ValueError as exc:
            line = getattr(exc, "lineno", 1)
            raise AnswerFileError([f"{shown}:{line}: not JSON ({getattr(exc, 'msg', exc)})"]) from None
    if not isinstance(data, list):
        raise AnswerFileError([f"{shown}: the file must hold a JSON list of answers, one object each"])
    problems: list[str] = []
    out: list[Attempt] = []
    for i, entry in enumerate(data, start=1):
        where = f"{shown}: entry {i}"
        if not isinstance(entry, dict):
            problems.append(f"{where}: must be an object with the fields {', '.join(COLUMNS)}")
            continue
        unknown = sorted(set(entry) - {*COLUMNS, "event_id"})
        missing = [c for c in COLUMNS if c not in entry and c != "part_id"]
        if unknown or missing:
            problems.append(f"{where}: " + "; ".join(x for x in (_listed("missing", missing), _listed("unknown", unknown)) if x))
            continue
        _collect(entry, where, out, problems, text=False)
    if problems:
        raise AnswerFileError(problems)
    return out


def read_answers(path: str | Path) -> list[Attempt]:
    """A ``.csv`` or ``.json`` answers file, by its extension."""
    kind = Path(path).suffix.lower()
    if kind == ".csv":
        return read_csv(path)
    if kind == ".json":
        return read_json(path)
    raise AnswerFileError([f"{path}: an answers file ends in .csv or .json"])


def write_answers(attempts: Iterable[Attempt], path: str | Path) -> int:
    """Write ``.csv`` or ``.json`` by the file's extension; returns how many answers were written."""
    kind = Path(path).suffix.lower()
    if kind == ".csv":
        return write_csv(attempts, path)
    if kind == ".json":
        return write_json(attempts, path)
    raise ValueError(f"{path}: the file must end in .csv or .json (or use --format xapi)")


# --- one row ---------------------------------------------------------------------------------------
def _collect(row: dict[str, Any], where: str, out: list[Attempt], problems: list[str], *, text: bool) -> None:
    before = len(problems)

    def bad(column: str, message: str) -> None:
        problems.append(f"{where}: {column}: {message}")

    names = {}
    for column in ("learner", "module", "question_id"):
        value = row.get(column)
        if not isinstance(value, str) or not value.strip():
            bad(column, "must not be empty" if value in ("", None) else f"{_shown(value)} is not text")
        else:
            names[column] = value.strip()
    part = row.get("part_id") or ""
    if not isinstance(part, str):
        bad("part_id", f"{_shown(part)} is not text")
        part = ""
    attempt = _whole(row.get("attempt"), bad)
    score = _finite(row.get("score"), "score", bad)
    top = _finite(row.get("max_score"), "max_score", bad)
    if score is not None and top is not None and not 0 <= score <= top:
        bad("score", f"{_number(score)} is outside 0 to max_score ({_number(top)})")
    response = _response(row.get("response"), text, bad)
    when = _moment(row.get("answered_at"), bad)
    event = row.get("event_id")
    if event is not None and (not isinstance(event, str) or not event):
        bad("event_id", f"{_shown(event)} is not an event id")
    if len(problems) > before or attempt is None or score is None or top is None or when is None:
        return
    qid, parent = (part.strip(), names["question_id"]) if part.strip() else (names["question_id"], None)
    identity = [names["learner"], names["module"], names["question_id"], part.strip(), attempt, when.isoformat()]
    out.append(
        Attempt(
            learner=names["learner"],
            module=names["module"],
            question_id=qid,
            parent_id=parent,
            attempt=attempt,
            response=response,
            correct=score >= top,
            score=score,
            max_score=top,
            mode="import",
            answered_at=when,
            event_id=event or "f-" + hashlib.sha256(json.dumps(identity, ensure_ascii=False).encode("utf-8")).hexdigest()[:32],
        )
    )


def _whole(value: Any, bad: Any) -> int | None:
    try:
        number = value if isinstance(value, int) and not isinstance(value, bool) else int(str(value).strip())
    except ValueError:
        bad("attempt", f"{_shown(value)} is not a whole number")
        return None
    if number < 0:
        bad("attempt", f"{number} is below 0 (attempts are numbered 1, 2, …)")
        return None
    return number


def _finite(value: Any, column: str, bad: Any) -> float | None:
    try:
        if isinstance(value, bool):
            raise ValueError
        number = float(value) if isinstance(value, (int, float)) else float(str(value).strip())
    except ValueError:
        bad(column, f"{_shown(value)} is not a number")
        return None
    if not math.isfinite(number):
        bad(column, f"{_shown(value)} is not a finite number")
        return None
    return number


def _response(value: Any, text: bool, bad: Any) -> Any:
    if not text:
        return value  # a JSON file holds the response itself
    try:
        return json.loads(value)
    except ValueError:
        bad("response", f'{_shown(value)} is not JSON (text needs double quotes: "a"; several options: ["a", "c"])')
        return None


def _moment(value: Any, bad: Any) -> dt.datetime | None:
    text = str(value or "").strip()
    try:
        when = dt.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text)
    except ValueError:
        bad("answered_at", f"{_shown(value)} is not an ISO 8601 date and time (e.g. 2026-03-02T09:15:00+00:00)")
        return None
    if when.tzinfo is None:
        bad("answered_at", f"{_shown(value)} has no time zone (add +00:00, Z or the local offset)")
        return None
    return when


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)[:80] if isinstance(value, str) else repr(value)[:80]


def _listed(what: str, names: list[str]) -> str:
    return f"{what} {', '.join(names)}" if names else ""


def _name(file: str | Path | IO[str]) -> str:
    return str(file) if isinstance(file, (str, Path)) else str(getattr(file, "name", "answers"))


@contextlib.contextmanager
def _opened(file: str | Path | IO[str], mode: str, encoding: str) -> Iterator[IO[str]]:
    """A path opened here (and closed after), or a file object the caller handed over (left open)."""
    if isinstance(file, (str, Path)):
        with Path(file).open(mode, encoding=encoding, newline="") as f:
            yield f
    else:
        yield file
