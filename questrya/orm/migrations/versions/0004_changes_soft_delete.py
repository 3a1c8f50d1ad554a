"""A table of changes; removed games kept for undo; the worker's release dates out of the
player's column; and no index or constraint that no query uses.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Only the games still in a backlog are unique by title and platform: a removed one stays.
IN_BACKLOG = sa.text("removed_at IS NULL")
TITLE_PLATFORM = ["user_id", "title_key", "platform_key"]


def upgrade() -> None:
    _add_changes()
    _clear_release_dates_the_worker_set()
    op.drop_index("ix_games_title_key", "games")
    op.drop_index("uq_games_user_title_platform_key", "games")
    with (
        _sequence_kept("games"),
        op.batch_alter_table("games", table_kwargs={"sqlite_autoincrement": True}) as batch,
    ):
        # Implied by the unique index on the platform key. On SQLite this copies the table,
        # which `questrya.orm.migrate` does with the foreign keys off: dropping the old copy
        # would otherwise delete every game's tags, metadata and scores.
        batch.drop_constraint("uq_games_user_title_platform", type_="unique")
        batch.add_column(sa.Column("removed_at", sa.DateTime(), nullable=True))
    op.create_index(
        "uq_games_user_title_platform_key",
        "games",
        TITLE_PLATFORM,
        unique=True,
        sqlite_where=IN_BACKLOG,
        postgresql_where=IN_BACKLOG,
    )
    op.drop_index("ix_game_tags_tag", "game_tags")


def _add_changes() -> None:
    """A change id used to be the highest one plus one, a scan of the events on every write
    (and a collision between two PostgreSQL writers); each change becomes a row of its own,
    keeping its id."""
    op.create_table(
        "changes",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("at", sa.DateTime(), nullable=False),
        sqlite_autoincrement=True,
    )
    op.execute(
        "INSERT INTO changes (id, user_id, at)"
        " SELECT change_id, min(user_id), min(at) FROM game_events GROUP BY change_id"
    )
    if op.get_bind().dialect.name == "postgresql":  # a serial column skips explicit ids
        op.execute(
            "SELECT setval(pg_get_serial_sequence('changes', 'id'), coalesce(max(id), 0) + 1,"
            " false) FROM changes"
        )
    with op.batch_alter_table("game_events") as batch:
        batch.drop_index("ix_game_events_user_at")
        batch.create_foreign_key(
            "fk_game_events_change_id", "changes", ["change_id"], ["id"], ondelete="CASCADE"
        )
        batch.create_index("ix_game_events_change_id", ["change_id"])


def _clear_release_dates_the_worker_set() -> None:
    """The worker filled `games.release_date`, the player's own, when it was empty; now the
    metadata's date is shown at read time instead. Where the last event that set a game's
    date is the worker's and the date still equals the metadata's, the column is cleared:
    nothing the player typed is lost, and what they see stays the same."""
    games = sa.table("games", sa.column("id"), sa.column("release_date"))
    metadata = sa.table("game_metadata", sa.column("game_id"), sa.column("release_date"))
    events = sa.table(
        "game_events",
        sa.column("id"),
        sa.column("game_id"),
        sa.column("kind"),
        sa.column("after", sa.JSON()),
    )
    history = (
        sa.select(events.c.game_id, events.c.kind, events.c.after)
        .join(games, games.c.id == events.c.game_id)
        .join(metadata, metadata.c.game_id == games.c.id)
        .where(games.c.release_date == metadata.c.release_date)
        .order_by(events.c.id)
    )
    bind = op.get_bind()
    last_setter: dict[int, str] = {}
    for game_id, kind, after in bind.execute(history):
        if after and "release_date" in after:
            last_setter[game_id] = kind
    cleared = [{"game": game_id} for game_id, kind in last_setter.items() if kind == "metadata"]
    if cleared:
        clear = games.update().where(games.c.id == sa.bindparam("game")).values(release_date=None)
        bind.execute(clear, cleared)


@contextmanager
def _sequence_kept(table: str) -> Iterator[None]:
    """Keep an AUTOINCREMENT table's sequence across a copy of the table: the copy would
    start from its highest id, and give a removed game's id (its history has it) again."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        yield
        return
    sequence = sa.text("SELECT seq FROM sqlite_sequence WHERE name = :table")
    highest = bind.execute(sequence, {"table": table}).scalar()
    yield
    if highest is not None and (bind.execute(sequence, {"table": table}).scalar() or 0) < highest:
        bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :table"), {"table": table})
        bind.execute(
            sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :seq)"),
            {"table": table, "seq": highest},
        )


def downgrade() -> None:
    # The earlier schema has no place for removed games, nor a way to tell them apart.
    for child in ("game_tags", "game_metadata", "game_scores"):
        op.execute(
            f"DELETE FROM {child} WHERE game_id IN (SELECT id FROM games"
            " WHERE removed_at IS NOT NULL)"
        )
    op.execute("DELETE FROM games WHERE removed_at IS NOT NULL")
    # Earlier releases filled an empty release date from the metadata.
    op.execute(
        "UPDATE games SET release_date = (SELECT release_date FROM game_metadata"
        " WHERE game_metadata.game_id = games.id) WHERE release_date IS NULL"
    )
    op.create_index("ix_game_tags_tag", "game_tags", ["tag"])
    op.drop_index("uq_games_user_title_platform_key", "games")
    with (
        _sequence_kept("games"),
        op.batch_alter_table("games", table_kwargs={"sqlite_autoincrement": True}) as batch,
    ):
        batch.drop_column("removed_at")
        batch.create_unique_constraint(
            "uq_games_user_title_platform", ["user_id", "title_key", "platform"]
        )
    op.create_index("uq_games_user_title_platform_key", "games", TITLE_PLATFORM, unique=True)
    op.create_index("ix_games_title_key", "games", ["title_key"])
    with op.batch_alter_table("game_events") as batch:
        batch.drop_index("ix_game_events_change_id")
        batch.drop_constraint("fk_game_events_change_id", type_="foreignkey")
        batch.create_index("ix_game_events_user_at", ["user_id", "id"])
    op.drop_table("changes")
