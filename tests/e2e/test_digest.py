"""The weekly digest against a loopback SMTP server (aiosmtpd on 127.0.0.1): `questrya digest`
mails the profile its week now; the worker's periodic task mails every profile with an
address once a week, however often it runs and whoever runs it."""

from collections.abc import Iterator
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from huey import MemoryHuey
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from questrya.common.rows import ReadConnection
from questrya.common.value_objects.metadata import ScoreSnapshot
from questrya.insight.domain import NextWeights
from questrya.insight.mail import SmtpMailer
from questrya.insight.repository import SqlDigestUnitOfWork
from questrya.insight.service import DigestService
from questrya.insight.views import DigestViews
from questrya.orm.database import TextRows, open_engine
from questrya.orm.metadata_rows import score_row
from questrya.orm.models import GameRow
from questrya.orm.sqlite import database_file, open_reader
from questrya.workers.user_tasks import UserTasks
from tests.conftest import Questrya, backlog_engine, database_url, error_line, free_port
from tests.integration.support import FixedClock
from tests.integration.test_insight_views import DEFAULT_WEIGHTS

SECRET = "hunter2"


class Inbox:
    """What the loopback server received: each message, parsed."""

    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"

    def to(self) -> list[str]:
        return [str(message["To"]) for message in self.messages]


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    received = Inbox()
    port = free_port()
    server = Controller(received, hostname="127.0.0.1", port=port)
    server.start()
    yield received, port
    server.stop()


@pytest.fixture
def profiles(questrya: Questrya, inbox: tuple[Inbox, int]) -> Inbox:
    """alice and bob with addresses, each with a game completed today; carol without one."""
    received, port = inbox
    assert questrya("config", "set", "smtp_url", f"smtp://127.0.0.1:{port}").exit_code == 0
    for name, title in (("alice", "Hades"), ("bob", "Celeste"), ("carol", "Tunic")):
        email = [] if name == "carol" else ["--email", f"{name}@example.com"]
        assert questrya("users", "add", name, *email).exit_code == 0
        added = questrya("--user", name, "games", "add", title, "-p", "pc", "--no-fetch")
        assert added.exit_code == 0, added.stderr
        assert questrya("--user", name, "games", "complete", title).exit_code == 0
    assert (
        questrya("--user", "alice", "games", "add", "Gris", "-p", "switch", "--no-fetch").exit_code
        == 0
    )
    return received


class Workers:
    """Digest services as the worker's task builds them, on the `questrya` fixture's data,
    each on connections of its own, all closed when the test ends."""

    def __init__(self, home: Path) -> None:
        self._home = home
        self._engines: list[Engine] = []
        self._rows: list[ReadConnection] = []

    def service(self, port: int, clock: FixedClock, *, weekly: bool = True) -> DigestService:
        return DigestService(
            self.claims(),
            DigestViews(self._reader(), clock, NextWeights(DEFAULT_WEIGHTS)),
            SmtpMailer(f"smtp://127.0.0.1:{port}"),
            clock,
            weekly=weekly,
        )

    def claims(self) -> SqlDigestUnitOfWork:
        return SqlDigestUnitOfWork(self._engine())

    def _reader(self) -> ReadConnection:
        """The read side's connection the worker opens: the standard library's on a SQLite
        file, SQLAlchemy's on a server."""
        url = database_url(self._home)
        path = database_file(url)
        rows = open_reader(path) if path is not None else TextRows(self._engine())
        assert rows is not None
        self._rows.append(rows)
        return rows

    def _engine(self) -> Engine:
        self._engines.append(open_engine(database_url(self._home)))
        return self._engines[-1]

    def close(self) -> None:
        for rows in self._rows:
            rows.close()
        for engine in self._engines:
            engine.dispose()


@pytest.fixture
def workers(home: Path, profiles: Inbox) -> Iterator[Workers]:
    opened = Workers(home)
    yield opened
    opened.close()


def now() -> FixedClock:
    moment = datetime.now(UTC)
    return FixedClock(moment, moment.astimezone().date())


# --- questrya digest -------------------------------------------------------------------------


def test_digest_mails_alice_her_week_with_its_completions(
    questrya: Questrya, profiles: Inbox
) -> None:
    outcome = questrya("--user", "alice", "digest")

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout == "Sent the digest to alice@example.com\n"
    assert profiles.to() == ["alice@example.com"]
    body = message_text(profiles.messages[0])
    assert "Completed:\n  - Hades [PC]\n" in body
    assert "Up next:\n  - Gris [Switch]\n" in body
    assert "Celeste" not in body  # bob's
    assert profiles.messages[0]["Subject"].startswith("Your Questrya week, ")


def test_digest_print_shows_the_week_and_sends_nothing(questrya: Questrya, profiles: Inbox) -> None:
    outcome = questrya("--user", "bob", "digest", "--print")

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.startswith("bob's week: ")
    assert "Completed:\n  - Celeste [PC]\n" in outcome.stdout
    assert "Added:\n  - Celeste [PC]\n" in outcome.stdout
    assert profiles.messages == []


def test_a_profile_without_email_gets_no_mail(questrya: Questrya, profiles: Inbox) -> None:
    outcome = questrya("--user", "carol", "digest")

    assert outcome.exit_code == 1
    assert "carol has no email address" in error_line(outcome)
    assert profiles.messages == []


