"""What the worker applied, as the player then sees it through `questrya games …`: removal and
undo keep the metadata and scores, and the release date shown keeps the player's own dates.

The worker's side runs as the worker's task does (the real metadata service on the same
database file), with a scripted provider in place of the network.
"""

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from questrya.common.value_objects import GameMetadata, ScoreSnapshot
from questrya.metadata.domain import (
    Candidate,
    CandidateKind,
    FetchPolicy,
    PermanentProviderError,
    TemporaryProviderError,
)
from questrya.metadata.repository import SqlMetadataUnitOfWork
from questrya.metadata.service import MetadataService
from questrya.orm.database import open_engine
from tests.conftest import Questrya, database_url
from tests.unit.fakes import NOW, FixedClock
from tests.unit.metadata_fakes import RecordingFetchQueue, ScriptedProvider

EARLY_ACCESS = date(2020, 9, 17)


class Worker:
    """The worker's metadata service on the `questrya` fixture's database, answering from a
    scripted provider: ``known`` lists a game, ``score`` sets what its reviews say now."""

    def __init__(self, home: Path) -> None:
        self.clock = FixedClock(NOW)
        self.provider = ScriptedProvider()
        self._engine = open_engine(database_url(home))
        self.service = MetadataService(
            SqlMetadataUnitOfWork(self._engine),
            self.provider,
            self.clock,
            RecordingFetchQueue(),
            FetchPolicy(),
        )

    def known(self, title: str, provider_id: str, released: date) -> None:
        self.provider.results[title] = [Candidate("steam", provider_id, title)]
        self.provider.games[provider_id] = GameMetadata(
            "steam", provider_id, title, release_date=released, genres=("Action",)
        )

    def score(self, provider_id: str, user_score: float) -> None:
        self.provider.score_answers[provider_id] = ScoreSnapshot(
            fetched_at=self.clock.now(), user_score=user_score, user_votes=1000, label="Positive"
        )

    def fetch(self, game_id: int) -> str:
        return self.service.fetch(game_id).outcome

    def close(self) -> None:
        self._engine.dispose()


@pytest.fixture
def worker(home: Path, questrya: Questrya) -> Iterator[Worker]:
    assert questrya("users", "list").exit_code == 0  # the first command creates the database
    running = Worker(home)
    yield running
    running.close()


def added(questrya: Questrya, title: str, *options: str) -> int:
    """Adds a game whose metadata is to be fetched, and returns its id."""
    outcome = questrya("games", "add", title, "--platform", "pc", "--json", *options)
    assert outcome.exit_code == 0, outcome.stderr
    game_id: int = outcome.json()["id"]
    return game_id


def shown(questrya: Questrya, ref: str | int) -> dict[str, Any]:
    outcome = questrya("games", "show", str(ref), "--json")
    assert outcome.exit_code == 0, outcome.stderr
    game: dict[str, Any] = outcome.json()
    return game


def listed(questrya: Questrya, *words: str) -> list[str]:
    outcome = questrya("games", "list", "--json", *words)
    assert outcome.exit_code == 0, outcome.stderr
    return [game["title"] for game in outcome.json()]


# --- remove, then undo ---------------------------------------------------------------------


def test_undoing_a_remove_brings_back_the_metadata_the_scores_and_their_trend(
    questrya: Questrya, worker: Worker
) -> None:
    dota = added(questrya, "Dota 2", "--tag", "moba")
    worker.known("Dota 2", "570", date(2013, 7, 9))
    worker.score("570", 80)
    assert worker.fetch(dota) == "fetched"
    worker.clock.advance(timedelta(days=1))
    worker.score("570", 82)
    assert worker.service.refresh_scores([dota]) == 1
    before = shown(questrya, dota)
    assert (before["metadata_status"], before["score"]["user_score"]) == ("fetched", 82)

    assert questrya("games", "remove", "dota", "--yes").exit_code == 0
    assert questrya("games", "show", str(dota)).exit_code == 3
    undo = questrya("undo")

    assert undo.exit_code == 0, undo.stderr
    assert shown(questrya, dota) == before  # the metadata, the latest score, the status
    trend = questrya("games", "show", "dota").stdout
    assert "80% (2024-06-15) → 82% (2024-06-16)" in trend  # and the score history


