"""Rasa, the action server and the worker started directly, as supervisord and a container start
them (not through `make run`'s launcher), refuse development secrets at a public address too,
before they serve or send anything, and say which variable to set."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.settings import ROOT

PUBLIC = "https://onestory.example.org"
TRACKER_STORE = "bot.channels.tracker_store.EncryptedSQLTrackerStore"


def _public_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("ONESTORY_SECRET_KEY", "TWILIO_AUTH_TOKEN", "RASA_API_TOKEN")}
    env.update(PUBLIC_BASE_URL=PUBLIC, PYTHONPATH=str(ROOT), DATABASE_URL=f"sqlite:///{tmp_path / 'records.db'}")
    return env


def _run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=ROOT, env=_public_env(tmp_path), capture_output=True, text=True, timeout=120)


def _refused(result: subprocess.CompletedProcess) -> None:
    assert result.returncode != 0, result.stdout + result.stderr
    assert "will not serve the public address" in result.stderr and "ONESTORY_SECRET_KEY" in result.stderr, \
        result.stderr[-2000:]


def test_the_worker_started_directly_refuses(tmp_path):
    _refused(_run([sys.executable, "-m", "bot.worker", "--once"], tmp_path))


def test_the_action_server_started_directly_refuses(tmp_path):
    _refused(_run([sys.executable, "-m", "rasa_sdk", "--actions", "actions", "--port", "0"], tmp_path))


@pytest.mark.parametrize("endpoints", ["endpoints.yml", "deploy/endpoints.production.yml"])
def test_every_rasa_configuration_builds_the_tracker_store_that_refuses(endpoints):
    config = yaml.safe_load((ROOT / endpoints).read_text(encoding="utf-8"))
    assert config["tracker_store"]["type"] == TRACKER_STORE


def test_the_tracker_store_refuses_before_it_connects(monkeypatch, tmp_path):
    from bot.channels.tracker_store import EncryptedSQLTrackerStore
    from bot.handoff import demo

    monkeypatch.setattr(demo, "accounts_with_demo_password", lambda: [])
    for name in ("ONESTORY_SECRET_KEY", "TWILIO_AUTH_TOKEN", "RASA_API_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("PUBLIC_BASE_URL", PUBLIC)
    with pytest.raises(SystemExit) as stopped:
        EncryptedSQLTrackerStore(None, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    assert "RASA_API_TOKEN" in str(stopped.value.code)
    assert not (tmp_path / "tracker.db").exists()


def test_on_localhost_the_tracker_store_starts(monkeypatch, tmp_path):
    from bot.channels.tracker_store import EncryptedSQLTrackerStore

    monkeypatch.setenv("PUBLIC_BASE_URL", "http://localhost:5005")
    EncryptedSQLTrackerStore(None, dialect="sqlite", db=str(tmp_path / "tracker.db"))
    assert (tmp_path / "tracker.db").exists()
