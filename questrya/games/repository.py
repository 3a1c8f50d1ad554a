"""Games on SQLAlchemy: rows in, entities out, and the entities written back on commit."""

from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from functools import partial
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, not_, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from questrya.common.value_objects import GameRating, MetadataStatus, Platform, ScoreSnapshot
from questrya.games.domain import CompletionLevel, Game, GameStatus
from questrya.games.ports import GameListing
from questrya.games.query import ChoiceTerm, FlagTerm, RangeTerm, Term, Test, TitleTerm
from questrya.orm.event_log import SqlEventLog
from questrya.orm.identity import HandedOut
from questrya.orm.metadata_rows import metadata_of, score_of
from questrya.orm.models import (
    GAME_IN_BACKLOG,
    GameMetadataRow,
    GameRow,
    GameScoreRow,
    GameTagRow,
    id_batches,
)
from questrya.orm.unit_of_work import SqlUnitOfWork

# Lifecycle order, the default sort of a listing.
_STATUS_ORDER = case(
    {status.value: rank for rank, status in enumerate(GameStatus)}, value=GameRow.status
)
_FETCHED_RELEASE = (
    select(GameMetadataRow.release_date)
    .where(GameMetadataRow.game_id == GameRow.id)
    .correlate(GameRow)
    .scalar_subquery()
)
# `Game.released` in SQL: the player's release date, else the metadata's when it keeps the
# rule release ≤ started ≤ completed.
_RELEASED = func.coalesce(
    GameRow.release_date,
    case(
        (
            and_(
                or_(GameRow.started_date.is_(None), GameRow.started_date >= _FETCHED_RELEASE),
                or_(
                    GameRow.completion_date.is_(None),
                    GameRow.completion_date >= _FETCHED_RELEASE,
                ),
            ),
            _FETCHED_RELEASE,
        )
    ),
)
# The id of a game's latest score, one index lookup per game.
_LATEST_SCORE = (
    select(func.max(GameScoreRow.id))
    .where(GameScoreRow.game_id == GameRow.id)
    .correlate(GameRow)
    .scalar_subquery()
)
_CHOICE_COLUMNS = {"status": GameRow.status, "metadata": GameRow.metadata_status}
_RANGE_COLUMNS: dict[str, ColumnElement[Any] | InstrumentedAttribute[Any]] = {
    "rating": GameRow.rating,
    "released": _RELEASED,
    "started": GameRow.started_date,
    "completed": GameRow.completion_date,
    "added": GameRow.added_at,
}
_SORT_COLUMNS = {
    "title": GameRow.title_key,
    "platform": GameRow.platform_key,
    "status": _STATUS_ORDER,
    "rating": GameRow.rating,
    "release_date": _RELEASED,
    "started_date": GameRow.started_date,
    "completion_date": GameRow.completion_date,
    "added_at": GameRow.added_at,
    "updated_at": GameRow.updated_at,
    "id": GameRow.id,
}


class SqlGameRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._seen: HandedOut[Game, GameRow] = HandedOut(lambda row: row.id, _write)

    def add(self, game: Game) -> None:
        self._store_now()
        # An id is kept when undo rebuilds a game; the metadata status is the games feature's
        # only when the game is created.
        row = GameRow(id=game.id, user_id=game.owner_id, metadata_status=game.metadata_status.value)
        _write(game, row)
        self._session.add(row)
        self._session.flush()
        game.id = row.id
        self._seen.add(game, row)

    def with_title(self, owner_id: int, title_key: str, *, exact: bool) -> list[Game]:
        column = GameRow.title_key
        match = column == title_key if exact else column.contains(title_key, autoescape=True)
        return self._load(_owned(owner_id).where(match).order_by(GameRow.id))

    def with_ids(self, owner_id: int, ids: Sequence[int]) -> list[Game]:
        found = {
            game.id: game
            for batch in id_batches(ids)
            for game in self._load(_owned(owner_id).where(GameRow.id.in_(batch)))
        }
        return [found[game_id] for game_id in ids if game_id in found]

    def find(self, owner_id: int, listing: GameListing) -> list[Game]:
        query = _owned(owner_id).where(*(_condition(term) for term in listing.query.terms))
        if listing.sort is None:
            query = query.order_by(_STATUS_ORDER, GameRow.title_key, GameRow.id)
        else:
            column = _SORT_COLUMNS[listing.sort]
            ordered = column.desc() if listing.descending else column.asc()
            query = query.order_by(ordered.nulls_last(), GameRow.title_key, GameRow.id)
        if listing.limit is not None:
            query = query.limit(listing.limit)
        return self._load(query)

    def remove(self, game: Game, at: datetime) -> None:
        game.removed_at = at
        self._store(game)

    def removed(self, owner_id: int, game_id: int) -> Game | None:
        query = select(GameRow).where(
            GameRow.user_id == owner_id, GameRow.id == game_id, GameRow.removed_at.is_not(None)
        )
        return _first(self._load(query))

    def bring_back(self, game: Game) -> None:
        # First the games whose rows hold its title: one renamed in this unit of work frees it.
        self._store(*self.with_title(game.owner_id, game.title_key, exact=True))
        game.removed_at = None
        self._store(game)

    def write_back(self) -> None:
        self._seen.write_back()

    def score_history(self, owner_id: int, game_id: int) -> list[ScoreSnapshot]:
        query = (
            select(GameScoreRow)
            .join(GameRow)
            .where(GameRow.user_id == owner_id, GAME_IN_BACKLOG, GameScoreRow.game_id == game_id)
            .order_by(GameScoreRow.id)
        )
        return [score_of(row) for row in self._session.scalars(query)]

    def _store(self, *games: Game) -> None:
        """Write only these games to their rows now: a game that enters or leaves the backlog
        does so at once for this unit of work's next reads. Writing every game handed out
        each time would make a batch of removals as slow as its square."""
        for game in games:
            self._seen.write_one(game.id)
        self._session.flush()

    def _store_now(self) -> None:
        """Write the games handed out to their rows before the commit: a game that enters the
        backlog does so at once for this unit of work's next reads, and after the changes
        made before it (the unique index on titles is checked row by row)."""
        self._seen.write_back()
        self._session.flush()

    def _load(self, query: Select[GameRow]) -> list[Game]:
        """The games of ``query``, each with its latest score."""
        scored = query.add_columns(GameScoreRow).outerjoin(
            GameScoreRow, GameScoreRow.id == _LATEST_SCORE
        )
        return [
            self._seen.entity(row, partial(_to_domain, score=score_of(score) if score else None))
            for row, score in self._session.execute(scored)
        ]


