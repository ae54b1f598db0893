"""Phone numbers as carers write them ("07700 900123", "+44 7700 900123") to E.164."""
from __future__ import annotations

import re
from typing import Optional

from bot.crypto import keyed_hash

_DIGITS = re.compile(r"\d")
# A run of digits with the separators people type; long enough to be a phone number.
PHONE_PATTERN = re.compile(r"(?<![\w+])(?:\+|00)?\d[\d\s().-]{8,16}\d(?!\w)")


def normalise(raw: str) -> Optional[str]:
    """E.164 for UK and international numbers, or None when it cannot be a phone number."""
    if not raw:
        return None
    text = raw.strip()
    plus = text.startswith("+") or text.startswith("00")
    digits = "".join(_DIGITS.findall(text))
    if text.startswith("00"):
        digits = digits[2:]
    if plus:
        if digits.startswith("440"):  # "+44 (0)7700 ..." written with the trunk zero
            digits = "44" + digits[3:]
        return "+" + digits if 8 <= len(digits) <= 15 else None
    if digits.startswith("44") and len(digits) == 12:
        return "+" + digits
    if digits.startswith("0") and len(digits) in (10, 11):
        return "+44" + digits[1:]
    return None


def find_phone(text: str) -> Optional[str]:
    """The first phone number written in a message, normalised."""
    for match in PHONE_PATTERN.finditer(text or ""):
        number = normalise(match.group(0))
        if number:
            return number
    return None


def phone_hash(e164: str) -> str:
    return keyed_hash(e164, "phone")


def sender_id_for_phone(e164: str) -> str:
    """The pseudonymous sender id Rasa sees for an SMS number: never the number itself, and a hash
    of its own purpose, so Rasa's stores hold nothing that finds the person in the record."""
    return "sms-" + keyed_hash(e164, "rasa-sender")[:40]


def national_format(e164: str) -> str:
    if e164.startswith("+44") and len(e164) == 13:
        national = "0" + e164[3:]
        return f"{national[:5]} {national[5:]}"
    return e164
