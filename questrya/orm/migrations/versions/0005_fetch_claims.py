"""Fetch claims: the token of the fetch that holds a game, which alone may settle it, and a
restart the player asked for while that fetch ran.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added, never altered: SQLite adds a column in place, without copying the table.
    op.add_column("games", sa.Column("fetch_claim", sa.String(32), nullable=True))
    op.add_column(
        "games",
        sa.Column("fetch_restart", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    # SQLite (3.35 and later) drops a column in place too.
    op.drop_column("games", "fetch_restart")
    op.drop_column("games", "fetch_claim")
