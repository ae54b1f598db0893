"""What a carer's message says that belongs in the family care record.

`understand(text)` reads one message in the carer's own words and returns the people it is about,
the facts it states (several per message, any order), the facts it says are no longer true, and
whether it invites a family member. Rules, not a trained model: every fact needs evidence in the
sentence (a verb like "has" or "takes", a possessive, a dose), and hedged, negated or questioned
mentions are never stored as facts. A missing fact is better than a wrong one in a care record.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.util import filter_spans

from bot.language import access, dates, medicines
from bot.language.allergies import allergy_facts
from bot.language.attribution import OTHER, Attribution
from bot.language.careplans import care_plan_facts
from bot.language.context import Context
from bot.language.mentions import SELF, Mention, PersonMention, find_mentions, name_at
from bot.language.nlp import english_words, get_nlp, once
from bot.language.parse import Parsed
from bot.language.professionals import professional_facts
from bot.language.text import clean, looks_english
from bot.language.vocabulary import (
    APPOINTMENT_TARGETS,
    APPOINTMENT_WORDS,
    CARER_NOT_SERVICE,
    CONDITIONS,
    HELP_ACTIVITIES,
    MEDICINES,
    NEEDS,
    POSTCODE_AREAS,
    PRACTICE_SUFFIXES,
    RELATIONSHIPS,
    SERVICES,
    SPOKEN_LANGUAGES,
    STREET_SUFFIXES,
    WEAK_SERVICES,
    Term,
)
from bot.phone import PHONE_PATTERN, normalise

__all__ = ["CATEGORIES", "PersonMention", "ExtractedFact", "Invitation", "Understanding", "understand"]

CATEGORIES = ("condition", "medicine", "allergy", "equipment", "need", "access", "preference", "communication",
              "gp", "address", "service", "professional", "appointment", "event", "personal", "situation",
              "care_plan")


@dataclass(frozen=True)
class ExtractedFact:
    category: str              # one of CATEGORIES
    key: str                   # identity used to supersede/correct, e.g. "medicine:donepezil"
    value: str                 # short carer-facing text, e.g. "donepezil 10mg at night"
    subject: PersonMention | None   # whom it is about; None = the cared-for person already in context
    detail: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Invitation:
    name: str | None
    relationship: str | None
    phone: str | None          # E.164 (bot.phone.normalise)


@dataclass
class Understanding:
    people: list[PersonMention] = field(default_factory=list)
    facts: list[ExtractedFact] = field(default_factory=list)
    ended_keys: list[str] = field(default_factory=list)
    hedged: list[ExtractedFact] = field(default_factory=list)  # suspected conditions, kept in the carer's words
    negated_keys: list[str] = field(default_factory=list)  # those of ended_keys said never to have been so
    is_correction: bool = False
    invitation: Invitation | None = None
    subject: PersonMention | None = None
    postcode: str | None = None
    rest: list[tuple[PersonMention | None, str]] = field(default_factory=list)  # told, but not structured


# --- word classes used by the rules ---------------------------------------------------------
_HEDGE_WORDS = {"might", "may", "could", "possibly", "possible", "probably", "maybe", "perhaps", "suspect",
                "suspected", "query", "queried", "?", "if", "whether", "unsure", "wonder", "wondering",
                "worried", "worry", "worries", "afraid", "scared", "fear", "fears", "concerned", "risk",
                "prevent", "think", "thinks", "thought", "likely", "unlikely", "test", "tested", "testing",
                "assess", "assessed", "assessing", "investigate", "investigating", "investigated", "signs",
                "sign", "symptoms", "symptom", "early", "checking", "check", "checked", "suspicion", "seems",
                "seem", "looks", "sounds", "guess", "hopefully", "hope", "want", "wants", "wanted", "would",
                "should", "shall", "supposed", "rule", "whatever", "any", "anyone", "someone", "somebody",
                "people", "everyone", "anybody", "person", "patients", "families", "sufferers", "those",
                "others", "information", "info", "advice", "leaflet", "leaflets", "about", "waiting", "wait",
                "referral", "referred", "refer", "diagnose?"}
_HEDGE_PHRASES = re.compile(
    r"not sure|don'?t know|no idea|not certain|in case|what if|even if|ruled? out|signs of|symptoms of|risk of|"
    r"tested for|test for|assessed for|checked for|checking for|investigated for|referred for|referral for|"
    r"waiting for a diagnosis|could be|might be|may be|looks like|sounds like|thinks? it'?s|they think|"
    r"would like|want(?:s|ed)? to|need(?:s|ed)? to know")
_GENERIC_PEOPLE = {"someone", "somebody", "people", "anyone", "anybody", "person", "patients", "those",
                   "sufferers", "everyone", "others", "carers", "families", "children", "adults", "man",
                   "woman", "men", "women", "folk"}
_WH = {"who", "what", "where", "when", "why", "how", "which", "whats", "what's", "who's", "whos", "hows",
       "how's", "where's", "wheres", "whom", "whose"}
_AUX_Q = {"do", "does", "did", "can", "could", "should", "would", "will", "shall", "may", "might", "must",
          "is", "are", "has", "have", "was", "were", "am", "ca", "wo", "sha"}
_FILLERS = {"and", "so", "but", "also", "ok", "okay", "hi", "hello", "please", "um", "well", "oh", "just",
            "sorry", "yes", "no", "thanks", "right", "hiya", "hey", "then", "x", "xx", "&",
            "actually", "anyway", "plus", "or"}
_MODIFIERS = {"a", "an", "the", "some", "early", "late", "onset", "mild", "moderate", "severe", "advanced",
              "bad", "really", "very", "quite", "also", "now", "just", "still", "already", "type", "stage",
              "end", "terminal", "chronic", "acute", "progressive", "suspected", "diagnosed", "possible",
              "secondary", "aggressive", "new", "bit", "of", "little", "slight", "touch", "recent", "another",
              "serious", "massive", "small", "big", "major", "minor", "nasty", "second", "third", "two", "few",
              "couple", "several", "young", "4", "3", "2", "1", "form", "kind", "sort", "awful",
              "terrible", "worsening", "developing", "developed", "got", "gotten", "pretty", "extremely",
              "profound", "profoundly", "complex", "significant", "its", "probable", "full", "blown",
              "recurrent", "frequent", "regular", "constant", "repeated", "low", "high", "medium", "dose",
              "daily", "her", "his", "their", "my", "our", "mum's", "dad's", "own", "usual", "normal",
              "current", "same", "prescribed"}
_GLUE = re.compile(r"^(?:[\s,&/+]|and|or|also|plus|as well as|as well|nor|then|too|with|both|alongside|"
                   r"along with|not|no|either|neither)*$")

# triggers per category, on lemmas
_HAVE = {"have", "got", "suffer", "diagnose", "with", "develop", "battle", "fight", "recover", "live", "due",
         "diagnosis", "caused", "'ve", "'d", "get", "had", "has"}
_TAKE = {"take", "on", "prescribe", "give", "start", "have", "got", "use", "inject", "need", "increase",
         "reduce", "change", "switch", "put", "try", "trial", "taking", "had", "has", "'ve", "get", "onto",
         "dose", "receive", "restart", "continue", "uses"}
_NEED = {"need", "use", "have", "got", "with", "in", "on", "require", "rely", "depend", "deliver", "provide",
         "order", "arrange", "fit", "install", "issue", "waiting", "await", "lend", "loan",
         "given", "give", "'ve", "has", "had", "through", "via"}
_SERVICE = {"have", "got", "see", "visit", "come", "attend", "under", "involve", "refer", "from", "with",
            "arrange", "start", "use", "go", "'ve", "has", "had", "by", "get", "receive", "'s", "sees",
            "support"}
_ENDERS = {"stop", "stopped", "discontinue", "discontinued", "cancel", "cancelled", "quit", "finish",
           "finished", "withdraw", "withdrawn", "halt", "ceased", "cease"}
_SWITCH = {"switch", "switched", "change", "changed", "swap", "swapped", "move", "moved", "replace",
           "replaced"}
_POSSESSIVE = {"her", "his", "their", "'s", "s"}


# --- the phrase vocabulary, matched on lemmas ----------------------------------------------------
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
def _vocab() -> _Vocab:
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
class _Hit:
    start: int
    end: int
    term: Term
    surface: str


def _phrase_hits(p: Parsed) -> list[_Hit]:
    v = _vocab()
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
    spans = filter_spans(spans)
    # map spaCy token indices (which include skipped spaces) to ours
    by_char = {t.start: t.i for t in p.toks}
    by_end = {t.end: t.i + 1 for t in p.toks}
    hits = []
    for span in spans:
        a, b = by_char.get(span.start_char), by_end.get(span.end_char)
        if a is None or b is None:
            continue
        hits.append(_Hit(a, b, v.terms[span.label_], span.text))
    hits.sort(key=lambda h: h.start)
    merged: list[_Hit] = []
    for h in hits:
        if merged and h.term.key in _GENERIC_MEDICINES and merged[-1].term.category == "medicine" and \
                merged[-1].end == h.start:
            merged[-1].end = h.end
            continue
        merged.append(h)
    return merged


_GENERIC_MEDICINES = {"medicine:inhaler", "medicine:eye drops", "medicine:painkillers", "medicine:steroids",
                      "medicine:antibiotics", "medicine:insulin"}


# --- the message being read ------------------------------------------------------------------------
class _Reader:
    def __init__(self, text: str, known: frozenset[str] = frozenset()):
        self.p = Parsed(text)
        self.mentions = find_mentions(self.p, known)
        self.attribution = Attribution(self.p, self.mentions)
        self.facts: list[tuple[int, ExtractedFact, Mention | None]] = []
        self.ended: list[str] = []
        self.suspected: list[tuple[int, ExtractedFact]] = []
        self.denied: list[str] = []
        self.context = Context(self.p)  # ConText: negated, ended, hypothetical, suspected, someone else's
        self.used: set[int] = set()   # tokens already explained by a fact

    # -- helpers over tokens --
    @property
    def toks(self):
        return self.p.toks

    def low(self, i: int) -> str:
        return self.p.toks[i].low if 0 <= i < len(self.p) else ""

    def lem(self, i: int) -> str:
        return self.p.toks[i].lemma if 0 <= i < len(self.p) else ""

    def window(self, i: int, back: int = 10) -> range:
        cs = self.p.clause_start(i)
        return range(max(cs, i - back), i)

    def hedged(self, i: int, allow: frozenset = frozenset()) -> bool:
        """A hedge, condition or generic subject before token i in the same clause."""
        cs = self.p.clause_start(i)
        ss = self.p.sent_start(i)
        for j in range(max(cs, i - 12), i):
            w, lem = self.low(j), self.lem(j)
            if w in allow:
                continue
            if w in _HEDGE_WORDS or lem in ("think", "wonder", "worry", "suspect", "test", "assess", "check"):
                if w == "may" and self.low(j - 1) in ("in", "on", "since", "of", "early", "mid", "end"):
                    continue
                if w in ("early",) and self.low(j + 1) in ("onset", "stage", "stages"):
                    continue
                if w == "about" and j > ss and self.low(j - 1) in ("worried", "talk", "talking", "know", "told"):
                    return True
                if w == "about":
                    continue
                if w in ("waiting", "wait") and self.low(j + 1) in ("for", "on"):
                    return True
                if w in ("waiting", "wait", "any", "want", "wants", "wanted", "should", "would", "referred",
                         "refer", "referral", "information", "info", "advice"):
                    continue
                return True
        # "not sure", "don't know if"
        text = self.p.low[self.p.char_of(max(ss, i - 14)):self.p.char_of(i)]
        return bool(_HEDGE_PHRASES.search(text))

    def question_clause(self, i: int) -> bool:
        """Is token i inside a question ("does she have...", "what is dementia")?"""
        cs = self.p.clause_start(i)
        j = cs
        while j < i and self.low(j) in _FILLERS:
            j += 1
        first = self.low(j)
        if first in _WH:
            return True
        if first in _AUX_Q or self.lem(j) in _AUX_Q:
            nxt = self.low(j + 1)
            if nxt in ("n't", "not"):
                nxt = self.low(j + 2)
            return nxt in ("she", "he", "they", "it", "i", "you", "we", "my", "your", "her", "his", "there",
                           "mum", "dad", "someone", "anyone", "this", "that") or nxt in RELATIONSHIPS or \
                nxt.isalpha() and self.toks[min(j + 1, len(self.p) - 1)].orig[:1].isupper()
        return False

    def relative_ok(self, t: int) -> bool:
        """'my dad who has Parkinson's': a statement inside a question."""
        return self.low(t - 1) in ("who", "that", "which") and any(
            m.end in (t - 1, t - 2) and m.kind in ("rel", "name") for m in self.mentions)

    def negated_before(self, t: int, end: int | None = None) -> str | None:
        """'ended' ("used to", "no longer", "any more") or 'neg' ("doesn't", "no", "never") for the
        words at t..end, as ConText reads their clause; None when neither."""
        return _negation(self.context.at(t, end))

    def after_says_ended(self, e: int) -> bool:
        ce = self.p.clause_end(e)
        text = self.p.low[self.p.char_of(e):self.p.char_of(min(ce, e + 6))]
        return bool(re.match(r"^\s*(?:[\w']+\s+){0,2}?(?:any ?more|no more|no longer|now stopped|"
                             r"(?:was|were|has been|have been|'s been|got|is|are)\s+(?:now\s+)?(?:stopped|"
                             r"discontinued|cancelled|withdrawn|taken away|ruled out)|stopped|discontinued)\b",
                             text))

    def subject_for(self, tok: int) -> Mention | list[Mention] | None:
        return self.attribution.subject_at(tok)

    def add(self, tok: int, fact: ExtractedFact, mention: Mention | None = None,
            span: tuple[int, int] | None = None) -> None:
        if any(f.key == fact.key and f.value == fact.value for _, f, _ in self.facts):
            return
        subject = mention if mention is not None else self.subject_for(tok)
        if subject is OTHER:
            return  # about someone outside the family
        self.facts.append((tok, fact, subject))
        if span:
            self.used.update(range(*span))

    def end(self, key: str, negated: bool = False) -> None:
        if key not in self.ended:
            self.ended.append(key)
        if negated and key not in self.denied:
            self.denied.append(key)


def _negation(a) -> str | None:
    if a.historical:
        return "ended"  # "doesn't take it any more": it stopped, it was not denied
    return "neg" if a.negated else None


