"""The import formats: each a module of this package, named in ``MODULES``.

A format module exposes ``NAME``, ``recognises(head)`` (is the file, judged by its first
``HEAD`` characters, of this format?) and ``read(text)``, which yields an ``ImportRow`` a
game, or a ``SkippedRow`` for a row it cannot read, and raises ``InvalidInputError`` for a
file that is not of its format at all (a column missing, not JSON). Formats are pure: the
standard library, and nothing read but ``text``. A module is imported when its format is
named or a file's head is to be recognised.
"""

import importlib
from collections.abc import Iterator
from typing import Protocol, TextIO, cast

from questrya.common.exceptions import InvalidInputError
from questrya.imports.formats.rows import ImportRow, SkippedRow

HEAD = 4096  # characters of a file its format is recognised by

# Every format by the name --format takes, with its module here.
MODULES = {
    "json": "native_json",
    "csv": "native_csv",
    "hltb": "hltb",
    "grouvee": "grouvee",
    "steam": "steam",
    "gog": "gog",
    "playnite": "playnite",
}


class ImportFormat(Protocol):
    NAME: str

    def recognises(self, head: str) -> bool: ...

    def read(self, text: TextIO) -> Iterator[ImportRow | SkippedRow]: ...


def available() -> list[ImportFormat]:
    """Every format, in the order of ``MODULES``."""
    return [_module(name) for name in MODULES]


def chosen(text: str, name: str | None, file: str) -> ImportFormat:
    """The format ``name``, or the one format that recognises ``text``; bad input else."""
    if name is not None:
        wanted = name.strip().lower()
        if wanted not in MODULES:
            raise InvalidInputError(
                f"unknown format {name!r}: the formats are {', '.join(MODULES)}"
            )
        return _module(wanted)
    head = text[:HEAD]
    recognised = [module for module in available() if module.recognises(head)]
    if not recognised:
        names = ", ".join(MODULES)
        raise InvalidInputError(
            f"{file} is in none of the formats Questrya imports ({names}); if it is one, "
            "name it with --format"
        )
    if len(recognised) > 1:
        both = " or ".join(module.NAME for module in recognised)
        raise InvalidInputError(f"{file} could be {both}: name its format with --format")
    return recognised[0]


def decoded(data: bytes, file: str) -> str:
    """The text of a file to import: UTF-8 (a byte-order mark is dropped), with something
    in it; an empty file or a binary one is bad input."""
    if b"\x00" in data:
        raise InvalidInputError(f"{file} is a binary file, not a text export")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInputError(
            f"{file} is not UTF-8 text (byte {data[error.start]:#04x} at offset {error.start})"
        ) from None
    if not text.strip():
        raise InvalidInputError(f"{file} is empty")
    return text


def _module(name: str) -> ImportFormat:
    return cast(ImportFormat, importlib.import_module(f"{__name__}.{MODULES[name]}"))
