"""Settings, strongest first: command-line option, QUESTRYA_<NAME> environment variable,
`config.toml` in the data folder, default (PRODUCT §2).

A bad value is bad input that names where it came from: the variable, or the file.
"""

import ipaddress
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    InitSettingsSource,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

from questrya.common.exceptions import InvalidInputError, StorageError

ENV_PREFIX = "QUESTRYA_"
HOME_VARIABLE = f"{ENV_PREFIX}HOME"
CONFIG_FILE = "config.toml"
# `home` locates the config file itself, so it comes from the environment only.
ENV_ONLY = frozenset({"home"})
_LOCAL_HOSTS = {"localhost"}


def data_home() -> Path:
    """``QUESTRYA_HOME``, else the platform's user data folder; it must be a folder."""
    configured = os.environ.get(HOME_VARIABLE)
    home = Path(configured).expanduser() if configured else Path(user_data_dir("questrya"))
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
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InvalidInputError(
            f"{path} is not valid TOML: {error}; fix it in an editor "
            "(`questrya config path` prints where it is)"
        ) from None


def env_variable(key: str) -> str | None:
    """The environment variable that sets ``key``, if one is set (names ignore case)."""
    wanted = f"{ENV_PREFIX}{key}".upper()
    return next((name for name in os.environ if name.upper() == wanted), None)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    home: Path = Field(default_factory=data_home)
    database_url: str = ""
    queue_url: str = ""
    user: str | None = None
    provider: Literal["steam", "rawg", "igdb"] = "steam"
    auto_fetch: bool = True
    score_schedule: str = "0 4 * * *"
    steam_store_url: str = "https://store.steampowered.com"
    steam_api_url: str = "https://api.steampowered.com"
    rawg_url: str = "https://api.rawg.io/api"
    igdb_url: str = "https://api.igdb.com/v4"
    twitch_token_url: str = "https://id.twitch.tv/oauth2/token"
    steam_api_key: SecretStr | None = None
    rawg_api_key: SecretStr | None = None
    igdb_client_id: SecretStr | None = None
    igdb_client_secret: SecretStr | None = None
    http_timeout: float = Field(default=10, gt=0)
    rate_limit: float = Field(default=1, gt=0)
    max_attempts: int = Field(default=5, ge=1)
    retry_delay: float = Field(default=60, ge=0)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        path = config_path()
        in_file = parse_config(read_config_text(path), path)
        kept = {key: value for key, value in in_file.items() if key not in ENV_ONLY}
        return (init_settings, env_settings, InitSettingsSource(settings_cls, init_kwargs=kept))

    @field_validator("steam_store_url", "steam_api_url", "rawg_url", "igdb_url", "twitch_token_url")
    @classmethod
    def _https_unless_loopback(cls, url: str) -> str:
        parts = urlsplit(url)
        if parts.scheme == "https" and parts.hostname:
            return url.rstrip("/")
        if parts.scheme == "http" and _is_loopback(parts.hostname):
            return url.rstrip("/")
        raise ValueError("must be an https:// URL (plain http only on 127.0.0.1 or localhost)")

    @model_validator(mode="after")
    def _default_urls(self) -> "Settings":
        if not self.database_url:
            self.database_url = f"sqlite:///{self.home / 'questrya.db'}"
        if not self.queue_url:
            self.queue_url = f"sqlite:///{self.home / 'queue.db'}"
        return self


def _is_loopback(host: str | None) -> bool:
    if host in _LOCAL_HOSTS:
        return True
    try:
        return host is not None and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def load_settings(**overrides: Any) -> Settings:
    """The effective settings; ``overrides`` are command-line options (``None`` = not given).

    An invalid value, wherever it comes from, is bad input named in one line with its source.
    """
    given = {name: value for name, value in overrides.items() if value is not None}
    try:
        return Settings(**given)
    except ValidationError as error:
        first = error.errors()[0]
        key = ".".join(str(part) for part in first["loc"]) or "settings"
        raise InvalidInputError(_invalid(key, first["msg"], given)) from None


def _invalid(key: str, reason: str, overrides: Mapping[str, object]) -> str:
    variable = env_variable(key)
    if key in overrides:
        return f"invalid value for {key}: {reason}"
    if variable is not None:
        return f"invalid {variable} in the environment: {reason}"
    path = config_path()
    return (
        f"invalid {key} in {path}: {reason}; change it with `questrya config set {key} VALUE` "
        f"or remove it with `questrya config unset {key}`"
    )
