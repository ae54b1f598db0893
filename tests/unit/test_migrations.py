"""The Alembic migrations build exactly the schema the models describe, on both backends."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from bot import models_registry  # noqa: F401
from bot.db import Base
from bot.directory.fulltext import FTS_TABLE, POSTGRESQL_ONLY
from bot.migrate import upgrade


def _ours(name, type_, _parent_names) -> bool:
    """SQLite's FTS5 virtual table (and its shadow tables) is not a SQLAlchemy table, nor is
    PostgreSQL's stored search document a model column."""
    if (type_, name) in POSTGRESQL_ONLY and _parent_names.get("table_name") == "service_search":
        return False
    return not (type_ == "table" and name.startswith(FTS_TABLE))


def _diff(url: str) -> list:
    engine = create_engine(url)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": _ours})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    return diff


def test_migrations_match_models_on_sqlite(tmp_path):
    url = f"sqlite:///{tmp_path / 'migrated.db'}"
    upgrade(url)
    assert _diff(url) == []


def test_migrations_match_models_on_postgresql(empty_pg_database):
    upgrade(empty_pg_database)
    assert _diff(empty_pg_database) == []
    inspector = inspect(create_engine(empty_pg_database))
    assert "families" in inspector.get_table_names()
    assert "document" in {c["name"] for c in inspector.get_columns("service_search")}
