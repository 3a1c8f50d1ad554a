"""Database failures turned into one clear line for the user."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

from questrya.common.exceptions import StorageError
from questrya.common.secrets import mask_passwords
from questrya.orm.sqlite import describe_driver_error


def describe(error: DBAPIError, where: str) -> str:
    return describe_driver_error(error.orig, where)


def where(engine: Engine) -> str:
    return engine.url.database or mask_passwords(engine.url.render_as_string(hide_password=False))


@contextmanager
def storage_errors(engine: Engine) -> Iterator[None]:
    """Raise any database failure inside the block as a ``StorageError`` with one clear line."""
    try:
        yield
    except DBAPIError as error:
        raise StorageError(describe(error, where(engine))) from error
