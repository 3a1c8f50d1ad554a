"""The engine: one per process, with SQLite set up for a CLI and a worker writing at once."""

import sqlite3
import time
from collections.abc import Iterator, Mapping
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.engine.interfaces import DBAPIConnection
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import ConnectionPoolEntry

from questrya.common.exceptions import InvalidInputError
from questrya.common.rows import Row
from questrya.common.secrets import mask_passwords
from questrya.orm.errors import storage_errors
from questrya.orm.sqlite import BUSY_TIMEOUT_MS, database_file, read_only_uri

# Execution option read by the `begin` listener: writers take the write lock up front.
BEGIN_MODE = "questrya_sqlite_begin"


# The extra that installs a database's driver, by SQLAlchemy's backend name.
DRIVER_EXTRAS = {"postgresql": "postgres"}


def open_engine(url: str) -> Engine:
    try:
        engine = create_engine(make_url(url), **_read_only_where_unwritable(url))
    except ImportError as error:
        raise InvalidInputError(_missing_driver(url, error)) from None
    except (ArgumentError, NoSuchModuleError) as error:
        raise InvalidInputError(mask_passwords(f"invalid database_url {url!r}: {error}")) from None
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _missing_driver(url: str, error: ImportError) -> str:
    backend = make_url(url).get_backend_name()
    extra = DRIVER_EXTRAS.get(backend)
    install = f'pip install "questrya[{extra}]"' if extra else f"install the {error.name} package"
    return mask_passwords(
        f"database_url {url!r} needs the {backend} driver, which is not installed: {install}"
    )


def _read_only_where_unwritable(url: str) -> dict[str, Any]:
    """A SQLite file in a folder this user cannot write is opened read-only, as the read side
    opens it (see `read_only_uri`)."""
    path = database_file(url)
    uri = read_only_uri(path) if path is not None else None
    return {} if uri is None else {"creator": lambda: sqlite3.connect(uri, uri=True)}


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


class TextRows:
    """The read side's ``ReadConnection`` on a database only SQLAlchemy opens (PostgreSQL):
    the same SQL text through ``text()``, its parameters typed by their values, its rows
    streamed from the server where the driver can."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.dialect = engine.dialect.name
        self._connection = reading(engine).connect()

    def rows(self, sql: str, parameters: Mapping[str, object]) -> Iterator[Row]:
        with storage_errors(self._engine):
            statement = text(sql).bindparams(**parameters)
            yield from self._connection.execution_options(stream_results=True).execute(statement)

    def close(self) -> None:
        self._connection.close()
