"""Counting the services the bot offers: race-free, and never at the cost of a carer's turn."""
from __future__ import annotations

import logging
import threading

import pytest
from sqlalchemy import select, text

from bot.db import session_scope
from bot.directory import usage
from bot.directory.history import ServiceUsage
from bot.records import models as m

THREADS, ANSWERS_EACH = 8, 5


def _counts() -> dict[str, int]:
    with session_scope() as session:
        return dict(session.execute(select(ServiceUsage.service_id, ServiceUsage.times_offered)).all())


def test_answers_at_the_same_moment_all_count_and_none_fails(db):
    """Every thread offers the same two services, new to the table, at once: no duplicate-key
    error on the first row, no lost count, and each answer's own write stands."""
    barrier = threading.Barrier(THREADS)
    errors: list[str] = []

    def answer(index: int) -> None:
        try:
            barrier.wait(timeout=20)
            for turn in range(ANSWERS_EACH):
                with session_scope() as session:
                    session.add(m.ConversationState(sender_key=f"carer-{index}-{turn}", failures=0))
                    usage.record_offered(session, ["service-b", "service-a"] if index % 2 else
                                         ["service-a", "service-b"])
        except Exception as error:  # reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert _counts() == {"service-a": THREADS * ANSWERS_EACH, "service-b": THREADS * ANSWERS_EACH}
    with session_scope() as session:
        assert len(session.execute(select(m.ConversationState)).scalars().all()) == THREADS * ANSWERS_EACH


def test_a_turn_that_is_rolled_back_counts_nothing(db):
    with pytest.raises(RuntimeError), session_scope() as session:
        usage.record_offered(session, ["service-a"])
        raise RuntimeError("the turn fails, and is run again")
    assert _counts() == {}
    with session_scope() as session:  # the re-run counts once
        usage.record_offered(session, ["service-a", "service-a", ""])
    assert _counts() == {"service-a": 1}


def test_a_failed_count_is_logged_and_the_turn_stands(db, monkeypatch, caplog):
    """The count fails in the database itself (on PostgreSQL that aborts a transaction unless the
    failure is inside a savepoint): the carer's own writes, before and after, still commit."""
    monkeypatch.setattr(usage, "_upsert", lambda session, ids: text("INSERT INTO no_such_table VALUES (1)"))
    with caplog.at_level(logging.WARNING, logger="bot.directory.usage"), session_scope() as session:
        session.add(m.ConversationState(sender_key="carer", failures=0))
        session.flush()
        usage.record_offered(session, ["service-a"])
        session.add(m.ConversationState(sender_key="carer-after", failures=0))
    with session_scope() as session:
        assert session.get(m.ConversationState, "carer") is not None
        assert session.get(m.ConversationState, "carer-after") is not None
    assert "service offer count skipped" in caplog.text
    assert _counts() == {}
