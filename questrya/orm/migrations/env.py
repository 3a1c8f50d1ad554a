"""Alembic environment: always runs on the connection that `questrya.orm.migrate` hands it,
inside the transaction that connection already began (BEGIN IMMEDIATE on SQLite)."""

from alembic import context

from questrya.orm.models import Base

context.configure(
    connection=context.config.attributes["connection"],
    target_metadata=Base.metadata,
    render_as_batch=True,
    transactional_ddl=True,
)
with context.begin_transaction():
    context.run_migrations()
