"""The one Huey instance, with its tasks and schedule.

Tasks are named explicitly ("questrya.fetch_game_metadata"), not after their module, so
moving code never orphans queued work. Each task is one call to a service that the
composition root hands in: the queue carries only "look at game N"; the state is on the row.

The queue holds at most one fetch task a game. Queueing one first puts a mark in Huey's
key-value store with ``put_if_empty`` (atomic on SQLite and Redis): the task's id and when it
is due. Whoever finds a mark queues nothing, unless it wants the fetch sooner than the task
marked (a restart of a game waiting on a retry): that task is revoked and replaced. A task
takes its mark away as it starts. A mark whose task is lost (`kill -9` between taking a task
and starting it, or between putting a mark and its task) blocks nothing for long: the sweep
reads the queue, and a mark whose task it finds neither waiting nor scheduled, twice
``SETTLE`` seconds apart, is replaced.
"""

import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from huey import Huey, PriorityRedisHuey, SqliteHuey, crontab
from huey.api import Task
from huey.serializer import SignedSerializer

from questrya.common.exceptions import InvalidInputError, StorageError
from questrya.common.secrets import Secret, mask_passwords
from questrya.metadata.service import FetchReport, MetadataService
from questrya.workers.location import QueueLocation, checked_location
from questrya.workers.presence import SharedRecords

try:
    from redis.exceptions import RedisError
except ImportError:  # without the client there is no Redis queue, nor its errors

    class RedisError(Exception):  # type: ignore[no-redef]
        """Never raised."""


log = logging.getLogger("questrya.worker")

SWEEP_EVERY_MINUTES = 5
SHARED_SWEEP_EVERY_MINUTES = 1
# Fetches, and the quick tasks that queue them, run before the score refreshes waiting, which
# come in small batches: a game added during a long refresh is fetched after the batch in hand.
# (SqliteStorage keeps priorities; plain RedisStorage ignores them, PriorityRedisHuey keeps them.)
FETCH_PRIORITY = 10
SCORES_PRIORITY = 0
# Seconds, far more than a task takes to go from the schedule to the queue, or from the queue
# to taking its mark away, or from its mark to the queue: a task in neither place for that
# long is lost.
SETTLE = 2.0
SOONER = 1.0  # seconds: a fetch wanted this much sooner than the marked task replaces it
# When the last full score refresh started (local time), kept in Huey's key-value store.
LAST_SCORE_REFRESH = "questrya.last_score_refresh"
CATCH_UP_GRACE = timedelta(minutes=2 * SWEEP_EVERY_MINUTES)
LOOK_BACK = timedelta(days=8)  # a schedule that fired in none of the last 8 days is not chased
# Taken by the score refresh of one due time (its minute): however many workers' schedules
# fire, or sweeps catch it up, one refresh runs.
SCORES_DUE = "questrya.scores_due:{due:%Y-%m-%dT%H:%M}"
SIGNING_SALT = "questrya.queue"