# --- conditions, medicines, needs, services: vocabulary + evidence --------------------------------
def _verdict(r: _Reader, h: _Hit, triggers: set[str], prev: tuple[_Hit, str] | None) -> str | None:
    """'pos' (a fact), 'neg' (denied), 'ended' (no longer true), or None (no evidence / hedged)."""
    s, e = h.start, h.end
    cat = h.term.category
    cs = r.p.clause_start(s)
    if r.after_says_ended(e) and cat in ("medicine", "condition", "service", "need"):
        return "ended" if not r.hedged(s) else None
    # nearest trigger before the match in the same clause
    for j in range(s - 1, max(cs, s - 9) - 1, -1):
        w = r.low(j)
        trig = None
        adjacent = j == s - 1 or all(r.low(k) in _MODIFIERS or r.low(k).isdigit() for k in range(j + 1, s))
        if adjacent and w in _POSSESSIVE and not (
                w in ("'s", "s") and r.low(j - 1) in ("she", "he", "it", "that", "there", "what", "who")):
            trig = "poss"
        if trig is None:
            trig = _trigger_kind(r, j, h, cs, triggers)
        if trig is None:
            continue
        if r.hedged(j if trig != "poss" else s):
            return None
        if trig == "end":
            return "ended"
        if trig != "poss" and r.question_clause(j) and not r.relative_ok(j):
            return None
        neg = r.negated_before(s, e)  # the mention itself, wherever the "not" sits in its clause
        if neg:
            return neg
        if trig == "poss" and r.question_clause(j) and cat not in ("condition", "medicine", "service"):
            return None
        return "pos"
    # lists: "takes donepezil, memantine and aspirin"
    if prev is not None:
        ph, pv = prev
        if ph.term.category == cat and ph.end <= s:
            gap = r.p.low[r.p.char_of(ph.end):r.p.char_of(s)].strip()
            if cat == "medicine":
                gap = _DOSE_RE.sub(" ", gap)
                gap = _WHEN_RE.sub(" ", gap)
            if _GLUE.match(gap.strip()):
                return pv
            # equipment listed with where it is: "a hospital bed in the front room, a hoist and an air mattress"
            listed = re.search(r"(?:,|\band)\s*(?:a|an|the)?\s*$", gap)
            if cat == "need" and pv == "pos" and s - ph.end <= 10 and listed \
                    and not re.search(r"\b(?:not|no|never|n't|need|needs|but|she|he|they|i|we)\b", gap):
                return pv
    return None


def _is_end_trigger(r: _Reader, j: int, cat: str) -> bool:
    """'stopped', 'came off', 'switched from', 'instead of'."""
    w, lem = r.low(j), r.lem(j)
    if lem in _ENDERS or w in _ENDERS or (w == "off" and cat == "medicine"):
        return True
    if w == "from" and any(r.lem(k) in _SWITCH or r.low(k) in _SWITCH for k in range(j - 2, j)):
        return True
    return w == "of" and r.low(j - 1) == "instead"


def _trigger_kind(r: _Reader, j: int, h: _Hit, cs: int, triggers: set[str]) -> str | None:
    """What token j says about the match after it: 'end', 'pos' or nothing."""
    w, lem = r.low(j), r.lem(j)
    cat = h.term.category
    if _is_end_trigger(r, j, cat):
        return "end"
    if w in ("to", "for", "onto", "with") and any(r.lem(k) in _SWITCH or r.low(k) in _SWITCH
                                                  for k in range(max(cs, j - 5), j)):
        return "pos"
    if lem not in triggers and w not in triggers:
        return None
    if w == "with" and not _with_ok(r, j):
        return None
    if w in ("in", "on") and cat == "need" and not _in_on_need_ok(r, j, h):
        return None
    if w == "on" and cat == "medicine" and r.low(j - 1) in ("go", "went", "carry", "come"):
        return None
    if lem == "get" and w not in ("got", "gets", "getting"):
        return None
    if w == "live" and r.low(j + 1) != "with":
        return None
    if w in ("see", "sees", "seeing", "saw") and cat == "service" and any(
            r.low(k) in ("to", "need", "needs", "want", "wants", "should") for k in range(j - 2, j)):
        return None
    return "pos"


def _with_ok(r: _Reader, j: int) -> bool:
    """'with' counts after a person, 'lives with', 'in hospital with', 'diagnosed with'."""
    prev = r.low(j - 1)
    if prev in _GENERIC_PEOPLE or r.lem(j - 1) in ("help", "support", "advice", "cope", "deal", "struggle",
                                                    "experience", "service", "clinic", "nurse", "group",
                                                    "work", "associate", "link", "connect"):
        return False
    if any(m.end == j for m in r.mentions if m.kind in ("rel", "name", "pron")):
        return True
    if any(r.lem(k) in ("hospital", "admit", "diagnose", "admitted") for k in r.window(j, 10)):
        return True
    return r.lem(j - 1) in ("live", "diagnose", "hospital", "admit", "ill", "unwell", "poorly", "bed",
                            "bedbound", "home", "'s", "be", "up", "down", "off", "struggle", "suffer") or \
        prev in ("living", "diagnosed", "hospital", "admitted", "in", "now", "been", "is", "was", "'s")


def _in_on_need_ok(r: _Reader, j: int, h: _Hit) -> bool:
    key = h.term.key
    if r.low(j) == "on":
        return key in ("need:oxygen", "need:dialysis", "need:thickened fluids", "need:peg feeding",
                       "need:pressure mattress", "need:catheter")
    return key in ("need:wheelchair", "need:hospital bed") and r.low(j + 1) in ("a", "her", "his", "the")


_DOSE = (r"(?:\d+(?:\.\d+)?|half|one|two|three|four|1/2|½)\s*(?:x\s*\d+(?:\.\d+)?\s*)?"
         r"(?:mg|milligrams?|mgs|mcg|micrograms?|µg|ug|g|grams?|ml|mls|millilitres?|units?|puffs?|tablets?|"
         r"capsules?|caps|drops?|sachets?|patch(?:es)?|sprays?|%|iu|mmol)(?![a-z])(?:\s*/\s*\d*\s*(?:ml|hr|hour))?")
_DOSE_RE = re.compile(r"(?:\b|(?<=\s))" + _DOSE)
_WHEN = (r"at night|at bedtime|before bed|at teatime|at tea time|in the mornings?|in the evenings?|"
         r"in the afternoons?|every (?:morning|evening|night|day|other day|week|\d+ hours|four hours|six hours)|"
         r"(?:with|after|before) (?:breakfast|lunch|dinner|tea|food|meals|her meals|his meals|a meal)|"
         r"twice (?:a|per) day|twice daily|once (?:a|per) day|once daily|(?:three|four|3|4) times (?:a|per) day|"
         r"(?:three|four|3|4) times daily|when needed|as needed|as required|when required|if needed|prn|"
         r"daily|weekly|once a week|once a fortnight|monthly|every month|morning and (?:night|evening)|"
         r"mornings|nights|bd|tds|qds|od|nocte|mane|at \d{1,2}(?::\d{2})?\s*(?:am|pm)|at lunchtime|"
         r"at lunch|at dinner time|at breakfast|first thing")
_WHEN_RE = re.compile(r"\b(?:" + _WHEN + r")\b")


def _norm_dose(d: str) -> str:
    d = re.sub(r"\s+", " ", d.strip())
    d = re.sub(r"\s*(milligrams?|mgs)\b", "mg", d)
    d = re.sub(r"^(\d+(?:\.\d+)?)\s+(mg|ml|g|mcg|iu)\b", r"\1\2", d)
    d = re.sub(r"\bmls\b", "ml", d)
    return d


def _medicine_detail(r: _Reader, h: _Hit, next_start: int) -> tuple[str | None, str | None]:
    p = r.p
    a = p.toks[h.end - 1].end
    se = p.sent_end(h.end)
    limit = min(p.char_of(min(next_start, se)), a + 70)
    after = p.low[a:limit]
    dose = when = None
    m = re.match(r"^[\s,:-]*(?:(?:inhaler|tablets?|patch(?:es)?|injections?|liquid|spray|capsules?|pens?|"
                 r"syrup|sachets?)\s+)?(?:at\s+|of\s+|,\s*)?(" + _DOSE + r")", after)
    if m:
        dose = _norm_dose(m.group(1))
    else:
        cs = p.clause_start(h.start)
        before = p.low[p.char_of(max(cs, h.start - 5)):p.toks[h.start].start]
        m2 = re.search(r"(" + _DOSE + r")\s*(?:of\s+)?(?:her\s+|his\s+|the\s+)?$", before)
        if m2:
            dose = _norm_dose(m2.group(1))
    w = _WHEN_RE.search(after)
    if w and not re.search(r"\b(?:and|but|also)\s+(?:she|he|they|i|we)\b", after[:w.start()]):
        when = w.group(0)
    return dose, when


def _phrase_facts(r: _Reader) -> None:
    hits = _phrase_hits(r.p)
    last: dict[str, tuple[_Hit, str]] = {}
    for n, h in enumerate(hits):
        term = h.term
        cat = term.category
        if any(k in r.used for k in range(h.start, h.end)):
            continue
        if cat == "service" and not _service_surface_ok(r, h):
            continue
        said = r.context.at(h.start, h.end)
        if said.status in ("other", "hypothetical"):
            continue  # "my neighbour has MS", "if she gets a chest infection": not a fact about the family
        if said.status == "hedged":
            _suspect(r, h)
            continue
        triggers = {"condition": _HAVE, "medicine": _TAKE, "need": _NEED, "service": _SERVICE}[cat]
        if cat == "condition" and h.surface.split()[0] in ("broke", "broken", "fractured", "had") and \
                r.low(h.start - 1) not in ("a", "the"):
            if r.hedged(h.start) or r.question_clause(h.start) and not r.relative_ok(h.start):
                continue
            verdict = r.negated_before(h.start, h.end) or "pos"
        else:
            verdict = _verdict(r, h, triggers, last.get(cat))
        if verdict is None and cat == "medicine":
            nxt = hits[n + 1].start if n + 1 < len(hits) else len(r.p)
            dose, _ = _medicine_detail(r, h, nxt)
            if dose and not r.hedged(h.start) and not r.question_clause(h.start):
                verdict = "pos"
        if verdict is None and cat in ("service", "need"):
            verdict = _post_trigger(r, h)
        if verdict is None:
            continue
        last[cat] = (h, verdict)
        if verdict in ("neg", "ended"):
            if cat in ("condition", "medicine") or verdict == "ended" or (
                    cat in ("need", "service") and _neg_means_ended(r, h)):
                r.end(term.key, negated=verdict == "neg")
            continue
        _emit_phrase_fact(r, h, hits, n)


def _suspect(r: _Reader, h: _Hit) -> None:
    """"They think it might be dementia": a suspected condition is not recorded as a diagnosis.
    It is kept as hedged: the Reading carries it with the carer's own words, so the dialogue keeps
    the message as a note in their words (record_talk.keep_words) and changes no structured fact.
    Anything else said with doubt ("she might be on warfarin") is not kept as a fact at all."""
    if h.term.category != "condition" or r.question_clause(h.start) and not r.relative_ok(h.start):
        return
    fact = ExtractedFact("condition", h.term.key, h.term.display, None, {**dict(h.term.detail), "said": h.surface})
    r.suspected.append((h.start, fact))
    r.used.update(range(h.start, h.end))


def _neg_means_ended(r: _Reader, h: _Hit) -> bool:
    cs = r.p.clause_start(h.start)
    return any(r.lem(k) in ("need", "use", "see") for k in range(cs, h.start))


def _service_surface_ok(r: _Reader, h: _Hit) -> bool:
    if h.term.key == "service:home carers":
        words = h.surface.split()
        nxt = r.low(h.end)
        if nxt in CARER_NOT_SERVICE or nxt in ("'s", "'", "s'") or r.low(h.start - 1) in ("young", "a", "unpaid",
                                                                                       "family", "fellow"):
            return False
        if words == ["carer"] and r.low(h.start - 1) not in ("her", "his", "their", "the", "'s"):
            return False
        if any(m.kind == "self" and m.end in (h.start - 1, h.start - 2, h.start - 3) for m in r.mentions) and \
                words[-1] in ("carer", "carers"):
            return False
    if h.term.key == "service:social worker" and r.low(h.end) in ("'s",):
        return True
    return True


def _post_trigger(r: _Reader, h: _Hit) -> str | None:
    """'district nurse comes daily', 'carers haven't turned up', 'commode would come on monday'."""
    if r.hedged(h.start) or r.question_clause(h.start):
        return None
    cat = h.term.category
    ce = r.p.clause_end(h.end)
    pre = r.low(h.start - 1)
    for j in range(h.end, min(ce, h.end + 4)):
        lem = r.lem(j)
        if cat == "service" and lem in ("come", "visit", "call", "pop", "turn", "go", "see", "help", "do",
                                        "be", "'s", "arrive", "say", "said", "told", "involve", "sort"):
            if lem in ("be", "'s") and not (r.low(j + 1) in ("involved", "coming", "visiting", "in") or
                                            _name_follows(r, j + 1)):
                continue
            if h.term.key in WEAK_SERVICES and lem not in ("come", "visit", "be", "'s", "involve", "call", "pop"):
                continue
            if pre in ("the", "her", "his", "their", "our", "my") or h.term.key == "service:home carers" or \
                    r.low(h.start - 2) in ("the", "her", "his") or (
                    h.term.key not in WEAK_SERVICES and lem in ("come", "visit", "call", "pop")):
                return "pos"
        if cat == "need" and lem in ("come", "arrive", "deliver", "turn", "fit", "install", "be"):
            if lem == "be" and r.low(j + 1) not in ("delivered", "coming", "fitted", "installed", "ordered",
                                                     "arriving", "promised"):
                continue
            return "pos"
    return None


def _name_follows(r: _Reader, j: int) -> bool:
    if j >= len(r.p):
        return False
    all_lower = r.p.text == r.p.low
    return name_at(r.p, j, after_rel=True, all_lower=all_lower) is not None


def _emit_phrase_fact(r: _Reader, h: _Hit, hits: list[_Hit], n: int) -> None:
    term = h.term
    cat = term.category
    detail = dict(term.detail)
    value = term.display
    if cat == "medicine":
        nxt = next((x.start for x in hits[n + 1:] if x.term.category == "medicine"), len(r.p))
        dose, when = _medicine_detail(r, h, nxt)
        detail.update({"name": term.display, "dose": dose, "when": when})
        if h.surface.lower() != term.display.lower():
            detail["said"] = h.surface
        value = " ".join(x for x in (medicines.display(term.display, h.surface), dose, when) if x)
    elif cat == "service":
        value, extra = _service_detail(r, h)
        detail.update(extra)
    elif cat == "need":
        text = r.p.low[r.p.char_of(max(r.p.clause_start(h.start), h.start - 4)):r.p.char_of(h.start)]
        clause = r.p.low[r.p.char_of(r.p.clause_start(h.start)):r.p.char_of(h.start)]
        wanting = [m.end() for m in re.finditer(r"\bneeds?\b|\bneeded\b|\bwaiting\b", clause)]
        having = [m.end() for m in re.finditer(r"\b(?:has|have|had|got|uses?|using|on|with)\b", clause)]
        if wanting and (not having or wanting[-1] > having[-1]):
            text += " needs"  # "needs a commode and a hospital bed": the whole list is needed
        after = r.p.low[r.p.toks[h.end - 1].end:r.p.char_of(r.p.clause_end(h.end))]
        if re.search(r"waiting|still not|never came|promised|supposed to|should have|was meant", text + after) \
                or re.search(r"would come|will come|coming|nothing came|never came|not arrived|hasn'?t come|"
                             r"didn'?t come", after):
            detail["status"] = "waiting"
            value = f"{term.display} (waiting for it)"
        elif re.search(r"\bneeds?\b|\bneeded\b", text):
            value = f"needs {term.display}" if term.key != "need:blue badge" else "needs a Blue Badge"
        else:  # has it, uses it, is on it: equipment, not a need
            cat = "equipment"
            key = "equipment:" + term.key.split(":", 1)[1]
            freq = dates.FREQUENCY_RE.search(r.p.low, r.p.toks[h.end - 1].end,
                                             r.p.char_of(min(r.p.sent_end(h.end), h.end + 8)))
            if freq:
                detail["frequency"] = freq.group(0)
                value = f"{term.display} {freq.group(0)}"
            r.add(h.start, ExtractedFact(cat, key, value, None, detail), span=(h.start, h.end))
            return
    elif cat == "condition":
        cs = r.p.clause_start(h.start)
        window = r.p.low[r.p.char_of(max(cs, h.start - 8)):r.p.char_of(h.start)]
        if re.search(r"diagnos", window):
            se = r.p.sent_end(h.end)
            w = dates.find_when(r.p.low, r.p.char_of(h.end), r.p.char_of(se))
            if not w:
                w = dates.find_when(r.p.low, r.p.char_of(cs), r.p.char_of(h.start))
            ev = {"kind": "diagnosis", "condition": term.display}
            v = f"diagnosed with {term.display}"
            if w:
                ev["when"] = w[0]
                v += " " + dates.display_when(w[0])
            r.add(h.start, ExtractedFact("event", "event:diagnosis:" + term.key.split(":", 1)[1], v, None, ev))
        elif term.key.split(":", 1)[1] in ("stroke", "tia", "heart attack", "hip fracture") or \
                term.key.startswith("condition:broken"):
            se = r.p.sent_end(h.end)
            w = dates.find_when(r.p.low, r.p.char_of(h.end), r.p.char_of(min(se, h.end + 6)))
            if w:
                kind = term.key.split(":", 1)[1]
                r.add(h.start, ExtractedFact("event", f"event:{kind}", f"{term.display} {dates.display_when(w[0])}",
                                             None, {"kind": kind, "when": w[0]}))
    r.add(h.start, ExtractedFact(cat, term.key, value, None, detail), span=(h.start, h.end))


