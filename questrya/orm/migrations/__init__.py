"""Alembic migrations, shipped inside the package and applied on start."""

# The newest revision in versions/; checked against the scripts by the test suite. Comparing
# the database with it lets a command skip loading Alembic when nothing needs migrating.
HEAD_REVISION = "0011"
