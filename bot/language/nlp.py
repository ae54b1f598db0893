"""One shared spaCy pipeline: blank English with the lookup lemmatiser (no model download)."""
from __future__ import annotations

import threading
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TypeVar

import spacy
from spacy.language import Language

T = TypeVar("T")


def once(build: Callable[[], T]) -> Callable[[], T]:
    """A builder run once per process, whichever thread asks first; the others wait for it.

    `functools.lru_cache` is not enough: threads that arrive together each run the builder,
    and the expensive first-use work (a pipeline, a vocabulary matcher) is done several times
    over, concurrently, on shared spaCy objects.
    """
    lock = threading.Lock()
    built: list[T] = []

    @wraps(build)
    def get() -> T:
        if not built:
            with lock:
                if not built:
                    built.append(build())
        return built[0]

    def cache_clear() -> None:
        """Forget what was built (tests that swap a data file), as `lru_cache` allows."""
        with lock:
            built.clear()

    get.cache_clear = cache_clear  # type: ignore[attr-defined]
    return get


@once
def get_nlp() -> Language:
    """The shared pipeline: blank English with the lookup lemmatiser."""
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup table from spacy-lookups-data
    return nlp


@once
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
