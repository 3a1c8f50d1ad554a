from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from questrya.common.text import strip_control_characters


class MetadataStatus(StrEnum):
    """Where a game's metadata stands (PRODUCT §3): set by the games feature on `add`,
    moved by the metadata feature as the worker fetches."""

    PENDING = "pending"
    FETCHED = "fetched"
    NOT_FOUND = "not_found"
    AMBIGUOUS = "ambiguous"
    FAILED = "failed"
    SKIPPED = "skipped"


# The lengths of the columns provider text is kept in (`orm/models.py`): PostgreSQL refuses a
# longer value, where SQLite stored it. A title or a label is cut; a longer URL, which a cut
# would break, is left out.
TITLE_LENGTH, LABEL_LENGTH, URL_LENGTH = 300, 40, 1000


@dataclass(frozen=True, slots=True)
class GameMetadata:
    """What a provider knows about a game. ``provider_id`` is always a string ("570")."""

    provider: str
    provider_id: str
    title: str
    release_date: date | None = None
    genres: tuple[str, ...] = ()
    developers: tuple[str, ...] = ()
    publishers: tuple[str, ...] = ()
    description: str = ""
    cover_url: str | None = None
    url: str | None = None
    typical_hours: int | None = None  # how long it takes to play, where the provider says

    def __post_init__(self) -> None:
        """Provider text is cleaned here, so that no path can store or show it raw."""
        clean = strip_control_characters
        _set_fields(
            self,
            provider=clean(self.provider),
            provider_id=clean(self.provider_id),
            title=clean(self.title)[:TITLE_LENGTH],
            genres=tuple(clean(genre) for genre in self.genres),
            developers=tuple(clean(name) for name in self.developers),
            publishers=tuple(clean(name) for name in self.publishers),
            description=clean(self.description, multiline=True),
            cover_url=_url(self.cover_url),
            url=_url(self.url),
        )


@dataclass(frozen=True, slots=True)
class ScoreSnapshot:
    """Review scores at one moment: ``user_score`` is a 0-100 percentage, ``label`` the
    English review band ("Very Positive"), ``critic_score`` a 0-100 critics' score."""

    fetched_at: datetime
    user_score: float | None = None
    user_votes: int | None = None
    critic_score: int | None = None
    label: str | None = None

    def __post_init__(self) -> None:
        label = _optional_line(self.label)
        _set_fields(self, label=label[:LABEL_LENGTH] if label is not None else None)


def _optional_line(text: str | None) -> str | None:
    """One line of outside text without control characters; None stays None."""
    return None if text is None else strip_control_characters(text)


def _url(text: str | None) -> str | None:
    line = _optional_line(text)
    return line if line is not None and len(line) <= URL_LENGTH else None


def _set_fields(instance: object, **values: object) -> None:
    """Sets fields of a frozen dataclass while it is being constructed."""
    for name, value in values.items():
        object.__setattr__(instance, name, value)
