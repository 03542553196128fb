"""Reading a class from wherever it is: a records database, the class service, or answers files.

One function for the report command and the dashboard notebook, so both show the same class.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..records import Attempt

__all__ = ["load_class"]


def load_class(
    *,
    db: str | None = None,
    service: str | None = None,
    files: Sequence[str | Path] = (),
    token: str | None = None,
    data_dir: str | Path | None = None,
) -> list[Attempt]:
    """Every answer from exactly one kind of source: ``db`` (a store URL), ``service`` (with the instructor's token) or ``files``."""
    given = [name for name, value in (("a database", db), ("a class service", service), ("answers files", files)) if value]
    if len(given) != 1:
        raise ValueError(
            "say where the class is: --db URL, --service URL or answers files (CSV/JSON)"
            if not given
            else f"read from one kind of source at a time, not {' and '.join(given)}"
        )
    if files:
        from ..records.csvformat import read_answers

        out: list[Attempt] = []
        for path in files:
            out.extend(read_answers(path))
        return out
    if service:
        from ..records.classread import read_class
        from .connection import instructor_connection

        found = instructor_connection(service, token, data_dir=data_dir)
        return read_class(found.url, found.token)
    from ..records import open_store

    assert db is not None
    store = open_store(db)
    try:
        return store.attempts()
    finally:
        store.close()
