"""One shared spaCy pipeline: blank English with the lookup lemmatiser (no model download)."""
from __future__ import annotations

import threading
from functools import lru_cache

import spacy
from spacy.language import Language

_lock = threading.Lock()


@lru_cache(maxsize=1)
def _build() -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup table from spacy-lookups-data
    return nlp


def get_nlp() -> Language:
    """The cached pipeline; built once per process (thread-safe)."""
    with _lock:
        return _build()


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Every inflected form and lemma in the lookup table: a cheap 'is this an English word' test."""
    table = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")
    words = set(table.keys()) | set(table.values())
    return frozenset(w.lower() for w in words if isinstance(w, str))


def safe_lower(text: str) -> str:
    """Lowercase without changing the length, so character offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
