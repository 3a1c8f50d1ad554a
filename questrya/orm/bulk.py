"""Many rows in one statement: the driver's own executemany, for imports of thousands of games.

SQLAlchemy's executemany builds and converts each parameter of each row in Python: three
times the driver's own work on a row of `games` (about 25 µs against 8, measured on SQLite).
Here a table's INSERT is compiled once for the database in use, and a value is converted
by its column type's processor only where the type has one, once per distinct value where
values repeat (the import's time, the same days): what reaches the driver is what
SQLAlchemy itself would have sent.
"""

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, ColumnDefault, Connection, Table, insert
from sqlalchemy.orm import DeclarativeBase

Convert = Callable[[Any], Any]


class BulkInsert:
    """Rows of ``table`` with values for ``columns`` in that order; every other column has a
    default of one value (0, false, ""), which each row gets."""

    def __init__(self, connection: Connection, table: Table, columns: Sequence[str]) -> None:
        dialect = connection.dialect
        compiled = insert(table).inline().compile(dialect=dialect, column_keys=list(columns))
        self._connection = connection
        self._sql = str(compiled)
        bound = list(compiled.positiontup or compiled.params)
        # Each row is its values followed by the defaults, from which the bound values are
        # picked in their order.
        defaults = [name for name in bound if name not in columns]
        self._defaults = tuple(_scalar_default(table, name) for name in defaults)
        places = {name: place for place, name in enumerate([*columns, *defaults])}
        picked = [places[name] for name in bound]
        self._pick = itemgetter(*picked) if len(picked) > 1 else lambda row: (row[picked[0]],)
        self._converts = [
            (place, convert)
            for place, name in enumerate(bound)
            if (convert := _converter(table, name, dialect)) is not None
        ]
        self._names = None if compiled.positional else bound

    def run(self, rows: Iterable[Sequence[Any]]) -> None:
        values = [self._values(row) for row in rows]
        if not values:
            return
        if self._names is None:
            self._connection.exec_driver_sql(self._sql, values)
        else:
            named = [dict(zip(self._names, row, strict=True)) for row in values]
            self._connection.exec_driver_sql(self._sql, named)

    def _values(self, row: Sequence[Any]) -> tuple[Any, ...]:
        values = list(self._pick((*row, *self._defaults)))
        for place, convert in self._converts:
            value = values[place]
            if value is not None:
                values[place] = convert(value)
        return tuple(values)


def table_of(model: type[DeclarativeBase]) -> Table:
    """The table an ORM class maps."""
    table = model.__table__
    if not isinstance(table, Table):
        raise TypeError(f"{model.__name__} maps no table")
    return table


def _scalar_default(table: Table, name: str) -> object:
    default = table.c[name].default
    if not isinstance(default, ColumnDefault) or not default.is_scalar:
        raise ValueError(f"{table.name}.{name} needs a value: it has no default of one value")
    return default.arg


def _converter(table: Table, name: str, dialect: Any) -> Convert | None:
    """The column type's conversion for the driver, if it has one: kept for the values seen
    (days, times) unless they are JSON documents, which do not repeat."""
    column_type = table.c[name].type
    convert: Convert | None = column_type.dialect_impl(dialect).bind_processor(dialect)
    if convert is None or isinstance(column_type, JSON):
        return convert
    return lru_cache(maxsize=4096)(convert)
