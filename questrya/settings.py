"""Settings, strongest first: command-line option, QUESTRYA_<NAME> environment variable,
`config.toml` in the data folder, default (PRODUCT §2)."""

import ipaddress
import os
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from platformdirs import user_data_dir
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

from questrya.common.exceptions import InvalidInputError

ENV_PREFIX = "QUESTRYA_"
CONFIG_FILE = "config.toml"
_LOCAL_HOSTS = {"localhost"}


def data_home() -> Path:
    """``QUESTRYA_HOME``, else the platform's user data folder."""
    configured = os.environ.get(f"{ENV_PREFIX}HOME")
    return Path(configured).expanduser() if configured else Path(user_data_dir("questrya"))


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
        toml = TomlConfigSettingsSource(settings_cls, toml_file=data_home() / CONFIG_FILE)
        return (init_settings, env_settings, toml)

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

    An invalid value, wherever it comes from, is bad input named in one line.
    """
    try:
        return Settings(**{name: value for name, value in overrides.items() if value is not None})
    except ValidationError as error:
        first = error.errors()[0]
        name = ".".join(str(part) for part in first["loc"]) or "settings"
        raise InvalidInputError(f"invalid setting {name}: {first['msg']}") from None
