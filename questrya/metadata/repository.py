"""Fetch state, metadata and scores on SQLAlchemy: rows in, ``GameFetch`` out, and back."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, case, func, select, update
from sqlalchemy.orm import Session

from questrya.common.value_objects import MetadataStatus
from questrya.metadata.domain import (
    Candidate,
    CandidateKind,
    GameFetch,
    Offer,
)
from questrya.orm.event_log import SqlEventLog
from questrya.orm.identity import HandedOut
from questrya.orm.metadata_rows import metadata_of, metadata_row, score_row
from questrya.orm.models import GAME_IN_BACKLOG, GameMetadataRow, GameRow, id_batches
from questrya.orm.unit_of_work import SqlUnitOfWork


class SqlFetchRepository:
    """``lock_rows``: in a writing unit of work, the rows read are locked until the commit
    (`orm/locks.py`), so that a player's change and a worker's claim never cross."""

    def __init__(self, session: Session, *, lock_rows: bool = False) -> None:
        self._session = session
        self._lock_rows = lock_rows
        self._seen: HandedOut[GameFetch, GameRow] = HandedOut(
            lambda row: row.id, lambda fetch, row: _write(fetch, row, session)
        )

    def get(self, game_id: int) -> GameFetch | None:
        """The game, its row locked until the commit: what a fetch claims, renews or settles
        is checked and written as one step (SQLite's BEGIN IMMEDIATE holds the lock already)."""
        return _first(self._load(select(GameRow).where(GameRow.id == game_id, GAME_IN_BACKLOG)))

    def owned(self, owner_id: int, game_ids: Sequence[int]) -> list[GameFetch]:
        return [
            fetch
            for batch in id_batches(game_ids)
            for fetch in self._load(
                _owned(owner_id).where(GameRow.id.in_(batch)).order_by(GameRow.id)
            )
        ]

    def with_title(self, owner_id: int, title_key: str, *, exact: bool) -> list[GameFetch]:
        column = GameRow.title_key
        match = column == title_key if exact else column.contains(title_key, autoescape=True)
        return self._load(_owned(owner_id).where(match).order_by(GameRow.id))

    def of_owner(self, owner_id: int) -> list[GameFetch]:
        return self._load(_owned(owner_id).order_by(GameRow.id))

    def ready(self, now: datetime) -> list[int]:
        query = (
            select(GameRow.id)
            .where(
                GAME_IN_BACKLOG,
                GameRow.metadata_status == MetadataStatus.PENDING.value,
                (GameRow.fetch_due_at.is_(None)) | (GameRow.fetch_due_at <= now),
                (GameRow.fetch_lease_until.is_(None)) | (GameRow.fetch_lease_until <= now),
            )
            .order_by(GameRow.id)
        )
        return list(self._session.scalars(query))

    def release_leases(self) -> int:
        result = self._session.execute(
            update(GameRow)
            .where(GameRow.fetch_lease_until.is_not(None))
            .values(fetch_lease_until=None)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    def waiting(self) -> tuple[int, datetime | None]:
        pending = GameRow.metadata_status == MetadataStatus.PENDING.value
        query = select(
            func.count(),
            func.max(case((GameRow.fetch_due_at.is_(None), 1), else_=0)),
            func.min(GameRow.fetch_due_at),
        ).where(GAME_IN_BACKLOG, pending)
        games, any_due_now, soonest = self._session.execute(query).one()
        return int(games), None if any_due_now else soonest

    def scored_ids(self, provider: str, *, owner_id: int | None = None) -> list[int]:
        query = select(GameRow.id).where(_scored_from(provider)).order_by(GameRow.id)
        if owner_id is not None:
            query = query.where(GameRow.user_id == owner_id)
        return list(self._session.scalars(query))

    def scored_among(self, provider: str, game_ids: Sequence[int]) -> list[GameFetch]:
        query = select(GameRow).where(_scored_from(provider), GameRow.id.in_(game_ids))
        return self._load(query.order_by(GameRow.id))

    def counts(self) -> dict[str, int]:
        query = (
            select(GameRow.metadata_status, func.count())
            .where(GAME_IN_BACKLOG)
            .group_by(GameRow.metadata_status)
        )
        found: dict[str, int] = dict(self._session.execute(query).all())
        return {status.value: found.get(status.value, 0) for status in MetadataStatus}

    def write_back(self) -> None:
        self._seen.write_back()

    def _load(self, query: Select[GameRow]) -> list[GameFetch]:
        """The games of ``query`` (in the order of their ids, so that two writers locking
        several take them in the same order)."""
        if self._lock_rows:
            query = query.with_for_update(key_share=True)
        return [self._seen.entity(row, _to_domain) for row in self._session.scalars(query)]


class SqlMetadataUnitOfWork(SqlUnitOfWork):
    fetches: SqlFetchRepository
    events: SqlEventLog

    def _open(self, session: Session) -> None:
        self.fetches = SqlFetchRepository(session, lock_rows=self.writing)
        self.events = SqlEventLog(session)

    def _write_back(self) -> None:
        self.fetches.write_back()


def _scored_from(provider: str) -> ColumnElement[bool]:
    """The games a score refresh from ``provider`` applies to (``GameFetch.scored_from``)."""
    return and_(
        GAME_IN_BACKLOG,
        GameRow.metadata_status == MetadataStatus.FETCHED.value,
        GameRow.game_metadata.has(GameMetadataRow.provider == provider),
    )


def _owned(owner_id: int) -> Select[GameRow]:
    return select(GameRow).where(GameRow.user_id == owner_id, GAME_IN_BACKLOG)


def _first(fetches: list[GameFetch]) -> GameFetch | None:
    return fetches[0] if fetches else None


def _to_domain(row: GameRow) -> GameFetch:
    return GameFetch(
        game_id=row.id,
        owner_id=row.user_id,
        title=row.title,
        status=MetadataStatus(row.metadata_status),
        attempts=row.fetch_attempts,
        due_at=row.fetch_due_at,
        lease_until=row.fetch_lease_until,
        claim_token=row.fetch_claim,
        restart_asked=row.fetch_restart,
        error=row.fetch_error,
        offers=tuple(_offer(item) for item in row.fetch_candidates or ()),
        pick=_pick(row.fetch_pick),
        metadata=metadata_of(row.game_metadata),
    )


def _write(fetch: GameFetch, row: GameRow, session: Session) -> None:
    row.metadata_status = fetch.status.value
    row.fetch_attempts = fetch.attempts
    row.fetch_due_at = fetch.due_at
    row.fetch_lease_until = fetch.lease_until
    row.fetch_claim = fetch.claim_token
    row.fetch_restart = fetch.restart_asked
    row.fetch_error = fetch.error
    row.fetch_candidates = [_offer_json(offer) for offer in fetch.offers] or None
    row.fetch_pick = fetch.pick_label() or None
    if fetch.metadata is not None and metadata_of(row.game_metadata) != fetch.metadata:
        row.game_metadata = metadata_row(row.id, fetch.metadata, fetch.fetched_at or row.updated_at)
    if fetch.new_score is not None:
        session.add(score_row(row.id, fetch.new_score))
        fetch.new_score = None  # written once, even if the unit of work writes back twice


def _offer(item: dict[str, Any]) -> Offer:
    released = item.get("release_date")
    return Offer(
        Candidate(
            provider=item["provider"],
            provider_id=item["provider_id"],
            title=item["title"],
            kind=CandidateKind(item.get("kind", "game")),
            release_date=date.fromisoformat(released) if released else None,
        ),
        similarity=float(item["similarity"]),
    )


def _offer_json(offer: Offer) -> dict[str, Any]:
    candidate = offer.candidate
    return {
        "provider": candidate.provider,
        "provider_id": candidate.provider_id,
        "title": candidate.title,
        "kind": candidate.kind.value,
        "release_date": candidate.release_date.isoformat() if candidate.release_date else None,
        "similarity": round(offer.similarity, 4),
    }


def _pick(text: str | None) -> Candidate | None:
    if not text:
        return None
    provider, _, provider_id = text.partition(":")
    return Candidate(provider=provider, provider_id=provider_id, title="")
