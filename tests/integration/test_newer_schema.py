"""A database a newer Questrya wrote: refused in one clear line, left as it is, and told apart
without loading Alembic."""

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect, text

from questrya.common.exceptions import StorageError
from questrya.orm.errors import where
from questrya.orm.migrate import SCRIPTS, known_revisions, migrate
from tests.integration.support import query


def test_the_known_revisions_are_those_of_the_scripts() -> None:
    scripts = ScriptDirectory(str(SCRIPTS))
    assert known_revisions() == {script.revision for script in scripts.walk_revisions()}


def test_a_database_at_an_unknown_revision_is_refused_and_left_alone(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    before = tables(engine)

    with pytest.raises(StorageError, match=r"newer version of Questrya \(schema 0099\)") as error:
        migrate(engine)

    assert where(engine) in str(error.value)
    assert query(engine, "SELECT version_num FROM alembic_version") == [("0099",)]
    assert tables(engine) == before


def tables(engine: Engine) -> dict[str, list[str]]:
    """Each table's columns, by name."""
    found = inspect(engine)
    return {
        table: [column["name"] for column in found.get_columns(table)]
        for table in found.get_table_names()
    }
