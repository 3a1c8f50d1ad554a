"""The metadata use cases: the worker's fetches and score refreshes, and the player's
`games match`, `games refresh` and `queue`.

No transaction is open while a provider is asked: a fetch claims the game (a claim and a
lease on its row), commits, talks to the network while its lease is renewed, then settles the
outcome in a second transaction, but only if its claim still holds the game.
"""

import logging
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from questrya.common.clock import Clock
from questrya.common.events import EventKind, GameEvent, changed_fields
from questrya.common.exceptions import (
    InvalidInputError,
    NotFoundError,
    QuestryaError,
    RuleViolationError,
)
from questrya.common.references import resolve_all
from questrya.common.secrets import mask_passwords
from questrya.common.value_objects import GameMetadata, MetadataStatus, ScoreSnapshot
from questrya.metadata.domain import (
    Candidate,
    CandidateKind,
    FetchOutcome,
    FetchPolicy,
    GameFetch,
    Offer,
    PermanentProviderError,
    ProviderError,
    TemporaryProviderError,
)
from questrya.metadata.matching import Decision, decide
from questrya.metadata.ports import FetchQueue, MetadataProvider, MetadataUnitOfWork

log = logging.getLogger("questrya.worker")

SCORE_BATCH = 20  # games per score-refresh task: fetches queued meanwhile run between two
REASON_LENGTH = 200  # characters of an internal error's message kept in a game's reason


@dataclass(frozen=True)
class FetchReport:
    """What one fetch task did, for the worker's log line."""

    game_id: int
    provider: str
    outcome: FetchOutcome
    detail: str = ""


