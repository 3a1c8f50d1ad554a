"""The config use cases."""

from pathlib import Path

from questrya.config.domain import PROFILE_KEY, DefaultProfileChange, Setting, setting_key
from questrya.config.ports import DefaultProfile, SettingsStore


class ConfigService:
    def __init__(self, store: SettingsStore, profiles: DefaultProfile) -> None:
        self._store = store
        self._profiles = profiles

    def show(self) -> list[Setting]:
        return self._store.effective()

    def keys(self) -> list[str]:
        """The settings the file may hold, which `set` and `unset` take."""
        return self._store.keys()

    def names_profile(self, key: str) -> bool:
        """Whether ``key`` is `user`: setting it switches the default profile."""
        return setting_key(key) == PROFILE_KEY

    def set(self, key: str, value: str) -> Setting:
        return self._store.write(setting_key(key), value)

    def use_profile(self, name: str) -> DefaultProfileChange:
        return self._profiles.use(name)

    def unset(self, key: str) -> bool:
        """Remove a setting from the file (an old `user` key too); False if it was not set."""
        return self._store.remove(setting_key(key))

    def path(self) -> Path:
        return self._store.path