def test_a_removed_game_is_neither_fetched_nor_counted(questrya: Questrya, worker: Worker) -> None:
    kept, removed = added(questrya, "Celeste"), added(questrya, "Hades")
    assert questrya("games", "remove", "hades", "--yes").exit_code == 0

    assert worker.service.sweep() == [kept]
    assert worker.fetch(removed) == "skipped"
    assert worker.provider.calls == []
    assert questrya("queue", "--json").json()["games"]["pending"] == 1
    assert [profile["games"] for profile in questrya("users", "list", "--json").json()] == [1]
    history = questrya("games", "history", str(removed), "--json").json()
    assert [event["kind"] for event in history] == ["add", "remove"]  # still there, by id


def test_a_removed_game_does_not_stop_the_player_adding_it_again(
    questrya: Questrya, worker: Worker
) -> None:
    first = added(questrya, "Celeste")
    assert questrya("games", "remove", "celeste", "--yes").exit_code == 0
    second = added(questrya, "Celeste")  # the removed row is no duplicate
    assert questrya("undo").exit_code == 0  # takes back the second add

    undo = questrya("undo")

    assert undo.exit_code == 0, undo.stderr
    assert shown(questrya, "celeste")["id"] == first
    assert questrya("games", "show", str(second)).exit_code == 3


# --- the release date the player sees ------------------------------------------------------


def test_a_release_date_after_the_player_finished_the_game_is_not_shown(
    questrya: Questrya, worker: Worker
) -> None:
    hades = added(questrya, "Hades")
    assert questrya("games", "complete", "hades", "--date", "2019-05-01").exit_code == 0
    worker.known("Hades", "1145360", EARLY_ACCESS)

    assert worker.fetch(hades) == "fetched"

    game = shown(questrya, hades)
    assert (game["release_date"], game["metadata"]["release_date"]) == (None, "2020-09-17")
    assert "2020" not in questrya("games", "show", "hades").stdout
    assert listed(questrya, "released:2020") == []
    # the player may still give the date they know
    assert questrya("games", "edit", "hades", "--release-date", "2018-12-06").exit_code == 0
    assert shown(questrya, hades)["release_date"] == "2018-12-06"


def test_the_metadatas_release_date_never_blocks_the_players_dates(
    questrya: Questrya, worker: Worker
) -> None:
    hades = added(questrya, "Hades", "--started", "2021-01-01")
    worker.known("Hades", "1145360", EARLY_ACCESS)
    assert worker.fetch(hades) == "fetched"
    assert shown(questrya, hades)["release_date"] == "2020-09-17"

    for args in (
        ("games", "hold", "hades"),
        ("games", "start", "hades", "--date", "2019-04-01"),
        ("games", "complete", "hades", "--date", "2019-05-01"),
        ("games", "edit", "hades", "--started", "2019-03-01", "--completed", "2019-04-01"),
    ):
        outcome = questrya(*args)
        assert outcome.exit_code == 0, (args, outcome.stderr)

    game = shown(questrya, hades)
    assert (game["started_date"], game["completion_date"]) == ("2019-03-01", "2019-04-01")
    assert (game["release_date"], game["metadata"]["release_date"]) == (None, "2020-09-17")


def test_queries_and_sorting_use_the_release_date_the_player_sees(
    questrya: Questrya, worker: Worker
) -> None:
    ids = {title: added(questrya, title) for title in ("Celeste", "Hades", "Tunic", "Inside")}
    questrya("games", "complete", "hades", "--date", "2019-05-01")
    questrya("games", "edit", "inside", "--release-date", "2016-06-29")
    worker.known("Celeste", "504230", date(2018, 1, 25))
    worker.known("Hades", "1145360", EARLY_ACCESS)
    worker.known("Inside", "304430", date(2016, 7, 7))
    for title in ("Celeste", "Hades", "Inside"):
        assert worker.fetch(ids[title]) == "fetched"

    assert listed(questrya, "released:2016..2018") == ["Celeste", "Inside"]
    assert listed(questrya, "released:2016-07") == []  # Inside's own date wins
    assert listed(questrya, "-released:..2030") == ["Tunic", "Hades"]  # by status
    assert listed(questrya, "--sort", "release_date") == ["Inside", "Celeste", "Hades", "Tunic"]
    assert listed(questrya, "--sort", "release_date-") == ["Celeste", "Inside", "Hades", "Tunic"]


