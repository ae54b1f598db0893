"""Rasa's stored conversation events, encrypted at rest with the record's keys.

Rasa's SQL tracker store keeps every event of every conversation in one table, "events", with
the event as JSON in its `data` column: what carers wrote, the bot's replies (conditions,
medicines, names, postcodes), entities, slots and channel metadata. OneStory's tracker store
(bot/channels/tracker_store.py) stores that column through `EncryptedEventData`, a Fernet token
under ONESTORY_SECRET_KEY (MultiFernet, as bot/crypto.py), so the table holds no plaintext. The
other columns (sender id pseudonym, event type, timestamp, intent and action names) stay readable
because Rasa queries them.

`rotate()` re-encrypts every row under the current key (bot.records.rotate_keys calls it), and
encrypts rows a plain SQL tracker store wrote before this one was configured.

No Rasa imports: the key rotation and retention jobs use this without loading Rasa.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import Text, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.types import TypeDecorator

from bot import crypto
from bot.settings import VAR_DIR

log = logging.getLogger(__name__)

BATCH = 500


def is_plaintext(stored: str) -> bool:
    """An event Rasa's own SQL store wrote (JSON) rather than one of our Fernet tokens."""
    return stored.lstrip().startswith("{")


def seal(data: str) -> str:
    return crypto.encrypt(data)


def unseal(stored: str) -> str:
    """The event's JSON. Rows written before encryption was configured are read as they are."""
    return stored if is_plaintext(stored) else crypto.decrypt(stored)


class EncryptedEventData(TypeDecorator):
    """A Text column holding event JSON as a Fernet token; reads return the JSON."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Optional[str], dialect: Any) -> Optional[str]:
        return seal(value) if value is not None else None

    def process_result_value(self, value: Optional[str], dialect: Any) -> Optional[str]:
        return unseal(value) if value is not None else None


def tracker_db_url() -> str:
    """The tracker store's SQLAlchemy URL: ONESTORY_TRACKER_DB_URL (production: the PostgreSQL
    store of deploy/endpoints.production.yml), else the development file sqlite:///$RASA_TRACKER_DB."""
    url = os.environ.get("ONESTORY_TRACKER_DB_URL")
    if url:
        return "postgresql://" + url[len("postgres://"):] if url.startswith("postgres://") else url
    path = os.environ.get("RASA_TRACKER_DB") or str(VAR_DIR / "rasa_tracker.db")
    return f"sqlite:///{path}"


def _missing_sqlite_file(url: str) -> bool:
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and bool(parsed.database) and not Path(parsed.database).exists()


def rotate(url: Optional[str] = None, batch: int = BATCH) -> int:
    """Re-encrypt every stored event under the current key; returns how many rows were written."""
    url = url or tracker_db_url()
    if _missing_sqlite_file(url):
        return 0  # no conversation yet; do not create the file
    engine = create_engine(url, future=True)
    done, last_id = 0, -1
    try:
        if "events" not in inspect(engine).get_table_names():
            return 0
        select_batch = text("SELECT id, data FROM events WHERE id > :last AND data IS NOT NULL "
                            "ORDER BY id LIMIT :batch")
        update_row = text("UPDATE events SET data = :data WHERE id = :id")
        while True:
            with engine.begin() as connection:
                rows = connection.execute(select_batch, {"last": last_id, "batch": batch}).all()
                for row_id, stored in rows:
                    fresh = seal(stored) if is_plaintext(stored) else crypto.rotate_token(stored)
                    connection.execute(update_row, {"data": fresh, "id": row_id})
            done += len(rows)
            if len(rows) < batch:
                return done
            last_id = rows[-1][0]
    finally:
        engine.dispose()
