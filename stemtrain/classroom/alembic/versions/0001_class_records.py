"""The first class schema: learners, tokens, answers, profiles, settings.

Revision ID: 0001
Revises:
Create Date: 2026-06-01

A migration that has shipped is never edited: add the next one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

NAME = 200


def upgrade() -> None:
    op.create_table(
        "learners",
        sa.Column("name", sa.String(NAME), primary_key=True),
        sa.Column("display_name", sa.String(NAME), nullable=False),
        sa.Column("identity_source", sa.String(16), nullable=False),
        sa.Column("verified", sa.Boolean, nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "tokens",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("learner", sa.String(NAME), sa.ForeignKey("learners.name"), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("tokens_by_learner", "tokens", ["learner"])
    op.create_table(
        "answers",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer, "sqlite"), primary_key=True, autoincrement=True),
        sa.Column("learner", sa.String(NAME), sa.ForeignKey("learners.name"), nullable=False),
        sa.Column("module", sa.String(NAME), nullable=False),
        sa.Column("question_id", sa.String(NAME), nullable=False),
        sa.Column("parent_id", sa.String(NAME), nullable=True),
        sa.Column("attempt", sa.Integer, nullable=False),
        sa.Column("correct", sa.Boolean, nullable=False),
        sa.Column("score", sa.Double, nullable=False),
        sa.Column("max_score", sa.Double, nullable=False),
        sa.Column("response", sa.Text, nullable=False),
        sa.Column("content_hash", sa.String(NAME), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event_id", sa.String(NAME), nullable=False),
        sa.UniqueConstraint("event_id", name="answers_event"),
        sa.UniqueConstraint("learner", "module", "question_id", "attempt", name="answers_attempt"),
    )
    op.create_table(
        "profiles",
        sa.Column("learner", sa.String(NAME), sa.ForeignKey("learners.name"), primary_key=True),
        sa.Column("display_name", sa.String(NAME), nullable=False),
        sa.Column("staff_id", sa.String(NAME), nullable=False),
        sa.Column("role", sa.String(NAME), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("settings", "profiles", "answers", "tokens", "learners"):
        op.drop_table(table)
