"""Matching carers' words to the directory's needs vocabulary ("grab rails", "commode", ...).

Built from whatever vocabulary the directory holds at the time: no training, so a maintainer's new
synonym works as soon as the caller rebuilds the matcher. Matching is on lowercase lemmas (so
"commodes" finds "commode" and "grab rail" finds "grab rails"), with a compact form that ignores
spaces and hyphens ("wheel chair", "stair-lift"). Longer matches win over the shorter ones inside them.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import PhraseMatcher

from bot.language.nlp import english_words, get_nlp, safe_lower

_SAME_LENGTH = str.maketrans({"\u2019": "'", "\u2018": "'", "-": " ", "\u2010": " ", "\u2011": " ",
                              "\u2012": " ", "\u2013": " ", "/": " ", "_": " "})
_EXACT, _LEMMA, _COMPACT = 1.0, 0.9, 0.8


@dataclass(frozen=True)
class NeedMatch:
    term_id: str
    phrase: str     # the vocabulary phrase that matched
    start: int      # character offsets in the text given to match()
    end: int
    score: float    # 1.0 exact words, 0.9 same lemmas, 0.8 spacing/hyphen variant


def _prepare(text: str) -> str:
    """Lowercase, hyphens and slashes as spaces: same length, so offsets stay true."""
    return safe_lower(text).translate(_SAME_LENGTH)


def _plural_stripped(word: str) -> str:
    if len(word) > 4 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _verb_for_noun(phrase: str, words: tuple[str, ...]) -> bool:
    """A one-word -ing phrase ("fitting", "dressing") matched only by its verb's other forms."""
    return " " not in phrase.strip() and phrase.lower().endswith("ing") and not words[-1].endswith("ing")


def _one_edit(word: str) -> set[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
            | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters})


