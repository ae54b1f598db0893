"""Who is responsible: carers' words -> needs -> a rule -> the local services that fill its role.

The rules live in one data file (data/responsibility/rules.yml, read by bot.directory.rules); this
module applies them. Need matching uses the directory's own vocabulary (need terms and synonyms in
the database), rebuilt whenever a maintainer changes it, so a new synonym works at once.
"""
from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy.orm import Session

from bot.directory import local_search, localities, search, tagging
from bot.directory.places import Place
from bot.directory.rules import Clarification, Resolution, Rule, RuleBook, Situation
from bot.language import need_classifier
from bot.language.need_classifier import NeedGuess
from bot.language.needs import NeedMatcher
from bot.language.nlp import once
from bot.language.questions import CLAUSE_QUESTION

_VOCAB_CHECK_SECONDS = 1.0


@once
def rulebook() -> RuleBook:
    return tagging.book()  # one cached copy per process


class _NeedIndex:
    """The NeedMatcher over the database's need vocabulary, rebuilt when the vocabulary changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._matcher: Optional[NeedMatcher] = None
        self._fingerprint: Optional[tuple] = None
        self._checked = 0.0

    def matcher(self, session: Session) -> NeedMatcher:
        now = time.monotonic()
        with self._lock:
            if self._matcher is not None and now - self._checked < _VOCAB_CHECK_SECONDS:
                return self._matcher
            fingerprint = search.vocabulary_fingerprint(session)
            if self._matcher is None or fingerprint != self._fingerprint:
                self._matcher = NeedMatcher(search.need_words(session))
                self._fingerprint = fingerprint
            self._checked = now
            return self._matcher

    def reset(self) -> None:
        with self._lock:
            self._matcher, self._fingerprint, self._checked = None, None, 0.0


NEED_INDEX = _NeedIndex()


# Needs that come up in passing in many stories ("she was discharged", "it's an emergency"); when a
# more specific need is also there ("section 3", "continuing healthcare"), the specific one leads.
GENERIC_NEEDS = ("need.hospital-discharge", "need.emergency", "need.urgent-medical-advice",
                 "need.equipment-at-home", "need.complaint",
                 "need.new-baby-support", "need.social-activities", "need.care-home-placement")

_SENTENCES = re.compile(r"[^.!?\n]+[.!?\n]*")
_CLAUSES = re.compile(r"[^,.;:!?\n]+")
_ASKING = re.compile(r"\?|^\W*(who|how|what|where|which|can|could|is there|are there|do|does)\b|\bwho\b",
                     re.IGNORECASE)


# "not an emergency obviously", "he hasn't been in hospital": the words after these are what it isn't.
_NEGATED = re.compile(r"\b(?:not|never|no|isn'?t|wasn'?t|(?:has|have|had)(?:n'?t| not)(?: been)?|not been|never been)"
                      r"\s+((?:[a-z']+\s+){0,2}[a-z']+)", re.IGNORECASE)


def _negated_needs(matcher: NeedMatcher, text: str) -> set[str]:
    """Needs the carer says it is not ("not an emergency"), unless the negation is part of the
    need's own words ("not breathing" is an emergency)."""
    found: set[str] = set()
    for negation in _NEGATED.finditer(text):
        after = {m.term_id for m in matcher.match(negation.group(1))}
        if after:
            own = matcher.match(text[negation.start():negation.end() + 12])
            found |= after - {m.term_id for m in own if m.start == 0}
    return found


# "she doesn't have an LPA", "we never got round to doing power of attorney", "too late for an LPA":
# the words after these name what is lacking (read for needs with `if_lacking` in the rule book).
_LACKING = re.compile(
    # longest first: "never got round to" before "never"
    r"\b(?:never (?:got (?:round|around) to|did|made|sorted|set up|got)|too late (?:for|to (?:do|make|get|sort))"
    r"|(?:does|do|did|has|have|had)(?:n'?t| not)(?: (?:got|have|had|do|did|make|made|sort|sorted))?"
    r"|no|never|without)"
    r"\s+((?:[a-z']+\s+){0,3}[a-z']+)", re.IGNORECASE)


