"""The one SQLAlchemy engine and session factory shared by records, directory and handoff.

SQLite is the embedded default (WAL, foreign keys on, a busy timeout so two processes can
share the file); PostgreSQL is production. Both run the same Alembic migrations.

On SQLite the transaction is begun here, not by pysqlite (SQLAlchemy's recipe for pysqlite):
pysqlite began one only before INSERT/UPDATE/DELETE, so a SAVEPOINT opened after a read began a
transaction of its own and releasing it committed, and SELECT ... FOR UPDATE locked nothing.
Here the first statement that writes, opens a savepoint or locks rows begins the transaction with
BEGIN IMMEDIATE: it takes SQLite's one write lock at once (waiting up to the busy timeout, where
a deferred transaction upgrading to write would fail at once if another writer got in first),
and holds it to the end. Reads before that run as on PostgreSQL's READ COMMITTED, each seeing
the latest committed data, and take no lock: a turn's slow first reads never hold up the others.
"""
from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from typing import Optional

from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, declarative_base, sessionmaker

from bot.settings import VAR_DIR, database_url

Base = declarative_base()

_lock = threading.Lock()
_engine: Optional[Engine] = None
_factory: Optional[sessionmaker] = None


class DatabaseUnavailable(RuntimeError):
    """The database could not be reached; callers tell the user and keep the message."""


# Statements that only read: they run outside a transaction until something writes. VACUUM,
# ATTACH and DETACH cannot run inside one; BEGIN, COMMIT and the like manage it themselves.
_NO_BEGIN = frozenset({"SELECT", "WITH", "VALUES", "PRAGMA", "EXPLAIN", "VACUUM", "ATTACH", "DETACH",
                       "BEGIN", "COMMIT", "END", "ROLLBACK", "RELEASE"})


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # pysqlite's own BEGIN handling off; see the docstring
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _starts_transaction(statement: str, context) -> bool:
    if context is not None and (context.isinsert or context.isupdate or context.isdelete):
        return True
    compiled = getattr(context, "compiled", None)
    if compiled is not None and getattr(compiled.statement, "_for_update_arg", None) is not None:
        return True  # SQLite has no row locks: the database's write lock stands in for them
    words = statement.lstrip(" \t\n(").split(None, 1)
    return bool(words) and words[0].upper() not in _NO_BEGIN


def _on_sqlite_execute(_connection, cursor, statement, _parameters, context, _executemany) -> None:
    if not cursor.connection.in_transaction and _starts_transaction(statement, context):
        cursor.execute("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and ":memory:" not in url:
            VAR_DIR.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "before_cursor_execute", _on_sqlite_execute)
        return engine
    return create_engine(
        url,
        future=True,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        # Waiting for a pooled connection is waiting on the database too: bound it.
        pool_timeout=_seconds("ONESTORY_DB_POOL_TIMEOUT", 10),
        connect_args=postgres_connect_args() if url.startswith("postgresql") else {},
    )


def _seconds(name: str, default: float) -> float:
    try:
        value = float(os.environ.get(name) or default)
    except ValueError:
        value = default
    return value if value > 0 else default


def postgres_connect_args() -> dict:
    """libpq settings so a database that hangs, rather than refuses, fails in bounded time.

    connect_timeout bounds connecting (a server that accepts TCP and then says nothing);
    statement_timeout makes the server give up on a statement stuck behind a lock; TCP
    keepalives and tcp_user_timeout notice a peer that vanished without closing the
    connection. A live proxy that stops forwarding still answers keepalives, so callers that
    must answer in time (the SMS webhook, the action server) also bound their own waits.
    """
    connect = _seconds("ONESTORY_DB_CONNECT_TIMEOUT", 5)
    statement_ms = int(_seconds("ONESTORY_DB_STATEMENT_TIMEOUT", 30) * 1000)
    return {
        "connect_timeout": max(1, round(connect)),  # whole seconds; libpq treats 1 as 2
        "options": f"-c statement_timeout={statement_ms}",
        "keepalives": 1,
        "keepalives_idle": 30,
        "keepalives_interval": 10,
        "keepalives_count": 3,
        "tcp_user_timeout": 60_000,  # ms unacknowledged before the kernel drops the connection
    }


def configure(url: Optional[str] = None) -> Engine:
    """(Re)bind the process-wide engine; tests call this with their own database URL."""
    global _engine, _factory
    with _lock:
        if _engine is not None:
            _engine.dispose()
        _engine = make_engine(url or database_url())
        _factory = sessionmaker(bind=_engine, future=True, expire_on_commit=False)
        return _engine


def engine() -> Engine:
    if _engine is None:
        configure()
    assert _engine is not None
    return _engine


@contextlib.contextmanager
def session_scope() -> Iterator[Session]:
    """A transaction: committed on success, rolled back on any error.

    Connection failures surface as DatabaseUnavailable so callers need not know the driver.
    """
    if _factory is None:
        configure()
    assert _factory is not None
    session: Session = _factory()
    try:
        yield session
        session.commit()
    except (OperationalError, DBAPIError) as error:
        session.rollback()
        if _is_connection_error(error):
            raise DatabaseUnavailable(str(error.__class__.__name__)) from error
        raise
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _is_connection_error(error: DBAPIError) -> bool:
    if getattr(error, "connection_invalidated", False):
        return True
    text = str(error.orig).lower() if error.orig is not None else ""
    markers = ("could not connect", "connection refused", "unable to open database", "server closed",
               "terminating connection", "timeout expired", "disk i/o error", "no such host",
               "connection to server", "database is locked", "statement timeout")
    return isinstance(error, OperationalError) and any(m in text for m in markers)