class NeedMatcher:
    """A phrase matcher over (term_id, phrases) built once; match() is a few milliseconds.

    Everything is built in the constructor and only read afterwards, so one matcher serves many
    threads at once (the action server answers several carers together).
    """

    def __init__(self, terms: Iterable[tuple[str, Iterable[str]]]):
        nlp = get_nlp()
        self._nlp = nlp
        self._matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self._by_lemmas: dict[tuple[str, tuple[str, ...]], str] = {}
        self._by_lower: dict[tuple[str, tuple[str, ...]], str] = {}
        self._compact: dict[str, list[tuple[str, str]]] = {}
        entries: list[tuple[str, str]] = []
        for term_id, phrases in terms:
            for phrase in phrases:
                if not isinstance(phrase, str):
                    continue
                cleaned = re.sub(r"\s+", " ", _prepare(phrase)).strip()
                if cleaned and re.search(r"[a-z0-9]", cleaned):
                    entries.append((str(term_id), phrase.strip()))
        texts = [re.sub(r"\s+", " ", _prepare(p)).strip() for _, p in entries]
        patterns: dict[str, list] = {}
        for (term_id, phrase), doc in zip(entries, nlp.pipe(texts), strict=True):
            words = [t for t in doc if not t.is_space]
            if not words or all(t.text in STOP_WORDS or t.is_punct for t in words):
                continue  # "the", "and": would match every message
            lemmas = tuple(t.lemma_ for t in words)
            lowers = tuple(t.text for t in words)
            self._by_lemmas.setdefault((term_id, lemmas), phrase)
            self._by_lower.setdefault((term_id, lowers), phrase)
            patterns.setdefault(term_id, []).append(doc)
            for compact in {"".join(lowers), "".join(lemmas), _plural_stripped("".join(lowers))}:
                if len(compact) >= 5:
                    bucket = self._compact.setdefault(compact, [])
                    if (term_id, phrase) not in bucket:
                        bucket.append((term_id, phrase))
        for term_id, docs in patterns.items():
            self._matcher.add(term_id, docs)
        self.size = len(entries)
        # Words a typo may be mended to, and the English words that are never "mended".
        self._words = {w for _, phrase in self._by_lower for w in phrase if w.isalpha() and len(w) >= 6}
        self._english = english_words()
        # Callers' results per text, valid for this vocabulary only: a new matcher starts empty.
        self.memo: dict[str, tuple[str, ...]] = {}

    def _respell(self, text: str) -> str:
        """Mend one-letter typos in long words ("assesment", "wheelchiar") against the vocabulary.

        Only words that are neither in the vocabulary nor English, and that are one edit from
        exactly one vocabulary word, are changed, so real words are never "corrected". A mended
        word may shift later offsets by a character; callers use the term ids, not the offsets.
        """
        def mend(match: re.Match) -> str:
            word = match.group(0)
            if word in self._words or word in self._english or word[:-1] in self._words \
                    or word[:-2] in self._words:
                return word  # known, or a plural the lemma matcher handles
            found = _one_edit(word) & self._words
            return found.pop() if len(found) == 1 else word

        return re.sub(r"[a-z]{6,}", mend, text)

    def match(self, text: str) -> list[NeedMatch]:
        """Matches in `text`, best first: one per term, overlaps resolved in favour of longer phrases."""
        if not isinstance(text, str) or not text.strip():
            return []
        prepared = self._respell(_prepare(text[:20000]))
        doc = self._nlp(prepared)
        vocab = self._nlp.vocab.strings
        cands: list[tuple[int, int, str, str, float]] = []  # token start, end, term, phrase, score
        for mid, s, e in self._matcher(doc):
            term_id = vocab[mid]
            words = [t for t in doc[s:e] if not t.is_space]
            lemmas = tuple(t.lemma_ for t in words)
            lowers = tuple(t.text for t in words)
            exact = self._by_lower.get((term_id, lowers))
            phrase = exact or self._by_lemmas.get((term_id, lemmas)) or doc[s:e].text
            if not exact and _verb_for_noun(phrase, lowers):
                continue  # "who can fit them" is not "fitting" (a seizure)
            cands.append((s, e, term_id, phrase, _EXACT if exact else _LEMMA))
        # spacing variants: "wheel chair" ~ "wheelchair", "stairlifts" ~ "stair lift"
        n = len(doc)
        for s in range(n):
            if not doc[s].is_alpha:
                continue
            for size in (1, 2, 3):
                e = s + size
                if e > n or not all(t.is_alpha for t in doc[s:e]):
                    break
                lowers = "".join(t.text for t in doc[s:e])
                lemmas = "".join(t.lemma_ for t in doc[s:e])
                for key in {lowers, lemmas, _plural_stripped(lowers)}:
                    for term_id, phrase in self._compact.get(key, ()):
                        if size == 1 and not re.search(r"[\s-]", phrase.strip()):
                            # one word for one word is the phrase matcher's to judge (with its
                            # guards): "dressing" a person is not "dressings", nor "house" "housing"
                            continue
                        cands.append((s, e, term_id, phrase, _COMPACT))
        # longest first, then best score; keep the ones that do not overlap a better one
        cands.sort(key=lambda c: (-(c[1] - c[0]), -c[4], c[0]))
        chosen: list[tuple[int, int, str, str, float]] = []
        for c in cands:
            clash = False
            for k in chosen:
                if c[0] < k[1] and k[0] < c[1] and not (c[0] == k[0] and c[1] == k[1]):
                    clash = True
                    break
                if c[0] == k[0] and c[1] == k[1] and c[2] == k[2]:
                    clash = True  # same term, same words: already have the better one
                    break
            if not clash:
                chosen.append(c)
        best: dict[str, NeedMatch] = {}
        for s, e, term_id, phrase, score in chosen:
            span = doc[s:e]
            m = NeedMatch(term_id, phrase, span.start_char, span.end_char, score)
            old = best.get(term_id)
            if old is None or (m.score, m.end - m.start) > (old.score, old.end - old.start):
                best[term_id] = m
        return sorted(best.values(), key=lambda m: (-m.score, -(m.end - m.start), m.start))
