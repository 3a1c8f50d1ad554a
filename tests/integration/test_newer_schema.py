"""A database a newer Questrya wrote: refused in one clear line, left as it is, and told apart
without loading Alembic."""

import sqlite3

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from questrya.common.exceptions import StorageError
from questrya.orm.migrate import SCRIPTS, known_revisions, migrate
from tests.integration.support import query


def test_the_known_revisions_are_those_of_the_scripts() -> None:
    scripts = ScriptDirectory(str(SCRIPTS))
    assert known_revisions() == {script.revision for script in scripts.walk_revisions()}


def test_a_database_at_an_unknown_revision_is_refused_and_left_alone(engine: Engine) -> None:
    path = engine.url.database
    assert path is not None
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0099'")
    before = query(engine, "SELECT name, sql FROM sqlite_master ORDER BY name")

    with pytest.raises(StorageError, match=r"newer version of Questrya \(schema 0099\)") as error:
        migrate(engine)

    assert path in str(error.value)
    assert query(engine, "SELECT version_num FROM alembic_version") == [("0099",)]
    assert query(engine, "SELECT name, sql FROM sqlite_master ORDER BY name") == before
