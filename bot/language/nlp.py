"""One shared spaCy pipeline: blank English with the lookup lemmatiser (no model download)."""
from __future__ import annotations

import threading
from functools import lru_cache
from pathlib import Path

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
    """Every inflected form and lemma in the lookup table, and the stop words: a cheap 'is this an
    English word' test. (The loaded table keys its forms by hash, so the packaged file is read.)"""
    import gzip
    import json

    import spacy_lookups_data
    from spacy.lang.en.stop_words import STOP_WORDS

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_lookup.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    words = set(table) | set(table.values()) | set(STOP_WORDS)
    return frozenset(w.lower() for w in words if isinstance(w, str))


def safe_lower(text: str) -> str:
    """Lowercase without changing the length, so character offsets stay valid."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
