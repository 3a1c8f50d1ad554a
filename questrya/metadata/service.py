"""The metadata use cases: the worker's fetches and score refreshes, and the player's
`games match`, `games refresh` and `queue`.

No transaction is open while a provider is asked: a fetch claims the game (a lease on its
row), commits, talks to the network, then settles the outcome in a second transaction.
"""

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from questrya.common.clock import Clock
from questrya.common.events import EventKind, GameEvent, changed_fields
from questrya.common.exceptions import InvalidInputError, NotFoundError, RuleViolationError
from questrya.common.references import resolve
from questrya.common.value_objects import GameMetadata, ScoreSnapshot
from questrya.metadata.domain import (
    Candidate,
    CandidateKind,
    FetchPolicy,
    GameFetch,
    Offer,
    PermanentProviderError,
    ProviderError,
    TemporaryProviderError,
)
from questrya.metadata.matching import Decision, decide
from questrya.metadata.ports import FetchQueue, MetadataProvider, MetadataUnitOfWork

SCORE_BATCH = 50  # games per transaction in a score refresh: keeps write locks short


@dataclass(frozen=True)
class FetchReport:
    """What one fetch task did, for the worker's log line."""

    game_id: int
    provider: str
    outcome: str
    detail: str = ""


class MetadataService:
    def __init__(
        self,
        uow: MetadataUnitOfWork,
        provider: MetadataProvider,
        clock: Clock,
        queue: FetchQueue,
        policy: FetchPolicy,
        owner_id: int | None = None,
    ) -> None:
        self._uow = uow
        self._provider = provider
        self._clock = clock
        self._queue = queue
        self._policy = policy
        self._owner_id = owner_id

    @property
    def provider_name(self) -> str:
        return self._provider.name

    # --- the worker's side -----------------------------------------------------------------

    def fetch(self, game_id: int) -> FetchReport:
        """One attempt at a game's metadata; safe to run twice (a second run finds no work)."""
        with self._uow:
            job = self._uow.fetches.get(game_id)
            if job is None or not job.claim(self._clock.now(), self._policy):
                return self._report(game_id, "skipped", "nothing to fetch")
            self._uow.commit()
        try:
            settle, outcome = self._look_up(job)
        except TemporaryProviderError as error:
            return self._retry_later(game_id, error)
        except PermanentProviderError as error:
            reason = error.reason
            return self._outcome(game_id, self._settle(game_id, lambda f: f.fail(reason)))
        settled = self._settle(game_id, settle)
        return self._outcome(game_id, settled, outcome)

    def refresh_scores(self, game_ids: Sequence[int] | None = None) -> int:
        """Add a fresh score snapshot to every fetched game of this provider (or those given),
        committing in small batches. Returns how many games got one."""
        updated, after = 0, 0
        while True:
            with self._uow.reading():
                batch = self._uow.fetches.fetched_from(self._provider.name, after, SCORE_BATCH)
            if not batch:
                return updated
            after = batch[-1].game_id
            wanted = [f for f in batch if game_ids is None or f.game_id in game_ids]
            scores = {f.game_id: self._score(f) for f in wanted if f.metadata is not None}
            with self._uow:
                for game_id, score in scores.items():
                    fetch = self._uow.fetches.get(game_id)
                    if fetch is not None and score is not None:
                        fetch.new_score = score
                        updated += 1
                self._uow.commit()

    def sweep(self, *, at_start: bool = False, queued: Collection[int] = ()) -> list[int]:
        """Queue every game left waiting, due for a retry, or held by a dead worker, unless
        its fetch is ``queued`` already.

        At a worker's start every lease belongs to a dead worker (only one worker runs on a
        SQLite queue), so all are released first.
        """
        with self._uow:
            if at_start:
                self._uow.fetches.release_leases()
            ready = self._uow.fetches.ready(self._clock.now())
            self._uow.commit()
        missing = [game_id for game_id in ready if game_id not in queued]
        for game_id in missing:
            self._queue.enqueue_fetch(game_id)
        return missing

    # --- the player's side -----------------------------------------------------------------

    def offers(self, ref: str) -> tuple[GameFetch, tuple[Offer, ...]]:
        """The game and the candidates a fetch kept for it, best first."""
        with self._uow.reading():
            game = self._find(ref)
        return game, game.offers

    def pick(
        self, ref: str, number: int | None = None, provider_id: str | None = None
    ) -> GameFetch:
        """Apply one candidate (by its number in `games match`, or ``provider:id``): the game
        is fetched again by that id."""
        with self._uow:
            game = self._find(ref)
            candidate = _chosen(game, number, provider_id, self._provider.name)
            game.restart(pick=candidate)
            self._uow.commit()
        self._queue.enqueue_fetch(game.game_id)
        return game

    def refresh(
        self, refs: Sequence[str], *, every: bool = False, scores: bool = False
    ) -> list[int]:
        """Queue new fetches (or, with ``scores``, score refreshes) for these games."""
        if not refs and not every:
            raise InvalidInputError("name the games to refresh, or use --all")
        with self._uow:
            games = (
                self._uow.fetches.of_owner(self._owner())
                if every
                else [self._find(ref) for ref in refs]
            )
            if not scores:
                for game in games:
                    game.restart()
            self._uow.commit()
        ids = [game.game_id for game in games]
        if scores:
            self._queue.enqueue_scores(ids)
        else:
            for game_id in ids:
                self._queue.enqueue_fetch(game_id)
        return ids

    def counts(self) -> dict[str, int]:
        with self._uow.reading():
            return self._uow.fetches.counts()

    # --- helpers ---------------------------------------------------------------------------

    def _look_up(self, job: GameFetch) -> tuple[Callable[[GameFetch], None], str]:
        """Ask the provider (no transaction open); return the change to settle and its name."""
        known = job.pick or _known(job, self._provider.name)
        if known is not None:
            answer = self._provider.details(known.provider_id)
            metadata = answer if isinstance(answer, GameMetadata) else None
        else:
            found = decide(job.title, self._provider.search(job.title), self._provider.details)
            if found.decision is Decision.AMBIGUOUS:
                offers = tuple(Offer(r.candidate, r.similarity) for r in found.ranked)
                return (lambda f: f.offer(offers)), "ambiguous"
            metadata = found.metadata
        if metadata is None:
            return GameFetch.not_found, "not_found"
        score = self._score_of(metadata.provider_id)
        now = self._clock.now()
        return (lambda f: f.apply(metadata, score, now)), "fetched"

    def _score(self, fetch: GameFetch) -> ScoreSnapshot | None:
        return self._score_of(fetch.metadata.provider_id) if fetch.metadata else None

    def _score_of(self, provider_id: str) -> ScoreSnapshot | None:
        try:
            return self._provider.scores(provider_id)
        except ProviderError:
            return None  # metadata without a score is still worth keeping; refreshes retry

    def _retry_later(self, game_id: int, error: TemporaryProviderError) -> FetchReport:
        now = self._clock.now()
        fetch = self._settle(
            game_id, lambda f: f.retry_later(error.reason, now, self._policy, error.retry_after)
        )
        if fetch is not None and fetch.due_at is not None:
            self._queue.enqueue_fetch(game_id, at=fetch.due_at)
            return self._report(game_id, "retry", f"{error.reason}; again at {fetch.due_at:%X}")
        return self._outcome(game_id, fetch)

    def _settle(self, game_id: int, change: Callable[[GameFetch], object]) -> GameFetch | None:
        """Apply an outcome in its own transaction; None when the game is gone."""
        with self._uow:
            fetch = self._uow.fetches.get(game_id)
            if fetch is None:
                return None
            before = fetch.visible()
            change(fetch)
            self._record(fetch, before)
            self._uow.commit()
        return fetch

    def _record(self, fetch: GameFetch, visible_before: dict[str, object]) -> None:
        """Record what the fetch changed in the game's history, as a `metadata` event."""
        before, after = changed_fields(visible_before, fetch.visible())
        if after:
            self._uow.events.record(
                GameEvent(
                    owner_id=fetch.owner_id,
                    game_id=fetch.game_id,
                    kind=EventKind.METADATA,
                    at=self._clock.now(),
                    before=before,
                    after=after,
                )
            )

    def _outcome(self, game_id: int, fetch: GameFetch | None, outcome: str = "") -> FetchReport:
        if fetch is None:
            return self._report(game_id, "skipped", "the game was removed meanwhile")
        return self._report(game_id, outcome or fetch.status.value, fetch.error or "")

    def _report(self, game_id: int, outcome: str, detail: str = "") -> FetchReport:
        return FetchReport(game_id, self._provider.name, outcome, detail)

    def _find(self, ref: str) -> GameFetch:
        owner = self._owner()
        fetches = self._uow.fetches
        return resolve(
            ref,
            lambda game_id: fetches.owned(owner, game_id),
            lambda key, exact: fetches.with_title(owner, key, exact=exact),
            lambda game: f"{game.game_id}\t{game.title}",
        )

    def _owner(self) -> int:
        if self._owner_id is None:
            raise RuntimeError("this metadata service acts for no profile")
        return self._owner_id