def _service_detail(r: _Reader, h: _Hit) -> tuple[str, dict]:
    p = r.p
    term = h.term
    ce = p.clause_end(h.end)
    se = p.sent_end(h.end)
    a = p.toks[h.end - 1].end
    after_low = p.low[a:p.char_of(min(se, h.end + 10))]
    after_orig = p.text[a:p.char_of(min(se, h.end + 10))]
    detail: dict = {"service": term.display}
    parts = [term.display]
    m = re.match(r"^\s*(?:is called|is named|is|'s|=|:|called|named)\s+([A-Za-z][a-z]+)\b", after_orig)
    if m and _name_follows(r, p.tok_at(a + m.start(1))):
        detail["name"] = m.group(1).capitalize()
        parts[0] = f"{term.display}: {detail['name']}"
    m = re.match(r"^\s*(?:from|with|through|by)\s+(?:the\s+)?((?:[A-Z][\w&'-]*\s?){1,3})", after_orig)
    if m:
        provider = m.group(1).strip()
        if provider.lower() not in ("the", "monday", "tuesday") and provider.split()[0].lower() not in RELATIONSHIPS:
            detail["provider"] = provider
            parts.append(f"({provider})")
    freq = dates.FREQUENCY_RE.search(p.low, a, p.char_of(min(ce + 6, se)))
    if freq:
        detail["frequency"] = freq.group(0)
        parts.append(freq.group(0))
    elif re.search(r"^\s*(?:\w+\s+){0,2}(?:come|comes|visit|visits|call|calls)\s+(?:in\s+)?(?:every\s+)?"
                   r"(?:morning|evening|night)s?\b", after_low):
        f = re.search(r"(morning|evening|night)s?", after_low).group(0)
        detail["frequency"] = f
        parts.append(f)
    return ", ".join([parts[0]] + [x for x in parts[1:] if x.startswith("(")]).replace(", (", " (") + (
        ", " + detail["frequency"] if "frequency" in detail else ""), detail


# --- adjectives: "she's diabetic", "he is profoundly deaf" -----------------------------------------
def _adjective_facts(r: _Reader) -> None:
    v = _vocab()
    toks = r.toks
    last_end = -1
    for i in range(len(toks)):
        for size in (3, 2, 1):
            key = tuple(t.low for t in toks[i:i + size])
            if len(key) == size and key in v.adjectives:
                term = v.adjectives[key]
                j = i - 1
                while j >= 0 and r.low(j) in ("very", "quite", "also", "now", "severely", "profoundly",
                                               "completely", "totally", "partially", "registered", "a", "bit",
                                               "type", "1", "2", "still", "doubly", "really", "insulin",
                                               "dependent", "diet", "controlled", "getting", "become", "became",
                                               "not", "n't", "never", "no", "longer", "and", "years", "year",
                                               "old", ",") or r.low(j).isdigit():
                    j -= 1
                listed = last_end >= 0 and all(r.low(k) in ("and", ",", "or", "&", "very", "quite", "also", "a", "bit")
                                               for k in range(last_end, i)) and last_end < i
                if not listed and r.lem(j) not in ("be", "'s", "become", "get", "getting") and \
                        r.low(j) not in ("'s", "s"):
                    break
                if listed:
                    j = i - 1
                if r.hedged(i) or r.question_clause(j):
                    break
                said = r.context.at(i, i + size)
                if said.status in ("other", "hypothetical", "hedged"):
                    break
                if _negation(said):
                    r.end(term.key, negated=_negation(said) == "neg")
                    break
                display = term.display
                detail = dict(term.detail)
                span_low = r.p.low[r.p.char_of(max(0, i - 3)):toks[i + size - 1].end]
                if term.key == "condition:diabetes":
                    t = re.search(r"type\s*(1|2|one|two)", span_low)
                    if t:
                        kind = {"one": "1", "two": "2"}.get(t.group(1), t.group(1))
                        display, detail = f"type {kind} diabetes", {"type": kind}
                r.add(i, ExtractedFact("condition", term.key, display, None, detail), span=(i, i + size))
                last_end = i + size
                break


# --- help needs: "needs help washing", "can't manage the stairs" -------------------------------------
_ACT = {}
for _canon, _phr in HELP_ACTIVITIES.items():
    for _ph in _phr.split("|"):
        _ACT[_ph] = _canon
_ACT_RE = "|".join(sorted((re.escape(a) for a in _ACT), key=len, reverse=True))
_HELP_RE = re.compile(
    r"\b(?P<lead>needs?|needed|requires?|wants?)\s+(?:a\s+lot\s+of\s+|lots\s+of\s+|some\s+|more\s+|full\s+)?"
    r"(?:help|support|assistance|prompting|supervision|someone)\s+(?:(?:with|to|for|when|getting|from\s+\w+\s+with)\s+)?"
    r"(?P<act>" + _ACT_RE + r")\b"
    r"|\b(?P<lead2>can't|cannot|can not|unable to|struggles? (?:to|with)|struggling (?:to|with)|"
    r"finds? it (?:hard|difficult) to|has trouble|has difficulty|difficulty)\s+(?:\w+\s+)?"
    r"(?P<act2>manage the stairs|manage stairs|do the stairs|climb (?:the )?stairs|get up the stairs|"
    r"walk far|walk|stand|get out of bed|get up|get dressed|dress (?:herself|himself)|wash (?:herself|himself)|"
    r"wash|shower|bath|cook|feed (?:herself|himself)|eat|use the toilet|get to the toilet|"
    r"get (?:in|into) the bath|get in and out of bed|(?:manage|take) (?:her|his) (?:medication|tablets|meds)|"
    r"go out alone|go out on (?:her|his) own|manage)\b"
)
_ACT2 = {"manage the stairs": "stairs", "manage stairs": "stairs", "do the stairs": "stairs",
         "climb stairs": "stairs", "climb the stairs": "stairs", "get up the stairs": "stairs",
         "walk far": "walking", "walk": "walking", "stand": "getting up", "get out of bed": "getting up",
         "get up": "getting up", "get dressed": "dressing", "wash": "washing", "shower": "washing",
         "bath": "washing", "cook": "cooking", "eat": "eating", "use the toilet": "toileting",
         "get to the toilet": "toileting", "get in the bath": "washing", "get into the bath": "washing",
         "get in and out of bed": "getting up", "go out alone": "going out"}
_NEED_FIXED = [
    (re.compile(r"\b(?:can't|cannot|can not|shouldn't|should not|mustn't)\s+be\s+left\s+"
                r"(?:alone|on (?:her|his|their) own)"
                r"|\bneeds? (?:constant )?supervision\b|\bneeds? (?:someone|somebody) with (?:her|him|them)\b"),
     "need:supervision", "can't be left alone"),
    (re.compile(r"\b(?:needs?|has|gets|on)\s+(?:24 hour|24 hr|24/7|round the clock|full time)\s+care\b"),
     "need:24 hour care", "needs 24-hour care"),
    (re.compile(r"\b(?:double handed|double up|double handed care|two carers|2 carers)\b"),
     "need:two carers", "needs two carers (double-handed)"),
    (re.compile(r"\b(?:is|'s|are|now|been|completely|totally|mostly)\s+(?:now\s+|completely\s+|totally\s+|mostly\s+)?"
                r"(?:bed bound|bedbound|bedridden|bed ridden|bed-bound)\b"), "need:mobility", "bed-bound"),
    (re.compile(r"\b(?:is|'s|are|now|been)\s+(?:now\s+|completely\s+)?(?:housebound|house bound)\b"),
     "need:mobility", "housebound"),
    (re.compile(r"\bwheelchair user\b|\buses a wheelchair\b|\b(?:is|'s) in a wheelchair\b"),
     "need:wheelchair", "wheelchair user"),
    (re.compile(r"\b(?:is|'s)\s+(?:a\s+)?(?:full\s+)?hoist transfer\b|\bneeds? (?:to be )?hoisted\b"),
     "need:hoist", "needs hoisting"),
]


def _need_patterns(r: _Reader) -> None:
    low = r.p.low
    for m in _HELP_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.hedged(i) or r.question_clause(i) or _self_subject(r, i):
            continue
        if m.group("act"):
            act = _ACT[m.group("act")]
            key, value = f"need:help {act}", f"needs help with {act}"
        else:
            phrase = m.group("act2")
            if phrase == "manage":
                continue
            act = _ACT2.get(phrase)
            if act is None:
                if "medication" in phrase or "tablets" in phrase or "meds" in phrase:
                    act = "medication"
                elif "feed" in phrase:
                    act = "eating"
                elif "dress" in phrase:
                    act = "dressing"
                elif "wash" in phrase:
                    act = "washing"
                else:
                    act = "going out"
            lead = m.group("lead2").replace("cannot", "can't").replace("can not", "can't")
            if r.low(r.p.tok_at(m.start()) - 1) in ("she", "he", "they") or True:
                key = f"need:help {act}"
                value = f"{lead} {phrase}"
                if act == "walking" or act == "stairs":
                    key = "need:mobility" if act == "walking" else "need:help stairs"
        if act in ("walking", "getting up") and m.group("act"):
            key = f"need:help {act}"
        r.add(i, ExtractedFact("need", key, value, None, {"activity": act}))
        if m.group("act"):  # "needs help washing and dressing"
            pos = m.end()
            while True:
                more = re.match(r"\s*(?:,|and|or|&)\s*(?:with\s+|getting\s+)?(" + _ACT_RE + r")\b", low[pos:])
                if not more:
                    break
                act = _ACT[more.group(1)]
                r.add(i, ExtractedFact("need", f"need:help {act}", f"needs help with {act}", None, {"activity": act}))
                pos += more.end()
    for rx, key, value in _NEED_FIXED:
        for m in rx.finditer(low):
            i = r.p.tok_at(m.start())
            if r.hedged(i) or r.question_clause(i):
                continue
            if r.negated_before(i + 1) or "not" in low[max(0, m.start() - 6):m.start()]:
                continue
            r.add(i, ExtractedFact("need", key, value, None, {}))


def _self_subject(r: _Reader, i: int) -> bool:
    m = r.subject_for(i)
    return isinstance(m, Mention) and m.kind == "self"


# --- access and safety ---------------------------------------------------------------------------
_ACCESS = [
    (re.compile(r"\b(?:can't|cannot|can not|won't|doesn't|does not|unable to|struggles to|never)\s+"
                r"(?:always\s+)?(?:answer|get to|open|hear)\s+the\s+(?:front\s+)?door\b"),
     "access:door", None),
    (re.compile(r"\b(?:lives|living|live|is|'s)\s+(?:on\s+(?:her|his|their)\s+own|alone|by\s+(?:her|him|them)sel(?:f|ves))\b"),
     "access:living arrangement", "lives alone"),
    (re.compile(r"\b(?:lives|living|live|moved in|staying)\s+with\s+(?:me|us|my family|the family|"
                r"(?:my|her|his) (?:son|daughter|sister|brother|husband|wife|partner|family))\b"),
     "access:living arrangement", None),
    (re.compile(r"\b(?:keeps? falling|falls? (?:a lot|often|regularly|frequently|all the time|over a lot)|"
                r"prone to falls|prone to falling|at (?:high )?risk of falls|frequent falls|lots of falls|"
                r"falling a lot|(?:had|having) (?:lots of|several|a lot of|many|loads of|a few|repeated) falls|"
                r"always falling)\b"),
     "access:falls", None),
    (re.compile(r"\b(?:wanders?|wandering|wandered)(?:\s+(?:off|out|about|around|at night|in the night|"
                r"the streets|outside))?\b|\b(?:gets|getting) lost\b|\btries to (?:leave|get out)\b"),
     "access:wandering", None),
    (re.compile(r"\b(?:can be|gets|getting|is|'s|becomes?|often)\s+(?:very\s+|quite\s+|really\s+)?"
                r"(?:aggressive|violent|agitated and aggressive|verbally aggressive|physically aggressive)\b"),
     "access:behaviour", None),
]
_KEYSAFE_RE = re.compile(r"\b(?:key\s*safe|keysafe|key\s*box|lock\s*box|key\s*lock\s*box)\b")
_PET_RE = re.compile(r"\b(?:(?:has|have|got|there's|there is|there are|with)\s+(?:a|an|two|2|three|3|some)?\s*"
                     r"(?:big\s+|large\s+|small\s+|little\s+|friendly\s+|nervous\s+|barky\s+|noisy\s+)?"
                     r"(?P<a>dogs?|cats?|staffie|alsatian|german shepherd)\b"
                     r"|\b(?P<b>dogs?|cats?)\s+in\s+the\s+(?:house|flat|home|property)\b)")
_CONTACT_FIRST_RE = re.compile(r"\b(?P<v>phone|call|ring|contact|text)\s+(?P<who>(?:her|his|their|my)\s+"
                               r"[a-z]+(?:\s+in\s+law)?|[a-z]+)\s+(?:first|before|beforehand|before visiting|"
                               r"before you go|if you can'?t get in)")


