"""SQLite through the standard library alone: which URLs name a plain database file, how a
file in a folder this user cannot write is opened, the read side's connection, and SQLite's
failures in one line. No SQLAlchemy here: a listing on SQLite never loads it.
"""

import os
import sqlite3
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote, unquote

from questrya.common.exceptions import StorageError
from questrya.common.rows import Row
from questrya.common.secrets import mask_passwords
from questrya.orm.migrations import HEAD_REVISION

BUSY_TIMEOUT_MS = 15_000
# The URLs of a database file that the standard library's driver opens as SQLAlchemy would.
_FILE_URLS = ("sqlite:///", "sqlite+pysqlite:///")

# sqlite3 errors carry their result code name (Python 3.11+): tell busy from corrupt from full.
_MESSAGES = {
    "SQLITE_BUSY": "the database at {where} is busy: another process kept it locked; try again",
    "SQLITE_LOCKED": "the database at {where} is busy: another process kept it locked; try again",
    "SQLITE_NOTADB": "the file at {where} is not a Questrya database, or it is corrupt",
    "SQLITE_CORRUPT": "the database at {where} is corrupt; restore it from a backup",
    "SQLITE_FULL": "the disk holding {where} is full: nothing was saved",
    "SQLITE_READONLY": "the database at {where} is read-only: nothing was saved",
    "SQLITE_CANTOPEN": "cannot open the database at {where}: is its folder there and writable?",
    "SQLITE_IOERR": "the database at {where} could not be read or written (I/O error)",
    "SQLITE_PERM": "no permission to use the database at {where}",
}


def database_file(url: str) -> Path | None:
    """The file a plain SQLite URL names (``sqlite:///questrya.db``); None for any other URL
    (a server, memory, options after ``?``), which only SQLAlchemy opens."""
    for prefix in _FILE_URLS:
        name = url.removeprefix(prefix)
        if name != url and name not in ("", ":memory:") and "?" not in name:
            return Path(unquote(name))
    return None


def read_only_uri(path: Path) -> str | None:
    """How to open a database file in a folder this user cannot write, None elsewhere.

    SQLite could not even create the files a reader of a WAL database needs there, so the
    file is opened read-only: reads still work, and a write fails as read-only, and says so.
    ``mode=ro`` reads what a writer holding the database open has committed to its -wal file;
    with no -wal file there is nothing beyond the main file, which ``immutable=1`` reads
    without the -shm file SQLite could not create.
    """
    if not path.is_file() or os.access(path.parent, os.W_OK):
        return None
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    wal = path.with_name(f"{path.name}-wal")
    return uri if wal.exists() else f"{uri}&immutable=1"


def connect(path: Path) -> sqlite3.Connection:
    """A connection to the file, read-only where its folder is unwritable; transactions are
    left to the caller (no implicit BEGIN)."""
    uri = read_only_uri(path)
    if uri is None:
        return sqlite3.connect(path, isolation_level=None)
    return sqlite3.connect(uri, uri=True, isolation_level=None)


def open_reader(path: Path) -> "SqliteRows | None":
    """The read side's connection to the database file at ``path``: it only reads, and never
    waits for a writer. None when there is no file yet or its schema is not the newest (or
    cannot be read): the write path creates or migrates it first, or says what is wrong."""
    if not path.is_file():
        return None
    where = str(path)
    try:
        connection = connect(path)
    except sqlite3.Error as error:
        raise StorageError(describe_driver_error(error, where)) from None
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA query_only = ON")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error:
        revision = None
    if revision != (HEAD_REVISION,):
        connection.close()
        return None
    return SqliteRows(connection, where)


class SqliteRows:
    """The read side's ``ReadConnection`` on the standard library's driver."""

    dialect = "sqlite"

    def __init__(self, connection: sqlite3.Connection, where: str) -> None:
        self._connection = connection
        self._where = where

    def rows(self, sql: str, parameters: Mapping[str, object]) -> Iterator[Row]:
        stored = {name: _stored(value) for name, value in parameters.items()}
        try:
            yield from self._connection.execute(sql, stored)
        except sqlite3.Error as error:
            raise StorageError(describe_driver_error(error, self._where)) from None

    def close(self) -> None:
        self._connection.close()


def _stored(value: object) -> object:
    """A parameter as SQLAlchemy's SQLite types store its kind, so that text compares as the
    values do: "2025-03-14", "2025-03-14 08:26:53.589793" (naive UTC)."""
    if isinstance(value, datetime):
        return value.isoformat(" ", "microseconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def describe_driver_error(error: BaseException | None, where: str) -> str:
    """One line for a database driver's error (sqlite3's, or the one SQLAlchemy wraps)."""
    name = getattr(error, "sqlite_errorname", "")
    if name.startswith("SQLITE_READONLY") and _in_unwritable_folder(where):
        return f"the data folder {Path(where).parent} is read-only: nothing was saved"
    for prefix, message in _MESSAGES.items():
        if name.startswith(prefix):
            return message.format(where=where)
    return mask_passwords(f"database error at {where}: {error}")


def _in_unwritable_folder(database: str) -> bool:
    folder = Path(database).parent
    return folder.is_dir() and not os.access(folder, os.W_OK)
