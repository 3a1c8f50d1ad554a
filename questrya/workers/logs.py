"""The worker's log on stderr: a line a task's start and end, and Huey's own warnings, with an
unreachable Redis told once a minute in one line rather than a traceback a poll."""

import logging
import sys
import time

from questrya.common.secrets import mask_passwords

# Seconds between two lines saying the same shared queue is still unreachable.
OUTAGE_EVERY = 60.0
# Huey's messages as its consumer reads the queue and the schedule, and enqueues what is due.
_POLLING = ("Error reading", "Error enqueueing")
# redis-py's errors for a server that does not answer (the module is not loaded to name them).
_REDIS_UNREACHABLE = ("ConnectionError", "TimeoutError")


def log_to_stderr() -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    handler.addFilter(QuietOutages())
    logging.getLogger("questrya").addHandler(handler)
    logging.getLogger("questrya").setLevel(logging.INFO)
    logging.getLogger("huey").addHandler(handler)
    logging.getLogger("huey").setLevel(logging.WARNING)
    # stamina logs each inline retry bare; the task's end line already tells the outcome.
    logging.getLogger("stamina").setLevel(logging.ERROR)


class QuietOutages(logging.Filter):
    """Huey logs every failed poll of a queue it cannot reach with its traceback, twice a
    second a thread, until the queue answers again. Such a record becomes one warning line
    (what Huey was doing, and why it failed), once a minute for each thing Huey was doing;
    the consumer keeps polling, and picks up again on its own once Redis is back."""

    def __init__(self, every: float = OUTAGE_EVERY) -> None:
        super().__init__()
        self._every = every
        self._told: dict[str, float] = {}  # what Huey was doing: when it was last told

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        polling = str(record.msg).startswith(_POLLING)
        if error is None or not polling or not _unreachable(error):
            return True
        doing = record.getMessage().rstrip(".")
        now = time.monotonic()
        if now - self._told.get(doing, -self._every) < self._every:
            return False
        self._told[doing] = now
        why = mask_passwords(str(error).splitlines()[0] if str(error) else type(error).__name__)
        record.msg, record.args = "%s: %s; trying again", (doing, why)
        record.exc_info, record.exc_text = None, None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def _unreachable(error: BaseException) -> bool:
    """A queue that does not answer: Redis's connection or time-out errors, or the socket's."""
    if isinstance(error, OSError):
        return True
    return any(
        kind.__module__ == "redis.exceptions"
        and kind.__name__ in ("ConnectionError", "TimeoutError")
        for kind in type(error).__mro__
    )