def _access_facts(r: _Reader) -> None:
    low = r.p.low
    told_animals = set()
    for found in access.find(low, r.p.text):
        i = r.p.tok_at(found.at)
        if r.question_clause(i) or r.hedged(i) or _self_subject(r, i):
            continue
        r.add(i, ExtractedFact("access", found.key, found.value, None, dict(found.detail)))
        told_animals.add(found.key)
    for rx, key, fixed in _ACCESS:
        for m in rx.finditer(low):
            i = r.p.tok_at(m.start())
            if r.hedged(i) or r.question_clause(i):
                continue
            negated = r.negated_before(i) or re.search(r"\b(?:not|n't|no longer|never)\s*$",
                                                       low[max(0, m.start() - 12):m.start()])
            if negated and key in ("access:falls", "access:wandering"):
                continue
            text = m.group(0)
            if key == "access:wandering" and (re.search(r"\bmind\b|\bthoughts?\b", low[m.end():m.end() + 12]) or
                                              _self_subject(r, i) or access.animal_before(low, m.start())):
                continue  # "the cat tries to get out" is about the cat
            if key == "access:living arrangement" and _self_subject(r, i) and "with" not in text:
                continue
            value = fixed or _tidy(text)
            if key == "access:living arrangement" and "with" in text:
                who = text.split("with", 1)[1].strip()
                value = "lives with " + {"me": "the carer", "us": "the carer's family"}.get(who, who)
            if key == "access:door":
                value = "can't answer the door"
            if key == "access:falls":
                value = "falls a lot" if "risk" not in text else "at risk of falls"
            if key == "access:wandering":
                value = "wanders at night" if "night" in low[m.start():m.end() + 14] else "wanders / gets lost"
            if key == "access:behaviour":
                value = "can be aggressive"
            if key == "access:living arrangement":  # where and with whom they live: their situation
                r.add(i, ExtractedFact("situation", "situation:living", value, None, {}))
                continue
            r.add(i, ExtractedFact("access", key, value, None, {}))
    for m in _KEYSAFE_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        ce = r.p.clause_end(r.p.tok_at(m.end()))
        se = r.p.sent_end(r.p.tok_at(m.end()))
        rest = low[m.end():r.p.char_of(se)]
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        if re.search(r"(?:no|not|n't|without)\s+(?:a\s+|have\s+a\s+|got\s+a\s+)?$", before):
            continue
        value = "has a key safe"
        holder = re.search(r"\b(?:with|from|ask|call|phone|ring|knows?|has|holds?|have)\s+((?:her|his|their|my|the)\s+"
                           r"[a-z]+(?:\s+in\s+law)?|[a-z]+)", rest)
        if holder and not holder.group(1).split()[-1].isdigit() and holder.group(1) not in ("it", "a", "the", "code"):
            value = f"has a key safe (code held by {holder.group(1)})"
        # never store the code itself
        r.add(i, ExtractedFact("access", "access:key safe", value, None, {}))
        del ce
    for m in _PET_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or _self_subject(r, i) and "house" not in m.group(0):
            continue
        animal = (m.group("a") or m.group("b"))
        kind = "dog" if any(x in animal for x in ("dog", "staffie", "alsatian", "shepherd")) else "cat"
        if f"access:{kind}" in told_animals:
            continue  # already kept with what it does and what to do about it
        r.add(i, ExtractedFact("access", f"access:{kind}", f"{kind} in the house", None, {"animal": animal}))
    for m in _CONTACT_FIRST_RE.finditer(low):
        who = m.group("who")
        words = who.split()
        if words[-1] not in RELATIONSHIPS and not (len(words) == 1 and words[0] in _first_names()):
            continue
        i = r.p.tok_at(m.start())
        if r.question_clause(i):
            continue
        r.add(i, ExtractedFact("access", "access:contact first", f"{m.group('v')} {who} first", None,
                               {"contact": who}))


@once
def _first_names() -> frozenset[str]:
    from bot.language.vocabulary import FIRST_NAMES
    return frozenset(FIRST_NAMES)


def _tidy(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip(" ,.")


# --- likes, dislikes, what matters -------------------------------------------------------------
_OBJ_STOP = {",", ".", "!", "?", ";", ":", "and", "but", "or", "because", "so", "when", "if", "as", "though",
             "although", "since", "which", "who", "that", "then", "also", "she", "he", "they", "i", "we",
             "you", "lol", "x", "xx", "too", "either", "tbh", "anymore", "any", "now", "really", "at", "unless",
             "(", ")", "-", "until", "till", "while", "whilst"}
_OBJ_BAD = {"much", "anything", "properly", "well", "enough", "it", "this", "that", "me", "you", "him", "them",
            "us", "a lot", "lot", "very", "everything", "nothing", "the idea", "what", "how", "when", "one",
            "here", "there", "going", "being", "having", "change", "to", "much now", "a thing", "any"}
_PREF_RE = re.compile(
    r"\b(?P<neg>doesn't|does not|won't|will not|can't|cannot|never|don't|do not|didn't|wouldn't|no longer)\s+"
    r"(?:really\s+|like\s+to\s+|ever\s+)?(?P<nv>eat|eats|drink|drinks|like|likes|enjoy|want|tolerate|stand|touch)\s+"
    r"|\b(?P<v>hates|hate|dislikes|detests|loathes|can't stand|cannot stand|refuses|won't have|will not have|"
    r"loves|likes|enjoys|adores|is fond of|'s fond of|is into|'s into|prefers|is scared of|'s scared of|"
    r"is afraid of|'s afraid of|is frightened of|'s frightened of|is terrified of|'s terrified of)\s+"
)
_IMPORTANT_RE = re.compile(r"\b(?:is|are|'s)\s+(?:really\s+|very\s+|so\s+|extremely\s+)?"
                           r"(?:important|everything|a big deal|a big thing|precious)\s+to\s+(?:her|him|them)\b"
                           r"|\bmeans?\s+(?:a lot|the world|everything)\s+to\s+(?:her|him|them)\b")
_CALLED_RE = re.compile(r"\b(?:likes|prefers|wants|like|prefer)\s+to\s+be\s+called\s+([a-z]+)"
                        r"|\b(?:known as|goes by)\s+([a-z]+)")
_DIET_RE = re.compile(r"\b(?:is|'s|are|only eats|eats|strict|strictly)\s+(?:a\s+|strictly\s+|strict\s+)?"
                      r"(vegetarian|vegan|halal|kosher|gluten free|pescatarian|dairy free)\b")
_FAITH_RE = re.compile(r"\b(?:is|'s)\s+(?:a\s+)?(?:practising\s+|devout\s+|strict\s+)?"
                       r"(muslim|catholic|sikh|hindu|jewish|christian|buddhist|jehovah's witness|methodist|"
                       r"anglican|church of england|baptist|quaker|orthodox)\b")
_ALLERGY_RE = re.compile(r"\b(?:is\s+|'s\s+|severely\s+|very\s+)?allergic\s+to\s+([a-z][a-z ]{2,30}?)"
                         r"(?=[,.!?;]|\s+and\s|\s+but\s|$)"
                         r"|\b([a-z]+)\s+allergy\b")


def _object(r: _Reader, start_char: int) -> tuple[str, str, int] | None:
    """The noun phrase after a like/dislike verb: (display, key, end_char)."""
    p = r.p
    i = p.tok_at(start_char)
    j = i
    words: list[int] = []
    while j < len(p) and len(words) < 6:
        w = p.toks[j].low
        if w in _OBJ_STOP or p.clause_break[j] or p.sent_break[j]:
            if w == "and" and words and j + 1 < len(p) and p.toks[j + 1].low not in (
                    "she", "he", "they", "i", "we", "her", "his", "hates", "loves", "likes", "doesn't",
                    "is", "has", "won't", "can't", "prefers", "enjoys") and p.toks[j + 1].lemma not in (
                    "be", "have", "do", "hate", "love", "like", "prefer", "need", "take", "enjoy", "get"):
                words.append(j)
                j += 1
                continue
            break
        if w in ("any", "more") and j + 1 < len(p) and p.toks[j + 1].low == "more":
            break
        words.append(j)
        j += 1
    while words and p.toks[words[-1]].low in ("very", "much", "a", "the", "lot", "at", "all", "of", "now",
                                               "either", "really", "anymore", "though", "and"):
        words.pop()
    if not words:
        return None
    a, b = p.toks[words[0]].start, p.toks[words[-1]].end
    display_low = p.low[a:b]
    if display_low in _OBJ_BAD or display_low.split()[0] in ("it", "this", "that", "me", "you", "him", "them",
                                                             "us", "what", "how", "when", "being", "a",
                                                             "any", "anything", "much") and len(words) == 1:
        return None
    if display_low in _OBJ_BAD or display_low.startswith(("it ", "that ", "this ", "me ", "you ", "him ",
                                                          "them ", "what ", "how ", "when ")):
        return None
    if any(c.isdigit() for c in display_low) and not re.search(r"[a-z]{3}", display_low):
        return None
    orig = p.text[a:b]
    display = orig if orig != orig.upper() or len(orig) < 4 else display_low
    key_idx = [k for k in words if p.toks[k].low not in ("the", "a", "an", "her", "his", "their", "any", "some",
                                                          "my", "your", "to")]
    last_word = [p.toks[k].lemma for k in key_idx[-1:]]
    if last_word and last_word[0] == p.toks[key_idx[-1]].low and re.fullmatch(r"[a-z]{4,}[^s]s", last_word[0]):
        last_word = [last_word[0][:-1]]
    key_words = [p.toks[k].low for k in key_idx[:-1]] + last_word
    key = " ".join(key_words) or display_low
    return display, key, b


def _preference_facts(r: _Reader) -> None:
    low = r.p.low
    hits = []
    for m in _PREF_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i, allow=frozenset({"want", "wants", "would"})):
            continue
        # who likes it? not the carer, not "you", not "would like"
        prev = low[max(0, m.start() - 14):m.start()]
        if re.search(r"\b(?:i|we|you|i'd|i'm|would|i'll|they'd|do you)\s+(?:really\s+|just\s+|also\s+|so\s+|"
                     r"absolutely\s+|still\s+|honestly\s+)?$", prev):
            continue
        if _self_subject(r, i) or "would" in prev[-7:]:
            continue
        obj = _object(r, m.end())
        if not obj:
            continue
        display, okey, _ = obj
        if m.group("neg"):
            verb_low = m.group("nv")
            if verb_low in ("want",) and okey in ("to", ""):
                continue
            neg = {"does not": "doesn't", "do not": "doesn't", "don't": "doesn't", "cannot": "can't",
                   "will not": "won't", "didn't": "doesn't"}.get(m.group("neg"), m.group("neg"))
            verb = verb_low.rstrip("s") if verb_low.endswith("s") and verb_low not in ("likes",) else verb_low
            verb = {"like": "like", "likes": "like", "eats": "eat", "drinks": "drink"}.get(verb, verb)
            if verb == "touch" and okey not in ("meat", "alcohol", "pork", "fish", "beef", "drink"):
                continue
            kind = "dislike"
            value = f"{neg} {verb} {display}"
        else:
            v = m.group("v")
            v = v.replace("'s ", "is ")
            if v in ("hate", "hates", "dislikes", "detests", "loathes", "can't stand", "cannot stand",
                     "refuses", "won't have", "will not have") or "scared" in v or "afraid" in v or \
                    "frightened" in v or "terrified" in v:
                kind = "dislike"
            elif v == "prefers":
                kind = "prefer"
            else:
                kind = "like"
            if v == "hate":
                v = "hates"
            value = f"{v} {display}"
        if _is_medicine(okey) or okey in ("be called",):
            continue
        hits.append((i, kind, okey, value))
    for m in _IMPORTANT_RE.finditer(low):
        i = r.p.tok_at(m.start())
        cs = r.p.clause_start(i)
        j = cs
        while j < i and r.low(j) in _FILLERS | {"her", "his", "their", "going", "to", "she", "he", "for"}:
            j += 1
        if j >= i or i - j > 7:
            continue
        if r.question_clause(i):
            continue
        subj = r.p.text[r.p.toks[j].start:r.p.toks[i - 1].end] if i - 1 >= j else ""
        subj_low = subj.lower()
        if not subj or subj_low in ("it", "this", "that", "family", "she", "he"):
            continue
        key_words = [r.low(k) for k in range(j, i) if r.low(k) not in ("the", "a", "her", "his", "going", "to")]
        if key_words and re.fullmatch(r"[a-z]{4,}[^s]s", key_words[-1]):
            key_words[-1] = key_words[-1][:-1]
        pron = re.search(r"to (her|him|them)", m.group(0))
        hits.append((j, "important", " ".join(key_words), f"{subj} is important to {pron.group(1) if pron else 'her'}"))
    for m in _CALLED_RE.finditer(low):
        name = (m.group(1) or m.group(2))
        i = r.p.tok_at(m.start())
        if _self_subject(r, i) or r.question_clause(i):
            continue
        hits.append((i, "name", "name", f"likes to be called {name.capitalize()}"))
    for m in _DIET_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.negated_before(i + 1):
            continue
        hits.append((i, "diet", "diet", m.group(1)))
    for m in _FAITH_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or r.negated_before(i + 1):
            continue
        if low[m.end():m.end() + 1].isalpha():
            continue
        hits.append((i, "faith", "faith", m.group(1).title().replace("'S", "'s").replace("Of", "of")))
    for i, kind, okey, value in hits:
        key = f"preference:{kind}" if kind in ("name", "diet", "faith") else f"preference:{kind}:{okey}"
        r.add(i, ExtractedFact("preference", key, value, None, {"kind": kind}))


@once
def _medicine_words() -> frozenset[str]:
    return frozenset(p.lower() for t in MEDICINES for p in t.phrases)


def _is_medicine(word: str) -> bool:
    return word in _medicine_words() or medicines.term_for(word) is not None


