"""The user tasks, beside the game tasks of `queue.py`: the weekly digest, on the same Huey
instance. Named explicitly, as the game tasks are, so that moving code orphans nothing."""

from collections.abc import Callable
from contextlib import AbstractContextManager

from huey import Huey, crontab

from questrya.insight.service import DigestService

# Hourly: the first run of each week (local time) sends that week's digests; the later ones
# find them sent. A worker asleep on Monday sends them when it wakes.
DIGEST_SCHEDULE = crontab(minute="0")


class UserTasks:
    """The periodic tasks for every profile; ``service`` opens a digest service for one run."""

    def __init__(
        self, huey: Huey, service: Callable[[], AbstractContextManager[DigestService]]
    ) -> None:
        self._service = service
        self.digest = huey.periodic_task(DIGEST_SCHEDULE, name="questrya.weekly_digest")(
            self._digest
        )

    def _digest(self) -> list[str]:
        with self._service() as service:
            return service.send_weekly()