def test_an_unreachable_server_is_one_line_without_its_password(
    questrya: Questrya, profiles: Inbox
) -> None:
    closed = free_port()
    url = f"smtps://alice:{SECRET}@127.0.0.1:{closed}"
    assert questrya("config", "set", "smtp_url", url).exit_code == 0

    outcome = questrya("--user", "alice", "digest")

    assert outcome.exit_code == 1
    line = error_line(outcome)
    assert f"127.0.0.1:{closed}" in line
    assert SECRET not in line
    shown = questrya("config", "show")
    assert SECRET not in shown.stdout
    assert "smtp_url" in shown.stdout


# --- the worker's weekly task ----------------------------------------------------------------


def test_the_weekly_task_sends_each_profile_with_an_address_once_a_week(
    questrya: Questrya, profiles: Inbox, workers: Workers, inbox: tuple[Inbox, int]
) -> None:
    assert questrya("--user", "alice", "digest").exit_code == 0  # alice's week, sent on request
    clock = now()
    service = workers.service(inbox[1], clock)

    assert service.send_weekly() == ["alice", "bob"]  # the week before
    assert service.send_weekly() == []
    assert workers.service(inbox[1], clock).send_weekly() == []  # another worker
    assert len(profiles.messages) == 3

    clock.advance(timedelta(days=7))
    clock.day += timedelta(days=7)
    assert service.send_weekly() == ["bob"]  # alice had this week's on request
    assert service.send_weekly() == []
    assert profiles.to()[-1] == "bob@example.com"
    week = message_text(profiles.messages[-1])
    assert "Completed:\n  - Celeste [PC]\n" in week


def test_the_periodic_task_twice_in_a_week_sends_nothing_more(
    profiles: Inbox, workers: Workers, inbox: tuple[Inbox, int]
) -> None:
    service = workers.service(inbox[1], now())
    tasks = UserTasks(MemoryHuey(immediate=True), lambda: nullcontext(service))

    tasks.digest()  # Huey keeps no result of a periodic task: the mails tell
    assert sorted(profiles.to()) == ["alice@example.com", "bob@example.com"]
    tasks.digest()
    assert len(profiles.messages) == 2


def test_a_claim_held_by_another_worker_is_left_until_it_runs_out(
    profiles: Inbox, home: Path, workers: Workers, inbox: tuple[Inbox, int]
) -> None:
    clock = now()
    service = workers.service(inbox[1], clock)
    week = service_week(clock)
    [alice] = [row[0] for row in users(home) if row[1] == "alice"]
    held = workers.claims()
    with held:  # a worker claimed alice's digest, then was killed before sending it
        assert held.digests.claim(
            alice, week, "killed", clock.now(), clock.now() + timedelta(minutes=10)
        )
        held.commit()

    assert service.send_weekly() == ["bob"]
    clock.advance(timedelta(minutes=11))
    assert service.send_weekly() == ["alice"]
    assert sorted(profiles.to()) == ["alice@example.com", "bob@example.com"]


def test_a_mail_that_could_not_go_is_tried_again_by_the_next_run(
    profiles: Inbox, workers: Workers, inbox: tuple[Inbox, int]
) -> None:
    clock = now()
    down = workers.service(free_port(), clock)  # nothing listens there
    assert down.send_weekly() == []
    assert profiles.messages == []

    assert workers.service(inbox[1], clock).send_weekly() == ["alice", "bob"]


def test_nothing_is_sent_while_the_digest_is_off(
    profiles: Inbox, workers: Workers, inbox: tuple[Inbox, int]
) -> None:
    assert workers.service(inbox[1], now(), weekly=False).send_weekly() == []
    assert profiles.messages == []


def test_the_digest_lists_user_scores_that_moved_five_points(
    questrya: Questrya, profiles: Inbox, home: Path
) -> None:
    [alice] = [row[0] for row in users(home) if row[1] == "alice"]
    week_ago = datetime.now(UTC) - timedelta(days=9)
    with backlog_engine(home) as engine, Session(engine) as session, session.begin():
        for title, before, after in (("Gris", 80.0, 86.0), ("Hades", 90.0, 94.5)):
            game = session.scalars(
                select(GameRow.id).where(GameRow.user_id == alice, GameRow.title == title)
            ).one()
            for at, score in ((week_ago, before), (datetime.now(UTC), after)):
                session.add(score_row(game, ScoreSnapshot(fetched_at=at, user_score=score)))

    outcome = questrya("--user", "alice", "digest", "--print")

    assert outcome.exit_code == 0, outcome.stderr
    assert outcome.stdout.endswith(
        "User scores that moved 5 points or more:\n  - Gris [Switch]: 80% → 86%\n"
    )


def message_text(message: Message) -> str:
    payload = message.get_payload()
    assert isinstance(payload, str)
    return payload.replace("\r\n", "\n")  # as it travelled: lines end in CRLF


def users(home: Path) -> list[tuple[int, str]]:
    with backlog_engine(home) as engine, engine.connect() as connection:
        return [
            (row.id, row.name) for row in connection.execute(text("SELECT id, name FROM users"))
        ]


def service_week(clock: FixedClock) -> str:
    """The week the weekly task mails: the one before ``clock``'s."""
    year, week, _ = (clock.today() - timedelta(days=7)).isocalendar()
    return f"{year}-W{week:02d}"
