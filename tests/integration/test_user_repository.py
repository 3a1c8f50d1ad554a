"""The users feature on a real SQLite file: SqlUsersUnitOfWork under the real UserService."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from questrya.common.exceptions import RuleViolationError
from questrya.users.domain import ProfileSummary
from questrya.users.repository import SqlUsersUnitOfWork
from questrya.users.service import UserService
from tests.integration.support import (
    NOW,
    READY_THEN_WAIT,
    FixedClock,
    games_of,
    query,
    reopen,
    run_together,
    scalar,
)


def listed(users: UserService) -> list[tuple[str, bool, int]]:
    return [(summary.name, summary.default, summary.games) for summary in users.summaries()]


def test_a_profile_comes_back_as_it_was_stored(
    engine: Engine, users: UserService, clock: FixedClock
) -> None:
    added = users.add("zoe.p-1", email="  Zoe.Player@EXAMPLE.Org ")

    other_engine = reopen(engine)
    try:
        loaded = UserService(SqlUsersUnitOfWork(other_engine), clock).current()
    finally:
        other_engine.dispose()

    assert (loaded.id, loaded.name, loaded.is_default) == (added.id, "zoe.p-1", True)
    assert loaded.email is not None
    assert loaded.email.address == "Zoe.Player@example.org"
    assert loaded.created_at == NOW
    assert loaded.created_at.utcoffset() == timedelta(0)
    assert users.summaries() == [
        ProfileSummary(name="zoe.p-1", email="Zoe.Player@example.org", default=True, games=0)
    ]


def test_use_moves_the_default_and_leaves_exactly_one(engine: Engine, users: UserService) -> None:
    users.add("alice")
    users.add("bob")
    assert listed(users) == [("alice", True, 0), ("bob", False, 0)]

    users.use("bob")

    assert listed(users) == [("alice", False, 0), ("bob", True, 0)]
    assert scalar(engine, "SELECT count(*) FROM users WHERE is_default") == 1
    assert users.current().name == "bob"


def test_rename_is_stored_and_a_taken_name_changes_nothing(users: UserService) -> None:
    users.add("alice")
    users.add("bob")

    users.rename("alice", "alicia")
    with pytest.raises(RuleViolationError, match="'bob' already exists"):
        users.rename("alicia", "bob")

    assert listed(users) == [("alicia", True, 0), ("bob", False, 0)]


def test_removing_a_profile_with_force_takes_its_games_tags_and_history(
    engine: Engine, users: UserService, clock: FixedClock
) -> None:
    alice, bob = users.add("alice"), users.add("bob")
    alices = games_of(engine, alice, clock)
    alices.add("Celeste", "pc", tags=["platformer"])
    alices.add("Hades", "pc", tags=["roguelike", "coop"])
    alices.rate("Hades", rating=9)
    alices.add("Tunic", "pc")
    alices.remove("Tunic")  # kept for undo, but no longer one of her games
    bobs = games_of(engine, bob, clock)
    kept = bobs.add("Celeste", "pc", tags=["platformer"])
    bobs.rate("Celeste", rating=7)
    with pytest.raises(RuleViolationError, match="still has 2 game"):
        users.remove("alice")
    assert listed(users) == [("alice", True, 2), ("bob", False, 1)]

    users.remove("alice", force=True)

    assert listed(users) == [("bob", True, 1)]
    assert query(engine, "SELECT id, user_id FROM games") == [(kept.id, bob.id)]
    assert query(engine, "SELECT game_id, tag FROM game_tags") == [(kept.id, "platformer")]
    assert query(engine, "SELECT user_id, kind FROM game_events ORDER BY id") == [
        (bob.id, "add"),
        (bob.id, "rate"),
    ]
    assert query(engine, "SELECT DISTINCT user_id FROM changes") == [(bob.id,)]
    if engine.dialect.name == "sqlite":  # a server checks every foreign key as it writes
        assert query(engine, "PRAGMA foreign_key_check") == []


def test_removing_the_default_profile_makes_the_oldest_other_one_default(
    users: UserService,
) -> None:
    users.add("carol")  # the first profile: the default
    users.add("bob")
    users.add("alice")

    users.remove("carol")

    assert listed(users) == [("alice", False, 0), ("bob", True, 0)]
    assert users.current().name == "bob"


# Each process asks for the current profile on a database that has none yet, as several
# commands started at once on a fresh install would.
FIRST_RUN = f"""
import sys
from questrya.common.clock import SystemClock
from questrya.orm.database import open_engine
from questrya.users.repository import SqlUsersUnitOfWork
from questrya.users.service import UserService
service = UserService(
    SqlUsersUnitOfWork(open_engine(sys.argv[1])), SystemClock(), login="player"
)
{READY_THEN_WAIT}
print(service.current().id)
"""


def test_commands_started_together_on_a_fresh_install_create_one_profile(
    engine: Engine,
) -> None:
    url = engine.url.render_as_string(hide_password=False)
    finished = run_together(FIRST_RUN, [[url]] * 3)

    assert [(run.returncode, run.stderr) for run in finished] == [(0, "")] * 3
    assert {json.loads(run.stdout.splitlines()[-1]) for run in finished} == {1}
    assert query(engine, "SELECT name, is_default FROM users") == [("player", 1)]