# --- what `games show` says to do next ----------------------------------------------------


def next_steps(questrya: Questrya, ref: int) -> str:
    """The guidance `games show` gives under the metadata status, as one line."""
    outcome = questrya("games", "show", str(ref))
    assert outcome.exit_code == 0, outcome.stderr
    lines = outcome.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("next "))
    steps = [lines[start][len("next") :]]
    steps += [line for line in lines[start + 1 :] if line.startswith(" ")]
    return " ".join(" ".join(steps).split())


def test_an_ambiguous_game_says_how_many_candidates_and_how_to_choose(
    questrya: Questrya, worker: Worker
) -> None:
    game = added(questrya, "Fallout 3 Broken Steel")
    worker.provider.results["Fallout 3 Broken Steel"] = [
        Candidate("steam", "22410", "Fallout 3 - Broken Steel"),
        Candidate("steam", "22300", "Fallout 3"),
    ]
    worker.provider.games["22410"] = CandidateKind.DLC
    assert worker.fetch(game) == "ambiguous"

    steps = next_steps(questrya, game)

    assert "2 candidates kept" in steps
    assert f"questrya games match {game}" in steps
    assert "--pick N" in steps
    assert all(len(line) <= 60 for line in questrya("games", "show", str(game)).stdout.splitlines())
    assert shown(questrya, game)["metadata_candidates"] == 2


def test_a_game_not_found_says_to_give_its_id_or_fix_the_title(
    questrya: Questrya, worker: Worker
) -> None:
    game = added(questrya, "Nothing Like It")
    assert worker.fetch(game) == "not_found"

    steps = next_steps(questrya, game)

    assert f"questrya games match {game} --id steam:ID" in steps
    assert f"questrya games edit {game} --title" in steps
    assert f"questrya games refresh {game}" in steps
    shown_text = questrya("games", "show", str(game)).stdout
    assert all(len(line) <= 60 for line in shown_text.splitlines())


def test_a_failed_game_gives_its_reason_and_how_to_try_again(
    questrya: Questrya, worker: Worker
) -> None:
    game = added(questrya, "Dota 2")
    worker.provider.results["Dota 2"] = PermanentProviderError("HTTP 401 from api")
    assert worker.fetch(game) == "failed"

    shown_text = questrya("games", "show", str(game)).stdout

    assert "HTTP 401 from api" in shown_text
    assert f"questrya games refresh {game}" in next_steps(questrya, game)


def test_a_pending_game_waits_for_a_worker_and_says_when_its_retry_is_due(
    questrya: Questrya, worker: Worker
) -> None:
    game = added(questrya, "Dota 2")
    assert "questrya worker" in next_steps(questrya, game)
    assert "attempt" not in next_steps(questrya, game)

    worker.provider.results["Dota 2"] = TemporaryProviderError("HTTP 503 from store")
    assert worker.fetch(game) == "retry"

    due = NOW + FetchPolicy().retry_delay
    steps = next_steps(questrya, game)
    assert f"attempt 2 is due {due.astimezone():%Y-%m-%d %H:%M %z}" in steps
    assert "questrya worker" in steps
    assert "HTTP 503 from store" in questrya("games", "show", str(game)).stdout
    game_json = shown(questrya, game)
    assert (game_json["metadata_attempts"], game_json["metadata_retry_at"]) == (
        1,
        due.isoformat().replace("+00:00", "Z"),
    )


def test_a_fetched_game_needs_no_next_step(questrya: Questrya, worker: Worker) -> None:
    game = added(questrya, "Dota 2")
    worker.known("Dota 2", "570", date(2013, 7, 9))
    assert worker.fetch(game) == "fetched"

    outcome = questrya("games", "show", str(game))

    assert "next " not in outcome.stdout
    assert shown(questrya, game)["metadata_retry_at"] is None
