"""Alembic environment: one migration history for records, channels, directory and handoff."""
from __future__ import annotations

from alembic import context

from bot import models_registry  # noqa: F401  (imports every model so metadata is complete)
from bot.db import Base, make_engine
from bot.settings import database_url

target_metadata = Base.metadata


def run_migrations_offline() -> None:
    context.configure(url=context.config.get_main_option("sqlalchemy.url") or database_url(),
                      target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(context.config.get_main_option("sqlalchemy.url") or database_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


def _include_name(name, type_, _parent_names) -> bool:
    # SQLite's FTS5 virtual table for directory search (and its shadow tables) is made by hand.
    return not (type_ == "table" and name and name.startswith("service_search_fts"))


def _run(connection) -> None:
    # render_as_batch lets ALTER-style migrations work on SQLite too.
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                      compare_type=True, include_name=_include_name)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
