"""Database failures turned into one clear line for the user: SQLite's by their result code
(`orm/sqlite.py`), a server's (PostgreSQL) by their SQLSTATE class."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, OperationalError

from questrya.common.exceptions import StorageError
from questrya.common.secrets import mask_passwords
from questrya.orm.sqlite import describe_driver_error

# SQLSTATE codes and classes (their first two characters), most specific first.
_SERVER_MESSAGES = {
    "40001": "the database at {where} was busy with a conflicting change: nothing was saved; "
    "try again",
    "40P01": "the database at {where} was busy with a conflicting change: nothing was saved; "
    "try again",
    "55P03": "the database at {where} is busy: another process kept it locked; try again",
    "3D000": "the database at {where} does not exist: create it first",
    "28": "the database server at {where} refused the login: check the user and password",
    "42501": "no permission to use the database at {where}",
    "25006": "the database at {where} is read-only: nothing was saved",
    "53": "the database server at {where} is out of resources (disk, memory or connections): "
    "nothing was saved",
    "57P": "the database server at {where} is shutting down or restarting; try again",
    "08": "cannot reach the database server at {where}: {detail}",
}


def describe(error: DBAPIError, where: str) -> str:
    driver_error = error.orig
    if isinstance(driver_error, sqlite3.Error):
        return describe_driver_error(driver_error, where)
    code = getattr(driver_error, "sqlstate", None)
    if code is None and isinstance(error, OperationalError):
        code = "08"  # no SQLSTATE: the server never answered
    return _described(driver_error or error, code or "", where)


def _described(error: BaseException, code: str, where: str) -> str:
    detail = _first_line(error)
    for prefix, message in _SERVER_MESSAGES.items():
        if code and code.startswith(prefix):
            return mask_passwords(message.format(where=where, detail=detail))
    return mask_passwords(f"database error at {where}: {detail}")


def _first_line(error: BaseException) -> str:
    """A server's message without its DETAIL, HINT and context lines."""
    lines = str(error).strip().splitlines()
    return lines[0].strip() if lines else type(error).__name__


def where(engine: Engine) -> str:
    """The database as the user named it: a SQLite file's path, a server's URL with its
    password masked."""
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return mask_passwords(url.render_as_string(hide_password=False))


@contextmanager
def storage_errors(engine: Engine) -> Iterator[None]:
    """Raise any database failure inside the block as a ``StorageError`` with one clear line."""
    try:
        yield
    except DBAPIError as error:
        raise StorageError(describe(error, where(engine))) from error
