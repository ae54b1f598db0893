"""Needs by meaning: a classifier over sentence embeddings, for words no phrase in the vocabulary has.

Phrase matching (bot.language.needs) stays first: it is exact, and a maintainer's new synonym works
at once. This classifier is the second opinion when no phrase matched: a multinomial logistic
regression over all-MiniLM-L6-v2 embeddings (bot.language.embedding), trained by `make model` on
the rule book's own words and explanations, paraphrases written for training and the project's
older test questions (bot.directory.need_training builds that set). It is saved as plain arrays
(no pickle) under models/needs/ and never trained at run time.
"""
from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from bot.language.embedding import Embedder, embedder

log = logging.getLogger(__name__)

# ONESTORY_NEEDS_MODEL_DIR: a private copy, so one checkout can train and try its own classifier
# without replacing the one that models/ (often shared between checkouts) holds.
MODEL_DIR = Path(os.environ.get("ONESTORY_NEEDS_MODEL_DIR") or Path(__file__).resolve().parents[2] / "models" / "needs")
ARRAYS, META = "classifier.npz", "meta.json"


@dataclass(frozen=True)
class NeedGuess:
    """A need the words seem to be about, and how sure the classifier is (a probability, 0 to 1)."""

    code: str
    score: float


class NeedClassifier:
    """Need codes for a sentence, best first, with probabilities that add up to one."""

    def __init__(self, classes: Sequence[str], coef: np.ndarray, intercept: np.ndarray,
                 meta: Optional[dict] = None, encoder: Optional[Embedder] = None,
                 examples: Optional[np.ndarray] = None):
        self.classes = list(classes)
        self.coef = np.asarray(coef, dtype=np.float32)
        self.intercept = np.asarray(intercept, dtype=np.float32)
        # The training sentences' embeddings: how close a message is to anything it learned from
        # tells "not about any need" (potholes, passports) from "about one I can't place".
        self.examples = np.asarray(examples if examples is not None else np.zeros((0, coef.shape[1])),
                                   dtype=np.float32)
        self.meta = dict(meta or {})
        self._encoder = encoder

    @property
    def encoder(self) -> Embedder:
        return self._encoder or embedder()

    # --- training ---------------------------------------------------------------------------

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], *, encoder: Optional[Embedder] = None,
            strength: float = 20.0, meta: Optional[dict] = None,
            vectors: Optional[np.ndarray] = None) -> NeedClassifier:
        """Train on (text, need code) pairs. `strength` is the inverse of the L2 penalty; `vectors`,
        when given, are the texts' embeddings already computed (a cache)."""
        from sklearn.linear_model import LogisticRegression

        enc = encoder or embedder()
        if vectors is None:
            vectors = enc.embed(list(texts))
        model = LogisticRegression(C=strength, max_iter=2000, class_weight="balanced")
        model.fit(vectors, list(labels))
        coef, intercept = model.coef_, model.intercept_
        if len(model.classes_) == 2:  # scikit-learn keeps one row for two classes: softmax([0, z]) = sigmoid
            coef, intercept = np.vstack([np.zeros_like(coef), coef]), np.concatenate([[0.0], intercept])
        return cls(list(model.classes_), coef, intercept,
                   {**(meta or {}), "examples": len(texts), "strength": strength}, encoder, vectors)

    # --- using it ---------------------------------------------------------------------------

    def probabilities(self, vectors: np.ndarray) -> np.ndarray:
        logits = vectors @ self.coef.T + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        exp = np.exp(logits)
        return exp / exp.sum(axis=1, keepdims=True)

    def guess(self, text: str, k: int = 3) -> list[NeedGuess]:
        """The k likeliest needs for the text; [] for empty text."""
        return self.read(text, k)[0]

    def read(self, text: str, k: int = 3) -> tuple[list[NeedGuess], float]:
        """The k likeliest needs, and the text's familiarity: its cosine similarity to the nearest
        training sentence (about 0.3 for "who fixes potholes", 0.6 or more for carers' questions)."""
        if not isinstance(text, str) or not text.strip():
            return [], 0.0
        return self.read_many([text], k)[0]

    def guess_many(self, texts: Sequence[str], k: int = 3) -> list[list[NeedGuess]]:
        return [guesses for guesses, _ in self.read_many(texts, k)]

    def read_many(self, texts: Sequence[str], k: int = 3) -> list[tuple[list[NeedGuess], float]]:
        vectors = self.encoder.embed(list(texts))
        probs = self.probabilities(vectors)
        familiar = (vectors @ self.examples.T).max(axis=1) if len(self.examples) else np.ones(len(texts))
        out = []
        for row, near in zip(probs, familiar, strict=True):
            best = np.argsort(-row)[:k]
            out.append(([NeedGuess(self.classes[i], round(float(row[i]), 4)) for i in best], float(near)))
        return out

    # --- saving -----------------------------------------------------------------------------

    def save(self, directory: Path = MODEL_DIR) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(directory / ARRAYS, coef=self.coef, intercept=self.intercept,
                            examples=self.examples.astype(np.float16))
        (directory / META).write_text(json.dumps({**self.meta, "classes": self.classes}, indent=1) + "\n")

    @classmethod
    def load(cls, directory: Path = MODEL_DIR) -> NeedClassifier:
        meta = json.loads((directory / META).read_text())
        with np.load(directory / ARRAYS) as arrays:
            coef, intercept, examples = arrays["coef"], arrays["intercept"], arrays["examples"]
        classes = meta.pop("classes")
        return cls(classes, coef, intercept, meta, examples=examples)


_LOADED: Optional[NeedClassifier] = None
_MISSING = False
_LOCK = threading.Lock()


def classifier() -> Optional[NeedClassifier]:
    """The trained classifier, or None when `make model` has not trained one (said once in the log)."""
    global _LOADED, _MISSING
    with _LOCK:
        if _LOADED is None and not _MISSING:
            try:
                _LOADED = NeedClassifier.load()
            except (OSError, KeyError, ValueError):
                _MISSING = True
                log.warning("no need classifier under %s: run `make model`; phrase matching only", MODEL_DIR)
        return _LOADED


def reset() -> None:
    """Forget the loaded classifier (after retraining, and in tests)."""
    global _LOADED, _MISSING
    with _LOCK:
        _LOADED, _MISSING = None, False