# --- communication ------------------------------------------------------------------------------
_LANG_RE_PART = "|".join(x.lower() for x in SPOKEN_LANGUAGES)
_COMM = [
    (re.compile(r"\b(?:is|'s|are|'re|am|'m|been|profoundly|severely|completely|totally|partially|very|quite|"
                r"going|stone|registered|a bit|bit)\s+(?:profoundly\s+|severely\s+|completely\s+|totally\s+|"
                r"partially\s+|very\s+|quite\s+|going\s+|stone\s+|a bit\s+|also\s+|now\s+)?"
                r"(?P<v>deafblind|deaf|hard of hearing)\b|\bdeaf in (?:one|her left|her right|his left|his right|both)"
                r" ears?\b|\bhard of hearing\b"), "communication:hearing", None),
    (re.compile(r"\b(?:wears?|wearing|has|have|got|uses?|with|needs?)\s+(?:a\s+|her\s+|his\s+|two\s+|2\s+)?"
                r"hearing\s+aids?\b|\b(?:her|his|their)\s+hearing\s+aids?\b"), "communication:hearing aid",
     "wears a hearing aid"),
    (re.compile(r"\b(?:uses?|using|signs?|communicates?(?: (?:in|with|using|through))?|speaks?|needs?|"
                r"first language is|language is|prefers|user|in)\s+(?:a\s+|an\s+)?(?:bsl|british sign language|"
                r"sign language)\b|\b(?:bsl|british sign language|sign language)\s+(?:user|interpreter)\b"),
     "communication:sign language", None),
    (re.compile(r"\b(?:uses?|using|communicates? (?:with|using|through)|knows?|does)\s+(?:some\s+)?makaton\b"
                r"|\bmakaton\s+(?:user|signs)\b"), "communication:makaton", "uses Makaton"),
    (re.compile(r"\b(?:uses?|using|has|with|communicates? (?:with|using|through))\s+(?:a\s+|an\s+|her\s+|his\s+)?"
                r"(?:pecs|picture cards|picture exchange|communication (?:book|board|aid|device|app)|"
                r"talker|aac device|aac|eye gaze|ipad to communicate|symbols)\b"),
     "communication:aac", None),
    (re.compile(r"\b(?:is|'s|are|completely|totally|mostly|fully)\s+(?:completely\s+|totally\s+|mostly\s+)?"
                r"(?:non verbal|nonverbal|non-verbal|pre verbal|preverbal|minimally verbal|mute|selectively mute)\b"
                r"|\b(?:can't|cannot|doesn't|does not|unable to)\s+(?:speak|talk)(?!\s+(?:to|with|about|much|"
                r"english|" + _LANG_RE_PART + r"|on|for|properly|up|very|loud))\b"
                r"|\bno speech\b|\blost (?:her|his) speech\b|\bnon verbal\b|\bnonverbal\b"),
     "communication:speech", None),
    (re.compile(r"\b(?:slurred speech|speech is slurred|speech (?:problems|difficulties)|struggles to speak|"
                r"difficulty speaking|hard to understand)\b"), "communication:speech", "speech difficulties"),
    (re.compile(r"\b(?:can't|cannot|can not|doesn't|does not|unable to|struggles to|never learned to|"
                r"never learnt to)\s+read(?:\s+(?:or|and)\s+write)?\b|\billiterate\b"),
     "communication:reading", None),
    (re.compile(r"\b(?:wears?|wearing|needs?|has|got)\s+(?:[a-z ]{0,24}?\s+and\s+)?(?:her\s+|his\s+|reading\s+)?"
                r"glasses\b"),
     "communication:sight", "wears glasses"),
    (re.compile(r"\b(?:is|'s|are|registered|completely|totally|partially|nearly|almost|going)\s+"
                r"(?:registered\s+|completely\s+|totally\s+|nearly\s+|almost\s+)?"
                r"(?P<s>blind|partially sighted|visually impaired|sight impaired|severely sight impaired)\b"),
     "communication:sight", None),
    (re.compile(r"\b(?:needs?|prefers?|uses?|reads?|requires?)\s+(?P<f>large print|big print|braille|easy read)\b"),
     "communication:format", None),
    (re.compile(r"\blip\s?reads?\b|\blip reading\b"), "communication:lip reading", "lip-reads"),
    (re.compile(r"\b(?:can't|cannot|doesn't|does not|won't|unable to|struggles to)\s+(?:use|answer|hear on|"
                r"manage)\s+the\s+(?:phone|telephone)\b|\bstruggles on the phone\b"),
     "communication:phone", "can't use the phone"),
]
_SPEAKS_RE = re.compile(
    r"\b(?:speaks?|speaking|talks?)\s+(?P<q>only\s+|mainly\s+|mostly\s+|just\s+|fluent\s+|good\s+|"
    r"a little\s+|little\s+|some\s+)?(?P<l>" + _LANG_RE_PART + r")\b"
    r"|\b(?:first|main|only|home)\s+language\s+is\s+(?P<l2>" + _LANG_RE_PART + r")\b"
    r"|\b(?P<l3>" + _LANG_RE_PART + r")\s+(?:is|as)\s+(?:her|his|their|my)\s+(?:first|main|only|home)\s+language\b"
    r"|\b(?P<l4>" + _LANG_RE_PART + r")\s+speaker\b")
_ENGLISH_RE = re.compile(r"\b(?:doesn't|does not|can't|cannot|don't|do not)\s+(?:speak|understand|read)\s+"
                         r"(?:much\s+|any\s+|very\s+much\s+|good\s+|very good\s+)?english\b"
                         r"|\b(?:little|limited|no|not much|poor|very little|basic)\s+english\b"
                         r"|\benglish (?:is not|isn't|is not really) (?:her|his|their) first language\b")
_INTERP_RE = re.compile(r"\b(?:needs?|requires?|uses?|has|have|with|through)\s+(?:a\s+|an\s+)?"
                        r"(?:(?P<l>" + _LANG_RE_PART + r"|bsl)\s+)?interpreter\b")


def _communication_facts(r: _Reader) -> None:
    low = r.p.low
    conditions = {f.key for _, f, _ in r.facts}
    for rx, key, fixed in _COMM:
        if key == "communication:hearing" and "condition:deafness" in conditions or \
                key == "communication:sight" and "condition:blindness" in conditions:
            continue  # "she's deaf": a condition, said once
        for m in rx.finditer(low):
            i = r.p.tok_at(m.start())
            if r.question_clause(i) or r.hedged(i):
                continue
            text = m.group(0)
            if key not in ("communication:speech", "communication:reading", "communication:phone") and (
                    r.negated_before(i + 1)
                    or re.search(r"\b(?:not|n't|never)\s*$", low[max(0, m.start() - 8):m.start()])
                    or re.search(r"\b(?:isn't|not|n't)\b", text)):
                continue
            value = fixed
            if value is None:
                if key == "communication:hearing":
                    v = (m.groupdict().get("v") or "").strip()
                    value = {"deafblind": "deafblind", "hard of hearing": "hard of hearing"}.get(v, "deaf")
                    if "hard of hearing" in text:
                        value = "hard of hearing"
                    if "profoundly" in text:
                        value = "profoundly deaf"
                    if re.search(r"deaf in", text):
                        value = _tidy(text)
                elif key == "communication:sign language":
                    value = "uses BSL (British Sign Language)" if "bsl" in text or "british" in text else \
                        "uses sign language"
                elif key == "communication:aac":
                    value = "uses a communication aid (" + re.sub(
                        r"^(?:uses?|using|has|with|communicates? (?:with|using|through))\s+"
                        r"(?:a\s+|an\s+|her\s+|his\s+)?",
                        "", text) + ")"
                elif key == "communication:speech":
                    value = "non-verbal" if re.search(r"verbal|mute|no speech", text) else _tidy(text).replace(
                        "cannot", "can't").replace("does not", "doesn't")
                elif key == "communication:reading":
                    value = "can't read or write" if "write" in text else (
                        "can't read" if "illiterate" not in text else "can't read or write")
                elif key == "communication:sight":
                    value = m.group("s")
                    if "registered" in text:
                        value = "registered blind" if value == "blind" else value
                elif key == "communication:format":
                    value = "needs " + m.group("f")
            if key == "communication:hearing aid" and re.search(r"\b(?:won't|doesn't|refuses to|will not)\s+wear",
                                                               low[max(0, m.start() - 20):m.end()]):
                value = "has a hearing aid but won't wear it"
            r.add(i, ExtractedFact("communication", key, value, None, {}))
    for m in _SPEAKS_RE.finditer(low):
        lang = next(g for g in (m.group("l"), m.group("l2"), m.group("l3"), m.group("l4")) if g)
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or r.negated_before(i):
            continue
        if lang == "english" or lang == "bsl":
            continue
        q = (m.group("q") or "").strip()
        value = f"speaks {('only ' if q in ('only', 'just') else 'mainly ' if q in ('mainly', 'mostly') else '')}" \
                f"{lang.capitalize()}"
        if m.group("l2") or m.group("l3"):
            value = f"first language is {lang.capitalize()}"
        r.add(i, ExtractedFact("communication", "communication:language", value, None, {"language": lang.capitalize()}))
    for m in _ENGLISH_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        t = m.group(0)
        value = "doesn't speak English" if re.search(r"speak|no english|understand", t) and "little" not in t and \
            "limited" not in t else "limited English"
        if "first language" in t:
            value = "English is not their first language"
        r.add(i, ExtractedFact("communication", "communication:english", value, None, {}))
    for m in _INTERP_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or r.negated_before(i + 1):
            continue
        lang = m.group("l")
        if lang:
            value = f"needs a {lang.upper() if lang == 'bsl' else lang.capitalize()} interpreter"
        else:
            value = "needs an interpreter"
        r.add(i, ExtractedFact("communication", "communication:interpreter", value.replace("  ", " "), None,
                               {"language": lang.capitalize() if lang else None}))


# --- GP practice ------------------------------------------------------------------------------------
_PRACTICE_RE = re.compile(
    r"\b(?P<lead>(?:gp|gps|gp's|doctors?|doctor's|doctors'|surgery|practice|gp surgery|gp practice|"
    r"family doctor)\s+(?:is|'s|=|:|is at|is the|is with|are|is called)|registered\s+(?:at|with)|"
    r"(?:goes|go)\s+to|(?:is|are)\s+with|(?:is|are)\s+under|uses?|at)\s+(?:the\s+)?"
    r"(?P<name>(?:[a-z][a-z'&.]*\s+){0,4}?(?:" + PRACTICE_SUFFIXES + r"))\b")
_DOCTOR_RE = re.compile(r"\b(?:dr|dr\.|doctor)\s+(?P<n>[a-z][a-z'-]+)\b")


def _gp_facts(r: _Reader) -> None:
    low, text = r.p.low, r.p.text
    for m in _PRACTICE_RE.finditer(low):
        name_low = m.group("name")
        words = name_low.split()
        # "the surgery", "hip surgery": a practice needs a name before its suffix
        suffix_len = next(len(s.split()) for s in PRACTICE_SUFFIXES.split("|") if name_low.endswith(s))
        name_words = words[:-suffix_len]
        if not name_words or any(w in ("a", "my", "her", "his", "their", "local", "same", "new", "hip", "knee",
                                       "heart", "major", "keyhole", "emergency", "an", "some", "this", "that",
                                       "our", "your", "the", "doctors", "gp", "gp's") for w in name_words):
            continue
        lead = m.group("lead")
        orig = text[m.start("name"):m.end("name")]
        is_caps = any(c.isupper() for c in orig[:len(" ".join(orig.split()[:len(name_words)]))])
        if lead == "at" and not re.search(r"\bgp\b|\bgp's\b|doctor|registered|\bdr\b", low[max(0, m.start() - 40):
                                                                                         m.start()]):
            continue
        if lead.startswith(("goes", "go", "is", "are", "use", "at")) and not is_caps and "gp" not in low[
                max(0, m.start() - 30):m.start()]:
            continue
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        if re.search(r"\b(?:not|n't|used to|old|previous|was)\s+(?:\w+\s+)?$", low[max(0, m.start() - 12):m.start()]):
            continue
        display = orig if is_caps else name_low.title()
        display = re.sub(r"\s+", " ", display).strip()
        r.add(i, ExtractedFact("gp", "gp:practice", display, None, {"practice": display}))
    for m in _DOCTOR_RE.finditer(low):
        n = m.group("n")
        strong = m.group(0).startswith("dr")
        if (n in english_words() and not text[m.start("n")].isupper() and not strong) or n in (
                "said", "says", "is", "and", "has", "told", "at", "to", "the", "who", "she", "he", "was", "thinks",
                "wants", "will", "would", "can", "appointment", "surgery", "says", "rang", "called", "on", "in"):
            continue
        s = r.p.sent_start(r.p.tok_at(m.start()))
        e = r.p.sent_end(r.p.tok_at(m.start()))
        sent = low[r.p.char_of(s):r.p.char_of(e)]
        if not re.search(r"\bgp\b|\bgp's\b|surgery|practice|medical centre|health centre|registered|family doctor|"
                         r"her doctor is|his doctor is|doctor is dr", sent):
            continue
        i = r.p.tok_at(m.start())
        if r.question_clause(i) and not re.search(r"\bgp\b", sent):
            continue
        name = "Dr " + n.capitalize().replace("'", "'")
        r.add(i, ExtractedFact("gp", "gp:doctor", name, None, {"doctor": name}))


# --- address and postcode ------------------------------------------------------------------------------
_POSTCODE_RE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[ABD-HJLNP-UW-Z]{2})\b")
_DISTRICT_RE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\b")
_STREET_RE = re.compile(r"\b(?:(?:flat|apartment|apt)\s+\d+[a-z]?,?\s+)?(\d{1,4}[a-z]?),?\s+((?:[a-z][a-z']+\s+){1,3}?)"
                        r"(" + STREET_SUFFIXES + r")\b")
_LIVE_TRIGGER = re.compile(r"\b(?:lives?|living|live|stays?|staying|address|postcode|post code|home is|based|"
                           r"moved to|moving to|house is|flat is|resides?|"
                           r"(?:we|i|she|he|they|you)\s*(?:'re|'m|'s|are|am|is)"
                           r"\s+(?:in|at|from|based)|from|area|district)\b")


def _postcodes(r: _Reader) -> tuple[str | None, list[tuple[int, int, str, str | None]]]:
    """All UK postcodes/districts in the message: (start, end, district, full or None)."""
    up = r.p.text.upper()
    low = r.p.low
    found: list[tuple[int, int, str, str | None]] = []
    taken: list[tuple[int, int]] = []
    for m in _POSTCODE_RE.finditer(up):
        area = re.match(r"[A-Z]+", m.group(1)).group(0)
        if area not in POSTCODE_AREAS:
            continue
        found.append((m.start(), m.end(), m.group(1), f"{m.group(1)} {m.group(2)}"))
        taken.append((m.start(), m.end()))
    for m in _DISTRICT_RE.finditer(up):
        if any(a <= m.start() < b for a, b in taken):
            continue
        area = re.match(r"[A-Z]+", m.group(1)).group(0)
        if area not in POSTCODE_AREAS:
            continue
        before = low[max(0, m.start() - 24):m.start()]
        after = low[m.end():m.end() + 16]
        if re.search(r"\b(?:the|vitamin|ward|room|bed|bay|flat|bus)\s+$", before) or \
                re.search(r"^\s*(?:injection|jab|tablet|shot|vitamin|deficien|level|form|road|motorway|bus|d3|"
                          r"diabetes|bed|ward|bay)", after):
            continue
        if area != "EM" and len(low.split()) > 3 and not re.search(
                r"\b(?:in|at|live|lives|living|postcode|post code|area|near|around|from|based|district|address)"
                r"\s+(?:the\s+)?$", before):
            continue
        if area == "EM" and not (re.search(r"\b(?:in|at|live|lives|living|postcode|post code|area|near|around|"
                                           r"from|based|district|address|is|'s|of|for|to)\s+(?:the\s+)?$", before)
                                 or len(low.split()) <= 3):
            continue
        found.append((m.start(), m.end(), m.group(1), None))
    found.sort()
    chosen = None
    for a, _b, district, full in found:
        before = low[max(0, a - 16):a]
        if re.search(r"\b(?:not|isn't|old|wrong|used to be|previous|was)\s+(?:\w+\s+)?$", before):
            continue
        chosen = full or district
        break
    return chosen, found


