"""Settings in `config.toml` (written with tomlkit, so the player's comments survive)."""

import os
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import tomlkit
from pydantic import SecretStr

from questrya.common.exceptions import InvalidInputError, StorageError
from questrya.config.domain import MASK, Setting, Source
from questrya.settings import CONFIG_FILE, ENV_PREFIX, Settings, data_home, load_settings

# `home` locates the config file itself, so it comes from the environment only.
_NOT_IN_FILE = frozenset({"home"})
_URLS_WITH_PASSWORDS = frozenset({"database_url", "queue_url"})


class TomlSettingsStore:
    def __init__(self, overrides: dict[str, Any]) -> None:
        self._overrides = {key: value for key, value in overrides.items() if value is not None}

    @property
    def path(self) -> Path:
        return data_home() / CONFIG_FILE

    def effective(self) -> list[Setting]:
        settings = load_settings(**self._overrides)
        in_file = self._document()
        return [
            Setting(key, _shown(key, getattr(settings, key)), self._source(key, in_file))
            for key in sorted(Settings.model_fields)
        ]

    def write(self, key: str, value: str) -> Setting:
        if key not in Settings.model_fields or key in _NOT_IN_FILE:
            keys = ", ".join(k for k in sorted(Settings.model_fields) if k not in _NOT_IN_FILE)
            raise InvalidInputError(f"unknown setting {key!r}; settings: {keys}")
        # Given as an option, the value outranks the environment: an error names this value.
        effective = getattr(load_settings(**{key: value}), key)
        document = self._document()
        document[key] = _stored(effective)
        self._save(tomlkit.dumps(document))
        return Setting(key, _shown(key, effective), Source.CONFIG)

    def _source(self, key: str, in_file: dict[str, Any]) -> Source:
        if key in self._overrides:
            return Source.OPTION
        if f"{ENV_PREFIX}{key.upper()}" in os.environ:
            return Source.ENV
        if key in in_file:
            return Source.CONFIG
        return Source.DEFAULT

    def _document(self) -> tomlkit.TOMLDocument:
        try:
            return tomlkit.parse(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return tomlkit.document()
        except tomlkit.exceptions.ParseError as error:
            raise InvalidInputError(f"{self.path} is not valid TOML: {error}") from None

    def _save(self, text: str) -> None:
        """Replace the file atomically; mkstemp makes it 0600, as it may hold API keys."""
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            descriptor, name = tempfile.mkstemp(dir=folder, prefix=".config-", suffix=".toml")
            temporary = Path(name)
            try:
                with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                    file.write(text)
                temporary.replace(self.path)
            finally:
                temporary.unlink(missing_ok=True)
        except OSError as error:
            raise StorageError(f"cannot write {self.path}: {error.strerror}") from None


def _stored(value: Any) -> str | int | float | bool:
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _shown(key: str, value: Any) -> str | int | float | bool | None:
    if isinstance(value, SecretStr):
        return MASK
    if key in _URLS_WITH_PASSWORDS and isinstance(value, str):
        return _without_password(value)
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=f"{parts.username}:{MASK}@{host}"))
