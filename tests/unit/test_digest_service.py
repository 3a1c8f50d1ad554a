"""The digest service with fakes behind its ports: what is claimed, sent, released, recorded."""

from datetime import UTC, date, datetime, timedelta
from types import TracebackType
from typing import Self

import pytest

from questrya.common.exceptions import RuleViolationError
from questrya.insight.domain import DeliveryError, Digest, Recipient
from questrya.insight.service import DigestService
from tests.unit.fakes import FixedClock

NOW = datetime(2026, 6, 17, 9, 0, tzinfo=UTC)  # a Wednesday


class Source:
    def __init__(self) -> None:
        self.asked: list[tuple[int, date, date]] = []

    def recipients(self) -> list[Recipient]:
        return [Recipient(1, "alice", "alice@example.com"), Recipient(2, "bob", "bob@b.example")]

    def profile(self, owner_id: int) -> tuple[str, str | None]:
        return ("alice", "alice@example.com") if owner_id == 1 else ("carol", None)

    def digest(self, owner_id: int, profile: str, first: date, last: date) -> Digest:
        self.asked.append((owner_id, first, last))
        return Digest(profile, first, last)


class Mailer:
    def __init__(self, failing: set[str] | None = None) -> None:
        self.sent: list[tuple[str, str]] = []
        self.failing = failing or set()

    def send(self, to: str, subject: str, text: str) -> None:
        if to in self.failing:
            raise DeliveryError(f"the mail server refused {to}")
        self.sent.append((to, subject))


class Claims:
    """The digests table: (owner, week) → [token, lease until, sent at]."""

    def __init__(self) -> None:
        self.rows: dict[tuple[int, str], list[object]] = {}

    def claim(self, owner_id: int, week: str, token: str, now: datetime, until: datetime) -> bool:
        row = self.rows.get((owner_id, week))
        if row is None or (row[2] is None and (row[1] is None or row[1] <= now)):  # type: ignore[operator]
            self.rows[(owner_id, week)] = [token, until, None]
            return True
        return False

    def sent(self, owner_id: int, week: str, token: str, at: datetime) -> None:
        row = self.rows[(owner_id, week)]
        if row[0] == token:
            row[1:] = [None, at]

    def release(self, owner_id: int, week: str, token: str) -> None:
        row = self.rows[(owner_id, week)]
        if row[0] == token:
            row[1] = None

    def record(self, owner_id: int, week: str, at: datetime) -> None:
        self.rows[(owner_id, week)] = [None, None, at]


class UnitOfWork:
    def __init__(self) -> None:
        self.digests = Claims()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None

    def reading(self) -> Self:
        return self

    def commit(self) -> None:
        return None

    def rollback(self) -> None:
        return None


def service(
    mailer: Mailer, *, owner: int | None = None, weekly: bool = True
) -> tuple[DigestService, Source, UnitOfWork]:
    source, uow = Source(), UnitOfWork()
    tokens = iter(f"t{n}" for n in range(100))
    made = DigestService(
        uow,
        source,
        mailer,
        FixedClock(NOW),
        weekly=weekly,
        owner_id=owner,
        token=lambda: next(tokens),
    )
    return made, source, uow


def test_the_worker_mails_the_week_just_ended_once() -> None:
    mailer = Mailer()
    weekly, source, uow = service(mailer)

    assert weekly.send_weekly() == ["alice", "bob"]
    assert weekly.send_weekly() == []
    assert source.asked[0] == (1, date(2026, 6, 8), date(2026, 6, 14))  # Monday to Sunday
    assert [to for to, _ in mailer.sent] == ["alice@example.com", "bob@b.example"]
    assert set(uow.digests.rows) == {(1, "2026-W24"), (2, "2026-W24")}


def test_a_mail_that_fails_releases_its_claim() -> None:
    mailer = Mailer(failing={"bob@b.example"})
    weekly, _, uow = service(mailer)

    assert weekly.send_weekly() == ["alice"]
    assert uow.digests.rows[(2, "2026-W24")] == ["t1", None, None]  # released, not sent
    mailer.failing.clear()
    assert weekly.send_weekly() == ["bob"]


def test_on_request_this_week_so_far_is_sent_and_recorded() -> None:
    mailer = Mailer()
    alice, source, uow = service(mailer, owner=1)

    assert alice.send_now() == "alice@example.com"
    assert source.asked == [(1, date(2026, 6, 15), date(2026, 6, 17))]
    assert uow.digests.rows[(1, "2026-W25")][2] == NOW
    assert alice.compose().text().startswith("alice's week: 2026-06-15 to 2026-06-17\n")


def test_no_address_no_server_or_the_digest_off_send_nothing() -> None:
    mailer = Mailer()
    carol, _, _ = service(mailer, owner=2)
    with pytest.raises(RuleViolationError, match="carol has no email address"):
        carol.send_now()
    unserved = DigestService(UnitOfWork(), Source(), None, FixedClock(NOW), weekly=True, owner_id=1)
    with pytest.raises(RuleViolationError, match="smtp_url"):
        unserved.send_now()
    assert unserved.send_weekly() == []
    off, _, _ = service(mailer, weekly=False)
    assert off.send_weekly() == []
    assert mailer.sent == []


def test_a_claim_another_holds_is_taken_over_once_its_lease_ran_out() -> None:
    mailer = Mailer()
    weekly, _, uow = service(mailer)
    uow.digests.rows[(1, "2026-W24")] = ["killed", NOW + timedelta(minutes=5), None]

    assert weekly.send_weekly() == ["bob"]
    uow.digests.rows[(1, "2026-W24")][1] = NOW - timedelta(seconds=1)
    assert weekly.send_weekly() == ["alice"]
