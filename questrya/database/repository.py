"""A backlog's rows on SQLAlchemy, table by table, between any two databases.

Rows go through the models' tables, so each database stores them its own way (SQLite's
text, PostgreSQL's timestamps, JSON and booleans). Ids are kept, and so is each table's
highest id ever given (SQLite's AUTOINCREMENT, PostgreSQL's sequences): a removed game's id
is never given again, on either side.
"""

from collections.abc import Iterator

from sqlalchemy import Connection, Engine, Table, func, insert, select, text

from questrya.database.domain import TABLES, RowCounts
from questrya.database.ports import Backlog
from questrya.orm.database import reading
from questrya.orm.errors import storage_errors, where
from questrya.orm.models import Base

_BATCH = 1000


class SqlBacklog:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    @property
    def where(self) -> str:
        return where(self._engine)

    def counts(self) -> RowCounts:
        with storage_errors(self._engine), reading(self._engine).connect() as connection:
            return _counts(connection)

    def replace_with(self, source: Backlog) -> RowCounts:
        if not isinstance(source, SqlBacklog):
            raise TypeError("a backlog is copied between SQL databases")
        with (
            storage_errors(source._engine),
            storage_errors(self._engine),
            source._snapshot() as reader,
            self._engine.begin() as writer,
        ):
            for table in reversed(_tables()):
                writer.execute(table.delete())
            copied = {table.name: _copy(reader, writer, table) for table in _tables()}
            _keep_sequences(writer, _highest_ids(reader))
        return RowCounts(copied)

    def _snapshot(self) -> Connection:
        """A connection reading one snapshot of every table."""
        engine = reading(self._engine)
        if engine.dialect.name == "postgresql":
            engine = engine.execution_options(isolation_level="REPEATABLE READ")
        connection = engine.connect()
        connection.begin()
        return connection


def _tables() -> list[Table]:
    return [Base.metadata.tables[name] for name in TABLES]


def _counts(connection: Connection) -> RowCounts:
    return RowCounts(
        {
            table.name: int(connection.scalar(select(func.count()).select_from(table)) or 0)
            for table in _tables()
        }
    )


def _copy(reader: Connection, writer: Connection, table: Table) -> int:
    copied = 0
    for batch in _batches(reader, table):
        writer.execute(insert(table), batch)
        copied += len(batch)
    return copied


def _batches(reader: Connection, table: Table) -> Iterator[list[dict[str, object]]]:
    order = list(table.primary_key.columns)
    result = reader.execution_options(stream_results=True).execute(select(table).order_by(*order))
    for rows in result.mappings().partitions(_BATCH):
        yield [dict(row) for row in rows]


# The tables whose ids come from a counter that never goes back.
_COUNTED = ("users", "games", "game_scores", "changes", "game_events")


def _highest_ids(connection: Connection) -> dict[str, int]:
    """Each counted table's highest id given so far: its highest row, or more where a row
    was deleted since (SQLite's sqlite_sequence, PostgreSQL's sequence)."""
    return {
        name: max(
            int(connection.scalar(select(func.max(Base.metadata.tables[name].c.id))) or 0),
            _given(connection, name),
        )
        for name in _COUNTED
    }


def _given(connection: Connection, table: str) -> int:
    dialect = connection.dialect.name
    if dialect == "sqlite":
        query = text("SELECT seq FROM sqlite_sequence WHERE name = :table")
        return int(connection.scalar(query, {"table": table}) or 0)
    if dialect == "postgresql":
        query = text(
            "SELECT CASE WHEN is_called THEN last_value ELSE 0 END"
            f" FROM {connection.scalar(_SEQUENCE, {'table': table})}"
        )
        return int(connection.scalar(query) or 0)
    return 0


_SEQUENCE = text("SELECT pg_get_serial_sequence(:table, 'id')")


def _keep_sequences(connection: Connection, highest: dict[str, int]) -> None:
    """The next id of each counted table comes after the highest the source gave."""
    dialect = connection.dialect.name
    for table, value in highest.items():
        if dialect == "postgresql":
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:table, 'id'), :value, :called)"),
                {"table": table, "value": max(value, 1), "called": value > 0},
            )
        elif dialect == "sqlite" and value > 0 and _autoincrement(table):
            connection.execute(
                text("DELETE FROM sqlite_sequence WHERE name = :table"), {"table": table}
            )
            connection.execute(
                text("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :value)"),
                {"table": table, "value": value},
            )


def _autoincrement(table: str) -> bool:
    """SQLite keeps the highest id given only for AUTOINCREMENT tables; the others give the
    highest row's id plus one."""
    return bool(Base.metadata.tables[table].dialect_options["sqlite"]["autoincrement"])
