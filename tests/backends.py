"""The servers a test run may use instead of the embedded SQLite files.

`QUESTRYA_TEST_DATABASE_URL` (a PostgreSQL URL) and `QUESTRYA_TEST_QUEUE_URL` (a Redis URL)
run the integration, end-to-end and worker suites on those servers: each test gets a schema of its
own in that database and a queue name of its own in that Redis, both removed afterwards.
Unset, the tests run on SQLite as a player's machine does.

Tests about the servers themselves (racing migrations, several workers on one Redis, copying
a backlog between databases) use these URLs, or the local servers' defaults when unset, and
skip, saying why, when no server answers.
"""

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# Read when the tests are collected: the `home` fixture clears every QUESTRYA_* variable.
DATABASE_VARIABLE = "QUESTRYA_TEST_DATABASE_URL"
QUEUE_VARIABLE = "QUESTRYA_TEST_QUEUE_URL"
TEST_DATABASE_URL = os.environ.get(DATABASE_VARIABLE) or None
TEST_QUEUE_URL = os.environ.get(QUEUE_VARIABLE) or None
LOCAL_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
LOCAL_QUEUE_URL = "redis://127.0.0.1:6379/0"
# The secret a test's Redis queue signs its tasks with.
QUEUE_SECRET = "test-queue-secret"


def answers(url: str) -> bool:
    """Whether a server listens where ``url`` points (a second at most)."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), 1):
            return True
    except OSError:
        return False


def database_server() -> str:
    """The PostgreSQL database to make schemas in: the test run's, else the local one; the
    test skips when none answers."""
    pytest.importorskip("psycopg", reason="the PostgreSQL driver is not installed")
    url = TEST_DATABASE_URL or LOCAL_DATABASE_URL
    if not answers(url):
        pytest.skip(f"no PostgreSQL answers at {urlsplit(url).netloc} (set {DATABASE_VARIABLE})")
    return url


def queue_server() -> str:
    """The Redis to name queues in: the test run's, else the local one; the test skips when
    none answers."""
    pytest.importorskip("redis", reason="the Redis client is not installed")
    url = TEST_QUEUE_URL or LOCAL_QUEUE_URL
    if not answers(url):
        pytest.skip(f"no Redis answers at {urlsplit(url).netloc} (set {QUEUE_VARIABLE})")
    return url


@contextmanager
def postgresql_schema(server: str) -> Iterator[str]:
    """A URL whose connections use a new, empty schema of ``server``'s database (through
    its search path); the schema and all it holds are dropped afterwards."""
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
        separator = "&" if "?" in server else "?"
        yield f"{server}{separator}options=-csearch_path%3D{schema}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        admin.dispose()


@contextmanager
def redis_queue(server: str) -> Iterator[str]:
    """A queue URL on ``server`` with a name of its own (Huey's keys carry it); its keys are
    deleted afterwards."""
    import redis

    name = f"t-{uuid.uuid4().hex[:16]}"
    separator = "&" if "?" in server else "?"
    try:
        yield f"{server}{separator}name={name}"
    finally:
        client = redis.Redis.from_url(server)
        try:
            keys = list(client.scan_iter(match=f"*{name}*"))
            if keys:
                client.delete(*keys)
        finally:
            client.close()


@contextmanager
def backend_settings() -> Iterator[dict[str, str]]:
    """The settings that put a test's data on the test run's servers: none when unset."""
    settings: dict[str, str] = {}
    with _database(settings), _queue(settings):
        yield settings


@contextmanager
def _database(settings: dict[str, str]) -> Iterator[None]:
    if TEST_DATABASE_URL is None:
        yield
        return
    with postgresql_schema(TEST_DATABASE_URL) as url:
        settings["QUESTRYA_DATABASE_URL"] = url
        yield


@contextmanager
def _queue(settings: dict[str, str]) -> Iterator[None]:
    if TEST_QUEUE_URL is None:
        yield
        return
    with redis_queue(TEST_QUEUE_URL) as url:
        settings["QUESTRYA_QUEUE_URL"] = url
        settings["QUESTRYA_QUEUE_SECRET"] = QUEUE_SECRET
        yield


class _Touch:
    """What a forged task does as it is unpickled: make a file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (Path.touch, (str(self.path),))


def push_forged_task(queue_url: str, path: Path) -> None:
    """Put on the Redis queue a message queued without the queue's secret: a pickle that,
    unpickled, would make the file at ``path``."""
    import pickle

    from huey.storage import PriorityRedisStorage

    from questrya.workers.location import queue_location

    location = queue_location(queue_url)
    storage = PriorityRedisStorage(name=location.name, url=location.redis_url())
    storage.enqueue(pickle.dumps(_Touch(path)), 10)


def on_servers() -> bool:
    """Whether this run puts the tests' data on servers rather than SQLite files."""
    return TEST_DATABASE_URL is not None or TEST_QUEUE_URL is not None
