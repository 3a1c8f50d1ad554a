"""Where the config service reads and writes settings."""

from pathlib import Path
from typing import Protocol

from questrya.config.domain import Setting


class SettingsStore(Protocol):
    @property
    def path(self) -> Path:
        """The config file."""

    def effective(self) -> list[Setting]:
        """Every setting, with its effective value and source, sorted by key."""

    def write(self, key: str, value: str) -> Setting:
        """Validate ``value`` for ``key`` and store it in the config file."""
