"""Thin table definitions. Rows carry data only; the features' repositories translate them."""

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Dialect,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import DateTime


class UTCDateTime(TypeDecorator[datetime]):
    """Stores aware datetimes as naive UTC and gives them back aware, on every database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class GameRow(Base):
    __tablename__ = "games"
    __table_args__ = (
        {"sqlite_autoincrement": True},  # ids stay stable: a removed game's id is never reused
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    title_key: Mapped[str] = mapped_column(String(200))
    platform: Mapped[str] = mapped_column(String(50))
    platform_key: Mapped[str] = mapped_column(String(50), server_default=text("''"))  # compared
    status: Mapped[str] = mapped_column(String(20))
    release_date: Mapped[date | None]
    started_date: Mapped[date | None]
    completion_date: Mapped[date | None]
    completion_level: Mapped[str | None] = mapped_column(String(10))
    rating: Mapped[int | None]
    wishlist: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(Text, default="")
    playtime: Mapped[int] = mapped_column(default=0, server_default="0")  # minutes
    last_played: Mapped[date | None]
    metadata_status: Mapped[str] = mapped_column(String(20), index=True)
    added_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    removed_at: Mapped[datetime | None]
    # The fetch state lives on the row, not in the queue: a sweep can redo what a killed
    # worker lost. "Fetching" is `pending` with a lease that has not run out, held by the
    # fetch that took `fetch_claim`; only that one may settle it.
    fetch_attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    fetch_due_at: Mapped[datetime | None]
    fetch_lease_until: Mapped[datetime | None]
    fetch_claim: Mapped[str | None] = mapped_column(String(32))
    fetch_restart: Mapped[bool] = mapped_column(default=False, server_default=false())
    fetch_error: Mapped[str | None] = mapped_column(Text)
    fetch_candidates: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    fetch_pick: Mapped[str | None] = mapped_column(String(100))  # "steam:570", from `games match`

    game_metadata: Mapped["GameMetadataRow | None"] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )
    tags: Mapped[list["GameTagRow"]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        lazy="selectin",
        order_by="GameTagRow.tag",
    )


# A removed game keeps its row, tags, metadata and scores, so that `undo` brings all of it
# back; every read of a backlog leaves it out, and so does the duplicate rule. Migration 0004
# makes the index partial on PostgreSQL too; naming `postgresql_where` here would import
# SQLAlchemy's PostgreSQL dialect (about 20 ms) on every start, whatever the database.
GAME_IN_BACKLOG = GameRow.removed_at.is_(None)
Index(
    "uq_games_user_title_platform_key",
    GameRow.user_id,
    GameRow.title_key,
    GameRow.platform_key,
    unique=True,
    sqlite_where=GAME_IN_BACKLOG,
)
# The listings' indexes (the read side's SQL is in `games/query.py`): the default order,
# status in lifecycle order then title, which a status filter reads by its rank too; the
# platform filter. Migration 0006 makes them partial on PostgreSQL too: `postgresql_where`
# here would import SQLAlchemy's PostgreSQL dialect on every start, whatever the database.
STATUS_RANK = text(
    "(CASE status WHEN 'not_started' THEN 0 WHEN 'playing' THEN 1 WHEN 'on_hold' THEN 2"
    " WHEN 'completed' THEN 3 WHEN 'abandoned' THEN 4 END)"
)
Index(
    "ix_games_listing",
    GameRow.user_id,
    STATUS_RANK,
    GameRow.title_key,
    GameRow.id,
    sqlite_where=GAME_IN_BACKLOG,
)
Index(
    "ix_games_user_platform",
    GameRow.user_id,
    GameRow.platform_key,
    sqlite_where=GAME_IN_BACKLOG,
)
# An import matches a row by its provider id: the one a game's fetch is to use (migration
# 0007 makes this index partial on PostgreSQL too), and the one its metadata came from.
Index(
    "ix_games_user_fetch_pick",
    GameRow.user_id,
    GameRow.fetch_pick,
    sqlite_where=GameRow.fetch_pick.is_not(None),
)

# Ids bound into one statement, well under every database's limit on parameters.
_IDS_PER_STATEMENT = 500


def id_batches(ids: Iterable[int]) -> Iterator[list[int]]:
    """``ids``, each once and in order, in lists short enough to bind into one statement."""
    wanted = sorted(set(ids))
    for start in range(0, len(wanted), _IDS_PER_STATEMENT):
        yield wanted[start : start + _IDS_PER_STATEMENT]


class GameTagRow(Base):
    __tablename__ = "game_tags"
    __table_args__ = (Index("ix_game_tags_tag_game", "tag", "game_id"),)  # a tag filter

    game_id: Mapped[int] = mapped_column(
        ForeignKey("games.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(32), primary_key=True)


class GameMetadataRow(Base):
    __tablename__ = "game_metadata"
    __table_args__ = (Index("ix_game_metadata_provider_id", "provider", "provider_id"),)

    game_id: Mapped[int] = mapped_column(
        ForeignKey("games.id", ondelete="CASCADE"), primary_key=True
    )
    provider: Mapped[str] = mapped_column(String(20))
    provider_id: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(300))
    release_date: Mapped[date | None]
    genres: Mapped[list[str]] = mapped_column(JSON)
    developers: Mapped[list[str]] = mapped_column(JSON)
    publishers: Mapped[list[str]] = mapped_column(JSON)
    description: Mapped[str] = mapped_column(Text)
    cover_url: Mapped[str | None] = mapped_column(String(1000))
    url: Mapped[str | None] = mapped_column(String(1000))
    fetched_at: Mapped[datetime]
    typical_hours: Mapped[int | None]  # how long the game takes, where the provider says


class GameScoreRow(Base):
    """One dated snapshot of a game's review scores: the history shows the trend."""

    __tablename__ = "game_scores"
    __table_args__ = (Index("ix_game_scores_game_id", "game_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    game_id: Mapped[int] = mapped_column(ForeignKey("games.id", ondelete="CASCADE"))
    fetched_at: Mapped[datetime]
    user_score: Mapped[float | None]
    user_votes: Mapped[int | None]
    critic_score: Mapped[int | None]
    label: Mapped[str | None] = mapped_column(String(40))


class ChangeRow(Base):
    """One command's change: its events share its id, so `undo` takes back whole changes."""

    __tablename__ = "changes"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    at: Mapped[datetime]


class GameEventRow(Base):
    """One recorded change to one game. ``game_id`` has no foreign key: the history of a game
    stays whatever becomes of its row."""

    __tablename__ = "game_events"
    __table_args__ = (Index("ix_game_events_user_change", "user_id", "change_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    game_id: Mapped[int] = mapped_column(index=True)
    change_id: Mapped[int] = mapped_column(
        ForeignKey("changes.id", ondelete="CASCADE", name="fk_game_events_change_id"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime]
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    undone_at: Mapped[datetime | None]


class DigestRow(Base):
    """A profile's weekly digest: claimed (``claim``, until ``lease_until``) before it is sent,
    ``sent_at`` once sent, so that each week's goes out once whoever sends it."""

    __tablename__ = "digests"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    week: Mapped[str] = mapped_column(String(8), primary_key=True)  # ISO week: "2026-W49"
    claim: Mapped[str | None] = mapped_column(String(32))
    lease_until: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
