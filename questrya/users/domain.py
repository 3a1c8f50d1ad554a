"""Profiles: who a backlog belongs to."""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from questrya.common.exceptions import InvalidInputError
from questrya.common.value_objects import Email

_NAME = re.compile(r"^[A-Za-z0-9._-]{1,32}$")
FALLBACK_NAME = "default"


def clean_profile_name(raw: str) -> str:
    name = raw.strip()
    if not _NAME.match(name):
        raise InvalidInputError(
            f"profile name {raw!r} must be 1-32 letters, digits, '-', '_' or '.'"
        )
    return name


def name_for_login(login: str | None) -> str:
    """The first profile's name: the login user's without accents, made valid, or ``default``."""
    ascii_login = unicodedata.normalize("NFKD", login or "").encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]", "", ascii_login)[:32]
    return name or FALLBACK_NAME


@dataclass(eq=False)
class User:
    """A profile. Exactly one profile is the default, the one commands act for."""

    name: str
    created_at: datetime
    email: Email | None = None
    is_default: bool = False
    id: int | None = field(default=None)

    def rename(self, name: str) -> None:
        self.name = clean_profile_name(name)


@dataclass(frozen=True)
class ProfileSummary:
    """A profile as `users list` shows it."""

    name: str
    email: str | None
    default: bool
    games: int


@dataclass(frozen=True)
class ProfileOverride:
    """A profile named for the command instead of the default one: by ``--user``, by
    QUESTRYA_USER, or by a ``user`` key an older version wrote to config.toml."""

    name: str
    origin: str | None = None  # where the name comes from, when it outlasts one command
    remedy: str | None = None  # how the player stops it, e.g. "unset QUESTRYA_USER"


@dataclass(frozen=True)
class DefaultChange:
    """What `users use` changed, and an override that still picks another profile."""

    name: str
    previous: str | None
    overridden_by: ProfileOverride | None = None

    def warning(self) -> str | None:
        override = self.overridden_by
        if override is None or override.origin is None:
            return None
        return (
            f"{override.origin} still picks profile {override.name}: "
            f"{override.remedy} to act for {self.name}"
        )


@dataclass(frozen=True)
class ProfileRemoval:
    """A removed profile, the games that went with it, and the default profile after it."""

    name: str
    games: int
    default: str | None
