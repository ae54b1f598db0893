"""Making bot replies fit SMS: GSM-7 friendly characters, segment counts, 1,600-character splits.

One curly apostrophe turns a whole message from GSM-7 (160 characters a segment) into UCS-2
(70 a segment), so characters that only look typographic are replaced by their plain
equivalents. Characters that carry meaning (accented names, emoji) are left alone.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from typing import NamedTuple

# Twilio refuses message bodies over 1,600 characters.
MAX_MESSAGE_CHARS = 1600

# The GSM 03.38 default alphabet and its extension table (extension characters cost two septets).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = frozenset("^{}\\[~]|€\f")

GSM_SINGLE, GSM_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67

_REPLACEMENTS = {
    # quotes and apostrophes
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    # dashes and minus signs
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
    # ellipsis
    "\u2026": "...",
    # bullets
    "\u2022": "-", "\u25e6": "-", "\u25aa": "-", "\u2023": "-", "\u2043": "-", "\u00b7": "-", "\u2219": "-",
    # spaces that only look like spaces
    "\u00a0": " ", "\u2000": " ", "\u2001": " ", "\u2002": " ", "\u2003": " ", "\u2004": " ",
    "\u2005": " ", "\u2006": " ", "\u2007": " ", "\u2008": " ", "\u2009": " ", "\u200a": " ",
    "\u202f": " ", "\u205f": " ", "\u3000": " ", "\t": " ",
    # invisible characters
    "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\ufeff": "", "\u00ad": "",
}
_TRANSLATION = str.maketrans(_REPLACEMENTS)
# Control characters other than newline cannot go in an SMS (or in TwiML's XML).
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_TRAILING_SPACE = re.compile(r"[ ]+\n")
_MANY_BLANK_LINES = re.compile(r"\n{3,}")


class SegmentInfo(NamedTuple):
    encoding: str  # "GSM-7" or "UCS-2"
    units: int  # septets for GSM-7, UTF-16 code units for UCS-2
    segments: int


def gsm_fit(text: str) -> str:
    """The text with typographic characters replaced by GSM-7 ones and stray controls removed."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").translate(_TRANSLATION)
    text = _CONTROL.sub("", text)
    text = _TRAILING_SPACE.sub("\n", text)
    return _MANY_BLANK_LINES.sub("\n\n", text).strip()


def is_gsm7(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def _count_segments(units: list[int], single: int, multi: int) -> int:
    total = sum(units)
    if total == 0:
        return 0
    if total <= single:
        return 1
    # A character is never split across two segments (an escaped GSM character or a
    # surrogate pair), so pack greedily instead of dividing.
    segments, used = 1, 0
    for size in units:
        if used + size > multi:
            segments += 1
            used = 0
        used += size
    return segments


def segment_info(text: str) -> SegmentInfo:
    """How the text would be encoded and how many SMS segments it costs."""
    if is_gsm7(text):
        units = [2 if ch in GSM_EXTENSION else 1 for ch in text]
        return SegmentInfo("GSM-7", sum(units), _count_segments(units, GSM_SINGLE, GSM_MULTI))
    units = [2 if ord(ch) > 0xFFFF else 1 for ch in text]
    return SegmentInfo("UCS-2", sum(units), _count_segments(units, UCS2_SINGLE, UCS2_MULTI))


def segment_count(text: str) -> int:
    return segment_info(text).segments


# A sentence ends at . ! or ? (perhaps followed by a closing quote or bracket) and whitespace,
# or at a line break.
_SENTENCE_END = re.compile(r"[.!?]+[\"')\]]*\s+|\n+")
_WORD = re.compile(r"\S+\s*")


def _pieces(text: str, pattern: re.Pattern) -> list[str]:
    pieces, start = [], 0
    for match in pattern.finditer(text):
        if match.end() > start:
            pieces.append(text[start:match.end()])
            start = match.end()
    if start < len(text):
        pieces.append(text[start:])
    return pieces


def _pack(pieces: Iterable[str], limit: int, too_long) -> list[str]:
    chunks: list[str] = []
    current = ""
    for piece in pieces:
        if len((current + piece).strip()) <= limit:
            current += piece
            continue
        if current.strip():
            chunks.append(current.strip())
        current = ""
        if len(piece.strip()) <= limit:
            current = piece
        else:
            parts = too_long(piece.strip())
            chunks.extend(parts[:-1])
            current = parts[-1] + (" " if piece[-1:].isspace() else "")
    if current.strip():
        chunks.append(current.strip())
    return chunks


def _hard_split(word: str, limit: int) -> list[str]:
    # Only for a single "word" longer than a whole message (a pasted link, say).
    return [word[i:i + limit] for i in range(0, len(word), limit)]


def _split_words(sentence: str, limit: int) -> list[str]:
    return _pack(_pieces(sentence, _WORD), limit, lambda word: _hard_split(word, limit))


def split_message(text: str, limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """The text as messages of at most `limit` characters, broken between sentences.

    A sentence longer than a message is broken between words; only a single word longer
    than a message is ever cut.
    """
    text = (text or "").strip()
    if not text:
        return []
    if len(text) <= limit:
        return [text]
    return _pack(_pieces(text, _SENTENCE_END), limit, lambda sentence: _split_words(sentence, limit))


def sms_messages(utterances: Iterable[str], limit: int = MAX_MESSAGE_CHARS) -> list[str]:
    """Bot utterances as SMS-fit messages.

    Each utterance is made GSM-friendly and split if too long; consecutive parts are then joined
    with a blank line while they fit, so a carer gets one text rather than a burst of short ones.
    """
    parts = [part for utterance in utterances for part in split_message(gsm_fit(utterance), limit)]
    messages: list[str] = []
    for part in parts:
        if messages and len(messages[-1]) + 2 + len(part) <= limit:
            messages[-1] = messages[-1] + "\n\n" + part
        else:
            messages.append(part)
    return messages


def estimated_segments(messages: Iterable[str]) -> int:
    return sum(segment_count(m) for m in messages)

