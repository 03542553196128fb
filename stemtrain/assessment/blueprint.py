"""The blueprint: what every form of the final assessment holds, kept as data (``assessment/blueprint.yaml``).

It names the pass mark, the attempt limit, the time limit and, per cell (a module's objective), how many items
to draw. Loading checks it against its JSON Schema (errors name file, line and field, as the bank loader's do)
and, given the pool, that every cell can be filled *and* that two learners' forms can differ: a cell needs at
least twice as many eligible items as it draws, or most learners would sit the same test.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..content.loader import shown_as
from ..content.problems import ContentError, Problem
from ..content.yamlsource import read_yaml, short

if TYPE_CHECKING:
    from .pool import Pool

__all__ = ["BLUEPRINT_VERSION", "DEFAULT_PASS_MARK", "Blueprint", "Cell", "blueprint_schema", "load_blueprint"]

BLUEPRINT_VERSION = 1
DEFAULT_PASS_MARK = 0.8
_MODULE = {"type": "string", "pattern": "^[0-9]{2}-[a-z0-9-]+$", "maxLength": 80}


def blueprint_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of a blueprint file."""
    cell = {
        "type": "object",
        "properties": {
            "module": _MODULE,
            "objective": {"type": "integer", "minimum": 1, "maximum": 20},
            "count": {"type": "integer", "minimum": 1, "maximum": 100},
        },
        "required": ["module", "objective", "count"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://stemtrain.invalid/schema/blueprint-{BLUEPRINT_VERSION}.json",
        "title": "stemtrain final-assessment blueprint",
        "type": "object",
        "properties": {
            "schema_version": {"const": BLUEPRINT_VERSION},
            "id": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80},
            "title": {"type": "string", "minLength": 1, "maxLength": 200},
            "pass_mark": {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
            "max_attempts": {"type": "integer", "minimum": 1, "maximum": 100},
            "time_limit_minutes": {"type": ["integer", "null"], "minimum": 1, "maximum": 1440},
            "questions": {"type": "integer", "minimum": 1, "maximum": 500},
            "draw": {"type": "array", "items": cell, "minItems": 1},
        },
        "required": ["schema_version", "id", "title", "max_attempts", "time_limit_minutes", "questions", "draw"],
        "additionalProperties": False,
    }


@dataclass(frozen=True)
class Cell:
    """Draw ``count`` items that check ``objective`` of ``module``."""

    module: str
    objective: int
    count: int


@dataclass(frozen=True)
class Blueprint:
    """A validated blueprint; ``version`` is a hash of its file, so a record can say which blueprint it followed."""

    id: str
    title: str
    pass_mark: float
    max_attempts: int
    time_limit_minutes: int | None
    questions: int
    draw: tuple[Cell, ...]
    path: str = ""
    version: str = ""

    def summary(self) -> dict[str, Any]:
        """What a learner may know before starting (nothing here is secret)."""
        return {
            "id": self.id,
            "title": self.title,
            "questions": self.questions,
            "pass_mark": self.pass_mark,
            "max_attempts": self.max_attempts,
            "time_limit_minutes": self.time_limit_minutes,
        }


def _name(_data: Any, path: tuple[Any, ...]) -> tuple[str, str]:
    """``draw[2]`` and ``count`` for a cell's field; ``-`` and the field for the top level."""
    if len(path) >= 2 and path[0] == "draw" and isinstance(path[1], int):
        return f"draw[{path[1]}]", ".".join(str(p) for p in path[2:]) or "-"
    return "-", ".".join(str(p) for p in path) or "-"


def _cell_problems(located: Any, cells: list[Cell], questions: int, pool: Pool | None) -> list[Problem]:
    """The rules a schema cannot state: the count adds up, no cell twice, and (with the pool) every cell fills, twice over."""
    out: list[Problem] = []
    total = sum(c.count for c in cells)
    if total != questions:
        out.append(located.problem(("questions",), "-", "questions", f"is {questions}, but the draw cells add up to {total}"))
    first: dict[tuple[str, int], int] = {}
    for i, cell in enumerate(cells):
        item, where = f"draw[{i}]", ("draw", i)
        if (cell.module, cell.objective) in first:
            message = f"repeats module {cell.module} objective {cell.objective} (first in draw[{first[cell.module, cell.objective]}])"
            out.append(located.problem(where, item, "-", message))
            continue
        first[cell.module, cell.objective] = i
        if pool is None:
            continue
        if cell.module not in pool.banks:
            known = ", ".join(sorted(pool.banks)) or "none"
            out.append(
                located.problem((*where, "module"), item, "module", f"{short(cell.module)} has no pool file (pool modules: {known})")
            )
            continue
        eligible = len(pool.eligible(cell.module, cell.objective))
        what = f"module {cell.module} objective {cell.objective}"
        if eligible < cell.count:
            message = f"draws {cell.count} item(s) but the pool has only {eligible} for {what}"
            out.append(located.problem((*where, "count"), item, "count", message))
        elif eligible < 2 * cell.count:
            message = (
                f"draws {cell.count} of the {eligible} items for {what}, so forms would hardly differ between learners; "
                f"the pool needs at least {2 * cell.count} (twice the count)"
            )
            out.append(located.problem((*where, "count"), item, "count", message))
    return out


def load_blueprint(path: str | Path, pool: Pool | None = None) -> Blueprint:
    """Load and check a blueprint (against ``pool`` too, when given); raises ``ContentError`` naming every problem."""
    from jsonschema import Draft202012Validator

    from ..content.validation import validator_problems

    path = Path(path)
    located = read_yaml(path, shown_as(path))
    data = located.data
    if not isinstance(data, dict):
        raise ContentError([located.problem((), "-", "-", "the file must be a mapping with schema_version at the top")])
    if data.get("schema_version") != BLUEPRINT_VERSION:
        message = f"is {short(data.get('schema_version'))}; this stemtrain reads blueprint schema_version {BLUEPRINT_VERSION}"
        raise ContentError([located.problem(("schema_version",), "-", "schema_version", message)])
    problems = validator_problems(located, Draft202012Validator(blueprint_schema()), _name)
    if problems:
        raise ContentError(problems)
    cells = [Cell(c["module"], c["objective"], c["count"]) for c in data["draw"]]
    problems = _cell_problems(located, cells, data["questions"], pool)
    if problems:
        raise ContentError(problems)
    return Blueprint(
        id=data["id"],
        title=data["title"],
        pass_mark=float(data.get("pass_mark", DEFAULT_PASS_MARK)),
        max_attempts=data["max_attempts"],
        time_limit_minutes=data["time_limit_minutes"],
        questions=data["questions"],
        draw=tuple(cells),
        path=located.file,
        version=hashlib.sha256(located.text.encode("utf-8")).hexdigest()[:16],
    )
