"""Games on SQLAlchemy: rows in, entities out, and the entities written back on commit."""

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, not_, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from questrya.common.value_objects import GameRating, MetadataStatus, Platform, ScoreSnapshot
from questrya.games.domain import (
    NOT_UNDOABLE,
    UNDO,
    CompletionLevel,
    Game,
    GameEvent,
    GameStatus,
)
from questrya.games.ports import GameListing
from questrya.games.query import ChoiceTerm, FlagTerm, RangeTerm, Term, Test, TitleTerm
from questrya.orm.events import next_change_id
from questrya.orm.identity import HandedOut
from questrya.orm.metadata_rows import metadata_of, score_of
from questrya.orm.models import GameEventRow, GameRow, GameScoreRow, GameTagRow
from questrya.orm.unit_of_work import SqlUnitOfWork

# Lifecycle order, the default sort of a listing.
_STATUS_ORDER = case(
    {status.value: rank for rank, status in enumerate(GameStatus)}, value=GameRow.status
)
_CHOICE_COLUMNS = {"status": GameRow.status, "metadata": GameRow.metadata_status}
_RANGE_COLUMNS: dict[str, InstrumentedAttribute[Any]] = {
    "rating": GameRow.rating,
    "released": GameRow.release_date,
    "started": GameRow.started_date,
    "completed": GameRow.completion_date,
    "added": GameRow.added_at,
}
_SORT_COLUMNS = {
    "title": GameRow.title_key,
    "platform": GameRow.platform_key,
    "status": _STATUS_ORDER,
    "rating": GameRow.rating,
    "release_date": GameRow.release_date,
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
        row = GameRow(id=game.id, user_id=game.owner_id)  # an id is kept when undo restores
        _write(game, row)
        self._session.add(row)
        self._session.flush()
        game.id = row.id
        self._seen.add(game, row)

    def get(self, owner_id: int, game_id: int) -> Game | None:
        rows = self._load(_owned(owner_id).where(GameRow.id == game_id))
        return rows[0] if rows else None

    def with_title(self, owner_id: int, title_key: str, *, exact: bool) -> list[Game]:
        column = GameRow.title_key
        match = column == title_key if exact else column.contains(title_key, autoescape=True)
        return self._load(_owned(owner_id).where(match).order_by(GameRow.id))

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

    def remove(self, game: Game) -> None:
        self._session.delete(self._seen.forget(game.id, "game"))

    def write_back(self) -> None:
        self._seen.write_back()

    def score_history(self, owner_id: int, game_id: int) -> list[ScoreSnapshot]:
        query = (
            select(GameScoreRow)
            .join(GameRow)
            .where(GameRow.user_id == owner_id, GameScoreRow.game_id == game_id)
            .order_by(GameScoreRow.id)
        )
        return [score_of(row) for row in self._session.scalars(query)]

    def _load(self, query: Select[GameRow]) -> list[Game]:
        rows = list(self._session.scalars(query))
        scores = self._latest_scores([row.id for row in rows])
        return [
            self._seen.entity(row, lambda row: _to_domain(row, scores.get(row.id))) for row in rows
        ]

    def _latest_scores(self, game_ids: list[int]) -> dict[int, ScoreSnapshot]:
        if not game_ids:
            return {}
        latest = (
            select(func.max(GameScoreRow.id))
            .where(GameScoreRow.game_id.in_(game_ids))
            .group_by(GameScoreRow.game_id)
        )
        rows = self._session.scalars(select(GameScoreRow).where(GameScoreRow.id.in_(latest)))
        return {row.game_id: score_of(row) for row in rows}


class SqlGameEventLog:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._change_id: int | None = None

    def record(self, event: GameEvent) -> None:
        self._session.add(
            GameEventRow(
                user_id=event.owner_id,
                game_id=event.game_id,
                change_id=self._current_change(),
                kind=event.kind,
                at=event.at,
                before=event.before,
                after=event.after,
            )
        )

    def of_game(self, owner_id: int, game_id: int) -> list[GameEvent]:
        query = (
            select(GameEventRow)
            .where(GameEventRow.user_id == owner_id, GameEventRow.game_id == game_id)
            .order_by(GameEventRow.id)
        )
        return [_event(row) for row in self._session.scalars(query)]

    def last_changes(self, owner_id: int, count: int) -> list[list[GameEvent]]:
        latest = (
            select(GameEventRow.change_id)
            .where(
                GameEventRow.user_id == owner_id,
                GameEventRow.undone_at.is_(None),
                GameEventRow.kind.not_like(f"{UNDO}%"),
                GameEventRow.kind.not_in(NOT_UNDOABLE),
            )
            .group_by(GameEventRow.change_id)
            .order_by(GameEventRow.change_id.desc())
            .limit(count)
        )
        rows = self._session.scalars(
            select(GameEventRow)
            .where(GameEventRow.change_id.in_(latest))
            .order_by(GameEventRow.change_id.desc(), GameEventRow.id)
        )
        changes: dict[int, list[GameEvent]] = {}
        for row in rows:
            changes.setdefault(row.change_id, []).append(_event(row))
        return list(changes.values())

    def mark_undone(self, change_id: int, at: datetime) -> None:
        self._session.execute(
            update(GameEventRow).where(GameEventRow.change_id == change_id).values(undone_at=at)
        )

    def _current_change(self) -> int:
        """One change id for every event of this unit of work."""
        if self._change_id is None:
            self._change_id = next_change_id(self._session)
        return self._change_id


class SqlGamesUnitOfWork(SqlUnitOfWork):
    games: SqlGameRepository
    events: SqlGameEventLog

    def _open(self, session: Session) -> None:
        self.games = SqlGameRepository(session)
        self.events = SqlGameEventLog(session)

    def _write_back(self) -> None:
        self.games.write_back()


def _owned(owner_id: int) -> Select[GameRow]:
    return select(GameRow).where(GameRow.user_id == owner_id)


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


def _event(row: GameEventRow) -> GameEvent:
    return GameEvent(
        id=row.id,
        change_id=row.change_id,
        owner_id=row.user_id,
        game_id=row.game_id,
        kind=row.kind,
        at=row.at,
        before=row.before,
        after=row.after,
        undone_at=row.undone_at,
    )


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
        metadata=metadata_of(row.game_metadata),
        score=score,
        metadata_error=row.fetch_error,
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
    row.metadata_status = game.metadata_status.value
    row.added_at = game.added_at
    row.updated_at = game.updated_at
    if [tag.tag for tag in row.tags] != list(game.tags):
        kept = {tag.tag: tag for tag in row.tags}
        row.tags = [kept.get(tag) or GameTagRow(tag=tag) for tag in game.tags]