def _known(job: GameFetch, provider: str) -> Candidate | None:
    """A game fetched before from the same provider is fetched again by its id."""
    if job.metadata is None or job.metadata.provider != provider:
        return None
    return Candidate(provider, job.metadata.provider_id, job.metadata.title)


def _chosen(
    game: GameFetch, number: int | None, provider_id: str | None, provider: str
) -> Candidate:
    if (number is None) == (provider_id is None):
        raise InvalidInputError("give either --pick N or --id PROVIDER:ID")
    if provider_id is not None:
        name, colon, ident = provider_id.partition(":")
        if not colon or not ident.strip():
            raise InvalidInputError(f"--id must look like steam:570, got {provider_id!r}")
        if name.strip().lower() != provider:
            raise InvalidInputError(f"the configured provider is {provider}, not {name!r}")
        return Candidate(provider, ident.strip(), "")
    if not game.offers:
        raise NotFoundError(f"no candidates are kept for game {game.game_id}")
    if number is None or not 1 <= number <= len(game.offers):
        raise InvalidInputError(f"--pick must be from 1 to {len(game.offers)}")
    candidate = game.offers[number - 1].candidate
    if candidate.kind is not CandidateKind.GAME:
        raise RuleViolationError(f"candidate {number} is a {candidate.kind.value}, not a game")
    return candidate