def _instead_of_lacking(matcher: NeedMatcher, text: str) -> dict[str, str]:
    """Needs said to be missing that mean another need (the rule book's `if_lacking`)."""
    instead: dict[str, str] = {}
    needs = rulebook().needs
    for lacking in _LACKING.finditer(text):
        for found in matcher.match(lacking.group(1)):
            need = needs.get(found.term_id)
            if need is not None and need.if_lacking:
                instead[need.code] = need.if_lacking
    return instead


def match_needs(session: Session, text: str) -> list[str]:
    """Need codes the carer's words point to, best first.

    Needs named in the last sentence that asks ("... who actually decides if the NHS pays?") lead
    the ones mentioned in the story before it; generic ones come after specific ones.
    """
    matcher = NEED_INDEX.matcher(session)
    # The intent check, router and handler all ask within one turn. The memo belongs to this
    # matcher, so an answer worked out with an older vocabulary never outlives it; one read, as
    # another thread may empty it at any moment.
    cached = matcher.memo.get(text)
    if cached is not None:
        return list(cached)
    negated = _negated_needs(matcher, text)
    instead = _instead_of_lacking(matcher, text)
    codes: list[str] = []
    for match in matcher.match(text):
        code = instead.get(match.term_id, match.term_id)
        if code not in codes and (code not in negated or match.term_id in instead):
            codes.append(code)
    asked: set[str] = set()
    sentences = [s for s in _SENTENCES.findall(text) if _ASKING.search(s)]
    if sentences and len(_SENTENCES.findall(text)) > 1:
        asked = {m.term_id for m in matcher.match(sentences[-1])}
    elif len(_CLAUSES.findall(text)) > 1:
        # One run-on sentence ("the carers are always late, is there someone who checks up on care
        # companies"): the clause that opens like a question says what is asked.
        clauses = [c for c in _CLAUSES.findall(text) if CLAUSE_QUESTION.match(c)]
        asked = {m.term_id for m in matcher.match(clauses[-1])} if clauses else set()
    ordered = sorted(codes, key=lambda code: (code not in asked, code in GENERIC_NEEDS))
    if len(matcher.memo) >= 256:
        matcher.memo.clear()
    matcher.memo[text] = tuple(ordered)
    return ordered


# The classifier's probability at which its best need is taken as what was asked, and the least
# probability for a need to be offered in a "did you mean" list. Chosen on the training data's
# cross-validation, then checked (not tuned sentence by sentence) on the development questions.
CERTAIN = 0.55
CLOSE = 0.10
FAMILIAR = 0.45  # below this similarity to every training sentence, a message is about no need we know
MARGIN = 2.0  # the best need must be this many times likelier than the next to be certain
CHOICES = 3
# When a phrase matched but the classifier reads another need: how sure it must be of that need,
# and how many times surer than of the matched one, for the meaning to lead.
OVERRULE = 0.30
OVERRULE_RATIO = 5.0
FAVOURED_RATIO = 2.0  # among several matched needs, how much likelier the meaning's choice must be


@dataclass(frozen=True)
class NeedReading:
    """What a message asks about: needs by phrase (exact), and the classifier's guesses by meaning."""

    matched: tuple[str, ...] = ()
    guesses: tuple[NeedGuess, ...] = ()

    @property
    def codes(self) -> list[str]:
        """The needs to answer: the phrase matches, else the classifier's when it is sure."""
        if self.matched:
            return list(self.matched)
        if self.guesses and self.guesses[0].score >= CERTAIN and (
                len(self.guesses) < 2 or self.guesses[0].score >= MARGIN * self.guesses[1].score):
            return [self.guesses[0].code]
        return []

    @property
    def close(self) -> list[NeedGuess]:
        """Needs worth offering as "did you mean", when none is certain."""
        if self.codes:
            return []
        return [g for g in self.guesses if g.score >= CLOSE][:CHOICES]


def guess_needs(text: str) -> list[NeedGuess]:
    """The classifier's three likeliest needs for the text ([] without a trained classifier)."""
    model = need_classifier.classifier()
    if model is None or not isinstance(text, str) or not text.strip():
        return []
    key = ("guess", text)
    if key in _GUESS_CACHE:
        return list(_GUESS_CACHE[key])
    known = set(rulebook().needs)
    found, familiarity = model.read(text[:2000], k=CHOICES + 2)
    guesses = [g for g in found if g.code in known][:CHOICES] if familiarity >= FAMILIAR else []
    if len(_GUESS_CACHE) >= 256:
        _GUESS_CACHE.clear()
    _GUESS_CACHE[key] = tuple(guesses)
    return guesses


