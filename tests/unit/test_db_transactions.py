"""Transactions are real on every backend: reads inside them, savepoints, readers beside a writer."""
from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from bot.db import session_scope
from bot.directory.history import ServiceUsage


def _count() -> int:
    with session_scope() as session:
        return session.execute(select(func.count()).select_from(ServiceUsage)).scalar_one()


def test_a_released_savepoint_is_still_undone_with_its_transaction(db):
    """pysqlite left SQLite in autocommit until the first write, so a SAVEPOINT opened after a read
    began the transaction itself and releasing it committed: the outer rollback undid nothing."""
    with pytest.raises(RuntimeError), session_scope() as session:
        session.execute(select(func.count()).select_from(ServiceUsage)).scalar_one()
        with session.begin_nested():
            session.add(ServiceUsage(service_id="inside-savepoint", times_offered=1))
        raise RuntimeError("the turn fails after the savepoint")
    assert _count() == 0


def test_a_failed_savepoint_leaves_the_rest_of_the_transaction(db):
    with session_scope() as session:
        session.add(ServiceUsage(service_id="kept", times_offered=1))
        session.flush()
        with pytest.raises(Exception), session.begin_nested():  # noqa: B017 (driver-specific error)
            session.add(ServiceUsage(service_id="kept", times_offered=2))  # duplicate key
            session.flush()
    with session_scope() as session:
        assert session.get(ServiceUsage, "kept").times_offered == 1


def test_a_transaction_reads_what_it_writes_over(db):
    """A writer's reads belong to its transaction: a second writer waits until the first commits,
    and then sees its work (no lost update from a stale read)."""
    with session_scope() as session:
        session.add(ServiceUsage(service_id="counter", times_offered=0))
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def bump() -> None:
        try:
            barrier.wait(timeout=10)
            for _ in range(5):
                with session_scope() as session:
                    row = session.get(ServiceUsage, "counter", with_for_update=True)
                    time.sleep(0.002)  # widen the window between read and write
                    row.times_offered += 1
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=bump) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    with session_scope() as session:
        assert session.get(ServiceUsage, "counter").times_offered == 20


def test_readers_do_not_wait_for_a_writer(db):
    with session_scope() as session:
        session.add(ServiceUsage(service_id="committed", times_offered=1))
    with session_scope() as writer:
        writer.add(ServiceUsage(service_id="uncommitted", times_offered=1))
        writer.flush()  # holds the write lock on SQLite until the end of this block
        started = time.monotonic()
        with session_scope() as reader:
            ids = set(reader.execute(select(ServiceUsage.service_id)).scalars())
        assert ids == {"committed"}
        assert time.monotonic() - started < 2  # did not wait for the writer
