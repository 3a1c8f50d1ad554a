"""Terminal output shared by every command: data on stdout, diagnostics and prompts on stderr.

Tables with a coloured header on a terminal, fitted to its width, through a pager when longer
than the screen; plain text with no ANSI codes when piped or when NO_COLOR is set. Machine
formats are written as their records come, never held whole, and never wrapped. A stream
closed by the shell (`>&-`) is None in ``sys``: stdout then fails like a full disk, stderr
loses its message, stdin is no terminal to ask.
"""

import csv
import itertools
import json
import os
import shutil
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import date, datetime
from enum import StrEnum
from typing import IO, Annotated, Any

import typer

from questrya.common.exceptions import InvalidInputError
from questrya.common.secrets import mask_passwords


def is_terminal() -> bool:
    return sys.stdout is not None and sys.stdout.isatty()


class ReaderGone(Exception):
    """stdout's reader closed the pipe (`questrya games list | head -1`).

    Not an OSError, so that Typer's own EPIPE handling (exit 1) leaves it to the boundary.
    """


class OutputFailed(Exception):
    """stdout could not be written (a full disk, a closed stream); the reason is the message."""


class Declined(Exception):
    """The player answered no: nothing was changed, and that is not an error."""


def _write(text: str) -> None:
    with _stdout_errors():
        if sys.stdout is None:
            raise OutputFailed("standard output is closed")
        sys.stdout.write(text)


def flush_output() -> None:
    """Write out what stdout still buffers, so that a failure surfaces here, not at exit."""
    with _stdout_errors():
        if sys.stdout is not None:
            sys.stdout.flush()


@contextmanager
def _stdout_errors() -> Iterator[None]:
    try:
        yield
    except BrokenPipeError:
        raise ReaderGone from None
    except OSError as error:
        raise OutputFailed(error.strerror or str(error)) from None


def _json_value(value: object) -> str:
    """Dates and times in JSON: ISO 8601, a time in UTC ending in "Z"."""
    if isinstance(value, datetime):
        text = value.isoformat()
        return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON")


# One encoder for every record of a listing (json.dumps would build one a call).
_ENCODE = json.JSONEncoder(ensure_ascii=False, default=_json_value).encode
# Lines written at once: a listing is never held whole, nor written a line a call.
_BATCH = 256


def print_json(data: Any) -> None:
    _write(json.dumps(data, ensure_ascii=False, indent=2, default=_json_value) + "\n")


def print_line(text: str) -> None:
    _write(text + "\n")


def print_lines(lines: Iterable[str]) -> None:
    """Lines written as they come."""
    _write_all(f"{line}\n" for line in lines)


def _write_all(texts: Iterable[str], write: Callable[[str], object] = _write) -> None:
    """Texts written as they come, ``_BATCH`` at a time."""
    chunks = iter(texts)
    while batch := "".join(itertools.islice(chunks, _BATCH)):
        write(batch)


def print_error(message: str, details: Iterable[str] = ()) -> None:
    """One ``Error: …`` line on stderr (newlines folded, passwords masked), then any details."""
    line = mask_passwords(" ".join(message.split("\n")))
    print_notice("\n".join([f"Error: {line}", *(f"  {detail}" for detail in details)]))


def print_notice(text: str) -> None:
    """A diagnostic line on stderr."""
    _to_stderr(text + "\n")


def _to_stderr(text: str) -> None:
    """Lost, not raised, when stderr is closed or cannot be written: the exit code remains."""
    if sys.stderr is None:
        return
    with suppress(OSError):
        sys.stderr.write(text)
        sys.stderr.flush()


def confirm(question: str, preview: Iterable[str]) -> None:
    """Show ``preview`` and ask ``question`` on the terminal (stderr), never on stdout, which
    may be a file or a pipe. No terminal to ask is bad input; anything but yes (the end of
    input too) raises ``Declined``."""
    if sys.stdin is None or not sys.stdin.isatty():
        raise InvalidInputError("refusing without --yes: there is no terminal to ask")
    for line in preview:
        print_notice(line)
    # Not typer.confirm: even with err=True it echoes a space to stdout through input().
    _to_stderr(f"{question} [y/N]: ")
    if sys.stdin.readline().strip().lower() not in ("y", "yes"):
        raise Declined


def print_default_profile(name: str, previous: str | None, warning: str | None) -> None:
    """What `users use` and `config set user` changed, and an override that still wins."""
    was = "" if previous is None else " (unchanged)" if previous == name else f" (was {previous})"
    print_line(f"Default profile: {name}{was}")
    if warning is not None:
        print_notice(f"Note: {warning}")