class QueueTasks:
    """The Huey instance on ``queue_url`` with every task registered on it."""

    def __init__(
        self,
        huey: Huey,
        service: Callable[[], MetadataService],
        schedule: str,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
        *,
        shared: bool = False,
    ) -> None:
        self.huey = huey
        self._service = service
        self._score_schedule = _crontab(schedule)
        self._clock = clock
        self._sleep = sleep
        self.fetch = huey.task(
            name="questrya.fetch_game_metadata", priority=FETCH_PRIORITY, context=True
        )(self._fetch)
        self.fetches = huey.task(name="questrya.queue_fetches", priority=FETCH_PRIORITY)(
            self._fetches
        )
        self.scores = huey.task(name="questrya.refresh_scores", priority=SCORES_PRIORITY)(
            self._scores
        )
        self.all_scores = huey.periodic_task(
            self._score_schedule, name="questrya.update_all_game_scores", priority=FETCH_PRIORITY
        )(self._all_scores)
        # Alone on its queue, a worker redoes what a killed one held as it starts; workers
        # sharing a queue are not restarted for each other: they sweep every minute.
        sweep_every = SHARED_SWEEP_EVERY_MINUTES if shared else SWEEP_EVERY_MINUTES
        self.sweep = huey.periodic_task(
            crontab(minute=f"*/{sweep_every}"),
            name="questrya.sweep",
            priority=FETCH_PRIORITY,
        )(self._sweep)

    def enqueue_fetch(self, game_id: int, at: datetime | None = None) -> bool:
        """Queue the game's fetch, now or from ``at``, unless one is queued for then or sooner.
        True when it queued a task."""
        now = self._clock()
        eta = now if at is None else at.timestamp()
        later = max(eta - now, 0.0)
        task = self.fetch.s(game_id) if at is None else self.fetch.s(game_id, delay=later)
        mark = {"task": task.id, "eta": eta}
        key = _mark_key(game_id)
        if not self.huey.put_if_empty(key, mark):
            # None: its task has just started, and reads the row after our change.
            held = self._mark(game_id)
            if held is None or held["eta"] <= eta + SOONER or not self._taken(key, held):
                return False
            self.huey.revoke_by_id(held["task"], revoke_once=True)
            if not self.huey.put_if_empty(key, mark):
                return False
        try:
            self.huey.enqueue(task)
        except QUEUE_ERRORS:
            self.huey.delete(key)  # should this fail too, the mark goes stale: see the sweep
            raise
        return True

    def worker_records(self) -> SharedRecords:
        """The records the workers on this queue keep of themselves (a shared queue's)."""
        return SharedRecords(self.huey.storage.conn, self.huey.name)

    def sweep_queue(self, *, at_start: bool = False) -> list[int]:
        """Queue every game left waiting that no task in the queue will fetch; the games queued.

        A game marked as queued though its task is nowhere is looked at again ``SETTLE``
        seconds later (a task going from the schedule to the queue, or starting, is in neither
        for a moment): its mark still there, unchanged, and its task still missing, the task
        was lost and the mark is replaced.
        """
        service = self._service()
        missing = service.sweep(at_start=at_start, queued=self.queued_fetches())
        queued = [game_id for game_id in missing if self.enqueue_fetch(game_id)]
        suspects = {
            game_id: mark
            for game_id in missing
            if game_id not in queued and (mark := self._mark(game_id)) is not None
        }
        if not suspects:
            return queued
        self._sleep(SETTLE)
        still = set(service.sweep(queued=self.queued_fetches()))
        for game_id, mark in suspects.items():
            lost = game_id in still and self._taken(_mark_key(game_id), mark)
            if lost and self.enqueue_fetch(game_id):
                queued.append(game_id)
        return queued

    def catch_up_scores(self, now: datetime) -> bool:
        """Queue the score refresh if its last scheduled run was missed (the machine slept,
        no worker ran): once, however many runs were missed. True when it queued one."""
        due = _last_run(self._score_schedule, now)
        last = self.huey.get(LAST_SCORE_REFRESH, peek=True)
        if last is None:  # a new queue: nothing was missed yet, count from here
            self.huey.put(LAST_SCORE_REFRESH, now)
            return False
        if due is None or last >= due - CATCH_UP_GRACE:
            return False
        self.huey.put(LAST_SCORE_REFRESH, now)  # queued now: the next sweeps leave it be
        log.info("scores: the run due at %s was missed; refreshing now", f"{due:%Y-%m-%d %H:%M}")
        self.all_scores()
        return True

    def queued_fetches(self) -> set[int]:
        """The games whose fetch task is waiting in the queue or scheduled; a task revoked
        (replaced by a sooner one) is none."""
        return {
            task.args[0]
            for task in [*self.huey.pending(), *self.huey.scheduled()]
            if task.name == self.fetch.name and not (task.eta and self.huey.is_revoked(task))
        }

    def _fetch(self, game_id: int, task: Task) -> FetchReport:
        self._unmark(game_id, task.id)
        started = time.monotonic()
        service = self._service()
        log.info("fetch game=%d provider=%s started", game_id, service.provider_name)
        report = service.fetch(game_id)
        detail = f" ({report.detail})" if report.detail else ""
        log.info(
            "fetch game=%d provider=%s outcome=%s %.2fs%s",
            game_id,
            report.provider,
            report.outcome,
            time.monotonic() - started,
            detail,
        )
        return report

    def _unmark(self, game_id: int, task_id: str) -> None:
        """A task takes its own mark away as it starts: from then on, another may be queued."""
        held = self._mark(game_id)
        if held is not None and held["task"] == task_id:
            self._taken(_mark_key(game_id), held)

    def _mark(self, game_id: int) -> dict[str, Any] | None:
        mark: dict[str, Any] | None = self.huey.get(_mark_key(game_id), peek=True)
        return mark

    def _taken(self, key: str, held: dict[str, Any]) -> bool:
        """Take the mark ``held`` away; False (and the mark left) if another replaced it."""
        taken = self.huey.get(key)
        if taken == held:
            return True
        if taken is not None:
            self.huey.put_if_empty(key, taken)
        return False

    def _fetches(self, game_ids: list[int]) -> None:
        """Queue the fetch of each of these games: many asked for in one task (an import)."""
        queued = sum(self.enqueue_fetch(game_id) for game_id in game_ids)
        log.info("fetches queued=%d of %d game(s)", queued, len(game_ids))

    def _scores(self, game_ids: list[int]) -> None:
        started = time.monotonic()
        updated = self._service().refresh_scores(game_ids)
        log.info(
            "scores games=%d updated=%d %.2fs", len(game_ids), updated, time.monotonic() - started
        )

    def _all_scores(self) -> None:
        now = datetime.now()
        due = _last_run(self._score_schedule, now) or now
        if not self.huey.put_if_empty(SCORES_DUE.format(due=due), now):
            log.info("scores all: the run due at %s is queued already", f"{due:%Y-%m-%d %H:%M}")
            return
        earlier = _last_run(self._score_schedule, due - timedelta(minutes=1))
        if earlier is not None:  # its run is over: no task computes that due time again
            self.huey.delete(SCORES_DUE.format(due=earlier))
        self.huey.put(LAST_SCORE_REFRESH, now)
        queued = self._service().queue_score_refresh()
        log.info("scores all: %d game(s) queued in batches", queued)

    def _sweep(self) -> None:
        queued = self.sweep_queue()
        if queued:
            log.info("sweep queued=%d games=%s", len(queued), ",".join(map(str, queued)))
        self.catch_up_scores(datetime.now())


