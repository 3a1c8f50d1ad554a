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
from pathlib import Path
from typing import IO, Annotated, Any, NamedTuple

import typer

from questrya.common.exceptions import InvalidInputError
from questrya.common.secrets import mask_passwords


def is_terminal() -> bool:
    return sys.stdout is not None and sys.stdout.isatty()


def on_terminal() -> bool:
    """Whether a player reads both outputs: hints for them stay out of scripts' way."""
    return is_terminal() and sys.stderr is not None and sys.stderr.isatty()


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


class Painted(NamedTuple):
    """A column whose cells take a colour on a terminal by their text (SGR codes: "32")."""

    column: int
    colours: Mapping[str, str]


def print_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    *,
    pager: bool = False,
    flexible: int | None = None,
    painted: Painted | None = None,
) -> None:
    """Columns two spaces apart. Piped, plain and never wrapped. On a terminal, a bold header
    and a rule; a column empty in every row left out; the ``flexible`` column (a title)
    taking the room the others leave, and wrapping; the others wrapping at their spaces
    only, so that a status, an id or a provider id is never cut; a table that cannot fit so
    becomes a compact list of its rows. With ``pager``, through the pager when longer than
    the screen, as git does. The widths come from the data; the rows are then streamed.
    """
    cells = [[plain_text(cell) for cell in row] for row in rows]
    if not is_terminal():
        _print_columns([list(headers), *cells])
        return
    size = shutil.get_terminal_size()
    lines = _terminal_table(list(headers), cells, size.columns, flexible, painted)
    if not pager:
        print_lines(lines)
        return
    first = list(itertools.islice(lines, size.lines))
    if len(first) < size.lines:
        print_lines(first)
    else:
        _page(itertools.chain(first, lines))


_GAP = 2
_HEADER_STYLE = ("\x1b[1;36m", "\x1b[0m")  # bold cyan
# The flexible column narrows to this before the others wrap, and to _LEAST after them.
_FLEXIBLE_KEPT = 16
_LEAST = 8
_INDENT = "    "  # the compact list's second line


def _print_columns(lines: list[list[str]]) -> None:
    widths = [max(len(line[column]) for line in lines) for column in range(len(lines[0]))]
    print_lines(
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in lines
    )


def _terminal_table(
    headers: list[str],
    cells: list[list[str]],
    columns: int,
    flexible: int | None,
    painted: Painted | None,
) -> Iterator[str]:
    kept = [column for column in range(len(headers)) if any(row[column] for row in cells)]
    kept = kept or [0]
    headers = [headers[column] for column in kept]
    cells = [[row[column] for column in kept] for row in cells]
    flexible = kept.index(flexible) if flexible in kept else None
    paint = _painter(painted, kept)
    widths = _fitted([headers, *cells], columns, flexible)
    if widths is None:
        yield from _compact(cells, columns, flexible, paint)
        return
    header = _joined(headers, widths)
    if coloured():
        start, end = _HEADER_STYLE
        header = f"{start}{header}{end}"
    yield header
    yield "─" * (sum(widths) + _GAP * (len(widths) - 1))
    for row in cells:
        wrapped = [_wrap(cell, width) for cell, width in zip(row, widths, strict=True)]
        for parts in itertools.zip_longest(*wrapped, fillvalue=""):
            yield _joined(parts, widths, paint)


def _painter(painted: Painted | None, kept: list[int]) -> Callable[[int, str], str]:
    """How a cell of a kept column is shown: coloured, where a colour is asked and allowed."""
    if painted is None or painted.column not in kept or not coloured():
        return lambda column, text: text
    where, colours = kept.index(painted.column), painted.colours

    def paint(column: int, text: str) -> str:
        code = colours.get(text) if column == where else None
        return f"\x1b[{code}m{text}\x1b[0m" if code else text

    return paint


def _joined(
    cells: Sequence[str],
    widths: Sequence[int],
    paint: Callable[[int, str], str] = lambda column, text: text,
) -> str:
    padded = (
        paint(column, cell) + " " * (width - _width(cell))
        for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
    )
    return (" " * _GAP).join(padded).rstrip()


def _fitted(table: list[list[str]], columns: int, flexible: int | None) -> list[int] | None:
    """The widths of the columns on a terminal ``columns`` wide, or None when the table
    cannot fit: the widest cells first; then the flexible column narrowed to
    ``_FLEXIBLE_KEPT``; then the others, widest first, to their longest word; then the
    flexible one to ``_LEAST``."""
    count = len(table[0])
    widths = [max(_width(line[column]) for line in table) for column in range(count)]
    others = sorted((c for c in range(count) if c != flexible), key=lambda c: -widths[c])
    steps = [(c, max(_width(w) for line in table for w in [*line[c].split(), ""])) for c in others]
    if flexible is not None:
        steps = [(flexible, _FLEXIBLE_KEPT), *steps, (flexible, _LEAST)]
    excess = sum(widths) + _GAP * (count - 1) - columns
    for column, floor in steps:
        if excess <= 0:
            break
        narrowed = max(min(widths[column], floor), widths[column] - excess)
        excess -= widths[column] - narrowed
        widths[column] = narrowed
    return widths if excess <= 0 else None


