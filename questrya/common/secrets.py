"""Secrets never shown: what a secret shows instead, and URLs with their passwords masked."""

import re

# What a secret (an API key, a password in a URL) shows instead of its value.
MASK = "********"

# `scheme://user:password@`: the password runs to the last "@" before a space, so that an
# unencoded "@" inside it is masked too.
_CREDENTIALS = re.compile(r"(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^:/@\s]*:)\S*@")


def mask_passwords(text: str) -> str:
    """``text`` (a URL, or a message quoting URLs) with every URL's password masked."""
    return _CREDENTIALS.sub(lambda found: f"{found['head']}{MASK}@", text)
