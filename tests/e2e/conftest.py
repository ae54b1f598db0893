"""End-to-end fixtures: the real servers on SQLite and on PostgreSQL (with Redis as the lock store)."""
from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from bot import db as dbmod
from bot.migrate import upgrade
from tests.conftest import _postgres_available
from tests.e2e.stack import MODEL, Stack

pytestmark = pytest.mark.e2e


def _redis_up() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def stack(request, tmp_path_factory) -> Iterator[Stack]:
    if not MODEL.exists():
        pytest.fail("no trained model: run `make model` first (make test does)")
    var_dir = tmp_path_factory.mktemp(f"e2e-{request.param}")
    extra = {}
    endpoints = "endpoints.yml"
    if request.param == "sqlite":
        url = f"sqlite:///{var_dir / 'onestory.db'}"
    else:
        if not _postgres_available():  # a failure on CI (tests/skip_report.py)
            pytest.skip("PostgreSQL does not answer: the production-shaped leg did not run")
        url = request.getfixturevalue("pg_database")
        if not _redis_up():
            pytest.fail("Redis is not running on 6379") if os.environ.get("CI") else pytest.skip("no Redis")
        endpoints = str(var_dir / "endpoints.yml")
        # Production shape: PostgreSQL tracker store and Redis lock store.
        with open(endpoints, "w") as handle:
            handle.write(f"""action_endpoint:
  url: ${{ACTION_SERVER_URL}}
tracker_store:
  type: bot.channels.tracker_store.EncryptedSQLTrackerStore
  dialect: "postgresql"
  url: "127.0.0.1"
  port: 5432
  db: "{url.rsplit('/', 1)[1]}"
  username: "postgres"
lock_store:
  type: "redis"
  url: "127.0.0.1"
  port: 6379
  db: 3
  key_prefix: "onestory-e2e"
""")
    upgrade(url)
    dbmod.configure(url)
    os.environ["DATABASE_URL"] = url
    running = Stack(database_url=url, var_dir=var_dir, endpoints=endpoints, extra_env=extra)
    running.start()
    yield running
    running.stop()
