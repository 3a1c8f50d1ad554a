"""The weekly digest: each profile's calendar week, mailed once however many workers run and
however often the task is retried. On request it tells this week so far; the worker mails the
week just ended, from its first run of the next week on. A digest is claimed before it is sent
(a claim that runs out, as a killed worker's does, is taken over by the next run), recorded
once sent, and released when the mail could not go, so that the next run tries again."""

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta

from questrya.common.clock import Clock
from questrya.common.exceptions import RuleViolationError
from questrya.insight.domain import DeliveryError, Digest, week_of
from questrya.insight.ports import DigestSource, DigestUnitOfWork, Mailer

log = logging.getLogger("questrya.worker")

# How long a claim holds a digest: far longer than a mail takes to go.
CLAIM_LEASE = timedelta(minutes=10)
NO_SERVER = "set the mail server first: questrya config set smtp_url smtp://USER@HOST:PORT"


class DigestService:
    def __init__(
        self,
        uow: DigestUnitOfWork,
        source: DigestSource,
        mailer: Mailer | None,
        clock: Clock,
        *,
        weekly: bool,
        owner_id: int | None = None,
        token: Callable[[], str] = lambda: uuid.uuid4().hex,
    ) -> None:
        self._owner = owner_id  # the profile a command acts for; None for the worker
        self._uow = uow
        self._source = source
        self._mailer = mailer
        self._clock = clock
        self._weekly = weekly
        self._token = token

    def compose(self) -> Digest:
        """The profile's week so far, as the mail would give it."""
        owner_id = self._profile()
        name, _ = self._source.profile(owner_id)
        return self._this_week(owner_id, name)

    def send_now(self) -> str:
        """Mail the profile its week now, and record this week's as sent; the address."""
        owner_id = self._profile()
        name, email = self._source.profile(owner_id)
        if email is None:
            raise RuleViolationError(f"the profile {name} has no email address to send it to")
        mailer = self._mailer_or_refuse()
        digest = self._this_week(owner_id, name)
        mailer.send(email, digest.subject(), digest.text())
        with self._uow:
            self._uow.digests.record(owner_id, digest.week, self._clock.now())
            self._uow.commit()
        return email

    def send_weekly(self) -> list[str]:
        """Mail each profile with an email address the week just ended, unless that week's
        was sent; the profiles mailed. Does nothing while the `digest` setting is off."""
        if not self._weekly:
            return []
        if self._mailer is None:
            log.warning("digest: not sent, no smtp_url is set")
            return []
        sent = []
        first, last = week_of(self._clock.today() - timedelta(days=7))
        for recipient in self._source.recipients():
            digest = self._source.digest(recipient.owner_id, recipient.name, first, last)
            token = self._token()
            if not self._claimed(recipient.owner_id, digest.week, token):
                continue
            try:
                self._mailer.send(recipient.email, digest.subject(), digest.text())
            except DeliveryError as error:
                self._settle(recipient.owner_id, digest.week, token, delivered=False)
                log.warning("digest profile=%s not sent: %s", recipient.name, error)
                continue
            self._settle(recipient.owner_id, digest.week, token, delivered=True)
            log.info("digest profile=%s week=%s sent", recipient.name, digest.week)
            sent.append(recipient.name)
        return sent

    def _this_week(self, owner_id: int, name: str) -> Digest:
        today = self._clock.today()
        return self._source.digest(owner_id, name, week_of(today)[0], today)

    def _profile(self) -> int:
        if self._owner is None:
            raise RuntimeError("a digest on request is for the profile a command acts for")
        return self._owner

    def _mailer_or_refuse(self) -> Mailer:
        if self._mailer is None:
            raise RuleViolationError(NO_SERVER)
        return self._mailer

    def _claimed(self, owner_id: int, week: str, token: str) -> bool:
        now = self._clock.now()
        with self._uow:
            claimed = self._uow.digests.claim(owner_id, week, token, now, now + CLAIM_LEASE)
            self._uow.commit()
        return claimed

    def _settle(self, owner_id: int, week: str, token: str, *, delivered: bool) -> None:
        with self._uow:
            if delivered:
                self._uow.digests.sent(owner_id, week, token, self._clock.now())
            else:
                self._uow.digests.release(owner_id, week, token)
            self._uow.commit()
