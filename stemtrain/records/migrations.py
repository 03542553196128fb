"""Numbered schema migrations of a learner's progress file: a file from any earlier version upgrades in place.

Each step is plain SQL, run inside one ``BEGIN IMMEDIATE`` transaction with the version bump, so a crash
leaves the file at the old version or the new one. Add a step; never edit one that has shipped.
"""

from __future__ import annotations

__all__ = ["APPLICATION_ID", "LATEST", "MIGRATIONS", "statements"]

APPLICATION_ID = 0x5354524E
"""Written into the SQLite header ("STRN"), so a progress file can be told from any other database."""

MIGRATIONS: tuple[tuple[int, str], ...] = (
    (
        1,
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            learner TEXT NOT NULL,
            module TEXT NOT NULL,
            question_id TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            correct INTEGER NOT NULL,
            score REAL NOT NULL,
            response TEXT NOT NULL,
            answered_at TEXT NOT NULL
        );
        CREATE INDEX answers_by_learner ON answers (learner, module, question_id);
        INSERT INTO meta VALUES ('schema_version', '1');
        """,
    ),
    (
        2,
        """
        ALTER TABLE answers ADD COLUMN parent_id TEXT;
        ALTER TABLE answers ADD COLUMN max_score REAL NOT NULL DEFAULT 1.0;
        ALTER TABLE answers ADD COLUMN content_hash TEXT NOT NULL DEFAULT '';
        ALTER TABLE answers ADD COLUMN mode TEXT NOT NULL DEFAULT '';
        ALTER TABLE answers ADD COLUMN saved_at TEXT;
        ALTER TABLE answers ADD COLUMN event_id TEXT;
        UPDATE answers SET event_id = 'v1-' || id, saved_at = answered_at WHERE event_id IS NULL;
        UPDATE answers SET attempt = (
            SELECT COUNT(*) FROM answers AS earlier
            WHERE earlier.learner = answers.learner AND earlier.module = answers.module
              AND earlier.question_id = answers.question_id AND earlier.id <= answers.id
        );
        CREATE UNIQUE INDEX answers_event ON answers (event_id);
        CREATE UNIQUE INDEX answers_attempt ON answers (learner, module, question_id, attempt);
        INSERT OR REPLACE INTO meta VALUES ('application', 'stemtrain progress');
        """,
    ),
    (
        3,
        """
        CREATE TABLE profiles (
            learner TEXT PRIMARY KEY,
            display_name TEXT NOT NULL,
            staff_id TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        );
        """,
    ),
    (
        4,
        """
        CREATE TABLE assessment_attempts (
            id INTEGER PRIMARY KEY,
            learner TEXT NOT NULL,
            blueprint_id TEXT NOT NULL,
            number INTEGER NOT NULL,
            seed TEXT NOT NULL,
            form TEXT NOT NULL,
            started_at TEXT NOT NULL,
            deadline TEXT,
            mode TEXT NOT NULL,
            responses TEXT NOT NULL DEFAULT '{}',
            submitted_at TEXT,
            auto_submitted INTEGER NOT NULL DEFAULT 0,
            item_scores TEXT,
            total REAL,
            passed INTEGER,
            UNIQUE (learner, blueprint_id, number)
        );
        """,
    ),
)
"""(version, SQL) steps; version 1 is the layout of the first release, which files already on disk have."""

LATEST = MIGRATIONS[-1][0]


def statements(sql: str) -> list[str]:
    """The single statements of a step (none of ours contains a semicolon inside a value)."""
    return [s.strip() for s in sql.split(";") if s.strip()]
