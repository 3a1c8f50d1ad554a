"""The engine: one per process, with SQLite set up for a CLI and a worker writing at once."""

import os
import sqlite3
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import ConnectionPoolEntry

from questrya.common.exceptions import InvalidInputError
from questrya.common.secrets import mask_passwords

BUSY_TIMEOUT_MS = 15_000
# Execution option read by the `begin` listener: writers take the write lock up front.
BEGIN_MODE = "questrya_sqlite_begin"


def open_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
        engine = create_engine(parsed, **_read_only_where_unwritable(parsed))
    except (ArgumentError, NoSuchModuleError, ImportError) as error:
        raise InvalidInputError(mask_passwords(f"invalid database_url {url!r}: {error}")) from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _read_only_where_unwritable(url: URL) -> dict[str, Any]:
    """A SQLite file in a folder this user cannot write is opened read-only, so that reads
    still work (SQLite could not even create the files a reader of a WAL database needs);
    a write then fails as read-only, and says so."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return {}
    path = Path(url.database)
    if not path.is_file() or os.access(path.parent, os.W_OK):
        return {}
    return {"creator": lambda: sqlite3.connect(_read_only_uri(path), uri=True)}


def _read_only_uri(path: Path) -> str:
    """``mode=ro`` reads what a writer holding the database open has committed to its -wal
    file; with no -wal file there is nothing beyond the main file, which ``immutable=1``
    reads without the -shm file SQLite could not create here."""
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    wal = path.with_name(f"{path.name}-wal")
    return uri if wal.exists() else f"{uri}&immutable=1"


def reading(engine: Engine) -> Engine:
    """The same engine, whose transactions begin deferred: readers never wait for writers."""
    return engine.execution_options(**{BEGIN_MODE: "DEFERRED"})


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling is turned off and BEGIN emitted by us, so a writing
    # transaction starts with BEGIN IMMEDIATE: a deferred one that reads then writes fails at
    # once with SQLITE_BUSY, whatever the busy timeout.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _switch_to_wal(cursor)
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        mode = connection.get_execution_options().get(BEGIN_MODE, "IMMEDIATE")
        connection.exec_driver_sql(f"BEGIN {mode}")


def _switch_to_wal(cursor: Any) -> None:
    """Switching a new file to WAL needs a moment with no writer, and SQLite answers "locked"
    at once instead of waiting: wait here, as long as the busy timeout allows."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as error:
            if error.sqlite_errorname not in ("SQLITE_BUSY", "SQLITE_LOCKED") or (
                time.monotonic() > deadline
            ):
                raise
            time.sleep(0.05)
