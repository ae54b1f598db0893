"""Signed channel identities (bot/channels/identity.py): only an unexpired, untampered assertion
made for this conversation and this message, under our key, says who is talking."""
from __future__ import annotations

import base64
import json
import time

import pytest

from bot.channels import identity
from bot.channels.identity import Identity

PHONE = "+447700900123"
SENDER, MESSAGE = "sms-abc", "SM0123"


def _payload(token: str) -> dict:
    body = token.split(".")[0]
    return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def _with_payload(token: str, **changes) -> str:
    payload = {**_payload(token), **changes}
    body = base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")
    return f"{body}.{token.split('.')[1]}"


def test_an_sms_identity_verifies_for_its_sender_and_message():
    token = identity.sign(identity.SMS, SENDER, MESSAGE, PHONE)
    assert identity.verify(token, SENDER, MESSAGE) == Identity("sms", PHONE)


def test_a_web_identity_verifies_without_a_number():
    token = identity.sign(identity.WEB, "a" * 32, "m1")
    assert identity.verify(token, "a" * 32, "m1") == Identity("web", None)


def test_the_number_is_not_readable_in_the_token():
    token = identity.sign(identity.SMS, SENDER, MESSAGE, PHONE)
    assert "7700900123" not in token and "7700900123" not in json.dumps(_payload(token))


@pytest.mark.parametrize("token", [None, "", "abc", "a.b.c", 42, {"ch": "sms"}, "not-base64!.x"])
def test_missing_or_malformed_identities_verify_as_nobody(token):
    assert identity.verify(token, SENDER, MESSAGE) is None


def test_expired():
    now = time.time()
    token = identity.sign(identity.SMS, SENDER, MESSAGE, PHONE, now=now, ttl=60)
    assert identity.verify(token, SENDER, MESSAGE, now=now + 59) is not None
    assert identity.verify(token, SENDER, MESSAGE, now=now + 61) is None


def test_wrong_sender():
    token = identity.sign(identity.SMS, SENDER, MESSAGE, PHONE)
    assert identity.verify(token, "x", MESSAGE) is None
    assert identity.verify(token, "", MESSAGE) is None


def test_wrong_or_missing_message_id():
    token = identity.sign(identity.SMS, SENDER, MESSAGE, PHONE)
    assert identity.verify(token, SENDER, "SM9999") is None
    assert identity.verify(token, SENDER, None) is None


@pytest.mark.parametrize("changes", [
    {"sid": "x"}, {"mid": "other"}, {"exp": 9999999999}, {"ch": "web"}, {"pe": None}, {"v": 2}])
def test_tampered_payload(changes):
    token = identity.sign(identity.SMS, SENDER, MESSAGE, PHONE)
    forged = _with_payload(token, **changes)
    sender, message = changes.get("sid", SENDER), changes.get("mid", MESSAGE)
    assert identity.verify(forged, sender, message) is None


def test_tampered_signature():
    token = identity.sign(identity.SMS, SENDER, MESSAGE, PHONE)
    body, mac = token.split(".")
    flipped = mac[:-2] + ("AA" if mac[-2:] != "AA" else "BB")
    assert identity.verify(f"{body}.{flipped}", SENDER, MESSAGE) is None
    assert identity.verify(f"{body}.", SENDER, MESSAGE) is None


def test_another_servers_key_is_not_ours(monkeypatch):
    monkeypatch.setenv("ONESTORY_SECRET_KEY", "someone-elses-key-0123456789abcdef0123")
    token = identity.sign(identity.SMS, SENDER, MESSAGE, PHONE)
    monkeypatch.setenv("ONESTORY_SECRET_KEY", "our-key-0123456789abcdef0123456789abcdef")
    assert identity.verify(token, SENDER, MESSAGE) is None


def test_during_key_rotation_the_old_key_still_verifies(monkeypatch):
    monkeypatch.setenv("ONESTORY_SECRET_KEY", "old-key-0123456789abcdef0123456789abcdef")
    token = identity.sign(identity.SMS, SENDER, MESSAGE, PHONE)
    monkeypatch.setenv("ONESTORY_SECRET_KEY", "new-key-0123456789abcdef0123456789abcdef,"
                                              "old-key-0123456789abcdef0123456789abcdef")
    assert identity.verify(token, SENDER, MESSAGE) == Identity("sms", PHONE)


@pytest.mark.parametrize("args", [
    ("twilio", SENDER, MESSAGE, PHONE), (identity.SMS, SENDER, MESSAGE, None), (identity.WEB, SENDER, MESSAGE, PHONE),
    (identity.SMS, "", MESSAGE, PHONE), (identity.SMS, SENDER, "", PHONE)])
def test_channels_cannot_sign_incomplete_or_mixed_identities(args):
    with pytest.raises(ValueError):
        identity.sign(*args)


def test_metadata_carries_the_channel_and_the_signed_identity():
    data = identity.metadata(identity.SMS, SENDER, MESSAGE, PHONE)
    assert set(data) == {"channel", "identity"} and data["channel"] == "sms"
    assert identity.verify(data["identity"], SENDER, MESSAGE) == Identity("sms", PHONE)
