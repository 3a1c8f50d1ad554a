"""Enqueueing fetches from the CLI and the services, without loading Huey until needed."""

import logging
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from questrya.common.secrets import mask_passwords
from questrya.workers.location import QueueLocation

if TYPE_CHECKING:
    from questrya.workers.queue import QueueTasks

log = logging.getLogger("questrya.worker")


class HueyFetchQueue:
    """Enqueues fetches for the CLI and the services. A queue that cannot be written loses
    nothing: the game stays `pending` on its row and the worker's sweep finds it."""

    def __init__(self, location: QueueLocation, tasks: Callable[[], "QueueTasks"]) -> None:
        self._location = location
        self._tasks = tasks

    def enqueue_fetch(self, game_id: int, at: datetime | None = None) -> None:
        self._send(lambda tasks: tasks.enqueue_fetch(game_id, at), f"the fetch of game {game_id}")

    def enqueue_fetches(self, game_ids: Sequence[int]) -> None:
        """Many games' fetches, as one task that queues each (an import's batch)."""
        self._send(
            lambda tasks: tasks.fetches(list(game_ids)), f"the fetch of {len(game_ids)} games"
        )

    def enqueue_scores(self, game_ids: list[int]) -> None:
        self._send(lambda tasks: tasks.scores(game_ids), "the score refresh")

    def _send(self, send: Callable[["QueueTasks"], object], what: str) -> None:
        from questrya.workers.queue import QUEUE_ERRORS  # `self._tasks()` loads it anyway

        try:
            send(self._tasks())
        except QUEUE_ERRORS as error:
            log.warning(
                "could not queue %s on %s (%s); the worker's sweep will pick it up",
                what,
                self._location.shown,
                mask_passwords(str(error)),
            )