def _mark_key(game_id: int) -> str:
    return f"questrya.fetch:{game_id}"


def open_queue(queue_url: str, secret: Secret | None = None, *, repair: bool = False) -> Huey:
    """The Huey storage ``queue_url`` names: a Redis server (its tasks signed with
    ``secret``), or a SQLite file. With ``repair``, a corrupt queue file is moved aside and a
    new one made: the rows, not the queue, hold the work, and the sweep restores it."""
    location = checked_location(queue_url, secret)
    path = location.file
    if path is None:
        assert secret is not None  # checked
        return _redis_huey(location, secret.get_secret_value())
    try:
        return _sqlite_huey(path)
    except sqlite3.DatabaseError as error:
        unreadable = error.sqlite_errorname in ("SQLITE_NOTADB", "SQLITE_CORRUPT")
        if not (repair and unreadable):  # a busy queue is never moved aside
            raise
        aside = path.with_name(f"{path.name}.corrupt-{int(time.time())}")
        path.replace(aside)
        log.warning("the queue %s was unreadable (%s); moved it to %s", path, error, aside.name)
        return _sqlite_huey(path)


def _sqlite_huey(path: Path) -> Huey:
    path.parent.mkdir(parents=True, exist_ok=True)
    # fsync: a queued fetch survives a power cut; utc=False: score_schedule is local time.
    return SqliteHuey(name="questrya", filename=str(path), results=False, fsync=True, utc=False)


def _redis_huey(location: QueueLocation, secret: str) -> Huey:
    """Huey on Redis, keeping priorities (plain RedisStorage ignores them), its messages
    signed: a worker runs only what a holder of the secret queued."""
    huey = VerifiedRedisHuey(
        name=location.name,
        url=location.redis_url(),
        results=False,
        utc=False,
        serializer=SignedSerializer(secret=secret, salt=SIGNING_SALT),
    )
    try:
        huey.storage.conn.ping()
    except RedisError as error:
        # redis-py says "Error 111 connecting to HOST:PORT. Connection refused.": its last
        # sentence is the reason.
        reason = str(error).strip().rstrip(".").rsplit(". ", 1)[-1]
        raise StorageError(
            mask_passwords(f"cannot reach the queue at {location.shown}: {reason}")
        ) from None
    return huey


class VerifiedRedisHuey(PriorityRedisHuey):  # type: ignore[misc]
    """A message whose signature does not verify (queued without the secret, or with
    another) is dropped unread, and said so: unpickling it could run anything."""

    def deserialize_task(self, data: bytes) -> Task | None:
        try:
            message = self.serializer.deserialize(data)
        except ValueError:  # the signature, or the separator before it
            log.warning(
                "dropped a message on the queue that does not carry this queue_secret's "
                "signature (%d bytes): nothing of it was run",
                len(data),
            )
            return None
        task: Task = self._registry.create_task(message)
        return task

    def read_schedule(self, timestamp: datetime | None = None) -> list[Task]:
        return _verified(super().read_schedule(timestamp))

    def pending(self, limit: int | None = None) -> list[Task]:
        return _verified(super().pending(limit))

    def scheduled(self, limit: int | None = None) -> list[Task]:
        return _verified(super().scheduled(limit))


def _verified(tasks: list[Task | None]) -> list[Task]:
    return [task for task in tasks if task is not None]


# What the queue's storage raises when it cannot be used (a file, a server).
QUEUE_ERRORS = (sqlite3.Error, OSError, RedisError, StorageError)


def _crontab(schedule: str) -> Callable[[datetime], bool]:
    fields = schedule.split()
    if len(fields) != 5:
        raise InvalidInputError(f"score_schedule {schedule!r} must have 5 crontab fields")
    minute, hour, day, month, weekday = fields
    try:
        check: Callable[[datetime], bool] = crontab(minute, hour, day, month, weekday)
    except ValueError as error:
        raise InvalidInputError(f"score_schedule {schedule!r}: {error}") from None
    return check


def _last_run(schedule: Callable[[datetime], bool], now: datetime) -> datetime | None:
    """The latest minute, up to ``now``, at which the crontab fired."""
    minute = now.replace(second=0, microsecond=0)
    oldest = minute - LOOK_BACK
    while minute > oldest:
        if schedule(minute):
            return minute
        minute -= timedelta(minutes=1)
    return None


def check_schedule(schedule: str) -> None:
    """Refuse a crontab the worker could not run (InvalidInputError), as `config set` must."""
    _crontab(schedule)
