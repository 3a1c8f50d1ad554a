"""What the import formats' tests share: the samples, reading a text, the local time zone."""

import io
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

from questrya.imports.formats.rows import ImportRow, SkippedRow

FIXTURES = Path(__file__).parents[1] / "fixtures"
IMPORTS = FIXTURES / "imports"
STEAM_SAMPLE = FIXTURES / "providers" / "steam_getownedgames_5_games.json"
GROUVEE_SAMPLE = IMPORTS / "import_grouvee_export_20col_sample.csv"
GOG_HEADER = IMPORTS / "import_gog_galaxy2_export_header_DERIVED.tsv"
PLAYNITE_SAMPLE = IMPORTS / "import_playnite_libraryexporter_example.csv"
HLTB_SAMPLE = IMPORTS / "import_hltb_export_sample.csv"


def read_text(module: ModuleType, text: str) -> list[ImportRow | SkippedRow]:
    rows: Iterator[ImportRow | SkippedRow] = module.read(io.StringIO(text, newline=""))
    return list(rows)


def read_file(module: ModuleType, path: Path) -> list[ImportRow | SkippedRow]:
    with path.open(encoding="utf-8", newline="") as file:
        return list(module.read(file))


def imported(rows: list[ImportRow | SkippedRow]) -> list[ImportRow]:
    assert all(isinstance(row, ImportRow) for row in rows), rows
    return [row for row in rows if isinstance(row, ImportRow)]


@pytest.fixture
def local_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Sets the process's local time zone (TZ) for the test, then puts it back."""

    def use(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield use
    monkeypatch.undo()
    time.tzset()
