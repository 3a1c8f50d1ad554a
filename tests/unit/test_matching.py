"""Matching search results to the title a player typed (PRODUCT §7, "Matching")."""

import pytest

from questrya.common.value_objects import GameMetadata
from questrya.metadata import matching
from questrya.metadata.domain import Candidate, CandidateKind
from questrya.metadata.matching import Decision, Match, decide, match, normalise, similarity


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


# --- sequel numbers, exact titles and editions, as Steam and IGDB name games ---------------


def ids(found: Match) -> list[str]:
    return [r.candidate.provider_id for r in found.ranked]


def test_a_candidate_with_another_sequel_number_ranks_below_one_with_the_same_number() -> None:
    found = match(
        "The Witcher 2",
        [
            game("The Witcher® 3: Wild Hunt", "292030"),
            game("The Witcher 2: Assassins of Kings Enhanced Edition", "20920"),
        ],
    )

    assert ids(found) == ["20920", "292030"]  # so `games match --pick 1` picks the second game


@pytest.mark.parametrize(
    ("typed", "exact", "edition"),
    [
        ("Fallout 3", "Fallout 3", "Fallout 3: Game of the Year Edition"),
        ("Alan Wake", "Alan Wake", "Alan Wake - Dark Edition"),
        ("Dishonored", "Dishonored", "Dishonored - Definitive Edition"),
        ("Crysis", "Crysis", "Crysis Remastered"),
        # IGDB's answer for the title, word for word (igdb_games_search_witcher2_live.json)
        (
            "The Witcher 2: Assassins of Kings",
            "The Witcher 2: Assassins of Kings",
            "The Witcher 2: Assassins of Kings - Dark Edition",
        ),
    ],
)
def test_the_exact_title_beats_its_own_editions(typed: str, exact: str, edition: str) -> None:
    found = match(typed, [game(edition, "2"), game(exact, "1")])

    assert found.decision is Decision.APPLIED
    assert ids(found) == ["1", "2"]


def test_the_exact_title_beats_editions_and_near_titles_listed_before_it() -> None:
    found = match(
        "Alan Wake",
        [
            game("Alan Wake Remastered", "3"),
            game("Alan Wake's American Nightmare", "4"),
            game("Alan Wake - Dark Edition", "2"),
            game("ALAN WAKE™", "1"),
        ],
    )

    assert found.decision is Decision.APPLIED
    assert ids(found)[0] == "1"


def test_an_exact_title_that_is_no_game_never_wins() -> None:
    found = match(
        "Alan Wake", [game("Alan Wake", "9", CandidateKind.SOUNDTRACK), game("Alan Wake 2", "5")]
    )

    assert found.decision is Decision.AMBIGUOUS


def test_two_exact_titles_beside_an_edition_stay_ambiguous() -> None:
    found = match(
        "Dead Space",
        [
            game("Dead Space (2008)", "1"),
            game("Dead Space Deluxe Edition", "3"),
            game("Dead Space", "2"),
        ],
    )

    assert found.decision is Decision.AMBIGUOUS
    assert sorted(ids(found)[:2]) == ["1", "2"]


def test_two_exact_titles_stay_ambiguous() -> None:
    # The remake and the original, told apart by Steam's bracketed year alone.
    found = match(
        "Resident Evil 4", [game("Resident Evil 4", "2050650"), game("Resident Evil 4 (2005)", "1")]
    )

    assert found.decision is Decision.AMBIGUOUS


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("Call of Duty 4: Modern Warfare", "Call of Duty® 4: Modern Warfare® (2007)"),
        ("FEAR", "F.E.A.R."),
        ("Fear 2 Project Origin", "F.E.A.R. 2: Project Origin"),
        ("STALKER Shadow of Chernobyl", "S.T.A.L.K.E.R.: Shadow of Chernobyl"),
        ("Witcher 3 Wild Hunt", "The Witcher® 3: Wild Hunt"),
        ("Sid Meiers Civilization V", "Sid Meier's Civilization® V"),
        ("Grand Theft Auto 5 Premium Edition", "Grand Theft Auto V: Premium Edition"),
        ("Elder Scrolls 5 Skyrim", "The Elder Scrolls V: Skyrim"),
        ("Persona 5 Royal", "Persona V Royal"),
    ],
)
def test_years_dotted_acronyms_a_leading_the_and_apostrophes_do_not_count(
    typed: str, listed: str
) -> None:
    assert normalise(typed) == normalise(listed)
    assert match(typed, [game(listed)]).decision is Decision.APPLIED


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("Borderlands", "Borderlands Game of the Year Enhanced"),
        ("Plants vs. Zombies", "Plants vs. Zombies GOTY Edition"),
        ("Jagged Alliance 2", "Jagged Alliance 2 Gold"),
        ("Sid Meier's Civilization III", "Sid Meier's Civilization® III Complete"),
        ("Peggle", "Peggle Deluxe"),
        ("Tropico 4", "Tropico 4: Steam Special Edition"),
        ("BioShock", "BioShock™ Remastered"),
        ("Okami", "Okami HD"),
        ("Metro 2033", "Metro 2033 Redux"),
        ("Deus Ex: Human Revolution", "Deus Ex: Human Revolution - Director's Cut"),
        ("Disco Elysium", "Disco Elysium - The Final Cut"),
        ("Mass Effect", "Mass Effect™ Legendary Edition"),
        ("GTA: San Andreas", "GTA: San Andreas \u2013 The Definitive Edition"),  # en dash
        ("Dragon Age: Origins", "Dragon Age: Origins - Ultimate Edition"),
        ("Titan Quest", "Titan Quest Anniversary Edition"),
        ("Far Cry 2", "Far Cry® 2: Fortune's Edition"),
        ("Final Fantasy XV", "FINAL FANTASY XV WINDOWS EDITION"),
    ],
)
def test_a_game_typed_without_its_edition_words_is_applied(typed: str, listed: str) -> None:
    found = match(typed, [game(listed)])

    assert found.decision is Decision.APPLIED
    assert found.ranked[0].similarity == 1.0


