"""A database outage: the carer is told kindly, the message is kept, and processed when it's back."""
from __future__ import annotations

from sqlalchemy import func, select

from bot import db as dbmod
from bot.db import session_scope
from bot.handoff import outbox
from bot.records import models as m
from bot.records import spool
from bot.worker import replay_spooled
from tests.actions.helpers import Phone, said

CARER = "+447700900555"


def test_message_during_outage_is_kept_and_processed_later(db, tmp_path, monkeypatch):
    monkeypatch.setenv("ONESTORY_SPOOL_DIR", str(tmp_path / "spool"))
    phone = Phone(CARER)
    phone.say("hi", "greet")
    phone.say("yes", "affirm")

    dbmod.configure("postgresql://postgres@127.0.0.1:1/unreachable")  # nothing listens on port 1
    try:
        replies = phone.say("my mum has COPD and takes salbutamol", "tell_fact")
    finally:
        dbmod.configure(db)
    assert "can't reach" in said(replies) and "kept your message" in said(replies)
    assert len(spool.pending()) == 1
    with session_scope() as session:
        assert session.execute(select(func.count()).select_from(m.Fact)).scalar_one() == 0

    assert spool.replay(replay_spooled) == 1
    assert spool.pending() == []
    with session_scope() as session:
        assert session.execute(select(func.count()).select_from(m.Fact)).scalar_one() == 2
    late = [e for e in outbox.recent_for(CARER) if e.purpose == "late_reply"]
    assert late and "copd" in late[0].body.lower()


def test_urgent_message_during_outage_still_gets_emergency_numbers(db, tmp_path, monkeypatch):
    monkeypatch.setenv("ONESTORY_SPOOL_DIR", str(tmp_path / "spool"))
    dbmod.configure("postgresql://postgres@127.0.0.1:1/unreachable")
    try:
        replies = Phone(CARER).say("my dad has collapsed and isn't breathing", "urgent_risk")
    finally:
        dbmod.configure(db)
    assert "999" in said(replies)
