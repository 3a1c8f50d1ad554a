"""Settings, strongest first: command-line option, QUESTRYA_<NAME> environment variable,
`config.toml` in the data folder, default (PRODUCT §2).

A bad value is bad input that names where it came from: the option, the variable, or the file.
Every command reads them first, so they are read with the standard library alone (a
dataclass, `os.environ`, `tomllib`): importing pydantic-settings took longer than a whole
write's own work.
"""

import ipaddress
import math
import os
from collections.abc import Callable, Mapping
from dataclasses import Field, dataclass, field, fields
from pathlib import Path
from typing import Any, Literal, get_args
from urllib.parse import urlsplit

from questrya.common.exceptions import InvalidInputError, StorageError
from questrya.common.secrets import Secret

ENV_PREFIX = "QUESTRYA_"
HOME_VARIABLE = f"{ENV_PREFIX}HOME"
CONFIG_FILE = "config.toml"
# `home` locates the config file itself, so it comes from the environment only.
ENV_ONLY = frozenset({"home"})
_LOCAL_HOSTS = {"localhost"}

Provider = Literal["steam", "rawg", "igdb"]
Digest = Literal["off", "weekly"]
# Reads one value from an option, the environment or the file; a ValueError says what it
# must be instead.
Parser = Callable[[object], object]


def data_home() -> Path:
    """``QUESTRYA_HOME``, else the platform's user data folder; it must be a folder."""
    configured = os.environ.get(HOME_VARIABLE)
    if configured:
        home = Path(configured).expanduser()
    else:
        from platformdirs import user_data_dir  # only when QUESTRYA_HOME does not say

        home = Path(user_data_dir("questrya"))
    if home.exists() and not home.is_dir():
        named = f" ({HOME_VARIABLE})" if configured else ""
        raise InvalidInputError(f"the data folder {home}{named} is a file, not a folder")
    return home


def config_path() -> Path:
    return data_home() / CONFIG_FILE


def read_config_text(path: Path) -> str:
    """The text of the config file at ``path``; empty when it does not exist."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""
    except OSError as error:
        raise StorageError(f"cannot read {path}: {error.strerror}") from None


def parse_config(text: str, path: Path) -> dict[str, Any]:
    """The settings in the config file's text. A syntax error names the file and the line:
    only an editor can repair it."""
    if not text.strip():
        return {}
    import tomllib  # only when there is a file to read: most starts have none

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInputError(
            f"{path} is not valid TOML: {error}; fix it in an editor "
            "(`questrya config path` prints where it is)"
        ) from None


def env_variable(key: str) -> str | None:
    """The environment variable that sets ``key``, if one is set (names ignore case; the dots
    of a key such as `next.weights.rating` are underscores: QUESTRYA_NEXT_WEIGHTS_RATING)."""
    wanted = f"{ENV_PREFIX}{key}".upper().replace(".", "_")
    return next((name for name in os.environ if name.upper() == wanted), None)


def in_table(table: Mapping[str, object], key: str) -> tuple[bool, object]:
    """Whether the TOML ``table`` holds the setting ``key``, and its value: a dotted key
    (`next.weights.rating`) is a key of nested tables (`[next.weights]` `rating = 2`)."""
    *tables, name = key.split(".")
    current: object = table
    for part in tables:
        current = current.get(part) if isinstance(current, Mapping) else None
    if isinstance(current, Mapping) and name in current:
        return True, current[name]
    return False, None


# --- how each kind of value is read -----------------------------------------------------------


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError("must be text")
    return value


def _secret(value: object) -> Secret:
    return Secret(_text(value))


def _choice(*choices: str) -> Parser:
    def parse(value: object) -> str:
        if not isinstance(value, str) or value not in choices:
            raise ValueError(f"must be {', '.join(choices[:-1])} or {choices[-1]}")
        return value

    return parse


_TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
_FALSE = frozenset({"0", "false", "f", "no", "n", "off"})


def _boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    word = value.strip().lower() if isinstance(value, str) else None
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    raise ValueError("must be true or false")


def _real(value: object) -> float:
    """A finite number: a TOML number, or text that reads as one."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError("must be a number")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"must be a number, not {value!r}") from None
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    return number


def _positive(value: object) -> float:
    number = _real(value)
    if number <= 0:
        raise ValueError("must be greater than 0")
    return number


def _not_negative(value: object) -> float:
    number = _real(value)
    if number < 0:
        raise ValueError("must be 0 or more")
    return number


def _count(value: object) -> int:
    number = _real(value)
    if not number.is_integer():
        raise ValueError("must be a whole number")
    if number < 1:
        raise ValueError("must be 1 or more")
    return int(number)


def _tags(value: object) -> tuple[str, ...]:
    """Tags: a TOML list, or text with the tags between commas; lower case, each once."""
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(item, str) for item in items):
        raise ValueError("must be tags separated by commas")
    tags = (item.strip().lower() for item in items)
    return tuple(dict.fromkeys(tag for tag in tags if tag))


_MAIL_SCHEMES = ("smtp", "smtps")


def _smtp_url(value: object) -> Secret:
    """`smtp://user:password@host:port` or `smtps://…`; the message never quotes it."""
    url = _text(value)
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        raise ValueError("must have a port that is a number") from None
    if parts.scheme not in _MAIL_SCHEMES or not parts.hostname:
        raise ValueError("must be an smtp:// or smtps:// URL naming the server's host")
    if port == 0:
        raise ValueError("must have a port from 1 to 65535")
    return Secret(url)


def _provider_url(value: object) -> str:
    url = _text(value)
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return url.rstrip("/")
    if parts.scheme == "http" and _is_loopback(parts.hostname):
        return url.rstrip("/")
    raise ValueError("must be an https:// URL (plain http only on 127.0.0.1 or localhost)")


