"""Parsing dates the user types."""

from datetime import date

from questrya.common.exceptions import InvalidInputError


def parse_iso_date(text: str, what: str = "date") -> date:
    """Parse ``YYYY-MM-DD`` or raise a one-line input error naming ``what``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InvalidInputError(f"{what} must be an ISO date (YYYY-MM-DD), got {text!r}") from None
