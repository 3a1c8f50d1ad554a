"""Playtime: the minutes a game was played (0 when unknown) and the day it was last played;
indexes on the provider ids an import matches its rows by.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Added, never altered: SQLite adds a column in place, without copying the table; the
    # default fills the rows already there.
    op.add_column("games", sa.Column("playtime", sa.Integer(), nullable=False, server_default="0"))
    op.add_column("games", sa.Column("last_played", sa.Date(), nullable=True))
    picked = sa.text("fetch_pick IS NOT NULL")
    op.create_index(
        "ix_games_user_fetch_pick",
        "games",
        ["user_id", "fetch_pick"],
        sqlite_where=picked,
        postgresql_where=picked,
    )
    op.create_index("ix_game_metadata_provider_id", "game_metadata", ["provider", "provider_id"])


def downgrade() -> None:
    op.drop_index("ix_game_metadata_provider_id", "game_metadata")
    op.drop_index("ix_games_user_fetch_pick", "games")
    # SQLite (3.35 and later) drops a column in place too.
    op.drop_column("games", "last_played")
    op.drop_column("games", "playtime")
