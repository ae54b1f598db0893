"""Cheap checks on raw text before anything else looks at it."""
from __future__ import annotations

import html
import re

from bot import inputs
from bot.records.models import ConversationState

MAX_CHARS = 2000  # longer messages are read up to here; the rest is still kept in the tracker
_TAGS = re.compile(r"<[^>]{0,200}>")
_WORD = re.compile(r"[a-zA-Z']+")
_COMMON = set("""
a about after again all also am an and any are as at back be been before but by can can't could
dad did do does doesn't don't for from get got had has hasn't have he her him his how i i'm if in
into is isn't it it's just know like look looks me mum my need no not now of off ok on or our out
please said she should so some than that that's the their them then there they this to told too
up us very was we were what when where which who whom why will with would yes you your help care
carer hospital gp doctor nurse home house who's hi hello thanks thank nan gran wife husband son
daughter brother sister baby number phone call ring council social worker still since week day
""".split())


def clean(text: str) -> str:
    """Trim, drop markup tags and control characters, cap the length."""
    text = html.unescape(text or "")
    text = _TAGS.sub(" ", text)
    text = "".join(ch for ch in text if ch.isprintable() or ch in "\n\t")
    return re.sub(r"\s+", " ", text).strip()[:MAX_CHARS]


def usable_sender(sender_key: str) -> bool:
    """Can this conversation id be kept? Web and REST clients choose their own ids; the dialogue
    stores them as keys, so one with control characters (NUL: PostgreSQL refuses it) or longer
    than the column would fail the turn in the database instead of getting an answer."""
    limit = ConversationState.__table__.c.sender_key.type.length
    return isinstance(sender_key, str) and 0 < len(sender_key) <= limit \
        and not inputs.control_characters(sender_key)


def has_words(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def looks_english(text: str) -> bool:
    """False only when a message of several words has almost no common English words."""
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 3:
        return True
    common = sum(1 for w in words if w in _COMMON)
    return common / len(words) >= 0.15
