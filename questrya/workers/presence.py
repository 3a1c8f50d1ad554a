"""Whether workers run, where, since when, and what each did last: what `questrya queue` shows.

On the SQLite queue a running worker is told by its lock being held (`consumer._only_worker`),
never by a pid alone: `kill -9` releases the lock, while a pid outlives its process and is given
again. Beside the lock the worker keeps a small record, written whole (a temporary file renamed
over it). On a shared Redis queue each worker keeps its record under a key of its own that
expires unless renewed (`SharedRecords`): a killed worker's is gone within ``SHARED_TTL``.
"""

import fcntl
import json
import os
import socket
import threading
from collections.abc import Callable
from contextlib import suppress
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from redis import Redis

NOTICE_FILE = "worker-notice"  # in the data folder: the day the player was last told
# Seconds a shared queue's worker record lives unless renewed; a running worker renews it three
# times as often, so that a slow Redis answer never hides it.
SHARED_TTL = 45


@dataclass(frozen=True)
class LastTask:
    name: str
    game: int | None
    at: datetime  # UTC
    ok: bool  # False: the task raised


@dataclass(frozen=True)
class RunningWorker:
    pid: int
    host: str | None  # None while a starting worker has not written its record
    since: datetime | None  # UTC; None while a starting worker has not written its record
    last_task: LastTask | None

    def as_json(self) -> dict[str, Any]:
        shown = asdict(self)
        shown["since"] = _utc_text(self.since)
        if self.last_task is not None:
            shown["last_task"]["at"] = _utc_text(self.last_task.at)
        return shown


def record_path(lock_path: Path) -> Path:
    return lock_path.with_name(f"{lock_path.name.removesuffix('.lock')}.worker.json")


def running_worker(lock_path: Path | None) -> RunningWorker | None:
    """The worker holding the queue's lock, or None when none runs (or the queue has none)."""
    if lock_path is None or not _held(lock_path):
        return None
    try:
        holder = int(lock_path.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):  # the worker has the lock and is writing its pid
        return RunningWorker(0, None, None, None)
    try:
        record = _parsed(record_path(lock_path).read_text(encoding="utf-8"))
    except OSError:
        record = None
    if record is None or record.pid != holder:  # a record left by an earlier worker
        return RunningWorker(holder, None, None, None)
    return record


def _held(lock_path: Path) -> bool:
    """Whether a process holds the lock. Looking takes it for an instant when it is free: a
    worker starting in that instant is refused as a second one, and can be started again."""
    try:
        with lock_path.open("r") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(lock, fcntl.LOCK_UN)
            return False
    except FileNotFoundError:  # no worker ever ran here
        return False


def _parsed(record: str | bytes) -> RunningWorker | None:
    try:
        data = json.loads(record)
        last = data["last_task"]
        return RunningWorker(
            int(data["pid"]),
            str(data["host"]),
            datetime.fromisoformat(data["since"]),
            LastTask(last["name"], last["game"], datetime.fromisoformat(last["at"]), last["ok"])
            if last is not None
            else None,
        )
    except (ValueError, KeyError, TypeError):
        return None


class RecordStore(Protocol):
    """Where a running worker's record is kept for `questrya queue` to read."""

    def write(self, record: str) -> None: ...

    def remove(self) -> None: ...


class WorkerRecord:
    """The running worker's record: written as it starts, then after every task (from the
    consumer's threads: one writer at a time), and again whenever it is renewed."""

    def __init__(self, store: RecordStore) -> None:
        self._store = store
        self._written = threading.Lock()
        self._state = RunningWorker(os.getpid(), socket.gethostname(), datetime.now(UTC), None)
        self.renew()

    def task_ended(self, name: str, args: tuple[Any, ...], *, ok: bool) -> None:
        game = args[0] if args and type(args[0]) is int else None
        last = LastTask(name, game, datetime.now(UTC), ok)
        with self._written:
            self._state = RunningWorker(self._state.pid, self._state.host, self._state.since, last)
            self._store.write(json.dumps(self._state.as_json()))

    def renew(self) -> None:
        with self._written:
            self._store.write(json.dumps(self._state.as_json()))

    def remove(self) -> None:
        with self._written:
            self._store.remove()


class RecordFile:
    """The SQLite queue's one worker keeps its record in a file beside the lock; the lock
    tells whether it runs, so the file is left when it stops."""

    def __init__(self, lock_path: Path) -> None:
        self._path = record_path(lock_path)

    def write(self, record: str) -> None:
        temporary = self._path.with_name(f"{self._path.name}.{threading.get_ident()}.tmp")
        temporary.write_text(record, encoding="utf-8")
        temporary.replace(self._path)

    def remove(self) -> None:
        """Nothing to do: a record the lock's holder did not write is never shown."""


class SharedRecords:
    """A shared Redis queue's worker records: each under a key of its queue's name, its host
    and its pid, living ``SHARED_TTL`` seconds unless renewed. Keeping one is best effort: a
    Redis that does not answer for a while hides the worker, and never stops it."""

    def __init__(self, redis: "Redis", queue_name: str) -> None:
        self._redis = redis
        self._prefix = f"questrya.worker.{queue_name}."
        self._key = f"{self._prefix}{socket.gethostname()}.{os.getpid()}"

    def write(self, record: str) -> None:
        from redis.exceptions import RedisError

        with suppress(RedisError):
            self._redis.set(self._key, record, ex=SHARED_TTL)

    def remove(self) -> None:
        from redis.exceptions import RedisError

        with suppress(RedisError):
            self._redis.delete(self._key)

    def any_running(self) -> bool:
        """Whether a worker runs on the queue; a Redis that does not answer is taken for yes,
        the player having been told so already."""
        from redis.exceptions import RedisError

        try:
            return bool(next(self._redis.scan_iter(match=f"{self._prefix}*"), None))
        except RedisError:
            return True

    def running(self) -> list[RunningWorker]:
        """The workers whose records have not expired, by host and pid."""
        keys = sorted(self._redis.scan_iter(match=f"{self._prefix}*"))
        found = (_parsed(value) for value in self._redis.mget(keys) if value) if keys else ()
        return sorted(
            (worker for worker in found if worker is not None),
            key=lambda worker: (worker.host or "", worker.pid),
        )


class WorkerNotice:
    """Whether to tell the player that no worker runs to fetch what was queued: at most once a
    day (the day told kept in the data folder, looked at before the workers are)."""

    def __init__(self, home: Path, today: date, running: Callable[[], bool]) -> None:
        self._told = home / NOTICE_FILE
        self._today = today.isoformat()
        self._running = running

    def due(self) -> bool:
        """True when no worker runs and the player was not told so today; telling them is
        remembered now."""
        with suppress(OSError):  # never told
            if self._told.read_text(encoding="utf-8").strip() == self._today:
                return False
        if self._running():
            return False
        with suppress(OSError):  # a folder that cannot be written: not worth a second line
            self._told.write_text(self._today, encoding="utf-8")
        return True


def _utc_text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
