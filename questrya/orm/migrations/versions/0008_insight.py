"""Insight: a game's typical length from its metadata (RAWG's average playtime, in hours), and
the weekly digests, each claimed before it is sent, so that a week's goes out once.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added, never altered: SQLite adds a column in place, without copying the table.
    op.add_column("game_metadata", sa.Column("typical_hours", sa.Integer(), nullable=True))
    op.create_table(
        "digests",
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("claim", sa.String(32), nullable=True),
        sa.Column("lease_until", sa.DateTime(), nullable=True),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("user_id", "week"),
    )


def downgrade() -> None:
    op.drop_table("digests")
    # SQLite (3.35 and later) drops a column in place too.
    op.drop_column("game_metadata", "typical_hours")
