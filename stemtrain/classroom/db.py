"""The class database: its tables, the engine, and the Alembic migrations that create and upgrade it.

SQLite (WAL, on a local disk) by default, PostgreSQL (psycopg 3) by URL. Every write is one transaction; on
SQLite a transaction begins IMMEDIATE, so numbering an answer and inserting it cannot interleave with
another writer. A database that is not ours, or is from a newer stemtrain, is refused and left unchanged.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
    inspect,
)
from sqlalchemy.engine import Connection, Engine, make_url

from .config import private_folder
from .storage import check_local_disk

__all__ = ["DatabaseError", "aware", "metadata", "open_engine", "upgrade"]

NAME = 200
"""The longest learner name, module, question id or event id the service keeps."""

metadata = MetaData()

learners = Table(
    "learners",
    metadata,
    Column("name", String(NAME), primary_key=True),
    Column("display_name", String(NAME), nullable=False),
    Column("identity_source", String(16), nullable=False),  # hub | room
    Column("verified", Boolean, nullable=False),
    Column("joined_at", DateTime(timezone=True), nullable=False),
)

tokens = Table(
    "tokens",
    metadata,
    Column("token_hash", String(64), primary_key=True),  # sha256 hex of the token; the token itself is never kept
    Column("role", String(16), nullable=False),  # learner | instructor
    Column("learner", String(NAME), ForeignKey("learners.name"), nullable=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

answers = Table(
    "answers",
    metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("learner", String(NAME), ForeignKey("learners.name"), nullable=False),
    Column("module", String(NAME), nullable=False),
    Column("question_id", String(NAME), nullable=False),
    Column("parent_id", String(NAME), nullable=True),
    Column("attempt", Integer, nullable=False),
    Column("correct", Boolean, nullable=False),
    Column("score", Double, nullable=False),
    Column("max_score", Double, nullable=False),
    Column("response", Text, nullable=False),  # JSON
    Column("content_hash", String(NAME), nullable=False),
    Column("mode", String(16), nullable=False),
    Column("answered_at", DateTime(timezone=True), nullable=False),
    Column("saved_at", DateTime(timezone=True), nullable=False),
    Column("event_id", String(NAME), nullable=False),
    UniqueConstraint("event_id", name="answers_event"),
    UniqueConstraint("learner", "module", "question_id", "attempt", name="answers_attempt"),
)

profiles = Table(
    "profiles",
    metadata,
    Column("learner", String(NAME), ForeignKey("learners.name"), primary_key=True),
    Column("display_name", String(NAME), nullable=False),
    Column("staff_id", String(NAME), nullable=False),
    Column("role", String(NAME), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

settings = Table(
    "settings",
    metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

Index("tokens_by_learner", tokens.c.learner)


class DatabaseError(RuntimeError):
    """The class database cannot be used (not ours, from a newer stemtrain, or unreachable)."""


def aware(value: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes: they were written in UTC."""
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _sqlite_engine(url: str, path: Path, mounts: str | None) -> Engine:
    private_folder(path.parent)
    check_local_disk(path.parent, mounts)
    if not path.exists():
        path.touch(mode=0o600)  # SQLite gives the -wal and -shm files the database file's mode
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False}, pool_size=8, max_overflow=8)

    @event.listens_for(engine, "connect")
    def _connect(dbapi: Any, _record: Any) -> None:
        dbapi.isolation_level = None  # let SQLAlchemy's BEGIN below start transactions, not the driver
        for pragma in ("journal_mode=WAL", "busy_timeout=30000", "foreign_keys=ON", "synchronous=NORMAL"):
            dbapi.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # writers take the write lock when they begin (so "number, then insert" is one step); readers do not wait
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("readonly") else "BEGIN IMMEDIATE")

    return engine


def open_engine(url: str, *, mounts: str | None = None) -> Engine:
    """An engine for ``url`` (``sqlite:///path`` or ``postgresql://…``), refusing SQLite on a network filesystem."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if not parsed.database or parsed.database == ":memory:":
            raise DatabaseError("the class database must be a file (sqlite:///PATH) or PostgreSQL")
        path = Path(parsed.database).expanduser().resolve()
        return _sqlite_engine(f"sqlite:///{path}", path, mounts)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername in ("postgresql", "postgres"):
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, pool_size=10, max_overflow=10)
    raise DatabaseError(f"{parsed.get_backend_name()}: the class service keeps its records in SQLite or PostgreSQL only")


def _alembic_config(connection: Connection) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "stemtrain.classroom:alembic")
    config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine) -> str:
    """Create or upgrade the class database to the newest schema; returns the revision it is at."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    where = engine.url.render_as_string(hide_password=True)
    with engine.begin() as conn:
        config = _alembic_config(conn)
        script = ScriptDirectory.from_config(config)
        current = MigrationContext.configure(conn).get_current_revision()
        tables = set(inspect(conn).get_table_names())
        if current is None and tables - {"alembic_version"}:
            raise DatabaseError(
                f"{where} already holds tables that are not a stemtrain class ({', '.join(sorted(tables))[:120]}). "
                "It was left unchanged; give the service an empty database."
            )
        known = {rev.revision for rev in script.walk_revisions()}
        if current is not None and current not in known:
            raise DatabaseError(f"{where} was written by a newer stemtrain (schema {current}). It was left unchanged; upgrade stemtrain.")
        command.upgrade(config, "head")
        return str(script.get_current_head())
