"""Where the queue lives, read from `queue_url` without loading Huey: a SQLite file of this
machine (one worker), or a Redis server that several machines and workers share."""

from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from questrya.common.exceptions import InvalidInputError
from questrya.common.secrets import Secret, mask_passwords

_SQLITE = "sqlite:///"
_REDIS_SCHEMES = ("redis", "rediss")
# Huey's name for the queue: its keys in a shared Redis carry it, so that several backlogs
# may share one server (`?name=…` in the URL).
DEFAULT_NAME = "questrya"
_NAME_PARAMETER = "name"


@dataclass(frozen=True)
class QueueLocation:
    url: str
    file: Path | None  # the SQLite file; None on a Redis server
    name: str = DEFAULT_NAME

    @property
    def shared(self) -> bool:
        """Several workers, on any machine, may take tasks from it."""
        return self.file is None

    @property
    def shown(self) -> str:
        return mask_passwords(self.url)

    def lock_path(self) -> Path | None:
        """The lock file that keeps a SQLite queue to one worker; None on a shared queue."""
        return None if self.file is None else self.file.with_name(f"{self.file.name}.lock")

    def redis_url(self) -> str:
        """The URL redis-py opens: Questrya's own parameters taken out."""
        parts = urlsplit(self.url)
        kept = [(k, v) for k, v in parse_qsl(parts.query) if k != _NAME_PARAMETER]
        return urlunsplit(parts._replace(query=urlencode(kept)))


def queue_location(queue_url: str) -> QueueLocation:
    """The queue ``queue_url`` names; a URL the worker could not open is InvalidInputError."""
    if queue_url.startswith(_SQLITE):
        return QueueLocation(queue_url, Path(queue_url.removeprefix(_SQLITE)))
    parts = urlsplit(queue_url)
    if parts.scheme in _REDIS_SCHEMES and parts.hostname:
        names = [v for k, v in parse_qsl(parts.query) if k == _NAME_PARAMETER]
        return QueueLocation(queue_url, None, names[-1] if names else DEFAULT_NAME)
    raise InvalidInputError(
        mask_passwords(
            f"queue_url {queue_url!r} is not supported; use sqlite:///PATH/queue.db, "
            "redis://HOST:PORT/DB or rediss://…"
        )
    )


def checked_location(queue_url: str, secret: Secret | None) -> QueueLocation:
    """The queue, once it is sure a worker can use it: a Redis queue needs the Redis client
    and ``queue_secret``, which signs its tasks (bad input, exit 2, before anything runs)."""
    location = queue_location(queue_url)
    if not location.shared:
        return location
    if find_spec("redis") is None:
        raise InvalidInputError(
            f"queue_url {location.shown!r} needs the Redis client, which is not installed: "
            'pip install "questrya[redis]"'
        )
    if secret is None or not secret.get_secret_value():
        raise InvalidInputError(
            f"queue_url {location.shown!r} needs queue_secret, which signs its tasks: set the "
            "same one on every machine (`questrya config set queue_secret …`) first"
        )
    return location
