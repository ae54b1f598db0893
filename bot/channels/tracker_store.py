"""OneStory's tracker store: Rasa's SQL tracker store with the event data encrypted at rest.

Configured in endpoints.yml (and deploy/endpoints.production.yml) as

  tracker_store:
    type: bot.channels.tracker_store.EncryptedSQLTrackerStore
    dialect: "sqlite"            # or "postgresql", with url/port/db/username/password as for `type: SQL`

Everything is Rasa's SQLTrackerStore (same table, same queries, SQLite and PostgreSQL) except the
`data` column of "events", which goes through bot.records.tracker_events.EncryptedEventData:
a Fernet token under ONESTORY_SECRET_KEY, rotated by `python -m bot.records.rotate_keys`.

Every `rasa run` builds its tracker store once, before it serves anything, with the development
and the production endpoints files alike: so this is where Rasa, started directly (supervisord,
a container) rather than by `make run`'s launcher, refuses development secrets at a public
address (bot.settings.refuse_development_defaults), as the launcher does.

Rasa falls back to an in-memory store, with only a warning, when a custom store cannot be
imported; tests/e2e/test_privacy_e2e.py checks that conversations really land in this table.
"""
from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, _create_sequence
from sqlalchemy.orm import declarative_base

from bot.channels import rasa_fast_paths
from bot.records.tracker_events import EncryptedEventData
from bot.settings import refuse_development_defaults

rasa_fast_paths.install()  # Rasa loads this module: see bot/channels/rasa_fast_paths.py


class EncryptedSQLTrackerStore(SQLTrackerStore):
    """Rasa's SQLTrackerStore whose events' JSON is stored encrypted."""

    Base = declarative_base()

    class SQLEvent(Base):
        """Rasa's events table, column for column; only `data` is encrypted."""

        __tablename__ = "events"

        id = sa.Column(sa.Integer, _create_sequence(__tablename__), primary_key=True)
        sender_id = sa.Column(sa.String(255), nullable=False, index=True)
        type_name = sa.Column(sa.String(255), nullable=False)
        timestamp = sa.Column(sa.Float)
        intent_name = sa.Column(sa.String(255))
        action_name = sa.Column(sa.String(255))
        data = sa.Column(EncryptedEventData)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        refuse_development_defaults()  # before any connection: a public address needs real secrets
        super().__init__(*args, **kwargs)