@dataclass(frozen=True)
class Waiting:
    """How many games wait for a fetch, and when the soonest is due (None: it is due now)."""

    games: int
    next_due: datetime | None


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
        """One attempt at a game's metadata; safe to run twice (a second run finds no work).

        Whatever goes wrong ends the attempt, a bug or a database that refuses the outcome
        included: the game is tried again later, or fails once its attempts are spent.
        """
        job = self._claim(game_id)
        if isinstance(job, FetchReport):
            return job
        try:
            return self._attempt(job)
        except Exception as error:  # whatever it was, the attempt is over
            reason = _internal_error(error)
        try:
            return self._retry_later(job, reason, None)
        except QuestryaError as error:  # the database refuses even that
            detail = f"{reason}; not saved ({error}): tried again once its lease runs out"
            return self._report(game_id, FetchOutcome.RETRY, detail)

    def queue_score_refresh(self) -> int:
        """Queue a score refresh of every game fetched from this provider, in tasks of
        ``SCORE_BATCH`` games, so that new games are fetched between them. Returns how many."""
        with self._uow.reading():
            ids = self._uow.fetches.scored_ids(self._provider.name)
        self._queue_scores(ids)
        return len(ids)

    def refresh_scores(self, game_ids: Sequence[int]) -> int:
        """Add a fresh score snapshot to each of these games that is still fetched from this
        provider. Returns how many got one."""
        return sum(self._refresh_batch(batch) for batch in _batches(game_ids))

    def sweep(self, *, at_start: bool = False, queued: Collection[int] = ()) -> list[int]:
        """The games left waiting, due for a retry, or held by a dead worker, that no task in
        the queue will fetch (``queued``: the caller read the queue, and queues these).

        ``at_start``: a worker alone on its queue (SQLite's) starts, so every lease belongs
        to a dead worker, and all are released first. On a shared queue other workers hold
        live leases; a dead one's runs out, and its game is ready then.
        """
        with self._uow:
            if at_start:
                self._uow.fetches.release_leases()
            ready = self._uow.fetches.ready(self._clock.now())
            self._uow.commit()
        return [game_id for game_id in ready if game_id not in queued]

    def waiting(self) -> Waiting:
        with self._uow.reading():
            games, next_due = self._uow.fetches.waiting()
        return Waiting(games, next_due)

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
        is fetched again by that id, once the fetch in hand (if any) has ended."""
        with self._uow:
            game = self._find(ref)
            candidate = _chosen(game, number, provider_id, self._provider.name)
            ready = game.restart(self._clock.now(), pick=candidate)
            self._uow.commit()
        if ready:
            self._queue.enqueue_fetch(game.game_id)
        return game

    def refresh(
        self, refs: Sequence[str], *, every: bool = False, scores: bool = False
    ) -> list[int]:
        """Fetch these games again (a fetch in hand ends first), or with ``scores`` refresh
        the scores of those that have metadata from this provider. Returns their ids."""
        if not refs and not every:
            raise InvalidInputError("name the games to refresh, or use --all")
        if scores:
            return self._refresh_scores_of(refs, every=every)
        now = self._clock.now()
        with self._uow:
            games = self._uow.fetches.of_owner(self._owner()) if every else self._found(refs)
            ready = [game.game_id for game in games if game.restart(now)]
            self._uow.commit()
        for game_id in ready:
            self._queue.enqueue_fetch(game_id)
        return [game.game_id for game in games]

    def counts(self) -> dict[str, int]:
        with self._uow.reading():
            return self._uow.fetches.counts()

    # --- one fetch -------------------------------------------------------------------------

    def _claim(self, game_id: int) -> GameFetch | FetchReport:
        """Take the game for this attempt, or say why there is nothing to fetch."""
        now = self._clock.now()
        with self._uow:
            job = self._uow.fetches.get(game_id)
            if job is None or not job.ready(now):
                return self._not_ready(game_id, job, now)
            before = job.visible()
            claimed = job.claim(now, self._policy)
            self._record(job, before)  # attempts spent by fetches that never ended: failed
            self._uow.commit()
        return job if claimed else self._ended(job)

    def _not_ready(self, game_id: int, job: GameFetch | None, now: datetime) -> FetchReport:
        """A task that comes before its game is due (the queue keeps one task a game, the
        earliest asked for) puts itself back for then."""
        due = job.due_at if job is not None and not job.held(now) else None
        if job is None or job.status is not MetadataStatus.PENDING or due is None:
            return self._report(game_id, FetchOutcome.SKIPPED, "nothing to fetch")
        self._queue.enqueue_fetch(game_id, at=due)
        return self._report(game_id, FetchOutcome.SKIPPED, f"not due until {_local(due)}")

    def _attempt(self, job: GameFetch) -> FetchReport:
        try:
            with self._lease_kept(job):
                change = self._look_up(job)
        except TemporaryProviderError as error:
            return self._retry_later(job, error.reason, error.retry_after)
        except PermanentProviderError as error:
            reason = error.reason
            return self._settle(job, lambda fetch: fetch.fail(reason))
        return self._settle(job, change)

    @contextmanager
    def _lease_kept(self, job: GameFetch) -> Iterator[None]:
        """Renew the lease while the provider is asked, so that it runs out only once its
        holder has stopped: however long the answers take, no second fetch starts meanwhile."""
        stop = threading.Event()
        every = self._policy.renew_every.total_seconds()

        def renew() -> None:
            while not stop.wait(every) and self._renewed(job):
                pass

        keeper = threading.Thread(target=renew, name=f"lease-{job.game_id}", daemon=True)
        keeper.start()
        try:
            yield
        finally:
            stop.set()
            keeper.join()  # the unit of work is the fetch's again once the keeper is done

    def _renewed(self, job: GameFetch) -> bool:
        """Renew the lease once; False when the claim was lost (nothing left to keep)."""
        try:
            with self._uow:
                fetch = self._uow.fetches.get(job.game_id)
                now = self._clock.now()
                if fetch is None or not fetch.renew(job.claim_token, now, self._policy):
                    return False
                self._uow.commit()
        except Exception as error:  # a busy database, say: the next beat tries again
            reason = error if isinstance(error, QuestryaError) else _internal_error(error)
            log.warning("fetch game=%d: could not renew its lease (%s)", job.game_id, reason)
        return True

    def _look_up(self, job: GameFetch) -> Callable[[GameFetch], None]:
        """Ask the provider (no transaction open); return the change to settle."""
        known = _picked(job, self._provider.name) or _known(job, self._provider.name)
        if known is not None:
            answer = self._provider.details(known.provider_id)
            metadata = answer if isinstance(answer, GameMetadata) else None
        else:
            found = decide(job.title, self._provider.search(job.title), self._provider.details)
            if found.decision is Decision.AMBIGUOUS:
                offers = tuple(Offer(r.candidate, r.similarity) for r in found.ranked)
                return lambda fetch: fetch.offer(offers)
            metadata = found.metadata
        if metadata is None:
            return GameFetch.not_found
        score = self._score_of(metadata.provider_id)
        now = self._clock.now()
        return lambda fetch: fetch.apply(metadata, score, now)

    def _retry_later(self, job: GameFetch, reason: str, retry_after: float | None) -> FetchReport:
        now = self._clock.now()
        return self._settle(
            job, lambda fetch: fetch.retry_later(reason, now, self._policy, retry_after)
        )

    def _settle(self, job: GameFetch, change: Callable[[GameFetch], object]) -> FetchReport:
        """Apply an outcome in its own transaction, only while this fetch's claim holds the
        game. A restart the player asked for meanwhile takes the outcome's place."""
        with self._uow:
            fetch = self._uow.fetches.get(job.game_id)
            if fetch is None:
                detail = "the game was removed meanwhile"
                return self._report(job.game_id, FetchOutcome.SKIPPED, detail)
            if not fetch.holds(job.claim_token):
                detail = "its lease ran out and another fetch took the game: outcome not applied"
                return self._report(job.game_id, FetchOutcome.DROPPED, detail)
            before = fetch.visible()
            restarted = fetch.restart_asked
            if restarted:
                fetch.start_over()
            else:
                change(fetch)
            self._record(fetch, before)
            self._uow.commit()
        if restarted:
            self._queue.enqueue_fetch(fetch.game_id)
            again = f"by {fetch.pick_label()}" if fetch.pick else "again"
            detail = f"started over as asked while it ran: fetching {again}"
            return self._report(fetch.game_id, FetchOutcome.RESTARTED, detail)
        return self._ended(fetch)

    def _ended(self, fetch: GameFetch) -> FetchReport:
        """The report of a settled fetch; a retry is queued for when it is due."""
        due = fetch.due_at
        if fetch.status is MetadataStatus.PENDING and due is not None:
            self._queue.enqueue_fetch(fetch.game_id, at=due)
            detail = f"{fetch.error}; again at {_local(due)}"
            return self._report(fetch.game_id, FetchOutcome.RETRY, detail)
        return self._report(fetch.game_id, FetchOutcome(fetch.status.value), fetch.error or "")

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

    def _report(self, game_id: int, outcome: FetchOutcome, detail: str = "") -> FetchReport:
        return FetchReport(game_id, self._provider.name, outcome, detail)

    # --- scores ----------------------------------------------------------------------------

    def _refresh_scores_of(self, refs: Sequence[str], *, every: bool) -> list[int]:
        provider = self._provider.name
        with self._uow.reading():
            if every:
                ids = self._uow.fetches.scored_ids(provider, owner_id=self._owner())
            else:
                ids = [game.game_id for game in self._found(refs) if game.scored_from(provider)]
        self._queue_scores(ids)
        return ids

    def _queue_scores(self, ids: Sequence[int]) -> None:
        for batch in _batches(ids):
            self._queue.enqueue_scores(batch)

    def _refresh_batch(self, game_ids: list[int]) -> int:
        """One query to read the games, the provider asked with no transaction open, then
        one transaction for the scores that came (none when none did)."""
        provider = self._provider.name
        with self._uow.reading():
            games = self._uow.fetches.scored_among(provider, game_ids)
        scores = {game.game_id: self._score(game) for game in games}
        found = [game_id for game_id, score in scores.items() if score is not None]
        if not found:
            return 0
        with self._uow:
            games = self._uow.fetches.scored_among(provider, found)  # not removed meanwhile
            for game in games:
                game.new_score = scores[game.game_id]
            self._uow.commit()
        return len(games)

    def _score(self, fetch: GameFetch) -> ScoreSnapshot | None:
        return self._score_of(fetch.metadata.provider_id) if fetch.metadata else None

    def _score_of(self, provider_id: str) -> ScoreSnapshot | None:
        """The game's scores, or None: metadata without a score is still worth keeping, and
        the next refresh asks again."""
        try:
            return self._provider.scores(provider_id)
        except ProviderError:
            return None
        except Exception as error:  # one game's scores stop no other's
            log.warning("scores of %s: %s", provider_id, _internal_error(error))
            return None

    # --- the player's games ----------------------------------------------------------------

    def _found(self, refs: Sequence[str]) -> list[GameFetch]:
        """The games ``refs`` name, each once, all found before any is touched."""
        owner, fetches = self._owner(), self._uow.fetches
        return resolve_all(
            refs,
            lambda game_ids: fetches.owned(owner, game_ids),
            lambda key, exact: fetches.with_title(owner, key, exact=exact),
            lambda game: f"{game.game_id}\t{game.title}",
            lambda game: game.game_id,
        )

    def _find(self, ref: str) -> GameFetch:
        return self._found((ref,))[0]

    def _owner(self) -> int:
        if self._owner_id is None:
            raise RuntimeError("this metadata service acts for no profile")
        return self._owner_id


def _picked(job: GameFetch, provider: str) -> Candidate | None:
    """The id the game is to be fetched by, when it is this provider's (an import may give
    another's: the game is then searched by its title)."""
    return job.pick if job.pick is not None and job.pick.provider == provider else None


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


def _internal_error(error: Exception) -> str:
    """One line that says an internal error happened and which: no traceback, no password."""
    message = str(error).strip().splitlines()[0] if str(error).strip() else ""
    shown = f"{type(error).__name__}: {message}" if message else type(error).__name__
    return mask_passwords(f"internal error ({shown[:REASON_LENGTH]})")


def _batches(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), SCORE_BATCH):
        yield list(ids[start : start + SCORE_BATCH])


def _local(moment: datetime) -> str:
    return f"{moment.astimezone():%X}"
