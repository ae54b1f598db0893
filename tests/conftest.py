"""Shared fixtures: a database per backend, emptied between tests.

Unit tests run on SQLite and, when PostgreSQL answers (CI makes sure it does and sets
ONESTORY_REQUIRE_POSTGRES=1), on PostgreSQL too: every test taking `db` runs once per backend.
"""
from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, text

os.environ.setdefault("ONESTORY_SECRET_KEY", "test-secret-key-for-the-test-suite-only")
os.environ.setdefault("TWILIO_AUTH_TOKEN", "test-auth-token")
os.environ.setdefault("PUBLIC_BASE_URL", "http://localhost:5005")
# Never write into the developer's var/ (spooled messages, databases) from a test run.
os.environ.setdefault("ONESTORY_SPOOL_DIR", tempfile.mkdtemp(prefix="onestory-spool-"))

from bot import db as dbmod  # noqa: E402
from bot import models_registry  # noqa: E402,F401
from bot.db import Base  # noqa: E402
from tests import skip_report  # noqa: E402
from tests.skip_report import pytest_make_collect_report, pytest_runtest_makereport  # noqa: E402,F401

PG_ADMIN_URL = os.environ.get("ONESTORY_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/test")


def _postgres_available() -> bool:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


def _backends() -> list[str]:
    wanted = os.environ.get("ONESTORY_TEST_BACKENDS", "sqlite,postgresql").split(",")
    backends = []
    if "sqlite" in wanted:
        backends.append("sqlite")
    if "postgresql" in wanted:
        if _postgres_available():
            backends.append("postgresql")
        elif os.environ.get("ONESTORY_REQUIRE_POSTGRES") == "1" or skip_report.strict():
            raise RuntimeError(f"PostgreSQL is required but does not answer at {PG_ADMIN_URL}")
        else:
            skip_report.record(skip_report.stage_of(), f"PostgreSQL does not answer at {PG_ADMIN_URL}: "
                               "database tests ran on SQLite only", tests=None)
    return backends


@pytest.fixture(scope="session")
def pg_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session, dropped at the end."""
    yield from _fresh_pg_database()


@pytest.fixture
def empty_pg_database() -> Iterator[str]:
    """A PostgreSQL database of its own, empty, for tests that build the schema themselves."""
    if not _postgres_available():
        pytest.skip("PostgreSQL does not answer") if os.environ.get("ONESTORY_REQUIRE_POSTGRES") != "1" \
            else pytest.fail("PostgreSQL is required")
    yield from _fresh_pg_database()


def _fresh_pg_database() -> Iterator[str]:
    name = f"onestory_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name
    yield url
    if dbmod._engine is not None and str(dbmod._engine.url).endswith(name):
        dbmod.configure("sqlite://")  # release pooled connections before dropping
    with admin.connect() as connection:
        connection.execute(text(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session", params=_backends())
def database_url(request, tmp_path_factory) -> Iterator[str]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'onestory-test.db'}"
    else:
        url = request.getfixturevalue("pg_database")
    engine = dbmod.configure(url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield url


@pytest.fixture
def db(database_url: str) -> Iterator[str]:
    """An empty database on each backend; yields its URL."""
    engine = dbmod.configure(database_url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    yield database_url
