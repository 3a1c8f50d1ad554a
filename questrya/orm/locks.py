"""What SQLite's BEGIN IMMEDIATE gives a writer, on a database server.

On SQLite a writing transaction takes the database's one write lock as it begins, so every
writer reads what the writers before it committed, and none acts on a stale read: the check
that a title is free, the last change `undo` takes back, the claim on a game. PostgreSQL lets
writers run side by side (READ COMMITTED: each statement sees what was committed before it),
so a writing unit of work takes, as its first statement, the locks that keep those reads true:

- a player's command locks its profile's row: the commands of one profile write one after
  the other, as on SQLite, while other profiles and the workers go on;
- the worker's claims, renewals and settles lock the game's row (`SELECT … FOR UPDATE`), and
  so do a player's metadata commands for the games they change (`games refresh`, `match`);
- a change to the profiles themselves (the very first profile, `users add`, `use`, `remove`)
  locks the profiles table against other such changes, not against readers or the games.

Row locks are ``FOR NO KEY UPDATE``: adding a game, an event or a score takes a key-share
lock on the profile's or the game's row (their foreign keys), which it does not block, so no
two writers wait for each other in a circle. On SQLite, SQLAlchemy writes no ``FOR UPDATE``,
and the profile locks are not taken: BEGIN IMMEDIATE holds the one lock already.
"""

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from questrya.orm.models import UserRow


def lock_profile(session: Session, owner_id: int) -> None:
    """Hold the profile's row until the commit: the profile's other commands wait."""
    if _on_server(session):
        profile = select(UserRow.id).where(UserRow.id == owner_id)
        session.execute(profile.with_for_update(key_share=True))


def lock_profiles(session: Session) -> None:
    """Hold the profiles against other changes to them until the commit (readers, and
    commands locking one profile's row, go on)."""
    if _on_server(session):
        session.execute(text("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))


def _on_server(session: Session) -> bool:
    """Whether the database lets writers run side by side: on SQLite, BEGIN IMMEDIATE has
    taken the one write lock already."""
    return session.get_bind().dialect.name != "sqlite"
