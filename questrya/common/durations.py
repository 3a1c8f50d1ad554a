"""Play time as the player types it (``1h30m``, ``90m``, ``2h``) and reads it, in minutes."""

import re

from questrya.common.exceptions import InvalidInputError

_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?$", re.IGNORECASE)
# Longer than anyone plays (about 19 centuries), and far inside every database's integers.
MAX_MINUTES = 1_000_000_000


def parse_duration(text: str, what: str = "duration") -> int:
    """The minutes of ``1h30m``, ``90m`` or ``2h``; anything else is bad input naming ``what``."""
    written = text.strip()
    found = _DURATION.match(written)
    if not written or found is None:
        raise InvalidInputError(f"{what} must be like 1h30m, 90m or 2h; got {text!r}")
    hours, minutes = (int(part) if part else 0 for part in found.groups())
    total = hours * 60 + minutes
    if total > MAX_MINUTES:
        raise InvalidInputError(f"{what} {written} is longer than anyone plays")
    return total


def format_duration(minutes: int) -> str:
    """Minutes as the player writes them: ``1h30m``, ``2h``, ``45m``, ``0m``."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest}m"
    return f"{hours}h{rest}m" if rest else f"{hours}h"
