"""What the config service needs: where settings live, and who keeps the default profile."""

from pathlib import Path
from typing import Protocol

from questrya.config.domain import DefaultProfileChange, Setting


class SettingsStore(Protocol):
    @property
    def path(self) -> Path:
        """The config file."""

    def keys(self) -> list[str]:
        """The settings the config file may hold, sorted."""

    def effective(self) -> list[Setting]:
        """Every setting, with its effective value and source, sorted by key."""

    def write(self, key: str, value: str) -> Setting:
        """Validate ``value`` for ``key`` and store it in the config file; nothing on failure."""

    def remove(self, key: str) -> bool:
        """Remove ``key`` from the config file; False when it was not there."""


class DefaultProfile(Protocol):
    def use(self, name: str) -> DefaultProfileChange:
        """Make the profile ``name`` the default one."""
