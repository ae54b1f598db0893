"""Who sent a message, as OneStory's own channels assert it and the action server checks it.

Rasa copies `input_channel` and `metadata` from whatever a client posts (its REST channel takes
both from the request body), so neither can say who is talking. A channel that does know signs
an assertion and puts it in the message's metadata under "identity":

- the SMS channel, after checking Twilio's signature: "this is the phone +44...";
- the socket.io web channel, for a session id it issued: "this is that web session" (the action
  adapter then looks up whether a texted code linked the session to a family member).

An assertion is an HMAC-SHA256 over its payload with a key derived from ONESTORY_SECRET_KEY, bound
to the Rasa sender id and the message id, and it expires. A copy pasted into another
conversation, another message or a forged request proves nothing. The phone number inside it
is encrypted (Fernet), so the stored metadata holds no number either.

No Rasa imports: the action server imports this module.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Optional

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot import crypto
from bot.settings import env

METADATA_KEY = "identity"
SMS = "sms"
WEB = "web"
CHANNELS = (SMS, WEB)
# Long enough for a message held through an action-server outage to be answered as its sender;
# short enough that a leaked assertion is soon worthless (it is bound to one message anyway).
TTL_SECONDS = 24 * 3600
VERSION = 1


@dataclass(frozen=True)
class Identity:
    """A verified assertion: the channel that made it and, for SMS, the sender's number."""

    channel: str
    phone_e164: Optional[str] = None


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@lru_cache(maxsize=8)
def _keys_for(raw: str) -> tuple[bytes, ...]:
    """One signing key per configured secret; the first signs, any verifies (key rotation)."""
    secrets = [s.strip() for s in raw.split(",") if s.strip()]
    if not secrets:
        raise RuntimeError("ONESTORY_SECRET_KEY is empty")
    return tuple(HKDF(algorithm=hashes.SHA256(), length=32, salt=b"onestory-v1",
                      info=b"channel-identity").derive(s.encode()) for s in secrets)


def _keys() -> tuple[bytes, ...]:
    return _keys_for(env("ONESTORY_SECRET_KEY"))


def _mac(key: bytes, body: str) -> str:
    return _b64(hmac.new(key, body.encode("ascii"), hashlib.sha256).digest())


def sign(channel: str, sender_id: str, message_id: str, phone_e164: Optional[str] = None,
         now: Optional[float] = None, ttl: int = TTL_SECONDS) -> str:
    """An assertion that `channel` received message `message_id` from `sender_id`."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if not sender_id or not message_id:
        raise ValueError("an identity needs a sender id and a message id")
    if (channel == SMS) != bool(phone_e164):
        raise ValueError("an SMS identity carries the number; a web identity does not")
    payload: dict[str, Any] = {"v": VERSION, "ch": channel, "sid": sender_id, "mid": message_id,
                               "exp": int((now if now is not None else time.time()) + ttl)}
    if phone_e164:
        payload["pe"] = crypto.encrypt(phone_e164)
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    return f"{body}.{_mac(_keys()[0], body)}"


def metadata(channel: str, sender_id: str, message_id: str, phone_e164: Optional[str] = None) -> dict[str, Any]:
    """The metadata a channel attaches to a message: its name and the signed assertion."""
    return {"channel": channel, METADATA_KEY: sign(channel, sender_id, message_id, phone_e164)}


def verify(token: Any, sender_id: str, message_id: Optional[str], now: Optional[float] = None
           ) -> Optional[Identity]:
    """The identity a token asserts for this sender and message, or None (missing, tampered,
    expired, made for another conversation or message, or undecryptable)."""
    if not isinstance(token, str) or token.count(".") != 1 or not sender_id or not message_id:
        return None
    body, mac = token.split(".")
    if not any(hmac.compare_digest(mac, _mac(key, body)) for key in _keys()):
        return None
    try:
        payload = json.loads(_unb64(body))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(payload, dict) or payload.get("v") != VERSION or payload.get("ch") not in CHANNELS:
        return None
    if not hmac.compare_digest(str(payload.get("sid")), sender_id) or \
            not hmac.compare_digest(str(payload.get("mid")), str(message_id)):
        return None
    expires = payload.get("exp")
    if not isinstance(expires, int) or (now if now is not None else time.time()) > expires:
        return None
    if payload["ch"] == WEB:
        return Identity(WEB)
    try:
        return Identity(SMS, crypto.decrypt(str(payload.get("pe"))))
    except (crypto.DecryptionError, ValueError, UnicodeError):
        return None
