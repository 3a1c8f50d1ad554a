import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from questrya.common.exceptions import InvalidInputError
from questrya.common.text import fold, has_control_characters

_MAX_LENGTH = 50

# Canonical name -> the other ways players write it. Keys are compared after `_key()`.
_ALIASES: dict[str, tuple[str, ...]] = {
    "PC": ("windows", "win", "pc windows", "microsoft windows", "steam", "pc (microsoft windows)"),
    "Mac": ("macos", "mac os", "osx", "os x", "macintosh", "apple macintosh"),
    "Linux": ("gnu/linux", "steamos"),
    "Steam Deck": ("steamdeck", "deck"),
    "PS1": ("ps", "psx", "playstation", "playstation 1", "sony playstation"),
    "PS2": ("playstation 2",),
    "PS3": ("playstation 3",),
    "PS4": ("playstation 4",),
    "PS5": ("playstation 5",),
    "PSP": ("playstation portable",),
    "PS Vita": ("vita", "psvita", "playstation vita"),
    # "Xbox" alone is the current generation, as players say it; the 2001 console by name.
    "Xbox (2001)": ("original xbox", "xbox classic", "xbox 2001", "xbox og"),
    "Xbox 360": ("x360",),
    "Xbox One": ("xone", "xb1", "xbox one x", "xbox one s"),
    "Xbox Series X/S": (
        "xbox",
        "xbox series",
        "xbox series x",
        "xbox series s",
        "xbox series x|s",
        "xsx",
        "xss",
        "series x",
    ),
    "Switch": ("nintendo switch", "ns", "nsw"),
    "Switch 2": ("nintendo switch 2", "ns2"),
    "Wii": ("nintendo wii",),
    "Wii U": ("nintendo wii u",),
    "GameCube": ("gc", "ngc", "nintendo gamecube"),
    "N64": ("nintendo 64",),
    "SNES": ("super nintendo", "super nes", "super nintendo entertainment system", "super famicom"),
    "NES": ("nintendo entertainment system", "famicom"),
    "Game Boy": ("gb",),
    "Game Boy Color": ("gbc",),
    "Game Boy Advance": ("gba",),
    "DS": ("nintendo ds", "nds"),
    "3DS": ("nintendo 3ds", "n3ds", "new nintendo 3ds"),
    "Mega Drive": ("genesis", "sega genesis", "sega mega drive", "md"),
    "Master System": ("sega master system", "sms"),
    "Saturn": ("sega saturn",),
    "Dreamcast": ("sega dreamcast", "dc"),
    "iOS": ("iphone", "ipad", "apple ios"),
    "Android": ("google android",),
    "Stadia": ("google stadia",),
    "Web": ("browser", "web browser"),
    "Unknown": (),
}


# Platforms recur across a backlog (and an import's rows): each text is folded once.
@lru_cache(maxsize=1024)
def _key(text: str) -> str:
    return re.sub(r"[\s\-_]+", "", fold(text))


_CANONICAL: dict[str, str] = {
    _key(alias): name for name, aliases in _ALIASES.items() for alias in (name, *aliases)
}
# How close an unknown name must be to a known one to be taken for a typo of it ("swtich").
_TYPO_CUTOFF = 0.83


def platform_names() -> dict[str, tuple[str, ...]]:
    """The canonical platforms and the other ways of writing each, as `platforms` lists them."""
    return dict(_ALIASES)


@lru_cache(maxsize=1024)
def _canonical(name: str) -> str:
    """The platform's canonical name, or the name as typed (trimmed) for one we do not know."""
    text = " ".join(name.split())
    if not text:
        raise InvalidInputError("platform must not be empty")
    if len(text) > _MAX_LENGTH or has_control_characters(text):
        raise InvalidInputError(f"platform must be 1-{_MAX_LENGTH} printable characters")
    return _CANONICAL.get(_key(text), text)


@dataclass(frozen=True, slots=True)
class Platform:
    """Where a game is played: a canonical name ("PC", "PS5", "Switch") or, when the platform
    is not one we know, the name as the player typed it (trimmed)."""

    name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "name", _canonical(self.name))

    @classmethod
    def typed(cls, text: str, *, new: bool = False) -> "Platform":
        """A platform the player typed: a name that is not known but close to one that is
        ("swtich") is refused as a probable typo, unless ``new`` says it is meant."""
        platform = cls(text)
        if new or platform.key in _CANONICAL:
            return platform
        close = difflib.get_close_matches(platform.key, _CANONICAL, n=1, cutoff=_TYPO_CUTOFF)
        if close:
            raise InvalidInputError(
                f"unknown platform {platform.name!r}: did you mean {_CANONICAL[close[0]]}?"
                " (--new-platform keeps it as typed)"
            )
        return platform

    @property
    def key(self) -> str:
        """What two platforms are compared by: "Amiga" and "amiga" are the same platform."""
        return _key(self.name)

    def __str__(self) -> str:
        return self.name
