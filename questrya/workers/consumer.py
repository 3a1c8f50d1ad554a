"""`questrya worker`: one Huey consumer on the queue, started from code (PRODUCT §6)."""

import fcntl
import logging
import os
import signal
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from types import FrameType

from huey.api import Task
from huey.consumer import Consumer
from huey.signals import SIGNAL_COMPLETE, SIGNAL_ERROR

from questrya.common.exceptions import RuleViolationError
from questrya.metadata.domain import FetchOutcome
from questrya.metadata.service import FetchReport, MetadataService, Waiting
from questrya.workers.logs import log_to_stderr
from questrya.workers.presence import (
    SHARED_TTL,
    RecordFile,
    RecordStore,
    RunningWorker,
    WorkerRecord,
    running_worker,
)
from questrya.workers.queue import QueueTasks

log = logging.getLogger("questrya.worker")

# A task added while the worker idles starts within this many seconds (Huey's default
# backs off to 10 s; measured median 6.4 s before a new task started).
IDLE_POLL_MAX = 0.5
BURST_HORIZON = timedelta(seconds=10)
# What a burst's summary counts: the outcomes a player acts on.
SETTLED = (
    FetchOutcome.FETCHED,
    FetchOutcome.NOT_FOUND,
    FetchOutcome.AMBIGUOUS,
    FetchOutcome.FAILED,
)


class GracefulConsumer(Consumer):  # type: ignore[misc]
    """Huey's consumer, with SIGTERM as graceful as SIGINT: the task in hand finishes."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._signal_actions[signal.SIGTERM] = (False, True)  # (restart, graceful)


@dataclass(frozen=True)
class QueueStatus:
    """What `questrya queue` shows: the tasks waiting and scheduled, and the games by
    metadata status."""

    waiting: int
    scheduled: int
    games: dict[str, int]


@dataclass
class Worker:
    start_queue: Callable[[], QueueTasks]  # opens the queue, repairing a corrupt file
    current_queue: Callable[[], QueueTasks]  # opens it as it is, to look
    service: MetadataService
    lock_path: Path | None  # a SQLite queue's: one worker; None on a shared (Redis) queue

    def run(self, *, workers: int = 1, periodic: bool = True, burst: bool = False) -> None:
        log_to_stderr()
        with _only_worker(self.lock_path):
            tasks = self.start_queue()
            with _kept_record(tasks, self.lock_path):
                # Alone on its queue, this worker knows every lease is a dead worker's; on a
                # shared queue the others' are live, and those that ran out are ready anyway.
                queued = tasks.sweep_queue(at_start=self.lock_path is not None)
                log.info("worker started: %d game(s) queued by the start-up sweep", len(queued))
                if burst:
                    ended = _run_burst(tasks)
                    log.info("%s", _summary(ended, self.service.waiting()))
                else:
                    _consumer(tasks, workers, periodic).run()
        log.info("worker stopped")

    def status(self) -> QueueStatus:
        huey = self.current_queue().huey
        return QueueStatus(huey.pending_count(), huey.scheduled_count(), self.service.counts())

    def running(self) -> list[RunningWorker]:
        """The workers running on this queue: the lock's holder on SQLite; on a shared queue
        each whose record has not expired, on any machine."""
        if self.lock_path is not None:
            alone = running_worker(self.lock_path)
            return [] if alone is None else [alone]
        return self.current_queue().worker_records().running()


def _consumer(tasks: QueueTasks, workers: int, periodic: bool) -> Consumer:
    return GracefulConsumer(
        tasks.huey,
        workers=workers,
        periodic=periodic,
        worker_type="thread",
        initial_delay=0.1,
        backoff=1.15,
        max_delay=IDLE_POLL_MAX,
        flush_locks=True,  # SQLite locks never expire: a killed worker's must go
    )


def _run_burst(tasks: QueueTasks) -> Counter[FetchOutcome]:
    """Run what is queued and the retries that fall due meanwhile; stop once nothing is
    waiting and nothing is scheduled within the next 10 seconds. SIGINT or SIGTERM let the
    task in hand finish, then stop. Returns how the fetches it ran ended."""
    huey = tasks.huey
    stop = threading.Event()
    ended: Counter[FetchOutcome] = Counter()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        log.info("stopping after the task in hand")
        stop.set()

    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, request_stop)
    while not stop.is_set():
        for due in huey.read_schedule(datetime.now()):
            huey.enqueue(due)
        task = huey.dequeue()
        if task is not None:
            report = huey.execute(task)
            if isinstance(report, FetchReport):
                ended[report.outcome] += 1
            continue
        upcoming = [task.eta for task in huey.scheduled() if task.eta is not None]
        wait = min(upcoming) - datetime.now() if upcoming else None
        if wait is None or wait > BURST_HORIZON:
            break
        stop.wait(min(max(wait.total_seconds(), 0.05), IDLE_POLL_MAX))
    return ended


def _summary(ended: Counter[FetchOutcome], waiting: Waiting) -> str:
    """What a burst did, and what it left waiting: a retry due later needs another run."""
    done = ", ".join(f"{ended[outcome]} {outcome.value}" for outcome in SETTLED)
    if not waiting.games:
        return f"burst finished: {done}; no game is waiting"
    due = waiting.next_due
    when = f"at {due.astimezone():%Y-%m-%d %X}" if due is not None else "now"
    return (
        f"burst finished: {done}; {waiting.games} game(s) still waiting, the next due {when}"
        " (run the worker again then)"
    )


@contextmanager
def _kept_record(tasks: QueueTasks, lock_path: Path | None) -> Iterator[None]:
    """`questrya queue` shows the running worker and its last task: its record is written as
    it starts and at each task's end, renewed while it runs (a shared queue's expires), and
    taken back as it stops."""
    huey = tasks.huey
    store: RecordStore = RecordFile(lock_path) if lock_path else tasks.worker_records()
    record = WorkerRecord(store)

    def ended(signal: str, task: Task, *_: object) -> None:
        record.task_ended(task.name, task.args, ok=signal == SIGNAL_COMPLETE)

    huey.signal(SIGNAL_COMPLETE, SIGNAL_ERROR)(ended)
    stopped = threading.Event()
    renewing = threading.Thread(target=_renew, args=(record, stopped), daemon=True)
    renewing.start()
    try:
        yield
    finally:
        stopped.set()
        renewing.join()
        record.remove()


def _renew(record: WorkerRecord, stopped: threading.Event) -> None:
    while not stopped.wait(SHARED_TTL / 3):
        record.renew()


@contextmanager
def _only_worker(lock_path: Path | None) -> Iterator[None]:
    """One worker per SQLite queue: a second would double periodic tasks and fight for rows.
    Workers sharing a Redis queue need no such lock: a game's fetch is held by the lease on
    its row, and a score refresh by its due time (`QueueTasks`)."""
    if lock_path is None:
        yield
        return
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            raise RuleViolationError(
                f"a worker is already running on this queue (pid {holder})"
            ) from None
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        yield
