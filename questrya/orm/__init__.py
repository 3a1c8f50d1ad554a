"""Persistence: thin SQLAlchemy models, the engine, migrations and the Unit of Work base."""
