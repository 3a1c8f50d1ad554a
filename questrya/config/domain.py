"""A setting as the player sees it: its effective value and where that value came from."""

from dataclasses import dataclass
from enum import StrEnum

# The profile commands act for is the default profile, kept with the profiles in the database:
# `config set user NAME` switches it, and config.toml never stores it.
PROFILE_KEY = "user"


class Source(StrEnum):
    OPTION = "option"
    ENV = "env"
    CONFIG = "config"
    DEFAULT = "default"


@dataclass(frozen=True)
class Setting:
    key: str
    value: str | int | float | bool | None
    source: Source


@dataclass(frozen=True)
class DefaultProfileChange:
    """What `config set user NAME` changed, and an override that still picks another profile."""

    name: str
    previous: str | None
    warning: str | None


def setting_key(raw: str) -> str:
    """A setting's name as the player may type it: `HTTP-Timeout` is `http_timeout`."""
    return raw.strip().lower().replace("-", "_")
