"""The final assessment: every attempt (form, responses with their times, scores) and the certificates issued.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

A migration that has shipped is never edited: add the next one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

NAME = 200


def upgrade() -> None:
    op.create_table(
        "assessment_attempts",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("learner", sa.String(NAME), sa.ForeignKey("learners.name"), nullable=False),
        sa.Column("blueprint_id", sa.String(NAME), nullable=False),
        sa.Column("attempt_no", sa.Integer, nullable=False),
        sa.Column("form_items", sa.Text, nullable=False),
        sa.Column("seed", sa.String(64), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deadline", sa.DateTime(timezone=True), nullable=True),
        sa.Column("responses", sa.Text, nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("auto_submitted", sa.Boolean, nullable=False),
        sa.Column("item_scores", sa.Text, nullable=True),
        sa.Column("total", sa.Double, nullable=True),
        sa.Column("passed", sa.Boolean, nullable=True),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.UniqueConstraint("learner", "blueprint_id", "attempt_no", name="assessment_attempt_once"),
    )
    op.create_table(
        "certificates",
        sa.Column("code", sa.String(20), primary_key=True),
        sa.Column("attempt_id", sa.Integer, sa.ForeignKey("assessment_attempts.id"), nullable=False, unique=True),
        sa.Column("learner", sa.String(NAME), sa.ForeignKey("learners.name"), nullable=False),
        sa.Column("claims", sa.Text, nullable=False),
        sa.Column("signature", sa.Text, nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
    )
    op.create_index("certificates_by_learner", "certificates", ["learner"])


def downgrade() -> None:
    op.drop_index("certificates_by_learner", "certificates")
    for table in ("certificates", "assessment_attempts"):
        op.drop_table(table)
