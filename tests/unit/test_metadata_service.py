"""The fetch use cases on fakes: outcomes, retries, leases and the sweep (PRODUCT §6-7)."""

from datetime import timedelta

import pytest

from questrya.common.events import EventKind
from questrya.common.exceptions import InvalidInputError, RuleViolationError
from questrya.common.value_objects import MetadataStatus
from questrya.metadata.domain import (
    Candidate,
    CandidateKind,
    FetchPolicy,
    PermanentProviderError,
    TemporaryProviderError,
)
from questrya.metadata.service import MetadataService
from tests.unit.fakes import NOW, FixedClock
from tests.unit.metadata_fakes import (
    FakeMetadataUnitOfWork,
    RecordingFetchQueue,
    ScriptedProvider,
    dota,
    positive,
)

POLICY = FetchPolicy(max_attempts=3, retry_delay=timedelta(seconds=60), lease=timedelta(minutes=5))


@pytest.fixture
def uow() -> FakeMetadataUnitOfWork:
    return FakeMetadataUnitOfWork()


@pytest.fixture
def provider() -> ScriptedProvider:
    found = ScriptedProvider()
    found.results["Dota 2"] = [Candidate("steam", "570", "Dota 2")]
    found.games["570"] = dota()
    found.score_answers["570"] = positive()
    return found


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def queue() -> RecordingFetchQueue:
    return RecordingFetchQueue()


@pytest.fixture
def service(
    uow: FakeMetadataUnitOfWork,
    provider: ScriptedProvider,
    clock: FixedClock,
    queue: RecordingFetchQueue,
) -> MetadataService:
    return MetadataService(uow, provider, clock, queue, POLICY, owner_id=1)


def test_a_clear_match_is_fetched_with_its_score_and_recorded_as_a_metadata_event(
    service: MetadataService, uow: FakeMetadataUnitOfWork
) -> None:
    uow.add(1, "Dota 2")

    report = service.fetch(1)

    assert (report.outcome, report.provider) == ("fetched", "steam")
    game = uow.stored[1]
    assert game.status is MetadataStatus.FETCHED
    assert game.metadata == dota()
    assert uow.scores[1] == [positive()]
    [event] = uow.history
    assert (event.game_id, event.kind, event.kind.undoable) == (1, EventKind.METADATA, False)
    assert (event.before, event.after) == (
        {"metadata_status": "pending", "metadata": None},
        {"metadata_status": "fetched", "metadata": "steam:570"},
    )


def test_fetching_the_same_game_again_records_only_what_changed(
    service: MetadataService, uow: FakeMetadataUnitOfWork, provider: ScriptedProvider
) -> None:
    uow.add(1, "Dota 2", status=MetadataStatus.FETCHED, metadata=dota())
    service.refresh(["1"])

    service.fetch(1)  # pending → fetched is a change; the same metadata again is not
    service.refresh(["1"])
    service.fetch(1)

    assert [(event.before, event.after) for event in uow.history] == [
        ({"metadata_status": "pending"}, {"metadata_status": "fetched"})
    ] * 2


def test_running_a_fetch_twice_asks_the_provider_once(
    service: MetadataService, uow: FakeMetadataUnitOfWork, provider: ScriptedProvider
) -> None:
    uow.add(1, "Dota 2")
    service.fetch(1)
    assert service.fetch(1).outcome == "skipped"
    assert provider.calls.count("search Dota 2") == 1


def test_a_fetch_under_a_live_lease_is_left_to_its_holder(
    service: MetadataService, uow: FakeMetadataUnitOfWork, provider: ScriptedProvider
) -> None:
    uow.add(1, "Dota 2", lease_until=NOW + timedelta(minutes=1))
    assert service.fetch(1).outcome == "skipped"
    assert provider.calls == []


def test_only_dlc_is_ambiguous_with_the_candidates_kept(
    service: MetadataService, uow: FakeMetadataUnitOfWork, provider: ScriptedProvider
) -> None:
    provider.results["Soulcalibur VI"] = [
        Candidate("steam", "874343", "SOULCALIBUR VI - DLC5", CandidateKind.DLC)
    ]
    uow.add(1, "Soulcalibur VI")

    assert service.fetch(1).outcome == "ambiguous"

    game, offers = service.offers("1")
    assert game.status is MetadataStatus.AMBIGUOUS
    assert [offer.candidate.provider_id for offer in offers] == ["874343"]
    with pytest.raises(RuleViolationError, match="dlc"):
        service.pick("1", number=1)


