"""Retention for Rasa's own store: delete conversation events older than a configurable age.

Rasa's SQL tracker store keeps every event of every conversation (table "events", with a float
epoch `timestamp`). What a carer said lives on there long after it has been written into the care
record, so old events are deleted: after ONESTORY_TRACKER_RETENTION_DAYS (default 90) days. The
care record (OneStory's own tables, in DATABASE_URL) is never touched. The same run deletes
web-chat code rows past use (bot.records.web_links), which are only needed for rate limits.

  python -m bot.records.retention [--days N]     run once (the worker runs it daily)

The tracker store is found at ONESTORY_TRACKER_DB_URL (a SQLAlchemy URL; production points it at
the PostgreSQL tracker store of deploy/endpoints.production.yml), else the development file
sqlite:///$RASA_TRACKER_DB (var/rasa_tracker.db). Its event data is encrypted
(bot/records/tracker_events.py); retention needs only the plaintext timestamps.
"""
from __future__ import annotations

import argparse
import logging
import os
import time
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import create_engine, inspect, text

from bot.db import DatabaseUnavailable, session_scope
from bot.records import web_links
from bot.records.tracker_events import tracker_db_url

log = logging.getLogger(__name__)

DEFAULT_DAYS = 90
BATCH = 5000  # rows per delete, so a large first run never holds the store's lock for long


@dataclass(frozen=True)
class Outcome:
    events_deleted: int
    codes_deleted: int


def retention_days() -> int:
    raw = os.environ.get("ONESTORY_TRACKER_RETENTION_DAYS", "")
    try:
        days = int(raw) if raw.strip() else DEFAULT_DAYS
    except ValueError:
        log.warning("ONESTORY_TRACKER_RETENTION_DAYS=%r is not a whole number; using %d", raw, DEFAULT_DAYS)
        days = DEFAULT_DAYS
    return max(days, 1)


def delete_old_events(url: str, days: int, now: Optional[float] = None) -> int:
    """Delete tracker events older than `days`. Returns how many were deleted."""
    cutoff = (now if now is not None else time.time()) - days * 86400
    engine = create_engine(url, future=True)
    deleted = 0
    try:
        if "events" not in inspect(engine).get_table_names():
            return 0  # Rasa has not written anything yet
        statement = text("DELETE FROM events WHERE id IN "
                         "(SELECT id FROM events WHERE timestamp < :cutoff LIMIT :batch)")
        while True:
            with engine.begin() as connection:
                count = connection.execute(statement, {"cutoff": cutoff, "batch": BATCH}).rowcount or 0
            deleted += count
            if count < BATCH:
                return deleted
    finally:
        engine.dispose()


def run(days: Optional[int] = None, url: Optional[str] = None) -> Outcome:
    days = days or retention_days()
    events = delete_old_events(url or tracker_db_url(), days)
    codes = 0
    try:
        with session_scope() as session:
            codes = web_links.purge_codes(session)
    except DatabaseUnavailable:
        log.warning("records database unavailable: web codes not purged this time")
    log.info("retention: deleted %d tracker events older than %d days and %d used web codes",
             events, days, codes)
    return Outcome(events, codes)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bot.records.retention", description=__doc__.split("\n")[0])
    parser.add_argument("--days", type=int, default=None,
                        help="days of events to keep (default: ONESTORY_TRACKER_RETENTION_DAYS, else 90)")
    parser.add_argument("--url", default=None, help="tracker store SQLAlchemy URL (default ONESTORY_TRACKER_DB_URL)")
    args = parser.parse_args()
    if args.days is not None and args.days < 1:
        parser.error("--days must be at least 1")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s retention %(levelname)s %(message)s")
    outcome = run(args.days, args.url)
    print(f"deleted {outcome.events_deleted} tracker events and {outcome.codes_deleted} web codes")


if __name__ == "__main__":
    main()