def print_table(
    headers: Sequence[str], rows: Iterable[Sequence[object]], *, pager: bool = False
) -> None:
    """Columns two spaces apart. Piped, plain and never wrapped. On a terminal, a bold header
    and a rule, the columns fitted to its width (a title wraps at its spaces before a word is
    cut: never a status, a tag, an id), and with ``pager`` through the pager when longer
    than the screen, as git does. The widths come from the data; the rows are then streamed.
    """
    cells = [[plain_text(cell) for cell in row] for row in rows]
    if not is_terminal():
        _print_columns([list(headers), *cells])
        return
    size = shutil.get_terminal_size()
    lines = _terminal_table(list(headers), cells, size.columns)
    if not pager:
        print_lines(lines)
        return
    first = list(itertools.islice(lines, size.lines))
    if len(first) < size.lines:
        print_lines(first)
    else:
        _page(itertools.chain(first, lines))


# The longest word a narrow table keeps whole: longer ones (a URL, a path) may be cut.
_WORD_KEPT = 16
_GAP = 2
_HEADER_STYLE = ("\x1b[1;36m", "\x1b[0m")  # bold cyan


def _print_columns(lines: list[list[str]]) -> None:
    widths = [max(len(line[column]) for line in lines) for column in range(len(lines[0]))]
    print_lines(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _joined(cells: Sequence[str], widths: Sequence[int]) -> str:
    padded = (
        cell + " " * (width - _width(cell)) for cell, width in zip(cells, widths, strict=True)
    )
    return (" " * _GAP).join(padded).rstrip()


def _terminal_table(headers: list[str], cells: list[list[str]], columns: int) -> Iterator[str]:
    table = [headers, *cells]
    natural = [max(_width(line[column]) for line in table) for column in range(len(headers))]
    widths = _fitted(table, natural, columns)
    header = _joined(headers, widths)
    if coloured():
        start, end = _HEADER_STYLE
        header = f"{start}{header}{end}"
    yield header
    yield "─" * (sum(widths) + _GAP * (len(widths) - 1))
    gap = " " * _GAP
    for row in cells:
        sizes = [_width(cell) for cell in row]
        if all(size <= width for size, width in zip(sizes, widths, strict=True)):
            padding = (" " * (width - size) for size, width in zip(sizes, widths, strict=True))
            yield gap.join(map(str.__add__, row, padding)).rstrip()
            continue
        wrapped = [_wrap(cell, width) for cell, width in zip(row, widths, strict=True)]
        for parts in itertools.zip_longest(*wrapped, fillvalue=""):
            yield _joined(parts, widths)


def _fitted(table: list[list[str]], natural: list[int], columns: int) -> list[int]:
    """The ``natural`` widths of the columns (their widest cells); narrowed, widest first,
    down to their longest word (at most ``_WORD_KEPT``) while the table is wider than the
    terminal."""
    widths = list(natural)
    excess = sum(widths) + _GAP * (len(widths) - 1) - columns
    if excess <= 0:
        return widths
    least = [
        min(
            max((_width(word) for line in table for word in line[column].split()), default=0),
            _WORD_KEPT,
        )
        for column in range(len(widths))
    ]
    while excess > 0:
        narrowable = [column for column, width in enumerate(widths) if width > least[column]]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda column: widths[column])
        widths[widest] -= 1
        excess -= 1
    return widths


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken at its spaces; a longer word is cut."""
    lines: list[str] = []
    line = ""
    for piece in (piece for word in text.split() for piece in _cut(word, width)):
        if line and _width(line) + 1 + _width(piece) > width:
            lines.append(line)
            line = piece
        else:
            line = f"{line} {piece}" if line else piece
    return [*lines, line]


def _cut(word: str, width: int) -> Iterator[str]:
    rest = word
    while _width(rest) > width:
        cut = _fitting(rest, width)
        yield rest[:cut]
        rest = rest[cut:]
    yield rest


def _fitting(word: str, width: int) -> int:
    """How many characters of ``word`` fill ``width`` cells (at least one)."""
    used = 0
    for count, character in enumerate(word):
        used += _width(character)
        if used > width:
            return max(count, 1)
    return len(word)


def _width(text: str) -> int:
    """The cells ``text`` takes on a terminal: two for a wide character, none for a mark."""
    if text.isascii():
        return len(text)
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
        for c in text
    )


def coloured() -> bool:
    """Whether a terminal may be written in colour: not with NO_COLOR set, nor on a dumb one."""
    return not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def _page(lines: Iterable[str]) -> None:
    """``lines`` through the pager: $QUESTRYA_PAGER, else $PAGER, else ``less -FRX``; none
    when that is empty or ``cat``, or cannot be started. Ctrl-C is the pager's to handle,
    and quitting it early ends the listing quietly."""
    import shlex
    import signal
    import subprocess

    command = shlex.split(os.environ.get("QUESTRYA_PAGER", os.environ.get("PAGER", _LESS)))
    if command in ([], ["cat"]):
        print_lines(lines)
        return
    flush_output()
    try:
        pager = subprocess.Popen(
            command, stdin=subprocess.PIPE, encoding=_encoding(), errors="replace"
        )
    except OSError:
        print_lines(lines)
        return
    interrupt = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _feed(pager.stdin, lines)
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, interrupt)


_LESS = "less -FRX"


def _feed(stream: IO[str] | None, lines: Iterable[str]) -> None:
    if stream is None:
        return
    with suppress(BrokenPipeError):  # the player quit the pager before the end
        try:
            _write_all((f"{line}\n" for line in lines), stream.write)
        finally:
            stream.close()


def _encoding() -> str:
    return getattr(sys.stdout, "encoding", None) or "utf-8"


def print_fields(pairs: Iterable[tuple[str, object]]) -> None:
    """A record as aligned ``name  value`` lines, for `show` commands."""
    items = [(name, plain_text(value)) for name, value in pairs]
    width = max((len(name) for name, _ in items), default=0)
    for name, value in items:
        print_line(f"{name.ljust(width)}  {value}")


class OutputFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    IDS = "ids"


# The machine formats every listing takes, chosen with `output_format`.
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
JsonlOption = Annotated[bool, typer.Option("--jsonl", help="One JSON object a line.")]
CsvOption = Annotated[bool, typer.Option("--csv", help="CSV with a header row.")]
IdsOption = Annotated[bool, typer.Option("--ids", help="One id a line.")]


def output_format(
    *, json: bool = False, jsonl: bool = False, csv: bool = False, ids: bool = False
) -> OutputFormat:
    chosen = [
        kind
        for kind, wanted in (
            (OutputFormat.JSON, json),
            (OutputFormat.JSONL, jsonl),
            (OutputFormat.CSV, csv),
            (OutputFormat.IDS, ids),
        )
        if wanted
    ]
    if len(chosen) > 1:
        names = " and ".join(f"--{kind.value}" for kind in chosen)
        raise InvalidInputError(f"choose one output format, not {names}")
    return chosen[0] if chosen else OutputFormat.TABLE


def print_records(
    records: Iterable[Mapping[str, Any]], fmt: OutputFormat, *, columns: Sequence[str]
) -> None:
    """Records in a machine format, each written as it is read: a JSON array (one record a
    line), JSON lines, or CSV with a header of ``columns``."""
    if fmt is OutputFormat.JSON:
        _write_all(_json_array(records))
    elif fmt is OutputFormat.JSONL:
        _write_all(f"{_ENCODE(record)}\n" for record in records)
    elif fmt is OutputFormat.CSV:
        _write_all(_csv_lines(records, columns))
    else:
        raise ValueError(f"{fmt} is not a format of records")


def _json_array(records: Iterable[Mapping[str, Any]]) -> Iterator[str]:
    empty = True
    for record in records:
        yield ("[\n  " if empty else ",\n  ") + _ENCODE(record)
        empty = False
    yield "[]\n" if empty else "\n]\n"


def _csv_lines(records: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    rows = _Texts()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        writer.writerow([_csv_cell(record[column]) for column in columns])
        yield from rows.taken()
    yield from rows.taken()


class _Texts:
    """Where csv.writer writes: each row's text, kept until taken."""

    def __init__(self) -> None:
        self._texts: list[str] = []

    def write(self, text: str) -> None:
        self._texts.append(text)

    def taken(self) -> list[str]:
        texts, self._texts = self._texts, []
        return texts


# Objects in a CSV cell: JSON with its keys sorted.
_ENCODE_SORTED = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_json_value).encode


def _csv_cell(value: Any) -> str:
    """Lists joined with ';', objects as JSON, dates as in JSON, the rest as in a table."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ";".join(str(item) for item in value)
    if isinstance(value, dict):
        return _ENCODE_SORTED(value)
    if isinstance(value, date):
        return _json_value(value)
    return plain_text(value)


def plain_text(value: object) -> str:
    """A value as the player reads it: booleans as true/false (as TOML and JSON write them),
    null as empty."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
