"""The configured provider, built from plain setting values (PRODUCT §2, §7)."""

from questrya.common.clock import Clock
from questrya.common.exceptions import InvalidInputError
from questrya.metadata.ports import MetadataProvider
from questrya.metadata.providers.igdb import IgdbProvider
from questrya.metadata.providers.rawg import RawgProvider
from questrya.metadata.providers.steam import SteamProvider

PROVIDERS = ("steam", "rawg", "igdb")


def build_provider(
    name: str,
    *,
    steam_store_url: str,
    steam_api_url: str,
    rawg_url: str,
    igdb_url: str,
    twitch_token_url: str,
    rawg_api_key: str | None,
    igdb_client_id: str | None,
    igdb_client_secret: str | None,
    http_timeout: float,
    rate_limit: float,
    clock: Clock | None = None,
) -> MetadataProvider:
    """The provider called ``name``; secrets are plain strings here, unwrapped by the caller.

    A provider whose key is not set is bad input that names the setting to set.
    """
    if name == "steam":
        return SteamProvider(
            store_url=steam_store_url,
            api_url=steam_api_url,
            timeout=http_timeout,
            rate_limit=rate_limit,
            clock=clock,
        )
    if name == "rawg":
        return RawgProvider(
            _required("rawg", "rawg_api_key", rawg_api_key),
            base_url=rawg_url,
            timeout=http_timeout,
            rate_limit=rate_limit,
            clock=clock,
        )
    if name == "igdb":
        return IgdbProvider(
            _required("igdb", "igdb_client_id", igdb_client_id),
            _required("igdb", "igdb_client_secret", igdb_client_secret),
            base_url=igdb_url,
            token_url=twitch_token_url,
            timeout=http_timeout,
            rate_limit=rate_limit,
            clock=clock,
        )
    raise InvalidInputError(f"unknown provider {name!r}: choose one of {', '.join(PROVIDERS)}")


def _required(provider: str, setting: str, value: str | None) -> str:
    if not value:
        raise InvalidInputError(
            f"the {provider} provider needs {setting}: questrya config set {setting} …"
        )
    return value
