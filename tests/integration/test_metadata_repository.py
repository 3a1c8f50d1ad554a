"""The metadata feature on a real SQLite file: fetch state, metadata, scores and history
as the games feature then shows them."""

from datetime import date, timedelta

import pytest
from sqlalchemy import Engine

from questrya.common.exceptions import NotFoundError
from questrya.common.value_objects import GameMetadata
from questrya.games.service import GameService
from questrya.metadata.domain import Candidate, CandidateKind, FetchPolicy, TemporaryProviderError
from questrya.metadata.repository import SqlMetadataUnitOfWork
from questrya.metadata.service import MetadataService
from questrya.users.domain import User
from tests.integration.support import FixedClock
from tests.unit.metadata_fakes import RecordingFetchQueue, ScriptedProvider, dota, positive


@pytest.fixture
def metadata(
    engine: Engine,
    provider: ScriptedProvider,
    clock: FixedClock,
    fetch_queue: RecordingFetchQueue,
    profile: User,
) -> MetadataService:
    policy = FetchPolicy(max_attempts=2, retry_delay=timedelta(seconds=30))
    return MetadataService(
        SqlMetadataUnitOfWork(engine), provider, clock, fetch_queue, policy, owner_id=profile.id
    )


def test_a_fetch_is_seen_by_the_games_feature_with_its_score(
    games: GameService, metadata: MetadataService
) -> None:
    game = games.add("Dota 2", "pc")

    assert metadata.fetch(game.id or 0).outcome == "fetched"

    shown = games.show("dota")
    assert shown.metadata == dota()
    assert shown.score is not None and shown.score.label == positive().label
    assert shown.released == date(2013, 7, 9)
    assert shown.release_date is None  # the player's own field is left to the player
    assert games.history("dota")[-1].kind == "metadata"


def test_undo_takes_back_the_players_change_not_the_workers(
    games: GameService, metadata: MetadataService
) -> None:
    game = games.add("Dota 2", "pc")
    metadata.fetch(game.id or 0)

    [(event, _)] = games.undo()

    assert event.kind == "add"
    assert games.find() == []


def test_each_score_refresh_adds_a_dated_snapshot(
    games: GameService, metadata: MetadataService, clock: FixedClock
) -> None:
    game = games.add("Dota 2", "pc")
    metadata.fetch(game.id or 0)
    clock.advance(timedelta(days=1))

    assert metadata.refresh_scores([game.id or 0]) == 1

    assert len(games.scores("dota")) == 2


def test_ambiguous_candidates_survive_the_round_trip(
    games: GameService, metadata: MetadataService, provider: ScriptedProvider
) -> None:
    provider.results["Soulcalibur VI"] = [
        Candidate("steam", "874343", "SOULCALIBUR VI - DLC5", CandidateKind.DLC, date(2019, 5, 15))
    ]
    game = games.add("Soulcalibur VI", "pc")

    metadata.fetch(game.id or 0)

    _, offers = metadata.offers("soulcalibur")
    assert [
        (o.candidate.provider_id, o.candidate.kind, o.candidate.release_date) for o in offers
    ] == [("874343", CandidateKind.DLC, date(2019, 5, 15))]
    assert games.show("soulcalibur").metadata_status.value == "ambiguous"


def test_a_retry_is_due_later_and_the_sweep_waits_for_it(
    games: GameService,
    metadata: MetadataService,
    provider: ScriptedProvider,
    clock: FixedClock,
) -> None:
    provider.results["Dota 2"] = TemporaryProviderError("HTTP 503 from store")
    game = games.add("Dota 2", "pc")

    metadata.fetch(game.id or 0)

    assert metadata.sweep() == []
    clock.advance(timedelta(seconds=31))
    assert metadata.sweep() == [game.id]
    assert games.show("dota").metadata_error == "HTTP 503 from store"


def test_a_dead_workers_lease_is_released_at_the_next_start(
    engine: Engine, games: GameService, metadata: MetadataService, clock: FixedClock
) -> None:
    game = games.add("Dota 2", "pc")
    with SqlMetadataUnitOfWork(engine) as uow:  # a worker claims it, then dies
        fetch = uow.fetches.get(game.id or 0)
        assert fetch is not None and fetch.claim(clock.now(), FetchPolicy())
        uow.commit()

    assert metadata.sweep() == []
    assert metadata.sweep(at_start=True) == [game.id]


def test_counts_cover_every_status(games: GameService, metadata: MetadataService) -> None:
    games.add("Dota 2", "pc")
    games.add("Offline", "pc", fetch_metadata=False)
    assert metadata.counts() == {
        "pending": 1, "fetched": 0, "not_found": 0, "ambiguous": 0, "failed": 0, "skipped": 1,
    }  # fmt: skip


def test_no_metadata_read_finds_a_removed_game(
    games: GameService, metadata: MetadataService, provider: ScriptedProvider, clock: FixedClock
) -> None:
    provider.results["Artifact"] = [Candidate("steam", "583950", "Artifact")]
    provider.games["583950"] = GameMetadata("steam", "583950", "Artifact")
    provider.score_answers["583950"] = positive()
    kept, gone = games.add("Dota 2", "pc"), games.add("Artifact", "pc")
    for game in (kept, gone):
        metadata.fetch(game.id or 0)
    games.remove("artifact")
    clock.advance(timedelta(days=1))

    assert metadata.queue_score_refresh() == 1
    assert metadata.refresh_scores([kept.id or 0, gone.id or 0]) == 1
    assert metadata.counts()["fetched"] == 1
    with pytest.raises(NotFoundError):
        metadata.refresh(["artifact"])
    assert metadata.refresh([], every=True) == [kept.id]
    assert metadata.sweep() == [kept.id]
    games.undo()  # the removal: the game comes back as it was
    assert games.scores("artifact") == [positive()]
    assert (metadata.counts()["pending"], metadata.counts()["fetched"]) == (1, 1)
