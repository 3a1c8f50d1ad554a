"""The change history's kinds and the diff every event keeps."""

import pytest

from questrya.common.events import EventKind, changed_fields


@pytest.mark.parametrize("kind", [kind for kind in EventKind if kind.undoable])
def test_every_undoable_kind_has_an_undo_stored_as_undo_and_its_name(kind: EventKind) -> None:
    undo = kind.undo()

    assert undo.value == f"undo {kind.value}"  # what earlier releases stored
    assert not undo.undoable


@pytest.mark.parametrize("kind", [EventKind.METADATA, EventKind.UNDO_EDIT])
def test_what_the_worker_did_and_undos_are_not_undoable(kind: EventKind) -> None:
    assert not kind.undoable
    with pytest.raises(ValueError, match="cannot be undone"):
        kind.undo()


def test_every_kind_a_player_makes_is_undoable() -> None:
    undoable = {kind.value for kind in EventKind if kind.undoable}
    assert undoable == {
        "add",
        "edit",
        "start",
        "hold",
        "complete",
        "abandon",
        "rate",
        "remove",
        "log",
        "import",
    }


def test_changed_fields_keeps_only_what_changed_and_a_field_that_appeared() -> None:
    before = {"status": "playing", "rating": None, "tags": ["a"]}
    after = {"status": "completed", "rating": None, "tags": ["a"], "metadata": "steam:570"}

    assert changed_fields(before, after) == (
        {"status": "playing", "metadata": None},
        {"status": "completed", "metadata": "steam:570"},
    )
    assert changed_fields(after, after) == ({}, {})
