"""The config use cases."""

from pathlib import Path

from questrya.config.domain import Setting
from questrya.config.ports import SettingsStore


class ConfigService:
    def __init__(self, store: SettingsStore) -> None:
        self._store = store

    def show(self) -> list[Setting]:
        return self._store.effective()

    def set(self, key: str, value: str) -> Setting:
        return self._store.write(key.strip().lower().replace("-", "_"), value)

    def path(self) -> Path:
        return self._store.path
