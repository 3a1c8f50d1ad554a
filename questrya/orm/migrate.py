"""Bring the database to the newest schema, atomically, on every start."""

from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from questrya.orm.database import reading
from questrya.orm.errors import storage_errors
from questrya.orm.migrations import HEAD_REVISION

SCRIPTS = Path(__file__).with_name("migrations")


def migrate(engine: Engine, scripts: Path = SCRIPTS, head: str = HEAD_REVISION) -> None:
    """Upgrade to ``head`` unless the database is there already.

    Stock Alembic on SQLite commits step by step, so a kill mid-upgrade leaves half a schema
    and racing starts collide. Here the whole upgrade runs in one transaction on one
    connection that began with BEGIN IMMEDIATE: a killed upgrade leaves the old revision
    intact, and a process that waited for the lock finds the work done.
    """
    with storage_errors(engine):
        if _revision(reading(engine)) == head:
            return
        from alembic import command
        from alembic.config import Config

        with engine.connect() as connection, connection.begin():
            if _revision_on(connection) == head:
                return
            config = Config()
            config.set_main_option("script_location", str(scripts))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")


def _revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return _revision_on(connection)


def _revision_on(connection: Connection) -> str | None:
    if not inspect(connection).has_table("alembic_version"):
        return None
    revision: str | None = connection.execute(
        text("SELECT version_num FROM alembic_version")
    ).scalar()
    return revision
