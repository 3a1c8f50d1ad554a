"""The import formats this branch ships, on the real HowLongToBeat sample and on rows written
by hand: what each column becomes, and what is refused."""

import io
from datetime import date
from pathlib import Path

import pytest

from questrya.common.exceptions import InvalidInputError
from questrya.imports import formats
from questrya.imports.formats import hltb, native_csv, native_json
from questrya.imports.formats.rows import ImportRow, SkippedRow

SAMPLES = Path(__file__).parents[1] / "fixtures" / "imports"
HLTB_SAMPLE = SAMPLES / "import_hltb_export_sample.csv"
HLTB_HEADER = HLTB_SAMPLE.read_text(encoding="utf-8").splitlines()[0]
# The sample's columns, a row of them empty but for those a test names.
COLUMNS = [name.strip('"') for name in HLTB_HEADER.split(",")]


def hltb_rows(*rows: dict[str, str], header: str = HLTB_HEADER) -> list[ImportRow | SkippedRow]:
    columns = [name.strip('"') for name in header.split(",")]
    lines = [header, *(",".join(_quoted(row.get(name, "")) for name in columns) for row in rows)]
    return list(hltb.read(io.StringIO("\n".join(lines) + "\n")))


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'


def test_the_hltb_sample_is_game_a_completed_on_pc_rated_7() -> None:
    [row] = hltb.read(io.StringIO(HLTB_SAMPLE.read_text(encoding="utf-8")))

    assert row == ImportRow(line=2, title="Game A", platform="PC", status="completed", rating=7)


@pytest.mark.parametrize(
    ("lists", "status"),
    [
        ({"Playing": "X"}, "playing"),
        ({"Backlog": "X"}, "not_started"),
        ({"Completed": "X"}, "completed"),
        ({"Retired": "X"}, "abandoned"),
        ({"Replay": "X"}, "playing"),
        ({"Completed": "X", "Replay": "X"}, "playing"),  # played again: playing
        ({"Retired": "X", "Backlog": "X"}, "abandoned"),
        ({}, "not_started"),
    ],
)
def test_each_hltb_list_gives_its_status(lists: dict[str, str], status: str) -> None:
    [row] = hltb_rows({"Title": "Hades", "Platform": "PC", **lists})

    assert isinstance(row, ImportRow)
    assert row.status == status


@pytest.mark.parametrize(
    ("review", "rating"),
    [("70", 7), ("65", 7), ("64", 6), ("100", 10), ("4", 1), ("5", 1), ("0", None), ("", None)],
)
def test_a_review_of_0_to_100_is_a_rating_rounded_half_up_and_at_least_1(
    review: str, rating: int | None
) -> None:
    [row] = hltb_rows({"Title": "Hades", "Platform": "PC", "Review": review})

    assert isinstance(row, ImportRow)
    assert row.rating == rating


def test_a_completed_hltb_game_keeps_its_dates_level_playtime_lists_and_notes() -> None:
    header = HLTB_HEADER.replace('"Custom-2"', '"Co Op Night"')
    [row] = hltb_rows(
        {
            "Title": "Hollow Knight",
            "Platform": "Nintendo Switch",
            "Completed": "X",
            "Custom-1": "X",
            "Co Op Night": "X",
            "Start Date": "2024-01-05",
            "Completion Date": "2024-02-09",
            "Main Story": "27:15:40",
            "Main + Extras": "41:02:10",
            "Completionist": "--",
            "General Notes": "Pantheon next",
            "Review Notes": "A classic",
            "Added": "2024-02-09 15:54:48",
        },
        header=header,
    )

    assert row == ImportRow(
        line=2,
        title="Hollow Knight",
        platform="Nintendo Switch",
        status="completed",
        started=date(2024, 1, 5),
        completed=date(2024, 2, 9),
        completion_level="extras",
        tags=("custom-1", "co-op-night"),
        notes="Pantheon next\n\nA classic",
        playtime=41 * 60 + 2,
    )


def test_a_retired_game_keeps_its_notes_and_a_game_in_progress_its_progress() -> None:
    retired, playing = hltb_rows(
        {"Title": "Anthem", "Platform": "PC", "Retired": "X", "Retired Notes": "Too grindy"},
        {"Title": "Celeste", "Platform": "PC", "Playing": "X", "Progress": "02:29:30"},
    )

    assert isinstance(retired, ImportRow) and isinstance(playing, ImportRow)
    assert (retired.status, retired.notes, retired.completion_level) == (
        "abandoned",
        "Too grindy",
        None,
    )
    assert (playing.status, playing.playtime, playing.line) == ("playing", 150, 3)


@pytest.mark.parametrize(
    ("cells", "says"),
    [
        ({"Review": "great"}, "Review must be a number"),
        ({"Review": "120"}, "Review must be 0-100, got '120'"),
        ({"Start Date": "09/02/2024"}, "Start Date must be a date"),
        ({"Main Story": "ten hours"}, "Main Story must be a time like 12:34:56"),
    ],
)
def test_a_row_with_a_bad_cell_is_skipped_with_its_line_and_why(
    cells: dict[str, str], says: str
) -> None:
    good, bad = hltb_rows(
        {"Title": "Celeste", "Platform": "PC"}, {"Title": "Hades", "Platform": "PC", **cells}
    )

    assert isinstance(good, ImportRow)
    assert isinstance(bad, SkippedRow)
    assert bad.line == 3
    assert says in bad.reason


