"""Live sessions: the instructor pushes a bank question, learners answer once each, the answer is revealed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01

A migration that has shipped is never edited: add the next one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

NAME = 200


def upgrade() -> None:
    op.create_table(
        "live_sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "live_polls",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("session_id", sa.Integer, sa.ForeignKey("live_sessions.id"), nullable=False),
        sa.Column("module", sa.String(NAME), nullable=False),
        sa.Column("question_id", sa.String(NAME), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revealed_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("live_polls_by_session", "live_polls", ["session_id"])
    op.create_table(
        "live_answers",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("poll_id", sa.Integer, sa.ForeignKey("live_polls.id"), nullable=False),
        sa.Column("learner", sa.String(NAME), sa.ForeignKey("learners.name"), nullable=False),
        sa.Column("response", sa.Text, nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("poll_id", "learner", name="live_answers_once"),
    )


def downgrade() -> None:
    for table in ("live_answers", "live_polls", "live_sessions"):
        op.drop_table(table)
