"""What the digest service needs: each profile's week, a way to mail it, and a record of the
digests sent, claimed before sending."""

from datetime import date, datetime
from typing import Protocol

from questrya.common.unit_of_work import UnitOfWork
from questrya.insight.domain import Digest, Recipient


class DigestSource(Protocol):
    def recipients(self) -> list[Recipient]:
        """The profiles with an email address."""

    def profile(self, owner_id: int) -> tuple[str, str | None]:
        """The profile's name and email address (None when it has none)."""

    def digest(self, owner_id: int, profile: str, first: date, last: date) -> Digest:
        """The profile's days from ``first`` to ``last``."""


class Mailer(Protocol):
    def send(self, to: str, subject: str, text: str) -> None:
        """Mail ``text``; a failure is a ``DeliveryError`` that says why in one line."""


class DigestClaims(Protocol):
    def claim(self, owner_id: int, week: str, token: str, now: datetime, until: datetime) -> bool:
        """Claim the profile's digest of ``week`` with ``token`` until ``until``: False when it
        was sent already, or another holds it and its claim has not run out at ``now``."""

    def sent(self, owner_id: int, week: str, token: str, at: datetime) -> None:
        """Record the digest ``token`` claimed as sent."""

    def release(self, owner_id: int, week: str, token: str) -> None:
        """Give up the claim ``token`` (its sending failed): the next run tries again."""

    def record(self, owner_id: int, week: str, at: datetime) -> None:
        """Record a digest sent on request, claimed or not: the week's is sent."""


class DigestUnitOfWork(UnitOfWork, Protocol):
    @property
    def digests(self) -> DigestClaims: ...