@pytest.mark.parametrize(
    ("typed", "listed"),
    [
        ("Tomb Raider", "Tomb Raider: Anniversary"),  # a remake of the first game
        ("Final Fantasy III", "FINAL FANTASY III (3D REMAKE)"),
        ("Fallout", "Fallout: New Vegas Ultimate Edition"),
        ("Shadow Warrior", "Shadow Warrior Classic Redux"),
        ("Halo", "Halo: The Master Chief Collection"),
        ("Deluxe", "Peggle Deluxe"),
        ("Mega Man", "Mega Man X"),
    ],
)
def test_words_that_make_another_game_are_no_edition(typed: str, listed: str) -> None:
    assert match(typed, [game(listed)]).decision is Decision.AMBIGUOUS


def test_i_and_x_are_numerals_only_at_the_end() -> None:
    assert normalise("X-COM: UFO Defense") == "x com ufo defense"
    assert normalise("I Am Bread") == "i am bread"
    assert normalise("Mortal Kombat X") == "mortal kombat 10"
    assert normalise("The Last of Us™ Part I") == "last of us part 1"


# --- deciding on the details' real type ----------------------------------------------------


class Details:
    """A provider's details by id: metadata for a game, the kind of anything else, or None."""

    def __init__(self, answers: dict[str, GameMetadata | CandidateKind | None]) -> None:
        self.answers = answers
        self.asked: list[str] = []

    def __call__(self, provider_id: str) -> GameMetadata | CandidateKind | None:
        self.asked.append(provider_id)
        return self.answers.get(provider_id)


def metadata(provider_id: str, title: str) -> GameMetadata:
    return GameMetadata("steam", provider_id, title)


def test_a_dlc_listed_like_a_game_is_marked_and_never_applied() -> None:
    # The store search says "app" for both; only the details tell the DLC.
    candidates = [game("Fallout 3", "22300"), game("Fallout 3 - Broken Steel", "22410")]
    details = Details({"22410": CandidateKind.DLC, "22300": metadata("22300", "Fallout 3")})

    found = decide("Fallout 3 Broken Steel", candidates, details)

    assert found.decision is Decision.AMBIGUOUS
    assert details.asked == ["22410"]
    assert [(r.candidate.provider_id, r.candidate.kind) for r in found.ranked] == [
        ("22300", CandidateKind.GAME),
        ("22410", CandidateKind.DLC),
    ]


def test_the_next_game_is_applied_once_the_first_choice_is_gone() -> None:
    candidates = [
        game("Fallout 3: Game of the Year Edition", "22370"),
        game("Fallout 3", "22300"),
        game("Fallout 3 - Point Lookout", "22440"),
    ]
    goty = metadata("22370", "Fallout 3: Game of the Year Edition")
    details = Details({"22300": None, "22370": goty, "22440": CandidateKind.DLC})

    found = decide("Fallout 3", candidates, details)

    assert found.decision is Decision.APPLIED
    assert found.metadata == goty
    assert details.asked == ["22300", "22370"]  # no longer sold: dropped, then the edition
    assert [r.candidate.provider_id for r in found.ranked] == ["22370", "22440"]


def test_a_game_checked_is_applied_with_its_details() -> None:
    dota = metadata("570", "Dota 2")

    found = decide("Dota 2", [game("Dota 2", "570")], Details({"570": dota}))

    assert (found.decision, found.chosen, found.metadata) == (
        Decision.APPLIED,
        game("Dota 2", "570"),
        dota,
    )


@pytest.mark.parametrize("checks", [2, 1])
def test_the_details_asked_are_bounded_and_nothing_unchecked_is_applied(
    checks: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(matching, "DETAILS_CHECKS", checks)
    candidates = [game("Portal 2", "620"), game("Portal 2 Gold", "1")]
    gold = metadata("1", "Portal 2 Gold")
    details = Details({"620": CandidateKind.OTHER, "1": gold})

    found = decide("Portal 2", candidates, details)

    assert details.asked == ["620", "1"][:checks]
    assert found.ranked[0].candidate.provider_id == "1"
    if checks == 2:
        assert (found.decision, found.metadata) == (Decision.APPLIED, gold)
    else:  # offered, never applied unchecked
        assert (found.decision, found.metadata) == (Decision.AMBIGUOUS, None)


def test_no_candidate_needs_no_details() -> None:
    details = Details({})

    assert decide("Anything", [], details).decision is Decision.NOT_FOUND
    assert details.asked == []
