"""Re-encrypt every sensitive column under the current key and recompute keyed hashes.

Rotation: set ONESTORY_SECRET_KEY="NEW,OLD", run `python -m bot.records.rotate_keys`, then set
ONESTORY_SECRET_KEY="NEW". Safe to re-run; works table by table in batches, one transaction each.
The same run re-encrypts Rasa's stored conversation events (bot/records/tracker_events.py) in the
tracker store at ONESTORY_TRACKER_DB_URL (development: var/rasa_tracker.db).
"""
from __future__ import annotations

import sys

from sqlalchemy import select

from bot import (
    crypto,
    models_registry,  # noqa: F401
)
from bot.db import Base, session_scope
from bot.records import tracker_events

# Each hash column and the encrypted column holding the plaintext it is a hash of.
REHASH = {
    ("people", "phone_hash"): ("phone_enc", "phone"),
    ("facts", "key_hash"): ("key_enc", "fact-key"),
    ("outbox", "to_hash"): ("to_enc", "phone"),
    ("sms_opt_outs", "phone_hash"): ("phone_enc", "phone"),
}


def encrypted_columns() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for table in Base.metadata.sorted_tables:
        names = [c.name for c in table.columns if c.name.endswith("_enc")]
        if names:
            found[table.name] = names
    return found


def rotate(batch: int = 500) -> dict[str, int]:
    counts: dict[str, int] = {}
    tables = {t.name: t for t in Base.metadata.sorted_tables}
    for name, columns in encrypted_columns().items():
        table = tables[name]
        key_cols = list(table.primary_key.columns)
        hashes = {h: src for (t, h), src in REHASH.items() if t == name}
        done = 0
        with session_scope() as session:
            rows = session.execute(select(*key_cols, *[table.c[c] for c in columns])).all()
        for start in range(0, len(rows), batch):
            with session_scope() as session:
                for row in rows[start:start + batch]:
                    values = {}
                    for column in columns:
                        token = getattr(row, column)
                        if token:
                            values[column] = crypto.rotate_token(token)
                    for hash_column, (source, purpose) in hashes.items():
                        token = getattr(row, source)
                        if token:
                            values[hash_column] = crypto.keyed_hash(crypto.decrypt(token), purpose)
                    if values:
                        where = [col == getattr(row, col.name) for col in key_cols]
                        session.execute(table.update().where(*where).values(**values))
                        done += 1
        counts[name] = done
    return counts


def main(tracker_url: str | None = None) -> int:
    for table, count in rotate().items():
        print(f"{table}: {count} rows re-encrypted")
    print(f"rasa tracker events: {tracker_events.rotate(tracker_url)} rows re-encrypted")
    return 0


if __name__ == "__main__":
    sys.exit(main())
