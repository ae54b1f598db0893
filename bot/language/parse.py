"""A message as tokens, clauses and sentences: the structure the fact rules read."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from bot.language.nlp import get_nlp, safe_lower

# Lemma fixes for the lookup table's quirks ("does" -> "doe", "'s" -> "have", "ca" + "n't").
_LEMMA_FIX = {"does": "do", "doe": "do", "nt": "not", "n't": "not", "ca": "can", "wo": "will", "sha": "shall",
              "'re": "be", "re": "be", "'m": "be", "m": "be", "'ve": "have", "ve": "have", "'d": "would",
              "d": "would", "'ll": "will", "ll": "will", "'s": "'s", "s": "'s", "got": "got", "left": "left",
              "better": "better", "worse": "worse", "falls": "fall", "fell": "fall", "cannot": "can",
              "dies": "die", "died": "die", "carers": "carer", "meds": "meds", "lives": "live", "saw": "see",
              "number": "number", "glasses": "glasses", "was": "be", "were": "be"}
CLAUSE_WORDS = {"but", "however", "although", "though", "whereas", "because", "while", "whilst", "unless",
                "except", "so", "then", "plus", "otherwise"}
_SENT_PUNCT = {".", "!", "?", "...", "..", "!!", "??", "?!"}
_CLAUSE_PUNCT = {",", ";", ":", "(", ")", "-", "–", "—", '"', "/"}


@dataclass
class Tok:
    i: int
    low: str      # lowercase text
    orig: str     # as the carer typed it (capitals kept)
    lemma: str
    start: int    # character offsets in the cleaned text
    end: int


class Parsed:
    """Tokens of one cleaned message, with clause and sentence boundaries."""

    def __init__(self, text: str):
        self.text = text
        self.low = safe_lower(text)
        doc = get_nlp()(self.low)
        self.doc = doc
        toks: list[Tok] = []
        for t in doc:
            if t.is_space and "\n" not in t.text:
                continue
            low = t.text
            lemma = _LEMMA_FIX.get(low, t.lemma_ or low)
            toks.append(Tok(len(toks), low, text[t.idx:t.idx + len(t.text)], lemma, t.idx, t.idx + len(t.text)))
        self.toks = toks
        self.starts = [t.start for t in toks]
        self.sent_break = [False] * len(toks)
        self.clause_break = [False] * len(toks)
        for t in toks:
            if t.low in _SENT_PUNCT or "\n" in t.low or re.fullmatch(r"[.!?]+", t.low):
                self.sent_break[t.i] = self.clause_break[t.i] = True
            elif t.low in _CLAUSE_PUNCT or t.low in CLAUSE_WORDS:
                self.clause_break[t.i] = True

    def __len__(self) -> int:
        return len(self.toks)

    def tok_at(self, char: int) -> int:
        """Index of the token that contains or starts after this character."""
        i = bisect.bisect_right(self.starts, char) - 1
        if i < 0:
            return 0
        if i < len(self.toks) and self.toks[i].end <= char and i + 1 < len(self.toks):
            return i + 1
        return i

    def clause_start(self, i: int) -> int:
        j = min(i, len(self.toks)) - 1
        while j >= 0 and not self.clause_break[j]:
            j -= 1
        return j + 1

    def clause_end(self, i: int) -> int:
        j = i
        while j < len(self.toks) and not self.clause_break[j]:
            j += 1
        return j

    def sent_start(self, i: int) -> int:
        j = min(i, len(self.toks)) - 1
        while j >= 0 and not self.sent_break[j]:
            j -= 1
        return j + 1

    def sent_end(self, i: int) -> int:
        j = i
        while j < len(self.toks) and not self.sent_break[j]:
            j += 1
        return j

    def char_of(self, i: int) -> int:
        return self.toks[i].start if i < len(self.toks) else len(self.text)

    def span_text(self, i: int, j: int, orig: bool = False) -> str:
        if i >= j:
            return ""
        a, b = self.toks[i].start, self.toks[j - 1].end
        return (self.text if orig else self.low)[a:b]
