"""Text from providers is stripped of control characters before anything can store or show it
(PRODUCT §5): a developer name must not retitle or clear the player's terminal."""

from datetime import UTC, datetime

import pytest

from questrya.common.text import strip_control_characters
from questrya.common.value_objects import GameMetadata, ScoreSnapshot
from questrya.metadata.domain import Candidate

RETITLE = "\x1b]0;pwned\x07"
CLEAR = "\x1b[2J"


def has_controls(text: str) -> bool:
    return any(c in text for c in "\x1b\x07\x9b\x9d\x00\r")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (f"Valve{RETITLE}{CLEAR}", "Valve"),  # a whole escape sequence goes, not just its ESC
        ("Dota\x002", "Dota2"),
        ("Dota\t2\r\n", "Dota 2 "),  # a break or a tab in one line is a space
        ("\x9b2JValve", "Valve"),  # the one-byte C1 form of an escape sequence
        ("Pokémon™ \u2013 Édition", "Pokémon™ \u2013 Édition"),
    ],
)
def test_one_line_keeps_only_what_prints(raw: str, clean: str) -> None:
    assert strip_control_characters(raw) == clean


def test_several_lines_keep_their_breaks_and_tabs_as_plain_newlines() -> None:
    raw = f"First line\r\nsecond\tcolumn\rthird{CLEAR}\x07"
    assert strip_control_characters(raw, multiline=True) == "First line\nsecond\tcolumn\nthird"


def test_metadata_from_a_provider_holds_no_control_character() -> None:
    metadata = GameMetadata(
        provider="steam",
        provider_id=f"570{CLEAR}",
        title=f"Dota 2{RETITLE}",
        genres=(f"Action{CLEAR}",),
        developers=(f"Valve{RETITLE}{CLEAR}",),
        publishers=("Valve\x07",),
        description=f"Line one\r\nLine two{RETITLE}",
        cover_url=f"https://cdn.example/570.jpg{CLEAR}",
        url="https://store.example/app/570\x1b",
    )

    assert metadata.developers == ("Valve",)
    assert metadata.description == "Line one\nLine two"
    texts = [
        metadata.provider_id,
        metadata.title,
        *metadata.genres,
        *metadata.developers,
        *metadata.publishers,
        metadata.description,
        metadata.cover_url or "",
        metadata.url or "",
    ]
    assert not [text for text in texts if has_controls(text)]


def test_a_candidate_and_a_score_label_hold_no_control_character() -> None:
    candidate = Candidate("steam", "570", f"Dota 2{RETITLE}")
    score = ScoreSnapshot(datetime(2026, 1, 1, tzinfo=UTC), label=f"Very Positive{CLEAR}")

    assert (candidate.title, score.label) == ("Dota 2", "Very Positive")