def test_an_hltb_file_without_a_list_column_is_refused_naming_it() -> None:
    header = HLTB_HEADER.replace('"Retired",', "")

    with pytest.raises(InvalidInputError, match="no 'Retired' column"):
        hltb_rows({"Title": "Hades"}, header=header)


def test_a_quoted_cell_over_several_lines_keeps_the_next_rows_line() -> None:
    first, second = hltb_rows(
        {"Title": "Hades", "Platform": "PC", "General Notes": "one\ntwo\nthree"},
        {"Title": "Celeste", "Platform": "PC"},
    )

    assert isinstance(first, ImportRow) and isinstance(second, ImportRow)
    assert (first.line, first.notes, second.line) == (2, "one\ntwo\nthree", 5)


# --- Questrya's own formats -------------------------------------------------------------------

NATIVE = """{"format": "questrya", "version": 1, "games": [
  {"title": "Hades", "platform": "PC", "status": "completed", "release_date": "2020-09-17",
   "started_date": "2021-01-02", "completion_date": "2021-02-03", "completion_level": "full",
   "rating": 9, "wishlist": false, "tags": ["roguelike"], "notes": "heat 16",
   "playtime": 4210, "last_played": "2021-02-03", "provider_ids": {"steam": "1145360"}},
  {"title": 42},
  {"title": "Celeste", "wishlist": "yes"},
  {"title": "Tunic", "stars": 5}
]}
"""


def test_the_native_json_reads_every_field_and_skips_bad_games_by_line() -> None:
    hades, number, celeste, tunic = native_json.read(io.StringIO(NATIVE))

    assert hades == ImportRow(
        line=2,
        title="Hades",
        platform="PC",
        status="completed",
        release_date=date(2020, 9, 17),
        started=date(2021, 1, 2),
        completed=date(2021, 2, 3),
        completion_level="full",
        rating=9,
        tags=("roguelike",),
        notes="heat 16",
        playtime=4210,
        last_played=date(2021, 2, 3),
        provider_ids={"steam": "1145360"},
    )
    assert number == SkippedRow(6, "title must be text, not 42")
    assert celeste == SkippedRow(7, 'wishlist must be true or false, not "yes"')
    assert tunic == SkippedRow(8, "unknown field 'stars'")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"format": "questrya", "games": [', "not JSON"),
        ('{"format": "other", "version": 1, "games": []}', "not a Questrya export"),
        ('{"format": "questrya", "version": 2, "games": []}', "newer than this Questrya"),
        ('{"format": "questrya", "version": 1, "games": {}}', '"games" as a list'),
    ],
)
def test_a_document_that_is_no_native_export_is_refused(text: str, says: str) -> None:
    with pytest.raises(InvalidInputError, match=says):
        list(native_json.read(io.StringIO(text)))


def test_the_native_csv_reads_the_columns_it_has() -> None:
    text = (
        "title,platform,status,completion_date,rating,wishlist,tags,playtime,provider_ids\n"
        'Hades,PC,completed,2021-02-03,9,false,roguelike;action,4210,"{""steam"": ""1145360""}"\n'
        "Celeste,,,,,true,,,\n"
        "Tunic,PC,,,nine,,,,\n"
    )

    hades, celeste, tunic = native_csv.read(io.StringIO(text))

    assert hades == ImportRow(
        line=2,
        title="Hades",
        platform="PC",
        status="completed",
        completed=date(2021, 2, 3),
        rating=9,
        tags=("roguelike", "action"),
        playtime=4210,
        provider_ids={"steam": "1145360"},
    )
    assert celeste == ImportRow(line=3, title="Celeste", wishlist=True)
    assert tunic == SkippedRow(4, "rating must be a whole number of at least 0, got 'nine'")


# --- which format a file is ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "module"),
    [
        (HLTB_HEADER, hltb),
        ('{"format": "questrya", "version": 1, "games": []}', native_json),
        ("title,platform,status,playtime,provider_ids", native_csv),
        ("title", native_csv),
    ],
)
def test_each_file_is_recognised_by_its_format_alone(head: str, module: object) -> None:
    assert formats.chosen(head + "\n", None, "backlog") is module


@pytest.mark.parametrize(
    "head", ["Name,Platform\nHades,PC", '{"games": []}', "just some words", "title,stars"]
)
def test_a_file_no_format_recognises_is_bad_input_naming_the_formats(head: str) -> None:
    with pytest.raises(InvalidInputError, match=r"backlog is in none of the formats .* hltb"):
        formats.chosen(head, None, "backlog")


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"", "backlog is empty"),
        (b"  \n\n", "backlog is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "backlog is a binary file"),
        (b"title\n\xff\xfeHades", "backlog is not UTF-8 text"),
    ],
)
def test_an_empty_or_binary_file_is_bad_input(data: bytes, says: str) -> None:
    with pytest.raises(InvalidInputError, match=says):
        formats.decoded(data, "backlog")


def test_a_byte_order_mark_is_no_part_of_the_text() -> None:
    assert formats.decoded("\ufefftitle\nHades\n".encode(), "backlog") == "title\nHades\n"
