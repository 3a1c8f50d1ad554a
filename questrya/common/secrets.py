"""Secrets never shown: what a secret shows instead, a secret setting, and URLs with their
passwords masked."""

import re

# What a secret (an API key, a password in a URL) shows instead of its value.
MASK = "********"

# `scheme://user:password@`: the password runs to the last "@" before a space, so that an
# unencoded "@" inside it is masked too.
_CREDENTIALS = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)\S*@")


def mask_passwords(text: str) -> str:
    """``text`` (a URL, or a message quoting URLs) with every URL's password masked."""
    return _CREDENTIALS.sub(lambda found: f"{found['head']}{MASK}@", text)


class Secret:
    """A secret setting (an API key): printed, logged or in a traceback it is the mask; only
    ``get_secret_value`` gives the value, to the code that sends it."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __str__(self) -> str:
        return MASK

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)
