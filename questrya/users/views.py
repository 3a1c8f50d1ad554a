"""Profiles as the read side finds them: plain SQL on the read side's connection."""

from questrya.common.rows import ReadConnection


def profile_id(rows: ReadConnection, name: str | None) -> int | None:
    """The id of the profile named ``name``, else of the default profile; None when there is
    no such profile (the users service creates the first one, or says what is missing)."""
    if name is None:
        found = rows.rows("SELECT id FROM users WHERE is_default", {})
    else:
        found = rows.rows("SELECT id FROM users WHERE name = :name", {"name": name})
    return next(iter([row[0] for row in found]), None)


class UserViews:
    """The profiles, read."""

    def __init__(self, rows: ReadConnection) -> None:
        self._rows = rows

    def names(self) -> list[str]:
        """Every profile's name, in order."""
        return [row[0] for row in self._rows.rows("SELECT name FROM users ORDER BY name", {})]
