"""Cleaning carers' SMS text before matching, and telling English from other languages."""
from __future__ import annotations

import re

from spacy.lang.en.stop_words import STOP_WORDS

from bot.language.vocabulary import FOREIGN_WORDS, load

MAX_CHARS = 6000  # longer messages are cut: nobody tells a care record 6,000 characters at once

# SMS shorthand, text-speak and frequent misspellings -> the words the rules expect.
_SHORTHAND = load("shorthand")
_REPLACE: dict[str, str] = {str(k): str(v) for k, v in _SHORTHAND["replace"].items()}
_YOU_KNOW = re.compile(_SHORTHAND["you_know"], re.IGNORECASE)
_REPLACE_RE = re.compile(r"(?<![\w'])(" + "|".join(_REPLACE) + r")(?![\w'])", re.IGNORECASE)
_LOOKUP = [(re.compile(r"^(?:" + k + r")$", re.IGNORECASE), v) for k, v in _REPLACE.items()]
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b]+")
_INTRA_HYPHEN = re.compile(r"(?<=[A-Za-z0-9])[-\u2010-\u2013](?=[A-Za-z])|(?<=[A-Za-z])[-\u2010-\u2013](?=[0-9])")


def _replace(match: re.Match) -> str:
    word = match.group(0)
    for pattern, value in _LOOKUP:
        if pattern.match(word):
            if value in ("are", "and") and word in ("R", "N"):
                return word  # a capital initial, not shorthand
            return value
    return word


def clean(text: str) -> str:
    """Normalised text that keeps the carer's capitals (names) but not their typing accidents."""
    text = (text or "")[:MAX_CHARS]
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u201c", '"')
    text = text.replace("\u201d", '"').replace("\r", "\n")
    text = _INTRA_HYPHEN.sub(" ", text)
    text = _REPLACE_RE.sub(_replace, text)
    text = _YOU_KNOW.sub(r"\1 know", text)
    text = _SPACES.sub(" ", text)
    return text.strip()


_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_ENGLISH_HINTS = {w for w in STOP_WORDS if len(w) >= 3} | {
    "mum", "dad", "husband", "wife", "son", "daughter", "takes", "has", "got", "she's", "he's", "lives",
    "hospital", "years", "old", "carer", "carers", "nan", "grandad", "please", "help", "tablets",
    "doesn't", "can't", "won't", "isn't", "i'm", "i've", "look", "after", "care", "needs", "hi", "hello",
    "thanks", "yes", "ok", "okay", "who", "what", "how", "my", "is", "he", "she", "we", "and", "the",
}


def looks_english(text: str) -> bool:
    """False for messages clearly in another language (Welsh, Polish, Urdu script, ...)."""
    words = _WORD.findall(text.lower())
    if not words:
        return True
    english = sum(1 for w in words if w in _ENGLISH_HINTS)
    foreign = sum(1 for w in words if w in FOREIGN_WORDS or not w.isascii())
    if foreign >= 2 and foreign > english:
        return False
    if len(words) >= 4 and english == 0 and foreign >= 1:
        return False
    # mostly non-Latin letters (Arabic, Devanagari, Chinese, Cyrillic ...)
    letters = [c for c in text if c.isalpha()]
    return not (letters and sum(1 for c in letters if not c.isascii()) > 0.5 * len(letters))
