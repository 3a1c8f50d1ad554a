"""Text normalisation shared by title matching and duplicate detection."""

import unicodedata


def fold(text: str) -> str:
    """Fold ``text`` for comparison: case-insensitive, accent-insensitive, single spaces.

    "Pokémon  Legends" and "pokemon legends" fold to the same key.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(c) == "Cc" for c in text)
