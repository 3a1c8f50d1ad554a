"""Settings in `config.toml` (written with tomlkit, so the player's comments survive; read
without it, so that `config show` and `config path` do not load it)."""

import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from questrya.common.exceptions import InvalidInputError, StorageError
from questrya.common.secrets import MASK, Secret, mask_passwords
from questrya.config.domain import Setting, Source
from questrya.settings import (
    ENV_ONLY,
    SETTING_NAMES,
    Settings,
    config_path,
    env_variable,
    in_table,
    load_settings,
    parse_config,
    read_config_text,
)

if TYPE_CHECKING:
    from tomlkit import TOMLDocument

# A check that a setting will work, beyond its type: given the settings it would make, it
# raises InvalidInputError. The composition root supplies them (a crontab Huey can run, a
# database URL SQLAlchemy can open…), so this store needs none of those libraries.
SettingCheck = Callable[[Settings], None]


class TomlSettingsStore:
    def __init__(
        self, overrides: dict[str, Any], checks: Mapping[str, SettingCheck] | None = None
    ) -> None:
        self._overrides = {key: value for key, value in overrides.items() if value is not None}
        self._checks = dict(checks or {})

    @property
    def path(self) -> Path:
        return config_path()

    def keys(self) -> list[str]:
        return list(_KEYS)

    def effective(self) -> list[Setting]:
        settings = load_settings(**self._overrides)
        in_file = parse_config(read_config_text(self.path), self.path)
        return [
            Setting(key, _shown(settings.value(key)), self._source(key, in_file))
            for key in sorted(SETTING_NAMES)
        ]

    def write(self, key: str, value: str) -> Setting:
        _known(key)
        document = self._document()
        # Given as an option, the value outranks the environment: an error names this value.
        settings = load_settings(**{key: value})
        check = self._checks.get(key)
        if check is not None:
            check(settings)
        effective = settings.value(key)
        _put(document, key, _stored(effective))
        self._save(document.as_string())
        return Setting(key, _shown(effective), Source.CONFIG)

    def remove(self, key: str) -> bool:
        _known(key)
        document = self._document()
        if not _drop(document, key):
            return False
        self._save(document.as_string())
        return True

    def _source(self, key: str, in_file: Mapping[str, object]) -> Source:
        if key in self._overrides:
            return Source.OPTION
        if env_variable(key) is not None:
            return Source.ENV
        if in_table(in_file, key)[0]:
            return Source.CONFIG
        return Source.DEFAULT

    def _document(self) -> "TOMLDocument":
        import tomlkit

        text = read_config_text(self.path)
        parse_config(text, self.path)  # a syntax error is named by file and line
        return tomlkit.parse(text)

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


# The keys the file may hold: every setting but `home`, and `user`, which only an older
# version wrote there (it can be unset; setting it switches the default profile).
_KEYS = tuple(sorted(set(SETTING_NAMES) - ENV_ONLY))


def _known(key: str) -> None:
    if key not in _KEYS:
        raise InvalidInputError(f"unknown setting {key!r}; settings: {', '.join(_KEYS)}")


def _put(document: "TOMLDocument", key: str, value: object) -> None:
    """Set ``key`` in the file; a dotted key goes in its table (`[next.weights]`)."""
    import tomlkit

    *tables, name = key.split(".")
    table: Any = document
    for part in tables:
        if part not in table:
            table[part] = tomlkit.table(is_super_table=part != tables[-1])
        table = table[part]
    table[name] = value


def _drop(document: "TOMLDocument", key: str) -> bool:
    """Remove ``key`` from the file, and the tables it leaves empty; False if it was not set."""
    *tables, name = key.split(".")
    path: list[Any] = [document]
    for part in tables:
        inner = path[-1].get(part)
        if not hasattr(inner, "keys"):
            return False
        path.append(inner)
    if name not in path[-1]:
        return False
    del path[-1][name]
    for part, table, outer in reversed(list(zip(tables, path[1:], path[:-1], strict=True))):
        if not table:
            del outer[part]
    return True


def _stored(value: Any) -> str | int | float | bool | list[str]:
    if isinstance(value, Secret):
        return value.get_secret_value()
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _shown(value: Any) -> str | int | float | bool | None:
    if isinstance(value, Secret):
        return MASK
    if isinstance(value, str):
        return mask_passwords(value)
    if isinstance(value, tuple):
        return ",".join(value)
    if value is None or isinstance(value, int | float | bool):
        return value
    return str(value)
