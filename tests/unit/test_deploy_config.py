"""The Rasa configuration files: our own REST channel (never Rasa's `rest:`) in development and none
in production, and the encrypted tracker store everywhere Rasa keeps conversations."""
from __future__ import annotations

import pytest
import yaml

from bot.settings import ROOT

STORE = "bot.channels.tracker_store.EncryptedSQLTrackerStore"


def _yaml(name: str) -> dict:
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


def test_development_rest_is_the_anonymous_channel_not_rasas():
    channels = _yaml("credentials.yml")
    assert "rest" not in channels and "bot.channels.rest.RestInput" in channels


def test_production_has_no_rest_channel():
    channels = _yaml("deploy/credentials.production.yml")
    assert not [name for name in channels if "rest" in name.lower()]
    assert {"bot.channels.twilio_sms.TwilioSmsInput", "bot.channels.socketio_web.SocketIOWebInput"} <= set(channels)


@pytest.mark.parametrize("name", ["endpoints.yml", "deploy/endpoints.production.yml"])
def test_rasa_keeps_conversations_in_the_encrypted_store(name):
    assert _yaml(name)["tracker_store"]["type"] == STORE


def test_the_store_named_in_the_endpoints_imports():
    from rasa.shared.utils.common import class_from_module_path

    # Rasa falls back to an in-memory store, with only a warning, when this fails.
    assert class_from_module_path(STORE).__name__ == "EncryptedSQLTrackerStore"