def _compact(
    cells: list[list[str]],
    columns: int,
    flexible: int | None,
    paint: Callable[[int, str], str],
) -> Iterator[str]:
    """A table too wide for the terminal, as a list: each row's first cell with its flexible
    one (an id and a title), then its other cells on indented lines."""
    heading = [0] if flexible is None or flexible == 0 else [0, flexible]
    for row in cells:
        yield from _hanging(row[0], row[heading[-1]] if len(heading) > 1 else "", columns)
        rest = [column for column in range(len(row)) if column not in heading and row[column]]
        yield from _indented(row, rest, columns, paint)


def _hanging(first: str, text: str, columns: int) -> Iterator[str]:
    """``first`` then ``text`` wrapped beside it: "12  The Legend of Zelda: Tears of the" over
    "    Kingdom"."""
    if not text:
        yield from _wrap(first, columns)
        return
    lead = _width(first) + _GAP
    lines = _wrap(text, max(columns - lead, _LEAST))
    yield f"{first}{' ' * _GAP}{lines[0]}"
    yield from (" " * lead + line for line in lines[1:])


def _indented(
    row: list[str], rest: list[int], columns: int, paint: Callable[[int, str], str]
) -> Iterator[str]:
    start = len(_INDENT)
    line, used = _INDENT, start
    for column in rest:
        for piece in _wrap(row[column], max(columns - start, 1)):
            gap = 0 if used == start else _GAP
            if gap and used + gap + _width(piece) > columns:
                yield line
                line, used, gap = _INDENT, start, 0
            line += " " * gap + paint(column, piece)
            used += gap + _width(piece)
    if used > start:
        yield line


def _spaced(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells where its spaces allow, each paragraph
    on lines of its own; a word longer than that is left whole."""
    import textwrap

    return [
        line
        for paragraph in text.split("\n")
        for line in textwrap.wrap(paragraph, width, break_long_words=False, break_on_hyphens=False)
        or [""]
    ] or [""]


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


class ProgressBar:
    """How far a long command has got, on the terminal: ``advance(done)`` moves it."""

    def __init__(self, move: Callable[[int], None] = lambda done: None) -> None:
        self._move = move

    def advance(self, done: int) -> None:
        self._move(done)


@contextmanager
def progress_bar(total: int, what: str) -> Iterator[ProgressBar]:
    """A bar of ``total`` steps on stderr while the block runs, gone at its end; nothing
    when stderr is no terminal (a script's log gets no bar's redrawing)."""
    if sys.stderr is None or not sys.stderr.isatty():
        yield ProgressBar()
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what, total=total)
        yield ProgressBar(lambda done: bar.update(task, completed=done))


def print_fields(pairs: Iterable[tuple[str, object]]) -> None:
    """A record as aligned ``name  value`` lines, for `show` commands."""
    items = [(name, plain_text(value)) for name, value in pairs]
    width = max((len(name) for name, _ in items), default=0)
    room = shutil.get_terminal_size().columns - width - _GAP if is_terminal() else 0
    for name, value in items:
        # On a terminal a long value wraps under itself at its spaces (a URL is never cut).
        lines = _spaced(value, room) if room >= _LEAST else [value]
        print_lines(f"{name.ljust(width) if n == 0 else ' ' * width}  {line}".rstrip()
                    for n, line in enumerate(lines))  # fmt: skip


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


Write = Callable[[str], object]


def print_records(
    records: Iterable[Mapping[str, Any]],
    fmt: OutputFormat,
    *,
    columns: Sequence[str],
    write: Write | None = None,
) -> None:
    """Records in a machine format, each written as it is read: a JSON array (one record a
    line), JSON lines, or CSV with a header of ``columns``; to stdout unless ``write`` is
    another's (`output_file`)."""
    write = write or _write
    if fmt is OutputFormat.JSON:
        _write_all(_json_array(records), write)
    elif fmt is OutputFormat.JSONL:
        _write_all((f"{_ENCODE(record)}\n" for record in records), write)
    elif fmt is OutputFormat.CSV:
        _write_all(_csv_lines(records, columns), write)
    else:
        raise ValueError(f"{fmt} is not a format of records")


def print_document(
    head: Mapping[str, Any],
    key: str,
    records: Iterable[Mapping[str, Any]],
    write: Write | None = None,
) -> None:
    """One JSON object: the fields of ``head``, then ``key`` holding the records as an array,
    one a line, each written as it is read."""
    start = _ENCODE({**head, key: []}).removesuffix("[]}")
    _write_all(itertools.chain([start], _json_array(records, end="]}\n")), write or _write)


@contextmanager
def output_file(path: str) -> Iterator[Write]:
    """Where a command writes instead of stdout: the file at ``path``, replaced only once all
    of it is written, so that a failure leaves whatever was there before."""
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as stream:
            yield stream.write
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)


def _json_array(records: Iterable[Mapping[str, Any]], end: str = "]\n") -> Iterator[str]:
    empty = True
    for record in records:
        yield ("[\n  " if empty else ",\n  ") + _ENCODE(record)
        empty = False
    yield f"[{end}" if empty else f"\n{end}"


def _csv_lines(records: Iterable[Mapping[str, Any]], columns: Sequence[str]) -> Iterator[str]:
    rows = _Texts()
    writer = csv.writer(rows, lineterminator="\n")
    writer.writerow(columns)
    for record in records:
        cells = (record[column] for column in columns)
        writer.writerow([cell if type(cell) in _AS_IS else _csv_cell(cell) for cell in cells])
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


# What csv.writer writes as a table shows it (None as empty): no call a cell for the most.
_AS_IS = frozenset({str, int, float, type(None)})


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
