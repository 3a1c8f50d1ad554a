"""The one Huey instance, with its tasks and schedule.

Tasks are named explicitly ("questrya.fetch_game_metadata"), not after their module, so
moving code never orphans queued work. Each task is one call to a service that the
composition root hands in: the queue carries only "look at game N"; the state is on the row.
"""

import logging
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from huey import Huey, SqliteHuey, crontab

from questrya.common.exceptions import InvalidInputError
from questrya.metadata.service import MetadataService

log = logging.getLogger("questrya.worker")

SWEEP_EVERY_MINUTES = 5
# When the last full score refresh started (local time), kept in Huey's key-value store.
LAST_SCORE_REFRESH = "questrya.last_score_refresh"
CATCH_UP_GRACE = timedelta(minutes=2 * SWEEP_EVERY_MINUTES)
LOOK_BACK = timedelta(days=8)  # a schedule that fired in none of the last 8 days is not chased


class QueueTasks:
    """The Huey instance on ``queue_url`` with every task registered on it."""

    def __init__(self, huey: Huey, service: Callable[[], MetadataService], schedule: str) -> None:
        self.huey = huey
        self._service = service
        self._score_schedule = _crontab(schedule)
        self.fetch = huey.task(name="questrya.fetch_game_metadata")(self._fetch)
        self.scores = huey.task(name="questrya.refresh_scores")(self._scores)
        self.all_scores = huey.periodic_task(
            self._score_schedule, name="questrya.update_all_game_scores"
        )(self._all_scores)
        huey.periodic_task(crontab(minute=f"*/{SWEEP_EVERY_MINUTES}"), name="questrya.sweep")(
            self._sweep
        )

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
        """The games whose fetch is waiting in the queue now."""
        return {task.args[0] for task in self.huey.pending() if task.name == self.fetch.name}

    def _fetch(self, game_id: int) -> None:
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

    def _scores(self, game_ids: list[int]) -> None:
        started = time.monotonic()
        updated = self._service().refresh_scores(game_ids)
        log.info(
            "scores games=%d updated=%d %.2fs", len(game_ids), updated, time.monotonic() - started
        )

    def _all_scores(self) -> None:
        started = time.monotonic()
        self.huey.put(LAST_SCORE_REFRESH, datetime.now())
        updated = self._service().refresh_scores()
        log.info("scores all updated=%d %.2fs", updated, time.monotonic() - started)

    def _sweep(self) -> None:
        queued = self._service().sweep()
        if queued:
            log.info("sweep queued=%d games=%s", len(queued), ",".join(map(str, queued)))
        self.catch_up_scores(datetime.now())


def open_queue(queue_url: str, *, repair: bool = False) -> Huey:
    """The Huey storage for ``queue_url``. With ``repair``, a corrupt queue file is moved
    aside and a new one made: the rows, not the queue, hold the work, and the sweep restores it."""
    path = _sqlite_path(queue_url)
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


def queue_lock_path(queue_url: str) -> Path:
    path = _sqlite_path(queue_url)
    return path.with_name(f"{path.name}.lock")


def _sqlite_huey(path: Path) -> Huey:
    path.parent.mkdir(parents=True, exist_ok=True)
    # fsync: a queued fetch survives a power cut; utc=False: score_schedule is local time.
    return SqliteHuey(name="questrya", filename=str(path), results=False, fsync=True, utc=False)


def _sqlite_path(queue_url: str) -> Path:
    prefix = "sqlite:///"
    if not queue_url.startswith(prefix):
        raise InvalidInputError(
            f"queue_url {queue_url!r} is not supported here; use sqlite:///PATH/queue.db"
        )
    return Path(queue_url.removeprefix(prefix))


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


def queue_file(queue_url: str) -> Path:
    """The queue's SQLite file; a URL the worker could not open is InvalidInputError."""
    return _sqlite_path(queue_url)