def _address_facts(r: _Reader, found: list[tuple[int, int, str, str | None]]) -> None:
    low, text = r.p.low, r.p.text
    street_hits = []
    for m in _STREET_RE.finditer(low):
        words = m.group(2).split()
        if any(w in _STREET_STOP for w in words):
            continue
        street_hits.append(m)
    for a, _b, district, full in found:
        i = r.p.tok_at(a)
        cs = r.p.clause_start(i)
        ss = r.p.sent_start(i)
        before = low[r.p.char_of(max(ss, cs - 6)):a]
        near_street = any(m.end() <= a and a - m.end() < 6 for m in street_hits)
        if not (_LIVE_TRIGGER.search(before) or near_street):
            continue
        if re.search(r"\b(?:used to|old|previous|not|wrong|isn't)\b[^.]*$", before) and not re.search(
                r"\bnow\b|\bnew\b|moved to", before):
            continue
        if r.question_clause(i) and not re.search(r"\b(?:we|i|she|he)\s*(?:'re|'m|'s|are|am|is|live)", before):
            continue
        detail = {"postcode": full, "district": district}
        r.add(i, ExtractedFact("address", "address:postcode", full or district, None, detail),
              mention=_address_subject(r, i))
    for m in street_hits:
        i = r.p.tok_at(m.start())
        after_pc = any(0 <= a - m.end() < 6 for a, _, _, _ in found)
        before = low[r.p.char_of(r.p.sent_start(i)):m.start()]
        if not (after_pc or _LIVE_TRIGGER.search(before)):
            continue
        if r.question_clause(i):
            continue
        orig = text[m.start():m.end()]
        display = orig if any(c.isupper() for c in orig) else orig.title()
        display = re.sub(r"\s+", " ", display).replace(" ,", ",")
        display = re.sub(r"^(Flat|Apartment|Apt)", lambda x: x.group(1).capitalize(), display)
        display = re.sub(r"(\d)([A-Z])\b", lambda x: x.group(1) + x.group(2).lower(), display)
        r.add(i, ExtractedFact("address", "address:street", display, None, {"street": display}),
              mention=_address_subject(r, i))


_STREET_STOP = {"the", "a", "and", "of", "to", "in", "on", "at", "times", "time", "minutes", "mins", "hours",
                "days", "weeks", "months", "years", "tablets", "mg", "up", "down", "her", "his", "my", "is", "was",
                "for", "with", "from", "or", "puffs", "units", "floor", "storey", "steps", "stairs", "flights",
                "miles", "mile", "yards", "metres", "feet", "foot", "year", "month", "week", "day", "am", "pm",
                "she", "he", "they", "we", "i", "it", "that", "this", "there", "by", "every", "each", "o'clock"}


def _address_subject(r: _Reader, i: int) -> Mention | list[Mention] | None:
    return r.subject_for(i)


# --- situation, events ----------------------------------------------------------------------------
_PLACE = (r"(?P<place>hospital|the hospital|a hospital|hospice|a hospice|the hospice|respite(?: care)?|"
          r"a care home|care home|the care home|a nursing home|nursing home|the nursing home|residential care|"
          r"a residential home|residential home|intensive care|icu|itu|a and e|a&e|rehab|a rehab unit|"
          r"the royal|the infirmary|the general|the ward|ward|a home)")
_IN_PLACE_RE = re.compile(r"\b(?P<pre>(?:[\w']+\s+){0,4}?)(?:in|into|to|at)\s+" + _PLACE + r"\b")
_WARD_RE = re.compile(r"\b(?:on|in)\s+ward\s+(?P<w>[a-z]?\d+[a-z]?|[a-z]+ ward)\b|\bward\s+(?P<w2>\d+[a-z]?)\b")
_HOME_RE = re.compile(
    r"\b(?P<v>came home|come home|got home|is home|'s home|are home|back home|home now|now home|home from hospital|"
    r"sent home|came out of hospital|come out of hospital|out of hospital|got out of hospital|left hospital|"
    r"came back from hospital|back from hospital|released from hospital|discharged(?: home)?|got discharged|"
    r"been discharged|was discharged|came out)\b")
_ADMIT_RE = re.compile(
    r"\b(?:went|gone|go|got|taken|rushed|admitted|ended up|blue lighted|blue lit|brought|"
    r"carted|whisked|sent|readmitted|re admitted|back)\s+(?:(?:back|straight|again|off|in)\s+)?(?:in\s+)?"
    r"(?:to|into|in)\s+(?:the\s+|a\s+)?(?:hospital|a and e|a&e|the royal|the infirmary|hospice)\b"
    r"|\bbeen\s+in\s+(?:the\s+)?hospital\s+since\b"
    r"|\b(?:was|were|been|got|has been|'s been|is)\s+(?:re\s?)?admitted\b|\badmitted (?:to|into|on)\b"
    r"|\bambulance took (?:her|him|them) in\b")
_FALL_RE = re.compile(r"\b(?:had|has had|'s had|have had|took|taken)\s+(?:a|another|two|2|three|3|a couple of|"
                      r"several|a few|a bad|a nasty|a big|an awful|a serious)\s+(?:\w+\s+)?(?:fall|falls|tumble)\b"
                      r"|\b(?:fell|fallen)\b(?!\s+(?:asleep|out|apart|pregnant|ill|behind|in love|through|for|short|"
                      r"silent|off the wagon|into a coma|away|back on))")
_BORN_RE = re.compile(r"\b(?:was|were|been)\s+born\b|\bgave birth\b|\bhad (?:the|my|our|her) baby\b")
_DOB_RE = re.compile(r"\b(?:date of birth|dob|d\.o\.b\.?|born on|born)\s*(?:is|was|:|-)?\s*(?:on\s+)?"
                     r"(?P<d>\d{1,2}(?:st|nd|rd|th)?[\s./-]+(?:\d{1,2}|[a-z]{3,9})[\s./-]+(?:19|20)?\d{2})\b")
_DEATH_RE = re.compile(r"\b(?:passed away|passed on|has passed|died|has died|is no longer with us|lost (?:her|his) "
                       r"(?:fight|battle))\b")
_OPERATION_RE = re.compile(r"\b(?:had|has had|'s had)\s+(?:an|her|his|a|the)\s+(?:\w+\s+){0,2}?(?:operation|op|surgery|"
                           r"replacement)\b")


def _situation_facts(r: _Reader) -> None:
    low = r.p.low
    discharged_at = []
    for m in _HOME_RE.finditer(low):
        v = m.group("v")
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or _self_subject(r, i):
            continue
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        after = low[m.end():m.end() + 30]
        if v == "came out" and not re.match(r"^\s+(?:of\s+)?(?:hospital|on|last|yesterday|today|this)", after):
            continue
        if "discharged" in v and re.match(r"^\s+from\s+(?:the\s+)?(?!hospital|ward|the ward)", after):
            continue  # "discharged from the memory clinic" is about a service
        if re.search(r"\b(?:not|n't|never)\s+(?:\w+\s+)?$", before) and not re.search(r"not long", before):
            continue
        planned = bool(re.search(r"\b(?:will|'ll|going to|gonna|due|should|might|may|could|hoping|hope|"
                                 r"being|to be|ready|waiting|before|once|when|if|until|till|can)\b", before)) \
            or bool(re.search(r"^\s+(?:tomorrow|next|on (?:monday|tuesday|wednesday|thursday|friday|saturday|"
                              r"sunday) (?:hopefully|maybe))", after)) and not re.search(
                r"\b(?:was|got|been|came)\b", before + v)
        if v in ("is home", "'s home", "are home", "back home", "home now", "now home", "came home", "come home",
                 "got home") and re.match(r"^\s+(?:from work|from school|late|alone|to|for tea|for dinner)", after):
            continue
        if v == "come home" and not planned and not re.search(r"\bhas\s+$|\b(?:'s|has|have)\s+(?:now\s+)?$", before):
            planned = True
        if v == "out of hospital" and not re.search(r"\b(?:is|'s|are|now|been|got|came|come|was)\s+(?:\w+\s+)?$",
                                                    before):
            continue
        w = dates.find_when(low, m.start(), r.p.char_of(r.p.sent_end(r.p.tok_at(m.end()))))
        if w and w[1] > m.end() + 25:
            w = None
        if w is None:
            w0 = dates.find_when(low, r.p.char_of(r.p.clause_start(i)), m.start())
            w = w0
        is_hospital_leave = "hospital" in v or "discharged" in v or v in ("sent home", "came out", "left hospital") or \
            "hospital" in after[:20]
        if planned:
            if is_hospital_leave:
                detail = {"kind": "discharge", "planned": True}
                value = "discharge planned"
                if w:
                    detail["when"] = w[0]
                    value += " " + dates.display_when(w[0])
                r.add(i, ExtractedFact("event", "event:discharge", value, None, detail))
            continue
        if is_hospital_leave:
            detail = {"kind": "discharge"}
            value = "discharged from hospital"
            if w:
                detail["when"] = w[0]
                value += " " + dates.display_when(w[0])
            r.add(i, ExtractedFact("event", "event:discharge", value, None, detail))
        discharged_at.append(m.start())
        r.add(i, ExtractedFact("situation", "situation:location", "at home", None, {"place": "home"}))
    admitted_at = []
    for m in _ADMIT_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or _self_subject(r, i):
            continue
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        if re.search(r"\b(?:not|n't|never|if|when|in case|might|may|could|would)\b", before):
            continue
        if re.search(r"admitted\s+(?:to|into)\s+(?:the\s+)?(?!hospital|ward|the ward|icu|a and e|itu|intensive)",
                     m.group(0)
                     + low[m.end():m.end() + 20]) and "hospital" not in m.group(0):
            tail = low[m.end():m.end() + 20]
            if not re.match(r"^\s*(?:hospital|ward|the ward|icu|itu|intensive|on|last|yesterday|today|this|"
                            r"$|[,.])", tail):
                continue
        w = dates.find_when(low, m.end(), min(len(low), m.end() + 40))
        if w and w[1] > m.end() + 20:
            w = None
        if w is None:
            w = dates.find_when(low, r.p.char_of(r.p.clause_start(i)), m.start())
        detail = {"kind": "admission"}
        value = "admitted to hospital" if "hospice" not in m.group(0) else "admitted to a hospice"
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("event", "event:admission", value, None, detail))
        admitted_at.append((m.start(), w[0] if w else None))
    # current place
    for m in _IN_PLACE_RE.finditer(low):
        pre = m.group("pre") or ""
        place = m.group("place")
        i = r.p.tok_at(m.start("place"))
        if r.question_clause(i) or r.hedged(i) or _self_subject(r, i):
            continue
        pre_words = pre.split()
        if not pre_words:
            continue
        cur = re.search(r"(?:(?:^|\s)(?:is|are|am|still|now|currently|remains|remain|stuck|staying|"
                        r"lives|living|live|moved|gone|went|been|back|admitted|taken|rushed|ended)|'s|'re|'m)\s*"
                        r"(?:\w+\s+){0,2}$", pre + " ")
        if not cur:
            continue
        if re.search(r"\b(?:was|were|used to|had been|visit|visiting|visited|work|works|working|worked|"
                     r"go to|take|took|not|n't|never|no longer|out of|appointment|when|if|before|after|"
                     r"til|until|going)\b", pre) and not re.search(r"\b(?:still|now|currently|moved|gone|went|"
                                                                   r"admitted|taken|rushed)\b", pre):
            if re.search(r"(?:\bnot\b|n't|\bno longer\b)", pre) and re.search(r"\b(?:is|are)\b|'s|'re", pre):
                r.end("situation:location")
            continue
        if re.search(r"\b(?:visit|visiting|work|works|working|appointment|go to|going to)\b",
                     pre + low[m.end():m.end() + 14]):
            continue
        if "been" in pre and re.search(r"^\s*(?:\w+\s+){0,2}(?:times|twice)", low[m.end():m.end() + 25]):
            continue  # "she's been in hospital three times": history, not where she is
        if any(d > m.start() for d in discharged_at):
            continue
        when_far = next((w for s, w in admitted_at if abs(s - m.start()) < 60 and w and re.search(
            r"year|ago|month|19|20\d\d|last week", w)), None)
        if when_far:
            continue
        value, kind = _place_value(place)
        if place in ("a home",) and "care" not in pre:
            continue
        if place in ("the ward", "ward"):
            continue
        detail = {"place": kind}
        wm = _WARD_RE.search(low, m.start(), min(len(low), m.end() + 30))
        if wm:
            detail["ward"] = (wm.group("w") or wm.group("w2")).title()
            ward = detail["ward"]
            value += f" ({ward})" if ward.lower().endswith("ward") else f" (ward {ward})"
        r.add(i, ExtractedFact("situation", "situation:location", value, None, detail))
    if not any(f.key == "situation:location" for _, f, _ in r.facts):
        for m in _WARD_RE.finditer(low):
            i = r.p.tok_at(m.start())
            if r.question_clause(i) or r.hedged(i) or _self_subject(r, i) or any(d > m.start() for d in discharged_at):
                continue
            before = low[max(0, m.start() - 20):m.start()]
            if re.search(r"\b(?:was|not|n't|visit|visiting|work|works)\b", before) or not m.group("w"):
                continue
            ward = m.group("w").title()
            r.add(i, ExtractedFact("situation", "situation:location", f"in hospital (ward {ward})", None,
                                   {"place": "hospital", "ward": ward}))
    if admitted_at and not discharged_at and not any(f.key == "situation:location" for _, f, _ in r.facts):
        s, w = admitted_at[-1]
        if not (w and re.search(r"year|ago|month|19|20\d\d|last week", w)):
            i = r.p.tok_at(s)
            r.add(i, ExtractedFact("situation", "situation:location", "in hospital", None, {"place": "hospital"}))


_NAMED_PLACE_RE = re.compile(r"\b(?:in|into|to|at)\s+(?:the\s+)?(?P<name>[a-z][\w']+(?:\s[a-z][\w']+)?)\s+"
                             r"(?P<kind>care home|nursing home|residential home|hospice)\b", re.IGNORECASE)


def _named_places(r: _Reader) -> None:
    """"in Oakdene care home", "went into Rosewood Nursing Home": the place is kept by its name."""
    english = english_words()
    for m in _NAMED_PLACE_RE.finditer(r.p.text):
        words = m.group("name").split()
        if all(w.lower() in english and not w[0].isupper() for w in words) or words[0].lower() in (
                "a", "an", "her", "his", "their", "my", "our", "local", "new", "same"):
            continue
        i = r.p.tok_at(m.start("kind"))
        if r.question_clause(i) or r.hedged(i) or _self_subject(r, i):
            continue
        name = " ".join(w[:1].upper() + w[1:] for w in words)
        kind = m.group("kind").lower()
        r.facts[:] = [x for x in r.facts if x[1].key != "situation:location"]
        r.add(i, ExtractedFact("situation", "situation:location", f"in a {kind} ({name})", None,
                               {"place": "care home" if "home" in kind else kind, "name": name}))


def _place_value(place: str) -> tuple[str, str]:
    p = place.replace("the ", "").replace("a ", "")
    if "hospice" in p:
        return "in a hospice", "hospice"
    if "respite" in p:
        return "in respite care", "respite"
    if "care home" in p or "nursing" in p or "residential" in p or p == "home":
        return "in a care home", "care home"
    if "rehab" in p:
        return "in rehab", "rehab"
    return "in hospital", "hospital"