def test_a_dlc_the_search_listed_as_a_game_is_never_applied_and_offered_as_a_dlc(
    service: MetadataService, uow: FakeMetadataUnitOfWork, provider: ScriptedProvider
) -> None:
    # Steam's search says "app" for both; the DLC's name is the player's title, word for word.
    provider.results["Fallout 3 Broken Steel"] = [
        Candidate("steam", "22410", "Fallout 3 - Broken Steel"),
        Candidate("steam", "22300", "Fallout 3"),
    ]
    provider.games["22410"] = CandidateKind.DLC
    uow.add(1, "Fallout 3 Broken Steel")

    assert service.fetch(1).outcome == "ambiguous"

    _, offers = service.offers("1")
    assert [(o.candidate.provider_id, o.candidate.kind) for o in offers] == [
        ("22300", CandidateKind.GAME),
        ("22410", CandidateKind.DLC),
    ]
    assert provider.calls == ["search Fallout 3 Broken Steel", "details 22410"]


def test_no_candidate_is_not_found(service: MetadataService, uow: FakeMetadataUnitOfWork) -> None:
    uow.add(1, "Nothing Like It")
    assert service.fetch(1).outcome == "not_found"
    assert uow.stored[1].status is MetadataStatus.NOT_FOUND


def test_a_pick_fetches_that_id_without_searching(
    service: MetadataService,
    uow: FakeMetadataUnitOfWork,
    provider: ScriptedProvider,
    queue: RecordingFetchQueue,
) -> None:
    uow.add(1, "Dota", status=MetadataStatus.NOT_FOUND)

    service.pick("dota", provider_id="steam:570")
    assert queue.fetches == [(1, None)]
    service.fetch(1)

    assert uow.stored[1].metadata == dota()
    assert "search Dota" not in provider.calls


def test_a_pick_of_another_provider_is_no_id_for_this_one_the_title_is_searched(
    service: MetadataService, uow: FakeMetadataUnitOfWork, provider: ScriptedProvider
) -> None:
    """An import may give the id another provider knows a game by (Grouvee's IGDB id)."""
    uow.add(1, "Dota 2")
    uow.stored[1].pick = Candidate("igdb", "1020", "")

    assert service.fetch(1).outcome == "fetched"

    assert uow.stored[1].metadata == dota()
    assert provider.calls[0] == "search Dota 2"
    assert "details 1020" not in provider.calls


@pytest.mark.parametrize(
    ("number", "provider_id"), [(None, None), (1, "steam:1"), (None, "rawg:1"), (None, "570")]
)
def test_a_pick_needs_exactly_one_valid_choice(
    service: MetadataService,
    uow: FakeMetadataUnitOfWork,
    number: int | None,
    provider_id: str | None,
) -> None:
    uow.add(1, "Dota 2")
    with pytest.raises(InvalidInputError):
        service.pick("1", number, provider_id)


def test_a_temporary_failure_retries_later_with_a_doubling_delay_then_fails(
    service: MetadataService,
    uow: FakeMetadataUnitOfWork,
    provider: ScriptedProvider,
    clock: FixedClock,
    queue: RecordingFetchQueue,
) -> None:
    provider.results["Dota 2"] = TemporaryProviderError("HTTP 503 from store")
    uow.add(1, "Dota 2")

    delays = []
    for _ in range(POLICY.max_attempts - 1):
        assert service.fetch(1).outcome == "retry"
        due = uow.stored[1].due_at
        assert due is not None
        delays.append(due - clock.now())
        clock.advance(due - clock.now())
    final = service.fetch(1)

    assert delays == [timedelta(seconds=60), timedelta(seconds=120)]
    assert [at for _, at in queue.fetches] == [NOW + delays[0], NOW + delays[0] + delays[1]]
    assert final.outcome == "failed"
    game = uow.stored[1]
    assert game.status is MetadataStatus.FAILED
    assert game.error is not None and "HTTP 503" in game.error


def test_a_longer_retry_after_is_honoured(
    service: MetadataService, uow: FakeMetadataUnitOfWork, provider: ScriptedProvider
) -> None:
    provider.results["Dota 2"] = TemporaryProviderError("HTTP 429", retry_after=3600)
    uow.add(1, "Dota 2")
    service.fetch(1)
    assert uow.stored[1].due_at == NOW + timedelta(hours=1)