_GUESS_CACHE: dict[tuple[str, str], tuple[NeedGuess, ...]] = {}


def warm_up() -> threading.Thread:
    """Load the need classifier and its embedding model in the background, so the first carer who
    needs it isn't kept waiting (loading takes a few seconds)."""
    def load() -> None:
        model = need_classifier.classifier()
        if model is not None:
            model.guess("hello")

    thread = threading.Thread(target=load, name="need-classifier-warm-up", daemon=True)
    thread.start()
    return thread


def read_needs(session: Session, text: str) -> NeedReading:
    """Phrases first (exact, and a maintainer's new synonym works at once); the classifier only
    when no phrase matched, or when it clearly reads the message otherwise."""
    matched = match_needs(session, text)
    if matched:
        whole = guess_needs(text)
        asked = _asked_by_meaning(session, text)
        if asked and _score(whole, matched[0]) > _score(whole, asked):
            asked = None  # a bare "does somebody need to be told?" says less than the story before it
        codes = tuple(dict.fromkeys([asked, *matched] if asked else matched))
        if asked is None:
            clearer = _clearer_by_meaning(whole, codes, _named_in_question(session, text, codes[0]))
            if clearer:
                codes = tuple(dict.fromkeys([clearer, *codes]))
        return NeedReading(codes)
    return NeedReading((), tuple(guess_needs(text)))


def _score(guesses: list[NeedGuess], code: str) -> float:
    return next((g.score for g in guesses if g.code == code), 0.0)


def _named_in_question(session: Session, text: str, code: str) -> bool:
    """Whether the need is named in the last sentence that asks, of a message of several."""
    sentences = _SENTENCES.findall(text)
    asking = [s for s in sentences if _ASKING.search(s)]
    if len(sentences) == 1 and len(_CLAUSES.findall(text)) > 1:  # one run-on sentence: its asking clause
        sentences = _CLAUSES.findall(text)
        asking = [c for c in sentences if CLAUSE_QUESTION.match(c)]
    return len(sentences) > 1 and bool(asking) and code in match_needs(session, asking[-1])


def _clearer_by_meaning(guesses: list[NeedGuess], matched: tuple[str, ...], lead_asked: bool = False) -> Optional[str]:
    """The classifier's need, when it clearly disagrees with the phrase that leads.

    A phrase can match a word used in passing ("not an emergency obviously", "who do you register
    it with" for a power of attorney, "depression" in a question about disability money). When the
    classifier reads the whole message as another need, fairly sure of it and many times surer than
    of the matched one, the meaning leads; otherwise the exact phrase does. Among several needs the
    words name ("pension credit" and "train fares ... claim it back"), the one the meaning clearly
    favours leads, unless the one leading is named in the sentence that asks ("these PIP forms are
    killing me. who can help me fill them in").
    """
    if not guesses or guesses[0].code == matched[0]:
        return None
    best, lead_score = guesses[0], _score(guesses, matched[0])
    if best.code in matched[1:]:
        # a generic need named in passing ("came out of hospital") never overtakes a specific one
        generic = best.code in GENERIC_NEEDS and matched[0] not in GENERIC_NEEDS
        favoured = best.score >= CLOSE and best.score >= FAVOURED_RATIO * lead_score
        if favoured and not generic and not lead_asked:
            return best.code
    if best.score < (CERTAIN if lead_asked else OVERRULE):  # a need named in the question is stronger
        return None
    return best.code if best.score >= OVERRULE_RATIO * lead_score else None


def _asked_by_meaning(session: Session, text: str) -> Optional[str]:
    """The need of the sentence that asks, by meaning, when it names none: "...depression. How does
    she start a claim for disability money?" asks about a benefit, not about the depression."""
    sentences = _SENTENCES.findall(text)
    asking = [s for s in sentences if _ASKING.search(s)]
    if len(sentences) < 2 or not asking or match_needs(session, asking[-1]):
        return None
    return next(iter(NeedReading((), tuple(guess_needs(asking[-1]))).codes), None)


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]{4,}", text.lower())}


