"""Matching search results to the title a player typed (PRODUCT §7, "Matching")."""

import pytest

from questrya.metadata.domain import Candidate, CandidateKind
from questrya.metadata.matching import Decision, match, normalise, similarity


def game(title: str, provider_id: str = "1", kind: CandidateKind = CandidateKind.GAME) -> Candidate:
    return Candidate("steam", provider_id, title, kind)


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("Dark Souls III", "DARK SOULS™ III"),
        ("dark souls 3", "Dark Souls III"),
        ("Pokemon Legends Arceus", "Pokémon Legends: Arceus"),
        ("Skyrim", "Skyrim Special Edition"),
        ("Grand Theft Auto V", "Grand Theft Auto 5"),
        ("Counter-Strike 2", "Counter Strike 2"),
        ("Ori & the Blind Forest", "Ori and the Blind Forest"),
    ],
)
def test_the_same_title_written_differently_is_the_same(typed: str, listed: str) -> None:
    assert normalise(typed) == normalise(listed)
    assert similarity(typed, listed) == 1.0


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("Horizon", "Horizon Zero Dawn"),
        ("Final Fantasy VII", "Final Fantasy VIII"),
        ("Dota 2", "Dota"),
        ("The Witcher 3", "The Witcher 3: Wild Hunt"),
    ],
)
def test_part_of_a_title_or_another_number_is_no_match(typed: str, listed: str) -> None:
    assert match(typed, [game(listed)]).decision is Decision.AMBIGUOUS


def test_the_clear_best_game_is_applied() -> None:
    found = match("Dota 2", [game("Dota Underlords", "2"), game("Dota 2", "570")])
    assert found.decision is Decision.APPLIED
    assert found.chosen == game("Dota 2", "570")
    assert [r.candidate.provider_id for r in found.ranked] == ["570", "2"]


def test_two_near_equal_games_are_ambiguous() -> None:
    found = match("Doom", [game("DOOM", "1"), game("Doom", "2")])
    assert found.decision is Decision.AMBIGUOUS
    assert found.chosen is None
    assert len(found.ranked) == 2


@pytest.mark.parametrize("kind", [CandidateKind.DLC, CandidateKind.SOUNDTRACK, CandidateKind.DEMO])
def test_what_is_not_a_game_is_never_applied_even_with_the_same_title(kind: CandidateKind) -> None:
    found = match("Soulcalibur VI", [game("SOULCALIBUR VI", kind=kind)])
    assert found.decision is Decision.AMBIGUOUS


def test_a_game_ranks_before_a_closer_dlc() -> None:
    found = match(
        "Soulcalibur VI",
        [game("SOULCALIBUR VI", "1", CandidateKind.DLC), game("Soulcalibur VI", "2")],
    )
    assert found.decision is Decision.APPLIED
    assert found.chosen is not None and found.chosen.provider_id == "2"


def test_no_candidate_is_not_found() -> None:
    assert match("Anything", []).decision is Decision.NOT_FOUND