def test_a_permanent_failure_fails_at_once_with_its_reason(
    service: MetadataService, uow: FakeMetadataUnitOfWork, provider: ScriptedProvider
) -> None:
    provider.results["Dota 2"] = PermanentProviderError("HTTP 401 from api")
    uow.add(1, "Dota 2")
    assert service.fetch(1).outcome == "failed"
    assert uow.stored[1].error == "HTTP 401 from api"


def test_scores_that_fail_do_not_lose_the_metadata(
    service: MetadataService, uow: FakeMetadataUnitOfWork, provider: ScriptedProvider
) -> None:
    provider.score_answers["570"] = TemporaryProviderError("timed out")
    uow.add(1, "Dota 2")
    assert service.fetch(1).outcome == "fetched"
    assert uow.scores == {}


def test_the_start_sweep_frees_dead_leases_and_finds_what_is_due_and_not_queued(
    service: MetadataService, uow: FakeMetadataUnitOfWork
) -> None:
    uow.add(1, "Held by a dead worker", lease_until=NOW + timedelta(minutes=4))
    uow.add(2, "Due for a retry", due_at=NOW - timedelta(seconds=1))
    uow.add(3, "Not yet due", due_at=NOW + timedelta(hours=1))
    uow.add(4, "Already queued")
    uow.add(5, "Done", status=MetadataStatus.FETCHED)

    assert service.sweep(at_start=True, queued={4}) == [1, 2]


def test_a_periodic_sweep_leaves_live_leases_alone(
    service: MetadataService, uow: FakeMetadataUnitOfWork
) -> None:
    uow.add(1, "Being fetched", lease_until=NOW + timedelta(minutes=4))
    assert service.sweep() == []


def test_refresh_restarts_a_failed_game_and_queues_it(
    service: MetadataService, uow: FakeMetadataUnitOfWork, queue: RecordingFetchQueue
) -> None:
    uow.add(1, "Dota 2", status=MetadataStatus.FAILED, attempts=5, error="HTTP 500")
    assert service.refresh(["dota"]) == [1]
    game = uow.stored[1]
    assert (game.status, game.attempts, game.error) == (MetadataStatus.PENDING, 0, None)
    assert queue.fetches == [(1, None)]


def test_refresh_needs_games_or_all(service: MetadataService) -> None:
    with pytest.raises(InvalidInputError):
        service.refresh([])


def test_score_refresh_adds_a_snapshot_to_each_fetched_game(
    service: MetadataService, uow: FakeMetadataUnitOfWork, queue: RecordingFetchQueue
) -> None:
    uow.add(1, "Dota 2", status=MetadataStatus.FETCHED, metadata=dota())
    uow.add(2, "Other", status=MetadataStatus.FETCHED, metadata=dota("999"))
    uow.add(3, "Waiting", metadata=dota())

    assert service.queue_score_refresh() == 2
    assert queue.score_refreshes == [[1, 2]]
    assert service.refresh_scores([1, 2, 3]) == 1
    assert uow.scores == {1: [positive()]}


# --- claims: what a fetch settles is only ever its own ----------------------------------------


def test_a_pick_made_while_a_fetch_runs_is_applied_when_that_fetch_ends(
    service: MetadataService,
    uow: FakeMetadataUnitOfWork,
    provider: ScriptedProvider,
    queue: RecordingFetchQueue,
) -> None:
    provider.results["Soulcalibur VI"] = [
        Candidate("steam", "874343", "SOULCALIBUR VI - DLC5", CandidateKind.DLC)
    ]
    uow.add(1, "Soulcalibur VI")
    picked: list[str] = []

    def player_picks(call: str) -> None:
        if not picked:  # `games match 1 --id steam:570` while the search is on its way
            picked.append(service.pick("1", provider_id="steam:570").pick_label())

    provider.meanwhile = player_picks
    first = service.fetch(1)  # it would have ended ambiguous

    assert picked == ["steam:570"]
    assert first.outcome == "restarted"
    assert queue.fetches == [(1, None)]  # queued once, when the fetch in hand ended
    assert uow.stored[1].status is MetadataStatus.PENDING

    assert service.fetch(1).outcome == "fetched"
    assert uow.stored[1].metadata == dota()
    assert provider.calls.count("search Soulcalibur VI") == 1  # the pick needs no search


