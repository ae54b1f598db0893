"""A database that hangs, rather than refuses, fails in bounded time (PostgreSQL)."""
from __future__ import annotations

import socket
import threading
import time

import pytest
from sqlalchemy import text

from bot import db as dbmod
from bot.db import DatabaseUnavailable, session_scope


@pytest.fixture
def pg_url(empty_pg_database):
    yield empty_pg_database
    dbmod.configure("sqlite://")


def test_statement_stuck_on_the_server_is_cancelled(pg_url, monkeypatch):
    monkeypatch.setenv("ONESTORY_DB_STATEMENT_TIMEOUT", "1")
    dbmod.configure(pg_url)
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable), session_scope() as session:
        session.execute(text("SELECT pg_sleep(20)"))
    assert time.monotonic() - started < 5


def test_connections_keep_alive_and_carry_the_statement_timeout(pg_url, monkeypatch):
    monkeypatch.setenv("ONESTORY_DB_STATEMENT_TIMEOUT", "7")
    engine = dbmod.configure(pg_url)
    with engine.connect() as connection:
        parameters = connection.connection.dbapi_connection.get_dsn_parameters()
        assert connection.execute(text("SHOW statement_timeout")).scalar() == "7s"
    assert parameters["keepalives"] == "1" and int(parameters["keepalives_idle"]) > 0
    assert int(parameters["tcp_user_timeout"]) > 0 and int(parameters["connect_timeout"]) > 0


def test_server_that_accepts_and_says_nothing_times_out(monkeypatch):
    """A listener that never answers the start-up packet: connect_timeout bounds the wait."""
    monkeypatch.setenv("ONESTORY_DB_CONNECT_TIMEOUT", "2")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        dbmod.configure(f"postgresql://postgres@127.0.0.1:{listener.getsockname()[1]}/nothing")
        started = time.monotonic()
        with pytest.raises(DatabaseUnavailable), session_scope() as session:
            session.execute(text("SELECT 1"))
        assert time.monotonic() - started < 8
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        listener.close()
        dbmod.configure("sqlite://")
