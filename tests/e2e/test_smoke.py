from tests.conftest import Questrya


def test_add_then_show_as_json(questrya: Questrya) -> None:
    added = questrya("games", "add", "Hollow Knight", "--platform", "pc", "--no-fetch", "--json")
    assert added.exit_code == 0, added.stderr
    game = added.json()
    assert (game["platform"], game["status"]) == ("PC", "not_started")
    shown = questrya("games", "show", str(game["id"]), "--json")
    assert shown.json()["title"] == "Hollow Knight"