def test_a_refresh_while_a_fetch_runs_starts_no_second_fetch(
    service: MetadataService,
    uow: FakeMetadataUnitOfWork,
    provider: ScriptedProvider,
    queue: RecordingFetchQueue,
) -> None:
    uow.add(1, "Dota 2")
    second: list[str] = []

    def player_refreshes_and_another_worker_runs_the_task(call: str) -> None:
        if call == "search Dota 2" and not second:
            second.append("asked")
            service.refresh(["1"])
            second.append(service.fetch(1).outcome)

    provider.meanwhile = player_refreshes_and_another_worker_runs_the_task
    first = service.fetch(1)

    assert second == ["asked", "skipped"]  # the fetch in hand still holds the game
    assert (first.outcome, queue.fetches) == ("restarted", [(1, None)])
    provider.meanwhile = None
    assert service.fetch(1).outcome == "fetched"
    assert uow.scores[1] == [positive()]  # one snapshot: two fetches never ran at once
    assert [event.after for event in uow.history] == [
        {"metadata_status": "fetched", "metadata": "steam:570"}
    ]


def test_an_outcome_whose_claim_was_taken_is_dropped(
    service: MetadataService,
    uow: FakeMetadataUnitOfWork,
    provider: ScriptedProvider,
    clock: FixedClock,
) -> None:
    uow.add(1, "Dota 2")
    other: list[str] = []

    def lease_runs_out_and_another_worker_fetches(call: str) -> None:
        if call == "search Dota 2" and not other:
            other.append("claimed")
            clock.advance(POLICY.lease + timedelta(seconds=1))
            other.append(service.fetch(1).outcome)

    provider.meanwhile = lease_runs_out_and_another_worker_fetches
    late = service.fetch(1)

    assert other == ["claimed", "fetched"]
    assert late.outcome == "dropped"
    assert uow.scores[1] == [positive()]
    assert len(uow.history) == 1
    assert uow.stored[1].status is MetadataStatus.FETCHED


# --- every exception is an attempt -------------------------------------------------------------


def test_any_exception_is_an_attempt_and_the_last_fails_the_game_with_an_internal_error(
    service: MetadataService,
    uow: FakeMetadataUnitOfWork,
    provider: ScriptedProvider,
    clock: FixedClock,
) -> None:
    provider.results["Dota 2"] = KeyError("items")  # a parsing bug
    uow.add(1, "Dota 2")

    outcomes = []
    for _ in range(POLICY.max_attempts):
        outcomes.append(service.fetch(1).outcome)
        clock.advance(timedelta(hours=1))

    assert outcomes == ["retry", "retry", "failed"]
    game = uow.stored[1]
    assert (game.status, game.attempts, game.lease_until) == (MetadataStatus.FAILED, 3, None)
    assert game.error is not None
    assert game.error.startswith("internal error")
    assert "KeyError" in game.error
    assert game.error.endswith("(gave up after 3 attempts)")
    assert "Traceback" not in game.error and "\n" not in game.error


def test_a_claim_whose_lease_ran_out_is_an_attempt_and_the_last_one_fails_the_game(
    service: MetadataService,
    uow: FakeMetadataUnitOfWork,
    provider: ScriptedProvider,
    clock: FixedClock,
) -> None:
    uow.add(1, "Dota 2")
    for _ in range(POLICY.max_attempts):  # each time, a worker claims it and is killed
        with uow:
            fetch = uow.fetches.get(1)
            assert fetch is not None and fetch.claim(clock.now(), POLICY)
            uow.commit()
        clock.advance(POLICY.lease)
        assert service.sweep() == [1]

    report = service.fetch(1)

    assert report.outcome == "failed"
    game = uow.stored[1]
    assert (game.status, game.attempts) == (MetadataStatus.FAILED, POLICY.max_attempts)
    assert game.error == "its last attempt ended with no outcome (gave up after 3 attempts)"
    assert provider.calls == []
    assert service.sweep() == []


def test_one_attempt_is_one_attempt_in_the_reason(
    uow: FakeMetadataUnitOfWork,
    provider: ScriptedProvider,
    clock: FixedClock,
    queue: RecordingFetchQueue,
) -> None:
    once = FetchPolicy(max_attempts=1)
    provider.results["Dota 2"] = TemporaryProviderError("HTTP 503 from store")
    uow.add(1, "Dota 2")

    MetadataService(uow, provider, clock, queue, once).fetch(1)

    assert uow.stored[1].error == "HTTP 503 from store (gave up after 1 attempt)"