def _event_facts(r: _Reader) -> None:
    low = r.p.low
    for m in _FALL_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        if re.search(r"\b(?:not|n't|never|if|in case|might|may|could|would|'ll|will|keeps?|before)\s+(?:\w+\s+)?$",
                     before):
            continue
        if re.search(r"\b(?:falls|tumbles)\b", m.group(0)) and re.search(r"several|a few|three|3|two|2|couple",
                                                                         m.group(0)):
            r.add(i, ExtractedFact("access", "access:falls", "falls a lot", None, {}))
            continue
        se = r.p.sent_end(r.p.tok_at(m.end()))
        w = dates.find_when(low, m.end(), min(r.p.char_of(se), m.end() + 40))
        if w is None:
            w = dates.find_when(low, r.p.char_of(r.p.clause_start(i)), m.start())
        detail = {"kind": "fall"}
        value = "had a fall"
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("event", "event:fall", value, None, detail))
    for m in _BORN_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        se = r.p.sent_end(r.p.tok_at(m.end()))
        w = dates.find_when(low, m.end(), min(r.p.char_of(se), m.end() + 40))
        if w is None:
            mm = re.match(r"^\s*(?:on\s+)?(?:the\s+)?(\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?[a-z]+\s+(?:19|20)\d{2}|"
                          r"\d{1,2}[/.]\d{1,2}[/.]\d{2,4})", low[m.end():m.end() + 30])
            w = (mm.group(1), 0, 0) if mm else None
        if w and re.search(r"(?:19|20)\d{2}|\d+[/.]\d+[/.]\d+", w[0]) and not re.search(r"ago|last|this", w[0]):
            continue  # a date of birth, handled below
        detail = {"kind": "birth"}
        value = "born"
        se0 = r.p.sent_start(i)
        baby = next((mm for mm in r.mentions if mm.kind == "rel" and mm.rel in ("baby", "child", "son", "daughter",
                                                                                  "grandchild")
                     and se0 <= mm.start < se and not mm.third), None)
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("event", "event:birth", value, None, detail), mention=baby)
    for m in _DOB_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i):
            continue
        d = m.group("d")
        r.add(i, ExtractedFact("personal", "personal:date of birth", re.sub(r"\s+", " ", d).title().replace(
            "St ", "st ").replace("Nd ", "nd ").replace("Rd ", "rd ").replace("Th ", "th "), None, {"date": d}))
    for m in _DEATH_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or _self_subject(r, i):
            continue
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        if re.search(r"\b(?:nearly|almost|could have|could've|would have|thought|if|not|n't|never|afraid|scared|"
                     r"before|when|after|since|wife|husband|who)\b", before):
            continue
        if not any(mm.kind in ("rel", "name", "pron") and mm.end <= i and not mm.third and not mm.role
                   for mm in r.mentions):
            continue
        se = r.p.sent_end(r.p.tok_at(m.end()))
        w = dates.find_when(low, m.end(), min(r.p.char_of(se), m.end() + 30))
        detail = {"kind": "death"}
        value = "died"
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("event", "event:death", value, None, detail))
    for m in _OPERATION_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        if re.search(r"\b(?:not|n't|never)\s*$", before):
            continue
        se = r.p.sent_end(r.p.tok_at(m.end()))
        w = dates.find_when(low, m.end(), min(r.p.char_of(se), m.end() + 30))
        what = re.sub(r"^(?:had|has had|'s had)\s+(?:an|her|his|a|the)\s+", "", m.group(0))
        detail = {"kind": "operation"}
        value = f"had {'an' if what[0] in 'aeiou' else 'a'} {what}"
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("event", "event:operation", value, None, detail))


# --- age ----------------------------------------------------------------------------------------
_AGE_UNITS_BAD = (r"(?:mg|ml|kg|g|st|stone|lbs?|pounds?|%|percent|minutes?|mins?|hours?|hrs?|miles?|times|"
                  r"o'clock|am|pm|x|tablets?|pills?|units?|puffs?|p|pence|quid|floors?|th|nd|rd|foot|ft|feet|inch"
                  r"|inches|cm|metres?|doses?|drops?|calls?|visits?|carers?|people|children|kids|grandchildren|"
                  r"weeks? pregnant|falls?|strokes?|of|in|out|-|/|:|\.\d|\d)")
_AGE_RE = re.compile(
    r"\b(?P<who>she|he|they|i|who|mum|mam|mom|dad|it|[a-z]+)\s*(?:'s|is|was|'m|am|are|'re|turned|turns|will be|'ll be|"
    r"just turned|has just turned|be)\s+(?P<q>now\s+|only\s+|just\s+|nearly\s+|almost\s+|about\s+|over\s+|"
    r"coming up\s+|approaching\s+)?(?P<n>\d{1,3})(?P<u>\s*(?:years?\s+old|years?|yrs?|yo|weeks?\s+old|months?\s+old|"
    r"days?\s+old|weeks?|months?|days?))?(?!\s*" + _AGE_UNITS_BAD + r"\b)(?![\d.:/])"
    r"|\b(?P<n2>\d{1,3})\s*(?:-\s*)?(?P<u2>years?|yrs?|weeks?|months?|days?)(?:\s*-\s*|\s+)old\b"
    r"|\b(?P<n3>\d{1,3})\s*(?:yo|y/o)\b"
    r"|\b(?:aged?|age:)\s*(?P<n4>\d{1,3})\b(?!\s*(?:and over|\+|plus|or over|or under))")


def _age_facts(r: _Reader) -> None:
    low = r.p.low
    for mm in r.mentions:  # "my kids are Maisie 5 and Harvey 3"
        for flag in mm.flags:
            if flag.startswith("age:") and 0 < int(flag[4:]) <= 115:
                r.add(mm.end, ExtractedFact("personal", "personal:age", flag[4:], None, {"years": int(flag[4:])}),
                      mention=mm)
    for m in _AGE_RE.finditer(low):
        n = m.group("n") or m.group("n2") or m.group("n3") or m.group("n4")
        unit = (m.group("u") or m.group("u2") or "").strip()
        if m.group("who"):
            who = m.group("who")
            if who not in ("she", "he", "they", "i", "it", "who") and who not in RELATIONSHIPS and \
                    not any(mm.kind == "name" and r.p.toks[mm.start].low == who for mm in r.mentions):
                continue
            if who == "it":
                continue
            if unit in ("weeks", "week", "months", "month", "days", "day") and not re.match(
                    r"^\s*old\b", low[m.end():m.end() + 5]):
                continue
        start = m.start("n") if m.group("n") else m.start()
        i = r.p.tok_at(start)
        if r.question_clause(i) or r.hedged(i):
            continue
        if re.search(r"\b(?:over|under|aged)\s*$", low[max(0, m.start() - 8):m.start()]) and not m.group("who") \
                and not m.group("n4"):
            continue
        val = int(n)
        years = weeks = months = days = None
        if unit.startswith("week"):
            weeks = val
        elif unit.startswith("month"):
            months = val
        elif unit.startswith("day"):
            days = val
        else:
            years = val
        if years is not None and not (0 < years <= 115) or weeks is not None and weeks > 104 or \
                months is not None and months > 48 or days is not None and days > 60:
            continue
        approx = (m.group("q") or "").strip()
        if years is not None:
            value, detail = str(years), {"years": years}
        elif weeks is not None:
            value, detail = f"{weeks} week{'s' if weeks != 1 else ''} old", {"weeks": weeks}
        elif months is not None:
            value, detail = f"{months} month{'s' if months != 1 else ''} old", {"months": months}
        else:
            value, detail = f"{days} day{'s' if days != 1 else ''} old", {"days": days}
        if approx in ("nearly", "almost", "about", "over", "coming up", "approaching"):
            value = f"{approx} {value}"
            detail["approximate"] = True
        # "my 84 year old mum": the person comes after
        mention = None
        after = [mm for mm in r.mentions if mm.start >= r.p.tok_at(m.end()) and mm.start - r.p.tok_at(m.end()) <= 1
                 and mm.kind in ("rel", "name")]
        if not m.group("who") and after:
            mention = after[0]
        r.add(i, ExtractedFact("personal", "personal:age", value, None, detail), mention=mention)


# --- appointments -------------------------------------------------------------------------------
_APPT_WORD_RE = re.compile(r"\b(?:" + APPOINTMENT_WORDS + r")\b")
_TARGET_RE = re.compile(r"\b(?:" + APPOINTMENT_TARGETS + r")\b")


def _appointment_facts(r: _Reader) -> None:
    low = r.p.low
    done: set[int] = set()
    for m in _APPT_WORD_RE.finditer(low):
        word = m.group(0)
        i = r.p.tok_at(m.start())
        s = r.p.sent_start(i)
        if s in done:
            continue
        e = r.p.sent_end(i)
        cs, ce = r.p.clause_start(i), r.p.clause_end(i)
        clause = low[r.p.char_of(cs):r.p.char_of(ce)]
        if r.question_clause(i) or r.hedged(i):
            continue
        if re.search(r"\b(?:can't|cannot|couldn't|won't|no|not|never|how|waiting for|wait for|get an|get a|book|"
                     r"booking|need an|need a|needs an|needs a|missed|cancelled|chase|chasing|any)\b", clause[:m.start()
                                                                                               - r.p.char_of(cs) + 1]):
            continue
        if word in ("clinic", "assessment", "review", "follow up", "consultation", "scan", "blood test",
                    "blood tests", "x ray", "xray", "mri", "ct scan", "check up", "checkup") and \
                not re.search(r"\b(?:has|have|got|'s got|is|'s|booked|due|on|at)\b", clause):
            continue
        if word == "clinic" and not re.search(r"appointment", clause):
            continue
        # when
        w = dates.find_when(low, r.p.char_of(s), r.p.char_of(e))
        trig = re.search(r"\b(?:has|have|got|'s got|booked|due|is on|is at|'s on|'s at|it's|is|are)\b", clause)
        target = None
        for t in _TARGET_RE.finditer(low, r.p.char_of(max(s, i - 6)), r.p.char_of(min(e, i + 8))):
            if t.start() == m.start():
                continue
            target = t.group(0)
            break
        dr = re.search(r"\b(?:dr|doctor)\s+([a-z]+)", low[r.p.char_of(max(s, i - 6)):r.p.char_of(min(e, i + 8))])
        if dr and dr.group(1) not in english_words():
            target = "Dr " + dr.group(1).capitalize()
        if not w and not (trig and target):
            continue
        if not trig and not w:
            continue
        kind = "appointment" if word in ("appointment", "appointments", "outpatient appointment") else word
        if target in ("hospital",) and kind == "appointment":
            what = "hospital"
        else:
            what = target or (kind if kind != "appointment" else None)
        if what in ("gp", "doctor", "doctors"):
            what = "GP"
        key = f"appointment:{(what or 'appointment').lower()}"
        value = f"{what} appointment" if what and kind == "appointment" else (
            f"{what} {kind}" if what and kind not in what else (what or "appointment"))
        detail = {"with": what, "kind": kind}
        if w:
            detail["when"] = w[0]
            value += " " + dates.display_when(w[0])
        r.add(i, ExtractedFact("appointment", key, value, None, detail))
        done.add(s)


# --- unknown medicines: "takes zopiclone 7.5mg" ------------------------------------------------------
_UNKNOWN_MED_RE = re.compile(r"\b(?:takes?|taking|took|on|prescribed|started on|started|given)\s+"
                             r"(?:the\s+|her\s+|his\s+|"
                             r"some\s+)?(?P<w>[a-z][a-z]{3,})\s+(?P<d>" + _DOSE + r")")
_NOT_MED_WORDS = {"tablet", "tablets", "medication", "medicine", "meds", "pills", "pill", "something", "liquid",
                  "injection", "injections", "dose", "dosage", "extra", "daily", "each", "every", "about", "around",
                  "nearly", "only", "just", "another", "same", "new", "usual", "morning", "night", "evening",
                  "capsules", "drops", "sachets", "puffs", "units", "patch", "patches", "spray", "cream", "between",
                  "over", "under", "least", "most", "than", "from", "with", "plus", "half", "quarter",
                  "double", "mg", "syrup", "vitamins", "supplements", "twice", "once", "three", "four",
                  "five", "two", "one", "ten", "steroid", "steroids", "insulin", "less", "more", "still", "also",
                  "them", "these", "those", "then", "dropped", "reduced", "increased", "upped", "lowered", "went"}


def _unknown_medicines(r: _Reader) -> None:
    known = {p for t in MEDICINES for p in t.phrases}
    english = english_words()
    for m in _UNKNOWN_MED_RE.finditer(r.p.low):
        w = m.group("w")
        if w in known or w in english or w in _NOT_MED_WORDS or w in RELATIONSHIPS:
            continue
        i = r.p.tok_at(m.start("w"))
        if i in r.used or r.question_clause(i) or r.hedged(i):
            continue
        if r.negated_before(r.p.tok_at(m.start())):
            r.end(f"medicine:{w}")
            continue
        dose = _norm_dose(m.group("d"))
        after = r.p.low[m.end():m.end() + 40]
        wm = _WHEN_RE.search(after)
        when = wm.group(0) if wm else None
        value = " ".join(x for x in (w, dose, when) if x)
        r.add(i, ExtractedFact("medicine", f"medicine:{w}", value, None, {"name": w, "dose": dose, "when": when}),
              span=(i, i + 1))


# --- invitation ------------------------------------------------------------------------------------
_INVITE_RE = re.compile(
    r"\b(?:like|want|add|invite|include|"
    r"share\s+(?:this|it|the record|her record|his record|everything|the info)?\s*with|"
    r"give|let|can|could|allow|sign up|set up|send)\b")
_INVITE_AFTER = re.compile(r"^\s*(?:also\s+|too\s+|as well\s+)?"
                           r"(?:see|view|look at|access|have access|get access|be added|"
                           r"join|be included|know|get updates|get the updates|be kept|be on|use this|read|text you|"
                           r"message you|be part|have a look)")

# After "add my nan Edie": words that go on to describe her (age, conditions), not to invite her.
_DESCRIBED_AFTER = re.compile(r"^\s*(?:too|as well|also)?\s*[,.]?\s*(?:who|she|he|they|shes|hes|she's|he's|"
                              r"they're|theyre|is|has|aged|age|\d)\b")
_INVITE_WORDS = re.compile(r"\b(?:see|view|access|record|updates?|join|read|look at|know|invite|number|phone|mobile|"
                           r"text|message)\b")


def _invitation(r: _Reader, phone: str | None) -> Invitation | None:
    low = r.p.low
    for m in _INVITE_RE.finditer(low):
        verb = m.group(0).split()[0]
        i = r.p.tok_at(m.end())
        cands = [mm for mm in r.mentions if mm.kind in ("rel", "name") and i <= mm.start <= i + 3 and not mm.third]
        if not cands:
            continue
        mm = cands[0]
        if r.low(mm.end) in ("'s",):
            continue
        after = r.p.low[r.p.char_of(mm.end):r.p.char_of(mm.end) + 40]
        if verb in ("let", "can", "could", "allow", "give") and not (_INVITE_AFTER.match(after) or
                                                                     re.match(r"^\s*access", after)):
            continue
        if verb in ("like", "want") and not re.match(r"^\s*to\s+", after) or verb in ("like", "want") and \
                not _INVITE_AFTER.match(after.lstrip()[3:]):
            continue
        if verb == "add" and re.match(r"^\s*(?:'s|to the|that|as a)", after) and \
                not re.match(r"^\s*to the (?:record|family|group|chat|list)", after):
            continue
        if verb == "add" and phone is None and _DESCRIBED_AFTER.match(after) and not _INVITE_WORDS.search(after):
            continue  # "add our nan Edie too, she's 95 and has COPD": someone to care for, not an invitee
        if verb == "send" and not re.match(r"^\s*(?:a\s+)?(?:copy|this|updates|the record|an invite)", after):
            continue
        if verb in ("set", "sign") and not re.search(r"\bup\b", m.group(0)):
            continue
        mm.role = "invitee"
        return Invitation(mm.name, mm.rel, phone)
    return None


