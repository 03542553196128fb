"""A learner's SQLite file, handled with care before and while it is opened: refuse, before SQLite touches
anything, a path that is a folder, a file that is not SQLite, or a read-only one; then check the file is ours
(or empty) and current, creating or upgrading it in one transaction. A foreign or newer file is never changed.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from .errors import StoreError, from_sqlite
from .migrations import APPLICATION_ID, LATEST, MIGRATIONS, statements

__all__ = ["preflight", "prepare", "rollback"]

_HEADER = b"SQLite format 3\x00"


def preflight(path: Path) -> None:
    """Refuse, before SQLite touches anything, a path that is a folder, a file that is not SQLite, or a read-only one."""
    where = str(path)
    if path.is_dir():
        raise StoreError(
            f"{where} is a folder, not a progress file. Set STEMTRAIN_PROGRESS to a file name.", kind="cannot-open", where=where
        )
    folder = path.parent
    if path.exists():
        try:
            with path.open("rb") as f:
                head = f.read(len(_HEADER))
        except OSError as exc:
            raise StoreError(
                f"{where}: the progress file cannot be read ({exc.strerror or exc}).", kind="cannot-open", where=where
            ) from None
        if head and head != _HEADER:
            raise StoreError(
                f"{where} is not a progress file: it is not an SQLite database (it may be damaged, or another kind of file). "
                "It was left unchanged; move it aside (or set STEMTRAIN_PROGRESS) to start a new one.",
                kind="damaged",
                where=where,
            )
        if not os.access(path, os.W_OK):
            raise StoreError(
                f"{where}: the progress file is read-only, so answers cannot be saved. It was left unchanged; "
                "ask your IT staff to make it writable.",
                kind="read-only",
                where=where,
            )
    else:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"{where}: cannot create the folder for the progress file ({exc.strerror or exc}).", kind="cannot-open", where=where
            ) from None
    if not os.access(folder, os.W_OK):
        raise StoreError(
            f"{where}: the folder {folder} is read-only, and SQLite must write a journal beside the file. Nothing was changed; "
            "ask your IT staff to make the folder writable, or set STEMTRAIN_PROGRESS to a file in a writable folder.",
            kind="read-only",
            where=where,
        )


def prepare(db: sqlite3.Connection, path: Path) -> None:
    """Check the file is ours (or empty) and current, creating or upgrading it in one transaction."""
    where = str(path)
    try:
        version = _version(db, path)
        if version > 0:
            check = db.execute("PRAGMA quick_check").fetchone()
            if check is None or check[0] != "ok":
                raise StoreError(
                    f"{where}: the progress file is damaged ({check[0] if check else 'no answer'}). It was left unchanged; move it "
                    "aside (or set STEMTRAIN_PROGRESS) to start a new one, and keep the old file for your IT staff.",
                    kind="damaged",
                    where=where,
                )
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA wal_autocheckpoint=100")  # a learner's file is small: keep its journal small too
        db.execute("PRAGMA journal_size_limit=1048576")
        if version == LATEST:
            return
        db.execute("BEGIN IMMEDIATE")
        try:
            version = _version(db, path)  # another process may have created or upgraded it meanwhile
            for number, sql in MIGRATIONS:
                if number > version:
                    for statement in statements(sql):
                        db.execute(statement)
            db.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(LATEST),))
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {LATEST}")
            db.execute("COMMIT")
        except BaseException:
            rollback(db)
            raise
    except sqlite3.Error as exc:
        raise from_sqlite(exc, where, "opening the progress file") from None


def _version(db: sqlite3.Connection, path: Path) -> int:
    """0 for an empty file, the schema version of one of ours; raises for a foreign or a newer file."""
    where = str(path)
    app = db.execute("PRAGMA application_id").fetchone()[0]
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
    if not tables and app in (0, APPLICATION_ID):
        return 0
    foreign = StoreError(
        f"{where} is a database, but not a stemtrain progress file (its tables: {', '.join(sorted(tables))[:120] or 'none'}). "
        "It was left unchanged; set STEMTRAIN_PROGRESS to another file name.",
        kind="foreign",
        where=where,
    )
    if app not in (0, APPLICATION_ID) or "meta" not in tables:
        raise foreign
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if row is None or not str(row[0]).isdigit():
        raise foreign
    version = int(row[0])
    if version > LATEST:
        raise StoreError(
            f"{where}: this progress file has schema_version {version}; this stemtrain reads up to {LATEST}. "
            "It was left unchanged; upgrade stemtrain to use it.",
            kind="future",
            where=where,
        )
    if "answers" not in tables:
        raise foreign
    return version


def rollback(db: sqlite3.Connection) -> None:
    """Undo an open transaction, quietly: the error that led here is the one to report."""
    try:
        if db.in_transaction:
            db.execute("ROLLBACK")
    except sqlite3.Error:
        pass
