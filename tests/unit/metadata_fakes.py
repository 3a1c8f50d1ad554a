"""In-memory fakes behind the metadata ports: a scripted provider, a unit of work, a queue."""

import copy
from collections.abc import Callable, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Self

from questrya.common.events import GameEvent
from questrya.common.value_objects import GameMetadata, MetadataStatus, ScoreSnapshot
from questrya.metadata.domain import Candidate, CandidateKind, GameFetch
from tests.unit.fakes import NOW, FakeEventLog


class ScriptedProvider:
    """Answers from dicts; a value that is an exception is raised instead. ``meanwhile``,
    when set, runs on every call before the answer: what happens while a fetch waits on the
    network (the player's commands, another worker's task)."""

    name = "steam"

    def __init__(self) -> None:
        self.results: dict[str, list[Candidate] | Exception] = {}
        self.games: dict[str, GameMetadata | CandidateKind | Exception | None] = {}
        self.score_answers: dict[str, ScoreSnapshot | Exception | None] = {}
        self.calls: list[str] = []
        self.meanwhile: Callable[[str], object] | None = None

    def search(self, title: str) -> list[Candidate]:
        self._called(f"search {title}")
        return _answer(self.results.get(title, []))

    def details(self, provider_id: str) -> GameMetadata | CandidateKind | None:
        self._called(f"details {provider_id}")
        return _answer(self.games.get(provider_id))

    def scores(self, provider_id: str) -> ScoreSnapshot | None:
        self._called(f"scores {provider_id}")
        return _answer(self.score_answers.get(provider_id))

    def _called(self, call: str) -> None:
        self.calls.append(call)
        if self.meanwhile is not None:
            self.meanwhile(call)


def _answer(value: Any) -> Any:
    if isinstance(value, Exception):
        raise value
    return value


class FakeFetchRepository:
    def __init__(self, committed: dict[int, GameFetch]) -> None:
        self.working = {game_id: copy.deepcopy(f) for game_id, f in committed.items()}
        self.released = 0

    def get(self, game_id: int) -> GameFetch | None:
        return self.working.get(game_id)

    def owned(self, owner_id: int, game_ids: Sequence[int]) -> list[GameFetch]:
        found = (self.working.get(game_id) for game_id in game_ids)
        return [fetch for fetch in found if fetch is not None and fetch.owner_id == owner_id]

    def with_title(self, owner_id: int, title_key: str, *, exact: bool) -> list[GameFetch]:
        return [
            f
            for f in self.of_owner(owner_id)
            if (f.title.lower() == title_key if exact else title_key in f.title.lower())
        ]

    def of_owner(self, owner_id: int) -> list[GameFetch]:
        return [f for _, f in sorted(self.working.items()) if f.owner_id == owner_id]

    def ready(self, now: datetime) -> list[int]:
        return [game_id for game_id, f in sorted(self.working.items()) if f.ready(now)]

    def release_leases(self) -> int:
        held = [f for f in self.working.values() if f.lease_until is not None]
        for fetch in held:
            fetch.release()
        return len(held)

    def waiting(self) -> tuple[int, datetime | None]:
        pending = [f for f in self.working.values() if f.status is MetadataStatus.PENDING]
        due = [f.due_at for f in pending if f.due_at is not None]
        return len(pending), (min(due) if due and len(due) == len(pending) else None)

    def scored_ids(self, provider: str, *, owner_id: int | None = None) -> list[int]:
        return [
            game_id
            for game_id, f in sorted(self.working.items())
            if f.scored_from(provider) and owner_id in (None, f.owner_id)
        ]

    def scored_among(self, provider: str, game_ids: Sequence[int]) -> list[GameFetch]:
        found = (self.working.get(game_id) for game_id in game_ids)
        return [f for f in found if f is not None and f.scored_from(provider)]

    def counts(self) -> dict[str, int]:
        return {s.value: sum(f.status is s for f in self.working.values()) for s in MetadataStatus}


class FakeMetadataUnitOfWork:
    """``stored`` is what is committed; the scores and the ``history`` committed are kept
    apart."""

    def __init__(self) -> None:
        self.stored: dict[int, GameFetch] = {}
        self.scores: dict[int, list[ScoreSnapshot]] = {}
        self.history: list[GameEvent] = []
        self._fetches: FakeFetchRepository | None = None
        self._events: FakeEventLog | None = None

    @property
    def fetches(self) -> FakeFetchRepository:
        assert self._fetches is not None, "used outside its `with` block"
        return self._fetches

    @property
    def events(self) -> FakeEventLog:
        assert self._events is not None, "used outside its `with` block"
        return self._events

    def __enter__(self) -> Self:
        self._fetches = FakeFetchRepository(self.stored)
        self._events = FakeEventLog(self.history)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._fetches = None
        self._events = None

    def reading(self) -> Self:
        return self

    def commit(self) -> None:
        for game_id, fetch in self.fetches.working.items():
            if fetch.new_score is not None:
                self.scores.setdefault(game_id, []).append(fetch.new_score)
                fetch.new_score = None
        self.stored = copy.deepcopy(self.fetches.working)
        self.events.persist()

    def rollback(self) -> None:
        self._fetches = FakeFetchRepository(self.stored)
        self._events = FakeEventLog(self.history)

    def add(self, game_id: int, title: str, owner_id: int = 1, **fields: Any) -> None:
        self.stored[game_id] = GameFetch(
            game_id=game_id,
            owner_id=owner_id,
            title=title,
            status=fields.pop("status", MetadataStatus.PENDING),
            **fields,
        )


class RecordingFetchQueue:
    def __init__(self) -> None:
        self.fetches: list[tuple[int, datetime | None]] = []
        self.score_refreshes: list[list[int]] = []

    def enqueue_fetch(self, game_id: int, at: datetime | None = None) -> None:
        self.fetches.append((game_id, at))

    def enqueue_scores(self, game_ids: list[int]) -> None:
        self.score_refreshes.append(game_ids)


def dota(provider_id: str = "570") -> GameMetadata:
    return GameMetadata(
        provider="steam",
        provider_id=provider_id,
        title="Dota 2",
        release_date=date(2013, 7, 9),
        genres=("Strategy",),
        developers=("Valve",),
    )


def positive() -> ScoreSnapshot:
    return ScoreSnapshot(fetched_at=NOW, user_score=98.8, user_votes=1000, label="Very Positive")
