"""Encryption at rest and keyed hashing, both derived from ONESTORY_SECRET_KEY.

ONESTORY_SECRET_KEY may hold several secrets separated by commas: the first encrypts and hashes,
the rest can still decrypt (Fernet's MultiFernet), which is how keys are rotated: put the new
secret first, run `python -m bot.records.rotate_keys`, then drop the old one.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.settings import env


class DecryptionError(RuntimeError):
    """A stored value could not be decrypted with any configured key."""


def _secrets(raw: str) -> list[str]:
    secrets = [s.strip() for s in raw.split(",") if s.strip()]
    if not secrets:
        raise RuntimeError("ONESTORY_SECRET_KEY is empty")
    return secrets


def _derive(secret: str, purpose: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"onestory-v1", info=purpose).derive(secret.encode())


@lru_cache(maxsize=8)
def _fernet_for(raw: str) -> MultiFernet:
    keys = [Fernet(base64.urlsafe_b64encode(_derive(s, b"fernet"))) for s in _secrets(raw)]
    return MultiFernet(keys)


@lru_cache(maxsize=8)
def _hmac_key_for(raw: str) -> bytes:
    return _derive(_secrets(raw)[0], b"hmac")


def fernet() -> MultiFernet:
    return _fernet_for(env("ONESTORY_SECRET_KEY"))


def encrypt(text: str) -> str:
    return fernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as error:
        raise DecryptionError("stored value cannot be decrypted with the configured keys") from error


def rotate_token(token: str) -> str:
    """Re-encrypt a token under the first (current) key."""
    return fernet().rotate(token.encode("ascii")).decode("ascii")


def keyed_hash(value: str, purpose: str = "phone") -> str:
    """HMAC-SHA256 of a value under the current key; used to look people up without plaintext."""
    key = _hmac_key_for(env("ONESTORY_SECRET_KEY"))
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def keyed_hash_with(secret: str, value: str, purpose: str = "phone") -> str:
    """The same hash under an explicit secret (key rotation rehashes with the new one)."""
    key = _derive(secret, b"hmac")
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()
