"""Database failures turned into one clear line for the user."""

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from questrya.common.exceptions import StorageError
from questrya.common.secrets import mask_passwords

# sqlite3 errors carry their result code name (Python 3.11+): tell busy from corrupt from full.
_SQLITE_MESSAGES = {
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


def describe(error: DBAPIError, where: str) -> str:
    return describe_driver_error(error.orig, where)


def describe_driver_error(error: BaseException | None, where: str) -> str:
    """One line for a database driver's error (sqlite3's, or SQLAlchemy's ``orig``)."""
    name = getattr(error, "sqlite_errorname", "")
    if name.startswith("SQLITE_READONLY") and _in_unwritable_folder(where):
        return f"the data folder {Path(where).parent} is read-only: nothing was saved"
    for prefix, message in _SQLITE_MESSAGES.items():
        if name.startswith(prefix):
            return message.format(where=where)
    return mask_passwords(f"database error at {where}: {error}")


def where(engine: Engine) -> str:
    return engine.url.database or mask_passwords(engine.url.render_as_string(hide_password=False))


def _in_unwritable_folder(database: str) -> bool:
    folder = Path(database).parent
    return folder.is_dir() and not os.access(folder, os.W_OK)


@contextmanager
def storage_errors(engine: Engine) -> Iterator[None]:
    """Raise any database failure inside the block as a ``StorageError`` with one clear line."""
    try:
        yield
    except DBAPIError as error:
        raise StorageError(describe(error, where(engine))) from error
