"""Text from outside (query strings, forms, path ids), checked once at the edge: one validator per
kind of field, each raising `InvalidInput` with a message fit to show the person who sent it.

What is refused everywhere: bytes that are not UTF-8, and control characters (NUL above all:
PostgreSQL cannot store it in text, and a query holding one failed with a 500). Multi-line
fields keep newlines and tabs. Each kind of field has a length cap, and numbers are ASCII digits
only (Python's int() also reads "١٢" and " 1_0 ").
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Optional
from urllib.parse import parse_qsl

MAX_SEARCH = 200  # a search box
MAX_ID = 255  # an id (the directory's id columns are 255 long)
MAX_LINE = 500  # a one-line form field
MAX_TEXT = 10_000  # a multi-line form field (a note, a reply)
_NUMBER = re.compile(r"[+-]?[0-9]{1,18}")
_LINE_BREAKS = "\n\r\t"


class InvalidInput(ValueError):
    """A value the service cannot use; `str(error)` says what to change, `field` names the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def control_characters(value: str, multiline: bool = False) -> bool:
    """True when `value` holds a control character (Unicode category Cc, NUL included), or an
    unpaired surrogate; newlines and tabs are allowed in multi-line fields."""
    allowed = _LINE_BREAKS if multiline else ""
    return any((unicodedata.category(ch) in ("Cc", "Cs")) and ch not in allowed for ch in value)


def text(value: Optional[str], field: str, *, label: Optional[str] = None, max_length: int = MAX_LINE,
         multiline: bool = False) -> str:
    """A free-text field, stripped; "" when absent."""
    label = label or _upper(field.replace("_", " "))
    value = "" if value is None else str(value)
    if control_characters(value, multiline):
        raise InvalidInput(field, f"{label} must not contain control characters (such as a NUL byte)")
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(field, f"{label} must be {max_length} characters or fewer")
    return value


def search(value: Optional[str], field: str = "search", *, label: Optional[str] = None) -> str:
    """Words to search for: one line, spaces collapsed."""
    return " ".join(text(value, field, label=label, max_length=MAX_SEARCH).split())


def identifier(value: Optional[str], field: str, *, label: Optional[str] = None) -> str:
    """An id to look up: one line, no longer than an id column."""
    return text(value, field, label=label, max_length=MAX_ID)


def whole_number(value: Optional[str], field: str, *, default: Optional[int] = None, lo: int = 0,
                 hi: int = 10**9, label: Optional[str] = None) -> Optional[int]:
    """A whole number written in ASCII digits, between lo and hi; `default` when absent."""
    label = label or _upper(field.replace("_", " "))
    raw = "" if value is None else str(value).strip()
    if not raw:
        return default
    if not _NUMBER.fullmatch(raw):
        raise InvalidInput(field, f"{label} must be a whole number")
    number = int(raw)
    if not lo <= number <= hi:
        raise InvalidInput(field, f"{label} must be between {lo} and {hi}")
    return number


def query(raw: str | bytes) -> dict[str, list[str]]:
    """A URL query string decoded strictly: bytes that are not UTF-8 are refused, not replaced."""
    try:
        if isinstance(raw, bytes):
            raw = raw.decode("ascii")  # on the wire a query is ASCII; anything else is %-escaped
        pairs = parse_qsl(raw or "", keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise InvalidInput("query", "The address holds characters that are not valid UTF-8 text") from None
    found: dict[str, list[str]] = {}
    for name, value in pairs:
        found.setdefault(name, []).append(value)
    return found


def unreadable(fields: Mapping[str, list[str]], multiline: bool = True) -> Optional[str]:
    """The name of the first field whose name or values hold control characters, else None.

    The coarse check for a whole request (forms may keep newlines); fields get their own
    validator, with its length and shape, where they are used.
    """
    for name, values in fields.items():
        if control_characters(name) or any(control_characters(v, multiline) for v in values
                                           if isinstance(v, str)):
            return name
    return None


def _upper(label: str) -> str:
    return label[:1].upper() + label[1:]
