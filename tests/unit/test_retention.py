"""The retention job deletes old Rasa tracker events, keeps recent ones, and leaves the care record."""
from __future__ import annotations

import subprocess
import sys
import time

from sqlalchemy import create_engine, func, select, text

from bot.db import session_scope
from bot.phone import phone_hash
from bot.records import models as m
from bot.records import retention
from bot.records import service as records
from bot.settings import ROOT

DAY = 86400


def _tracker(path) -> str:
    """A tracker store with Rasa's events table: one old conversation and one recent one."""
    url = f"sqlite:///{path}"
    engine = create_engine(url)
    now = time.time()
    with engine.begin() as connection:
        connection.execute(text(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, sender_id VARCHAR(255) NOT NULL, "
            "type_name VARCHAR(255) NOT NULL, timestamp FLOAT, intent_name VARCHAR(255), "
            "action_name VARCHAR(255), data TEXT)"))
        rows = [("sms-old", "user", now - 120 * DAY), ("sms-old", "bot", now - 91 * DAY),
                ("sms-old", "user", now - 89 * DAY), ("web-new", "user", now - 60),
                ("web-new", "bot", now - 1)]
        for sender, kind, stamp in rows:
            connection.execute(text("INSERT INTO events (sender_id, type_name, timestamp, data) "
                                    "VALUES (:s, :k, :t, '{}')"), {"s": sender, "k": kind, "t": stamp})
    engine.dispose()
    return url


def _stamps(url: str) -> list[float]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = [row[0] for row in connection.execute(text("SELECT timestamp FROM events ORDER BY timestamp"))]
    engine.dispose()
    return found


def test_old_events_are_deleted_new_kept_and_the_record_untouched(db, tmp_path):
    with session_scope() as session:
        carer = records.start_family(session, phone_hash("+447700900501"), "+447700900501", "sms", "test")
        records.add_fact(session, carer.family_id, None, records.Actor("carer", carer.id, "sms"), "condition",
                         "condition:copd", "COPD", {})
    url = _tracker(tmp_path / "tracker.db")
    outcome = retention.run(days=90, url=url)
    assert outcome.events_deleted == 2
    stamps = _stamps(url)
    assert len(stamps) == 3 and min(stamps) > time.time() - 90 * DAY
    with session_scope() as session:
        assert session.execute(select(func.count()).select_from(m.Fact)).scalar_one() == 1
        assert session.execute(select(func.count()).select_from(m.Family)).scalar_one() == 1


def test_age_comes_from_the_environment_and_defaults_to_90_days(monkeypatch):
    monkeypatch.delenv("ONESTORY_TRACKER_RETENTION_DAYS", raising=False)
    assert retention.retention_days() == 90
    monkeypatch.setenv("ONESTORY_TRACKER_RETENTION_DAYS", "30")
    assert retention.retention_days() == 30
    monkeypatch.setenv("ONESTORY_TRACKER_RETENTION_DAYS", "soon")
    assert retention.retention_days() == 90


def test_tracker_url_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("ONESTORY_TRACKER_DB_URL", raising=False)
    monkeypatch.setenv("RASA_TRACKER_DB", str(tmp_path / "t.db"))
    assert retention.tracker_db_url() == f"sqlite:///{tmp_path / 't.db'}"
    monkeypatch.setenv("ONESTORY_TRACKER_DB_URL", "postgres://rasa@db/tracker")
    assert retention.tracker_db_url() == "postgresql://rasa@db/tracker"


def test_a_store_rasa_has_not_created_yet_is_fine(tmp_path):
    assert retention.delete_old_events(f"sqlite:///{tmp_path / 'empty.db'}", 90) == 0


def test_command_line_runs_it_once(db, tmp_path):
    url = _tracker(tmp_path / "tracker.db")
    run = subprocess.run([sys.executable, "-m", "bot.records.retention", "--days", "100"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120,
                         env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "ONESTORY_TRACKER_DB_URL": url,
                              "DATABASE_URL": db, "ONESTORY_SECRET_KEY": "test-secret-key-for-the-test-suite-only"})
    assert run.returncode == 0, run.stderr
    assert "deleted 1 tracker events" in run.stdout
    assert len(_stamps(url)) == 4


def test_the_worker_runs_it_daily():
    from bot import worker

    [(name, every, job)] = [j for j in worker.jobs() if j[0] == "retention"]
    assert every == 86400.0 and job is retention.run
