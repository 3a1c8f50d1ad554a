"""A missed score refresh (the laptop slept through 04:00) is caught up once by the sweep,
however many runs were missed: no replay storm (RELIABILITY.md, "laptop sleep")."""

from datetime import datetime
from pathlib import Path

import pytest

from questrya.metadata.service import MetadataService
from questrya.workers.queue import QueueTasks, open_queue


class Unused:
    """The tasks are only queued here, never run: no service is ever asked for."""

    def __call__(self) -> MetadataService:
        raise AssertionError("no task runs in these tests")


@pytest.fixture
def tasks(tmp_path: Path) -> QueueTasks:
    return QueueTasks(open_queue(f"sqlite:///{tmp_path / 'queue.db'}"), Unused(), "0 4 * * *")


def refreshes_queued(tasks: QueueTasks) -> int:
    return sum(task.name == tasks.all_scores.name for task in tasks.huey.pending())


def test_a_new_queue_counts_from_its_first_sweep(tasks: QueueTasks) -> None:
    assert not tasks.catch_up_scores(datetime(2026, 11, 26, 10, 0))
    assert refreshes_queued(tasks) == 0


def test_a_missed_run_is_refreshed_once(tasks: QueueTasks) -> None:
    tasks.catch_up_scores(datetime(2026, 11, 20, 12, 0))  # last seen on the 20th

    # The machine slept through six 04:00 runs; the first sweep after waking catches up once.
    assert tasks.catch_up_scores(datetime(2026, 11, 26, 9, 0))
    assert not tasks.catch_up_scores(datetime(2026, 11, 26, 9, 5))
    assert refreshes_queued(tasks) == 1


def test_a_run_that_happened_is_not_repeated(tasks: QueueTasks) -> None:
    tasks.catch_up_scores(datetime(2026, 11, 26, 3, 50))
    tasks.huey.put("questrya.last_score_refresh", datetime(2026, 11, 26, 4, 0))  # it ran

    assert not tasks.catch_up_scores(datetime(2026, 11, 26, 4, 5))
    assert not tasks.catch_up_scores(datetime(2026, 11, 26, 23, 55))
    assert refreshes_queued(tasks) == 0
