"""The one SQLAlchemy engine and session factory shared by records, directory and handoff.

SQLite is the embedded default (WAL, foreign keys on, a busy timeout so two processes can
share the file); PostgreSQL is production. Both run the same Alembic migrations.
"""
from __future__ import annotations

import contextlib
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


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and ":memory:" not in url:
            VAR_DIR.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, future=True, connect_args={"check_same_thread": False, "timeout": 10})
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    return create_engine(
        url,
        future=True,
        pool_pre_ping=True,
        pool_size=5,
        max_overflow=10,
        connect_args={"connect_timeout": 5} if url.startswith("postgresql") else {},
    )


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
               "connection to server", "database is locked")
    return isinstance(error, OperationalError) and any(m in text for m in markers)
