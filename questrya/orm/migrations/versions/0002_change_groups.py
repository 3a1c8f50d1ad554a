"""Group the events of one command into one change, and mark changes undone.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("game_events") as batch:
        batch.add_column(sa.Column("change_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("undone_at", sa.DateTime(), nullable=True))
    # Before this revision every event was a change of its own.
    op.execute("UPDATE game_events SET change_id = id")
    with op.batch_alter_table("game_events") as batch:
        batch.alter_column("change_id", existing_type=sa.Integer(), nullable=False)
        batch.create_index("ix_game_events_user_change", ["user_id", "change_id"])


def downgrade() -> None:
    with op.batch_alter_table("game_events") as batch:
        batch.drop_index("ix_game_events_user_change")
        batch.drop_column("undone_at")
        batch.drop_column("change_id")