def _is_loopback(host: str | None) -> bool:
    if host in _LOCAL_HOSTS:
        return True
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _setting(parse: Parser, default: object = None, key: str | None = None) -> dict[str, object]:
    """A setting field's metadata: how a given value is read, its default, and its key where
    it is not the field's name (`next.weights.rating`: a table in config.toml)."""
    return {"parse": parse, "default": default, "key": key}


# --- the settings ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """The effective settings, as `load_settings` reads them. Secrets are `Secret`s."""

    home: Path  # from the environment only: it says where config.toml is
    database_url: str = field(metadata=_setting(_text, ""))  # empty: questrya.db in the data folder
    queue_url: str = field(metadata=_setting(_text, ""))  # empty: queue.db in the data folder
    user: str | None = field(metadata=_setting(_text))
    provider: Provider = field(metadata=_setting(_choice(*get_args(Provider)), "steam"))
    auto_fetch: bool = field(metadata=_setting(_boolean, True))
    score_schedule: str = field(metadata=_setting(_text, "0 4 * * *"))
    steam_store_url: str = field(metadata=_setting(_provider_url, "https://store.steampowered.com"))
    steam_api_url: str = field(metadata=_setting(_provider_url, "https://api.steampowered.com"))
    rawg_url: str = field(metadata=_setting(_provider_url, "https://api.rawg.io/api"))
    igdb_url: str = field(metadata=_setting(_provider_url, "https://api.igdb.com/v4"))
    twitch_token_url: str = field(
        metadata=_setting(_provider_url, "https://id.twitch.tv/oauth2/token")
    )
    steam_api_key: Secret | None = field(metadata=_setting(_secret))
    rawg_api_key: Secret | None = field(metadata=_setting(_secret))
    igdb_client_id: Secret | None = field(metadata=_setting(_secret))
    igdb_client_secret: Secret | None = field(metadata=_setting(_secret))
    # Signs the tasks of a shared (Redis) queue: the same on every machine using it.
    queue_secret: Secret | None = field(metadata=_setting(_secret))
    http_timeout: float = field(metadata=_setting(_positive, 10.0))
    rate_limit: float = field(metadata=_setting(_positive, 1.0))
    max_attempts: int = field(metadata=_setting(_count, 5))
    retry_delay: float = field(metadata=_setting(_not_negative, 60.0))
    digest: Digest = field(metadata=_setting(_choice(*get_args(Digest)), "off"))
    smtp_url: Secret | None = field(metadata=_setting(_smtp_url))
    # `questrya next`: each term's weight (any finite number), and the tags it raises or lowers.
    next_rating: float = field(metadata=_setting(_real, 1.0, "next.weights.rating"))
    next_user_score: float = field(metadata=_setting(_real, 0.5, "next.weights.user_score"))
    next_critic_score: float = field(metadata=_setting(_real, 0.3, "next.weights.critic_score"))
    next_backlog_age: float = field(metadata=_setting(_real, 0.5, "next.weights.backlog_age"))
    next_on_hold: float = field(metadata=_setting(_real, 2.0, "next.weights.on_hold"))
    next_release_age: float = field(metadata=_setting(_real, -0.1, "next.weights.release_age"))
    next_length: float = field(metadata=_setting(_real, -0.02, "next.weights.length"))
    next_tags: float = field(metadata=_setting(_real, 2.0, "next.weights.tags"))
    next_boost: tuple[str, ...] = field(metadata=_setting(_tags, (), "next.boost"))
    next_sink: tuple[str, ...] = field(metadata=_setting(_tags, (), "next.sink"))

    def value(self, key: str) -> Any:
        """The value of the setting ``key`` (as `config show` names it)."""
        return getattr(self, _FIELDS[key])


def _key(setting: Field[Any]) -> str:
    return setting.metadata.get("key") or setting.name


# Every setting's key, `home` included, in the order they are declared, and its field.
_FIELDS = {_key(setting): setting.name for setting in fields(Settings)}
SETTING_NAMES = tuple(_FIELDS)


def load_settings(**overrides: object) -> Settings:
    """The effective settings; ``overrides`` are command-line options (``None`` = not given).

    An invalid value, wherever it comes from, is bad input named in one line with its source.
    """
    home = data_home()
    path = home / CONFIG_FILE
    in_file = parse_config(read_config_text(path), path)
    given = {name: value for name, value in overrides.items() if value is not None}
    values: dict[str, Any] = {
        setting.name: _value(setting, given, in_file, path)
        for setting in fields(Settings)
        if setting.name not in ENV_ONLY
    }
    values["database_url"] = values["database_url"] or f"sqlite:///{home / 'questrya.db'}"
    values["queue_url"] = values["queue_url"] or f"sqlite:///{home / 'queue.db'}"
    return Settings(home=home, **values)


_REPAIR = (
    "; change it with `questrya config set {key} VALUE` "
    "or remove it with `questrya config unset {key}`"
)


def _value(
    setting: Field[Any], given: Mapping[str, object], in_file: Mapping[str, object], path: Path
) -> object:
    """The setting's value from the strongest source that has one, read by its parser."""
    key = _key(setting)
    variable = env_variable(key)
    found, stored = in_table(in_file, key)
    if key in given:
        raw, where, repair = given[key], f"invalid value for {key}", ""
    elif variable is not None:
        raw, where, repair = os.environ[variable], f"invalid {variable} in the environment", ""
    elif found:
        raw, where, repair = stored, f"invalid {key} in {path}", _REPAIR.format(key=key)
    else:
        return setting.metadata["default"]
    try:
        return setting.metadata["parse"](raw)
    except ValueError as error:
        raise InvalidInputError(f"{where}: {error}{repair}") from None
