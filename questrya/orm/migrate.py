"""Bring the database to the newest schema, atomically, on every start."""

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

from questrya.common.exceptions import StorageError
from questrya.orm.database import reading
from questrya.orm.errors import storage_errors, where
from questrya.orm.migrations import HEAD_REVISION

SCRIPTS = Path(__file__).with_name("migrations")
# PostgreSQL's advisory lock of a schema upgrade: any number, the same in every process
# ("QSTR" in ASCII).
MIGRATION_LOCK = 0x51535452


def migrate(engine: Engine, scripts: Path = SCRIPTS, head: str = HEAD_REVISION) -> None:
    """Upgrade to ``head`` unless the database is there already.

    Stock Alembic on SQLite commits step by step, so a kill mid-upgrade leaves half a schema
    and racing starts collide. Here the whole upgrade runs in one transaction on one
    connection that began with BEGIN IMMEDIATE (on PostgreSQL, that took an advisory lock):
    a killed upgrade leaves the old revision intact, and a process that waited for the lock
    finds the work done.

    SQLite changes a table's constraints by copying the table, as sqlite.org's ALTER TABLE
    page says: foreign keys off for the copy (dropping the old table would otherwise delete
    its children), then a foreign key check before the commit.
    """
    with storage_errors(engine):
        current = _revision(reading(engine))
        if current == head:
            return
        _refuse_newer(engine, current, scripts)
        from alembic import command
        from alembic.config import Config

        with engine.connect() as connection, _foreign_keys_off(connection), connection.begin():
            _one_upgrade_at_a_time(connection)
            if _revision_on(connection) == head:
                return
            config = Config()
            config.set_main_option("script_location", str(scripts))
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            _check_foreign_keys(connection)


def _one_upgrade_at_a_time(connection: Connection) -> None:
    """On PostgreSQL, what BEGIN IMMEDIATE does on SQLite: the first start to come takes a
    lock the others wait for, held until its transaction ends (DDL is transactional there)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


@contextmanager
def _foreign_keys_off(connection: Connection) -> Iterator[None]:
    """SQLite ignores `PRAGMA foreign_keys` inside a transaction, and SQLAlchemy would begin
    one on the first statement: switch on the driver's connection, before BEGIN."""
    if connection.dialect.name != "sqlite":
        yield
        return
    driver = connection.connection.cursor()
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        driver.execute("PRAGMA foreign_keys = ON")
        driver.close()


def _check_foreign_keys(connection: Connection) -> None:
    """Refuse (and so roll back) an upgrade that left a row pointing at nothing."""
    if connection.dialect.name != "sqlite":
        return
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        tables = ", ".join(sorted({str(row[0]) for row in broken}))
        raise StorageError(
            f"the schema upgrade would leave {len(broken)} rows of {tables} pointing at "
            "nothing; nothing was changed"
        )


def known_revisions(scripts: Path = SCRIPTS) -> frozenset[str]:
    """The revisions of the scripts, read from their file names (`0003_metadata.py` is
    "0003", checked by a test): telling a newer database apart needs no Alembic."""
    return frozenset(path.name.split("_", 1)[0] for path in (scripts / "versions").glob("*_*.py"))


def _refuse_newer(engine: Engine, revision: str | None, scripts: Path) -> None:
    """A revision no script defines was written by a newer Questrya: leave it alone."""
    if revision is not None and revision not in known_revisions(scripts):
        raise StorageError(
            f"the database at {where(engine)} was written by a newer version of Questrya "
            f"(schema {revision}); upgrade Questrya to use it"
        )


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