# --- correction markers -------------------------------------------------------------------------------
_STRONG_CORRECTION = re.compile(
    r"\b(?:that'?s|that is|this is|it'?s|thats|it is|you'?ve got|you have got|you have|you got)\s+(?:not right|"
    r"wrong|incorrect|not true|a mistake|not correct|out of date|old)\b|\b(?:incorrect|correction|mistake|"
    r"i meant|sorry,? i meant|should (?:be|say|read|have said)|not right|got it wrong|that'?s not)\b")
_WEAK_CORRECTION = re.compile(
    r"(?:^|[.,!?]\s*|\b(?:no|oh|sorry|wait)\s*,?\s*)actually\b|\bno longer\b|\bnot any ?more\b|\bany ?more\b|"
    r"\bstopped\b|\bchanged\b|\bswitched\b|\bmoved\b|\bcame off\b|\bcome off\b|\btaken off\b|\binstead\b|"
    r"\bnow lives\b|\bnew address\b|\bupdate\b|\bno more\b|\bnow on\b|\bnot on\b|\bisn'?t on\b|\bstill\b")


# --- putting it together ----------------------------------------------------------------------
_PHONE_MASK = re.compile(PHONE_PATTERN.pattern)


def understand(text: str, known: frozenset[str] = frozenset()) -> Understanding:
    """Everything worth keeping from one carer message. Never raises on odd input.

    One turn asks this of the same text several times (the intent check, the router, the
    handler): the reading is cached, and each caller gets its own copy to keep.
    """
    if not isinstance(text, str) or not text.strip():
        return Understanding()
    return copy.deepcopy(_understand_cached(text, known))


@lru_cache(maxsize=256)
def _understand_cached(text: str, known: frozenset[str] = frozenset()) -> Understanding:
    raw = text[:6000]
    phone = None
    for pm in _PHONE_MASK.finditer(raw):
        number = normalise(pm.group(0))
        if number:
            phone = phone or number
            raw = raw[:pm.start()] + " phone number " + raw[pm.end():]
    cleaned = clean(raw)
    if not cleaned or not re.search(r"[A-Za-z]", cleaned) or not looks_english(cleaned):
        return Understanding()
    r = _Reader(cleaned, known)
    postcode, found = _postcodes(r)
    invitation = _invitation(r, phone)
    if invitation:
        _refresh_subjects(r)
        r.attribution = Attribution(r.p, r.mentions)
    _need_patterns(r)
    care_plan_facts(r)
    allergy_facts(r)
    professional_facts(r)
    _adjective_facts(r)
    _phrase_facts(r)
    _unknown_medicines(r)
    _access_facts(r)
    _preference_facts(r)
    _communication_facts(r)
    _gp_facts(r)
    _address_facts(r, found)
    _situation_facts(r)
    _named_places(r)
    _event_facts(r)
    _age_facts(r)
    _appointment_facts(r)
    understood = _assemble(r, postcode, invitation)
    understood.hedged = _hedged(r, understood)
    understood.negated_keys = [k for k in r.denied if k in understood.ended_keys]
    understood.rest = _rest(r)
    for step in (_restated_diagnosis, _conditions_after_with, _stopped_by_someone, _care_home_move,
                 _invitee_name):
        understood = step(cleaned, understood)
    return understood


def _hedged(r: _Reader, understood: Understanding) -> list[ExtractedFact]:
    """Suspected conditions, on whom they are about; none already told as so."""
    told = {f.key for f in understood.facts} | set(understood.ended_keys)
    hedged: list[ExtractedFact] = []
    for tok, fact in r.suspected:
        subject = r.subject_for(tok)
        if subject is OTHER or fact.key in told:
            continue
        for member in subject if isinstance(subject, list) else [subject]:
            person = member.person if member is not None else None
            hedged.append(ExtractedFact(fact.category, fact.key, fact.value, person, fact.detail))
        told.add(fact.key)
    return hedged


# --- Second passes over the whole message, for phrasings the clause reader is wary of --------
# Each adds only what a plain pattern makes certain, and never contradicts an earlier finding.

@once
def _condition_index() -> tuple[dict[str, tuple[str, str]], str]:
    """Every condition phrase -> (key, display), and one alternation of them, longest first."""
    phrases = {phrase: (key, display) for phrase, key, display in reversed(_condition_phrases())}
    alternation = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    return phrases, alternation


@once
def _after_with_re() -> re.Pattern:
    return re.compile(rf"\b(?:with|living with|suffers? from|suffering from)\s+"
                      rf"(?:[a-z0-9' -]{{0,40}}?\band\s+|[a-z0-9' ]{{0,40}}?,\s*)?(?P<c>{_condition_index()[1]})\b")


def _conditions_after_with(text: str, understood: Understanding) -> Understanding:
    """"88 with heart failure and type 2 diabetes", "living with MS": conditions after "with"."""
    if not understood.people and understood.subject is None:
        return understood  # "a man with dementia came round" is not about the family
    lowered = text.lower().replace("’", "'")
    known = {f.key for f in understood.facts} | set(understood.ended_keys)
    phrases = _condition_index()[0]
    every = re.compile(rf"\b(?P<c>{_condition_index()[1]})\b")
    context: Context | None = None  # ConText on the message, made only when a pattern matches
    for match in _after_with_re().finditer(lowered):
        for found in every.finditer(lowered, match.start(), match.end()):  # "with ADHD and anxiety": both
            key, display = phrases[found.group("c")]
            if context is None:
                parsed = Parsed(text)
                context = Context(parsed)
            first, last = parsed.tok_at(found.start()), parsed.tok_at(found.end() - 1)
            if context.at(first, last + 1).status != "current":
                continue  # "not living with dementia", "might be living with MS", "her friend with COPD"
            if key not in known:
                understood.facts.append(ExtractedFact("condition", key, display, understood.subject,
                                                      {"name": display}))
                known.add(key)
    return understood


_STOP_VERBS = r"(?:stopped|stop|discontinued|taken (?:her|him|them) off|took (?:her|him|them) off|came off|come off)"


def _stopped_by_someone(text: str, understood: Understanding) -> Understanding:
    """"The GP stopped her ramipril": a medicine ended, however the sentence is built."""
    lowered = text.lower().replace("’", "'")
    for fact in list(understood.facts):
        if fact.category != "medicine":
            continue
        name = str(fact.detail.get("name") or fact.value.split()[0]).lower()
        if re.search(rf"\b{_STOP_VERBS}\s+(?:the\s+|her\s+|his\s+|their\s+)?{re.escape(name)}\b", lowered):
            understood.facts.remove(fact)
            if fact.key not in understood.ended_keys:
                understood.ended_keys.append(fact.key)
            understood.is_correction = True
    return understood


def _care_home_move(text: str, understood: Understanding) -> Understanding:
    """"She's moved into a care home": the setting is the care home, not home."""
    match = re.search(r"\b(?:moved|moving|gone|went|go(?:ing)?)\s+(?:in)?to\s+a\s+(care|nursing|residential)\s+home\b",
                      text.lower())
    if match and not any(f.key == "situation:location" and f.detail.get("name") for f in understood.facts):
        understood.facts[:] = [f for f in understood.facts if f.key != "situation:location"]
        understood.facts.append(ExtractedFact("situation", "situation:location", f"in a {match.group(1)} home",
                                              None, {"setting": "care_home"}))
    return understood


def _invitee_name(text: str, understood: Understanding) -> Understanding:
    """"add my cousin leanne 07...": a lower-case name after the relationship word."""
    invitation = understood.invitation
    if invitation is None or invitation.name or not invitation.relationship:
        return understood
    match = re.search(r"\b(?:my|our)\s+[a-z-]+(?:\s+[a-z-]+)??\s+([a-z][a-z'-]{1,20})\b(?=[\s,]*(?:on|his|her|their|"
                      r"number|mobile|phone|is|\+|\d|$)|[\s,]+(?:as well|too|also|please)\b)", text.lower())
    if match and match.group(1) not in {"on", "his", "her", "their", "number", "mobile", "phone", "is", "too",
                                        "please", "as", "and", "to", "who", "so", "in"}:
        understood.invitation = Invitation(match.group(1).capitalize(), invitation.relationship, invitation.phone)
    return understood


@once
def _condition_phrases() -> list[tuple[str, str, str]]:
    """(lowercase phrase, key, display) for every condition, longest phrase first."""
    from bot.language.vocabulary import CONDITIONS

    found = [(p.lower(), t.key, t.display) for t in CONDITIONS for p in t.phrases if len(p) >= 3]
    return sorted(found, key=lambda item: -len(item[0]))


_IT_IS = r"(?:it'?s|it is|its|it was|they said it'?s|(?:clinic|doctor|consultant|gp) (?:said|says) it'?s)"


def _restated_diagnosis(text: str, understood: Understanding) -> Understanding:
    """"It's not Alzheimer's, it's Lewy body dementia": a diagnosis corrected without a verb."""
    lowered = text.lower().replace("’", "'")
    if not re.search(rf"\b{_IT_IS}\b", lowered):
        return understood
    phrases, alternation = _condition_index()
    for match in re.finditer(rf"\b{_IT_IS} (?P<neg>not )?(?:actually |really |definitely )?(?:a |an )?"
                             rf"(?P<c>{alternation})\b", lowered):
        key, display = phrases[match.group("c")]
        if match.group("neg"):
            if key not in understood.ended_keys:
                understood.ended_keys.append(key)
                understood.is_correction = True
        elif not any(f.key == key for f in understood.facts) and key not in understood.ended_keys:
            understood.facts.append(ExtractedFact("condition", key, display, understood.subject,
                                                  {"name": display}))
    return understood


_REST_SKIP = re.compile(r"^(?:hi|hello|hiya|hey|thanks|thank you|ok|okay|yes|no|please|lol|x+|sorry|also|and|so)"
                        r"(?:\W+|$)")


_LINKS = {"is", "are", "was", "and", "my", "our", "the", "called", "named", "s", "her", "his", "name", "i", "too",
          "also", "look", "after", "care", "for", "both", "parents", "kids", "children", "me", "we", "us"}


def _rest(r: _Reader) -> list[tuple[PersonMention | None, str]]:
    """The parts of the message no fact came from, as the carer wrote them, with whom each is about."""
    p = r.p
    starts = {tok for tok, _, _ in r.facts} | r.used
    rest: list[tuple[PersonMention | None, str]] = []
    if not r.facts and not any(mm.kind in ("rel", "name", "pron") for mm in r.mentions):
        return rest  # not about anyone: nothing to keep
    i = 0
    while i < len(p):
        end = p.clause_end(i)
        if end == i:
            i += 1
            continue
        named = {k for mm in r.mentions if mm.start < end and mm.end > i for k in range(mm.start, mm.end)}
        words = [t for t in p.toks[i:end] if t.low.isalpha()]
        content = [t for t in words if t.i not in named and t.low not in _LINKS]
        if len(words) >= 3 and content and not any(i <= tok < end for tok in starts) and not r.question_clause(i):
            text = p.text[p.toks[i].start:p.toks[end - 1].end].strip(" ,;:-")
            subject = r.subject_for(end)
            if subject is not OTHER and not _REST_SKIP.fullmatch(text.lower() + " "):
                person = subject[0].person if isinstance(subject, list) else (
                    subject.person if subject is not None else None)
                if person is None or person.relationship != "self":
                    rest.append((person, text))
        i = end + 1
    return rest


def _refresh_subjects(r: _Reader) -> None:
    from bot.language.mentions import _resolve
    _resolve(r.mentions)


def _assemble(r: _Reader, postcode: str | None, invitation: Invitation | None) -> Understanding:
    facts: list[ExtractedFact] = []
    subjects: list[PersonMention] = []
    for _tok, f, mention in sorted(r.facts, key=lambda x: x[0]):
        group = mention if isinstance(mention, list) else [mention]
        for member in group:
            person = member.person if member is not None else None
            fact = ExtractedFact(f.category, f.key, f.value, person, f.detail)
            facts.append(fact)
            if person is not None and person is not SELF and person.relationship != "self":
                subjects.append(person)
    # a fact stated twice in one message: keep the last (the carer's final word)
    seen: dict[tuple[str, PersonMention | None], int] = {}
    for n, f in enumerate(facts):
        seen[(f.key, f.subject)] = n
    facts = [f for n, f in enumerate(facts) if seen[(f.key, f.subject)] == n]
    ended = [k for k in r.ended if not any(f.key == k for f in facts)]
    # people: cared-for people this message is about
    people: list[PersonMention] = []

    def _add(p: PersonMention | None) -> None:
        if p is None or p.relationship == "self":
            return
        for n, q in enumerate(people):
            if q == p:
                return
            if q.relationship == p.relationship and p.relationship and (q.name is None or p.name is None):
                if q.name is None and p.name:
                    people[n] = p
                return
            if q.name and q.name == p.name and (q.relationship is None or p.relationship is None):
                return
        people.append(p)

    low = r.p.low
    for m in r.mentions:
        if m.kind not in ("rel", "name") or m.third or m.role:
            continue
        before = low[max(0, r.p.char_of(m.start) - 22):r.p.char_of(m.start)]
        after_tok = r.low(m.end)
        cares = bool(re.search(r"(?:look(?:s|ing)? after|car(?:e|es|ing) for|carer (?:for|to|of)|support(?:s|ing)?|"
                               r"help(?:s|ing)?|about|for|worried about|with)\s+(?:my|our)?\s*(?:[\w']+\s+){0,2}$",
                               before))
        state = r.lem(m.end) in ("have", "be", "'s", "can", "will", "do", "need", "take", "live", "fall", "keep",
                                 "struggle", "suffer", "got", "go", "eat", "sleep", "refuse", "use", "get", "not",
                                 "die", "pass", "come", "turn") or after_tok in ("has", "hasn't", "isn't", "can't",
                                                                                  "won't", "doesn't", "'s", "is")
        if cares or state or m.person in subjects or m.name:
            _add(m.person)
    subject = people[0] if people else None
    if subject is None:
        for m in r.mentions:
            if m.kind in ("rel", "name") and not m.third and not m.role:
                subject = m.person
                break
    if not people and subject is not None and not facts:
        people.append(subject)  # "what medicines is John on?"
    is_corr = bool(_STRONG_CORRECTION.search(low)) or bool(ended) or (
        bool(_WEAK_CORRECTION.search(low)) and bool(facts) and bool(re.search(
            r"(?:^|[.,!?]\s*|\b(?:no|oh|sorry|wait)\s*,?\s*)actually\b|no longer|any ?more|stopped|changed|switched|"
            r"moved|came off|come off|taken off|instead|now lives|new address|no more|now on", low)))
    return Understanding(people=people, facts=facts, ended_keys=ended, is_correction=is_corr,
                         invitation=invitation, subject=subject, postcode=postcode)
