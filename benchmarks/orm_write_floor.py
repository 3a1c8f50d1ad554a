"""The floor of a write through SQLAlchemy's ORM, the baseline of the write commands.

    python benchmarks/orm_write_floor.py DATABASE_FILE

Imports SQLAlchemy's ORM, maps one three-column table, checks the table is there (creating it
on the first run), inserts one row and commits: what any command that writes through the ORM
pays at least, before it does anything of its own.
"""

import sys
from datetime import UTC, datetime

from sqlalchemy import create_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column


class Base(DeclarativeBase):
    pass


class Entry(Base):
    __tablename__ = "entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str]
    added_at: Mapped[datetime]


def main() -> None:
    engine = create_engine(f"sqlite:///{sys.argv[1]}")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Entry(title="Hollow Knight", added_at=datetime.now(UTC)))
        session.commit()


if __name__ == "__main__":
    main()
