"""Text normalisation shared by title matching and duplicate detection, and the cleaning of
text that comes from outside."""

import re
import unicodedata

# ECMA-48 sequences, stripped whole so that no "[2J" or "]0;title" is left behind once their
# ESC is gone: CSI ("ESC [" or U+009B) with its parameters; the strings (OSC, DCS, SOS, PM,
# APC) up to their terminator; any other ESC with its intermediate and final bytes.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
_LINE_BREAK = re.compile(r"\r\n?")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")  # exactly Unicode's category Cc


def fold(text: str) -> str:
    """Fold ``text`` for comparison: case-insensitive, accent-insensitive, single spaces.

    "Pokémon  Legends" and "pokemon legends" fold to the same key. Folded twice, a text is
    unchanged: the decomposition may give capitals (U+2115 is "N"), so case folds again.
    """
    if text.isascii():  # nothing to decompose: the same key, without the work
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize(
        "NFKD", unicodedata.normalize("NFKD", text.casefold()).casefold()
    )
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.split())


def has_control_characters(text: str) -> bool:
    return _CONTROL.search(text) is not None


def strip_control_characters(text: str, *, multiline: bool = False) -> str:
    """``text`` without control characters (Unicode category Cc), which could move the cursor,
    retitle or clear a terminal. In one line a break or a tab becomes a space; with
    ``multiline``, line breaks become plain newlines and tabs stay."""
    if not has_control_characters(text):
        return text
    kept = "\n\t" if multiline else ""

    def replacement(found: re.Match[str]) -> str:
        character = found[0]
        if character in kept:
            return character
        return " " if character.isspace() else ""

    text = _LINE_BREAK.sub("\n", _ESCAPE_SEQUENCE.sub("", text))
    return _CONTROL.sub(replacement, text)
