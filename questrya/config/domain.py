"""A setting as the player sees it: its effective value and where that value came from."""

from dataclasses import dataclass
from enum import StrEnum

# What a secret (an API key, a password in a URL) shows instead of its value.
MASK = "********"


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
