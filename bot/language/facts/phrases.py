"""The phrase vocabulary (conditions, medicines, needs, services), matched on lemmas, with one-typo
matching for longer condition and medicine names."""
from __future__ import annotations

from dataclasses import dataclass

from spacy.matcher import PhraseMatcher
from spacy.util import filter_spans

from bot.language import medicines
from bot.language.nlp import english_words, get_nlp, once
from bot.language.parse import Parsed
from bot.language.text import clean
from bot.language.vocabulary import CONDITIONS, MEDICINES, NEEDS, SERVICES, Term


@dataclass
class _Vocab:
    matcher: PhraseMatcher
    terms: dict[str, Term]
    adjectives: dict[tuple[str, ...], Term]
    fuzzy: dict[str, list[tuple[str, Term]]]

    def add_extra(self, term: Term) -> str:
        """A term found outside the vocabulary (the drug dictionary): register it under an id."""
        tid = f"x:{term.key}"
        self.terms.setdefault(tid, term)
        return tid


def _norm_phrase(phrase: str) -> str:
    return clean(phrase).lower()


@once
def vocab() -> _Vocab:
    nlp = get_nlp()
    matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
    terms: dict[str, Term] = {}
    adjectives: dict[tuple[str, ...], Term] = {}
    fuzzy: dict[str, list[tuple[str, Term]]] = {}
    for n, term in enumerate(CONDITIONS + MEDICINES + NEEDS + SERVICES):
        tid = f"t{n}"
        terms[tid] = term
        phrases = sorted({_norm_phrase(p) for p in term.phrases})
        matcher.add(tid, list(nlp.pipe(phrases)))
        for a in term.adjective:
            adjectives[tuple(_norm_phrase(a).split())] = term
        if term.category in ("condition", "medicine"):
            for p in phrases:
                if " " not in p and len(p) >= 7 and p.isalpha():
                    for d in _deletes(p):
                        fuzzy.setdefault(d, []).append((p, term))
    return _Vocab(matcher, terms, adjectives, fuzzy)


def _deletes(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1:] for i in range(len(word))}


def _damerau1(a: str, b: str) -> bool:
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    if len(a) > len(b):
        a, b = b, a
    return any(b[:i] + b[i + 1:] == a for i in range(len(b)))


@dataclass
class Hit:
    start: int
    end: int
    term: Term
    surface: str


def phrase_hits(p: Parsed) -> list[Hit]:
    v = vocab()
    doc = p.doc
    spans = []
    for mid, s, e in v.matcher(doc):
        span = doc[s:e]
        span.label_ = get_nlp().vocab.strings[mid]
        spans.append(span)
    # misspelt long words ("donepazil", "alzhiemers"): one edit away from a known word
    english = english_words()
    for t in doc:
        w = t.text
        if len(w) < 7 or not w.isalpha() or w in english:
            continue
        cands = set()
        for d in _deletes(w):
            for word, term in v.fuzzy.get(d, ()):
                if _damerau1(w, word):
                    cands.add(term)
        if len(cands) == 1:
            term = cands.pop()
            tid = next(k for k, x in v.terms.items() if x is term)
            span = doc[t.i:t.i + 1]
            span.label_ = tid
            spans.append(span)
    # medicines the vocabulary lacks, from the maintained drug dictionary ("keppra", "fampridine")
    covered = {i for span in spans for i in range(span.start, span.end)}
    for t in doc:
        if t.i in covered or not t.text.isalpha() or len(t.text) < 4:
            continue
        for size in (2, 1):
            words = doc[t.i:t.i + size]
            if len(words) < size or any(w.i in covered for w in words):
                continue
            term = medicines.term_for(words.text)
            if term is not None:
                tid = v.add_extra(term)
                span = doc[t.i:t.i + size]
                span.label_ = tid
                spans.append(span)
                covered.update(range(t.i, t.i + size))
                break
    # a word no dictionary knows, said before a dosage form: "a matrifen patch", "hylo forte drops"
    for t in doc:
        if t.i in covered or not t.text.isalpha():
            continue
        for skip in (0, 1):  # one strength word may come between: "hylo forte drops"
            at = t.i + 1 + skip
            if at >= len(doc):
                break
            if skip and (at - 1 in covered or len(doc[at - 1].text) > 6 or not doc[at - 1].text.isalnum()):
                break
            form = _form_at(doc, at)
            term = medicines.by_form(t.text, " ".join(form)) if form else None
            # the form may already be a generic medicine ("eye drops"): the longer span wins
            if term is not None and not any(i in covered for i in range(t.i, at)):
                tid = v.add_extra(term)
                span = doc[t.i:at + len(form)]
                span.label_ = tid
                spans.append(span)
                covered.update(range(t.i, at + len(form)))
                break
    spans = filter_spans(spans)
    # map spaCy token indices (which include skipped spaces) to ours
    by_char = {t.start: t.i for t in p.toks}
    by_end = {t.end: t.i + 1 for t in p.toks}
    hits = []
    for span in spans:
        a, b = by_char.get(span.start_char), by_end.get(span.end_char)
        if a is None or b is None:
            continue
        hits.append(Hit(a, b, v.terms[span.label_], span.text))
    hits.sort(key=lambda h: h.start)
    merged: list[Hit] = []
    for h in hits:
        if merged and h.term.key in _GENERIC_MEDICINES and merged[-1].term.category == "medicine" and \
                merged[-1].end == h.start:
            merged[-1].end = h.end
            continue
        merged.append(h)
    return merged


_GENERIC_MEDICINES = {"medicine:inhaler", "medicine:eye drops", "medicine:painkillers", "medicine:steroids",
                      "medicine:antibiotics", "medicine:insulin"}


def _form_at(doc, i: int) -> tuple[str, ...] | None:
    """The dosage form starting at token i ("eye drops", "patch"), if any."""
    for form in medicines.dosage_forms():
        words = doc[i:i + len(form)]
        if len(words) == len(form) and tuple(w.text.lower() for w in words) == form:
            return form
    return None

