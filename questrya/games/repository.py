"""Games on SQLAlchemy: rows in, entities out, and the entities written back on commit."""

from collections.abc import Sequence
from datetime import datetime
from functools import partial

from sqlalchemy import Select, func, select, text
from sqlalchemy.orm import Session

from questrya.common.value_objects import GameRating, MetadataStatus, Platform, ScoreSnapshot
from questrya.games.domain import CompletionLevel, Game, GameStatus
from questrya.games.query import GameListing, compile_listing
from questrya.orm.event_log import SqlEventLog
from questrya.orm.identity import HandedOut
from questrya.orm.metadata_rows import metadata_of, score_of
from questrya.orm.models import GAME_IN_BACKLOG, GameRow, GameScoreRow, GameTagRow, id_batches
from questrya.orm.unit_of_work import SqlUnitOfWork

# The id of a game's latest score, one index lookup per game.
_LATEST_SCORE = (
    select(func.max(GameScoreRow.id))
    .where(GameScoreRow.game_id == GameRow.id)
    .correlate(GameRow)
    .scalar_subquery()
)


class SqlGameRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._seen: HandedOut[Game, GameRow] = HandedOut(lambda row: row.id, _write)
        self._leaving: list[Game] = []  # removed, written before the next read

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
        """The games of ``listing``, selected by the query compiler's SQL, then loaded."""
        self._settle()
        selection = compile_listing(owner_id, listing)
        # Typed by their values, the parameters are stored as the columns store them.
        ids = text(selection.ids()).bindparams(**selection.parameters)
        return self.with_ids(owner_id, list(self._session.scalars(ids)))

    def remove(self, game: Game, at: datetime) -> None:
        game.removed_at = at
        self._leaving.append(game)

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
        self._settle()
        query = (
            select(GameScoreRow)
            .join(GameRow)
            .where(GameRow.user_id == owner_id, GAME_IN_BACKLOG, GameScoreRow.game_id == game_id)
            .order_by(GameScoreRow.id)
        )
        return [score_of(row) for row in self._session.scalars(query)]

    def _settle(self) -> None:
        """Write the games removed since the last read, together: every read sees them gone,
        and a batch of removals (an import's undo) is one write, not one a game."""
        leaving, self._leaving = self._leaving, []
        if leaving:
            self._store(*leaving)

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
        self._settle()
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
        playtime=row.playtime,
        last_played=row.last_played,
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
    row.playtime = game.playtime
    row.last_played = game.last_played
    row.added_at = game.added_at
    row.updated_at = game.updated_at
    row.removed_at = game.removed_at
    if [tag.tag for tag in row.tags] != list(game.tags):
        kept = {tag.tag: tag for tag in row.tags}
        row.tags = [kept.get(tag) or GameTagRow(tag=tag) for tag in game.tags]