def _rank_by_need(services: list[search.ServiceInfo], need_codes: list[str]) -> list[search.ServiceInfo]:
    """Among equally local services, the one whose name speaks of the need comes first
    (the carers' assessment team before the out-of-hours duty team, for a carer's assessment)."""
    book = rulebook()
    need_words: set[str] = set()
    for code in need_codes:
        need = book.needs.get(code)
        if need:
            need_words |= _words(need.name) | {w.rstrip("s") for w in _words(need.name)}
    locality = {s.id: index for index, s in enumerate(services)}

    def key(service: search.ServiceInfo) -> tuple:
        name = _words(service.name)
        overlap = len(need_words & (name | {w.rstrip("s") for w in name}))
        out_of_hours = "hours" in name and ("out" in name or "emergency" in name)
        return (service.national, out_of_hours, -overlap, locality[service.id])

    return sorted(services, key=key)


@dataclass
class Answer:
    kind: str  # rule | clarify | no_rule | no_need
    need_codes: list[str] = field(default_factory=list)
    rule: Optional[Rule] = None
    role_name: Optional[str] = None
    clarification: Optional[Clarification] = None
    services: list[search.ServiceInfo] = field(default_factory=list)
    place: Optional[Place] = None
    # The council's services that best match the need by their text, when none is tagged with the
    # rule's role (or no rule fits a question asking for somewhere near): to be labelled as such.
    matched: list[search.ServiceInfo] = field(default_factory=list)

    @property
    def local(self) -> list[search.ServiceInfo]:
        return [s for s in self.services if not s.national]


def resolve(session: Session, need_codes: list[str], situation: Situation, place: Optional[Place],
            age: Optional[int] = None, text: str = "") -> Answer:
    """Apply the rules to the needs and facts; find the services for the responsible role.

    `text`, the carer's question, adds their own words to the search for matching local services.
    """
    place = localities.locate(session, place)
    if not need_codes:
        return Answer("no_need", place=place, matched=_nearby(session, [], text, place, age))
    # The best-matched need leads; the others are tried only if it has no rule. Resolving them all
    # together lets a passing mention ("peg fed" -> baby feeding) outrank what was asked.
    resolution: Resolution = rulebook().resolve(need_codes[:1], situation)
    for code in need_codes[1:]:
        if not resolution.is_no_rule:
            break
        resolution = rulebook().resolve([code], situation)
    if resolution.needs_clarification:
        return Answer("clarify", list(resolution.need_codes), clarification=resolution.clarification,
                      place=place)
    if resolution.is_no_rule or resolution.rule is None:
        return Answer("no_rule", list(resolution.need_codes), place=place,
                      matched=_nearby(session, list(resolution.need_codes), text, place, age))
    rule = resolution.rule
    role = rulebook().roles.get(rule.role)
    services = search.services_for_role(session, rule.role, place, age, limit=8,
                                        need_codes=list(resolution.need_codes))
    services = _rank_by_need(services, list(resolution.need_codes))[:3]
    matched: list[search.ServiceInfo] = []
    if not services and place is not None and place.covered:
        # The council's feed has no service tagged with this role: its best text matches instead.
        matched = local_search.local_services(session, need_codes=list(resolution.need_codes), text=text,
                                              place=place, age=age)
    return Answer("rule", list(resolution.need_codes), rule=rule, role_name=role.name if role else rule.role,
                  services=services, place=place, matched=matched)


def _nearby(session: Session, need_codes: list[str], text: str, place: Optional[Place],
            age: Optional[int]) -> list[search.ServiceInfo]:
    """With no rule to answer by, a question asking for somewhere near ("is there a food bank near
    BS13?") still gets the council's best-matching services; other questions get none."""
    if place is None or not place.covered or not local_search.asks_for_somewhere(text):
        return []
    return local_search.local_services(session, need_codes=need_codes, text=text, place=place, age=age)


def answer_question(session: Session, text: str, situation: Situation, place: Optional[Place],
                    age: Optional[int] = None) -> Answer:
    return resolve(session, match_needs(session, text), situation, place, age, text=text)