class SqlGamesUnitOfWork(SqlUnitOfWork):
    games: SqlGameRepository
    events: SqlEventLog

    def _open(self, session: Session) -> None:
        self.games = SqlGameRepository(session)
        self.events = SqlEventLog(session)

    def _write_back(self) -> None:
        self.games.write_back()


def _owned(owner_id: int) -> Select[GameRow]:
    return select(GameRow).where(GameRow.user_id == owner_id, GAME_IN_BACKLOG)


def _first(games: list[Game]) -> Game | None:
    return games[0] if games else None


def _condition(term: Term) -> ColumnElement[bool]:
    """One query term as SQL. Each condition is true or false, never NULL, so that negating
    it keeps the games whose field is empty: `-rating:7..` lists the unrated games too."""
    condition = _test(term.test)
    return not_(condition) if term.negated else condition


def _test(test: Test) -> ColumnElement[bool]:
    match test:
        case TitleTerm(text):
            return GameRow.title_key.contains(text, autoescape=True)
        case ChoiceTerm("tag", values):
            return GameRow.tags.any(GameTagRow.tag.in_(values))
        case ChoiceTerm("platform", values):
            return GameRow.platform_key.in_([Platform(value).key for value in values])
        case ChoiceTerm(field, values):
            return _CHOICE_COLUMNS[field].in_(values)
        case FlagTerm(_, value):
            return GameRow.wishlist.is_(value)
        case RangeTerm(field, low, high):
            column = _RANGE_COLUMNS[field]
            bounds: list[ColumnElement[bool]] = [column.is_not(None)]
            if low is not None:
                bounds.append(column >= _bound(field, low, end=False))
            if high is not None:
                bounds.append(column <= _bound(field, high, end=True))
            return and_(*bounds)
    raise ValueError(f"unknown query term {test!r}")


def _bound(field: str, value: int | date, *, end: bool) -> int | date | datetime:
    """`added` is a timestamp: a day bound covers that whole local day."""
    if field != "added" or not isinstance(value, date):
        return value
    moment = datetime.combine(value, time.max if end else time.min)
    return moment.astimezone(UTC)


def _to_domain(row: GameRow, score: ScoreSnapshot | None) -> Game:
    return Game(
        id=row.id,
        owner_id=row.user_id,
        title=row.title,
        platform=Platform(row.platform),
        status=GameStatus(row.status),
        release_date=row.release_date,
        started_date=row.started_date,
        completion_date=row.completion_date,
        completion_level=CompletionLevel(row.completion_level) if row.completion_level else None,
        rating=GameRating(row.rating) if row.rating is not None else None,
        wishlist=row.wishlist,
        tags=tuple(tag.tag for tag in row.tags),
        notes=row.notes,
        metadata_status=MetadataStatus(row.metadata_status),
        added_at=row.added_at,
        updated_at=row.updated_at,
        removed_at=row.removed_at,
        metadata=metadata_of(row.game_metadata),
        score=score,
        metadata_error=row.fetch_error,
        metadata_attempts=row.fetch_attempts,
        metadata_retry_at=row.fetch_due_at,
        metadata_candidates=len(row.fetch_candidates or ()),
    )


def _write(game: Game, row: GameRow) -> None:
    row.title = game.title
    row.title_key = game.title_key
    row.platform = game.platform.name
    row.platform_key = game.platform.key
    row.status = game.status.value
    row.release_date = game.release_date
    row.started_date = game.started_date
    row.completion_date = game.completion_date
    row.completion_level = game.completion_level.value if game.completion_level else None
    row.rating = game.rating.score if game.rating else None
    row.wishlist = game.wishlist
    row.notes = game.notes
    row.added_at = game.added_at
    row.updated_at = game.updated_at
    row.removed_at = game.removed_at
    if [tag.tag for tag in row.tags] != list(game.tags):
        kept = {tag.tag: tag for tag in row.tags}
        row.tags = [kept.get(tag) or GameTagRow(tag=tag) for tag in game.tags]
