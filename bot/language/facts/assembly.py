"""Reading one message: every reader in turn, then the second passes, assembled into an Understanding."""
from __future__ import annotations

import copy
import re
from functools import lru_cache

from bot.language.allergies import allergy_facts
from bot.language.attribution import OTHER, Attribution
from bot.language.careplans import care_plan_facts
from bot.language.facts.access_safety import access_facts
from bot.language.facts.address import address_facts, find_postcodes
from bot.language.facts.adjectives import adjective_facts
from bot.language.facts.age import age_facts
from bot.language.facts.appointments import appointment_facts
from bot.language.facts.clinical import phrase_facts
from bot.language.facts.communication import communication_facts
from bot.language.facts.correction_markers import STRONG_CORRECTION, WEAK_CORRECTION
from bot.language.facts.gp import gp_facts
from bot.language.facts.help_needs import need_patterns
from bot.language.facts.invitation import read_invitation
from bot.language.facts.preferences import preference_facts
from bot.language.facts.reader import Reader
from bot.language.facts.results import ExtractedFact, Invitation, Understanding
from bot.language.facts.second_passes import (
    care_home_move,
    conditions_after_with,
    invitee_name,
    restated_diagnosis,
    stopped_by_someone,
)
from bot.language.facts.situation import event_facts, named_places, situation_facts
from bot.language.facts.unknown_medicines import unknown_medicine_facts
from bot.language.mentions import SELF, Mention, PersonMention
from bot.language.professionals import professional_facts
from bot.language.text import clean, looks_english
from bot.phone import PHONE_PATTERN, normalise

_PHONE_MASK = re.compile(PHONE_PATTERN.pattern)


def understand(text: str, known: frozenset[str] = frozenset()) -> Understanding:
    """Everything worth keeping from one carer message. Never raises on odd input.

    One turn asks this of the same text several times (the intent check, the router, the
    handler): the reading is cached, and each caller gets its own copy to keep.
    """
    if not isinstance(text, str) or not text.strip():
        return Understanding()
    return copy.deepcopy(understand_cached(text, known))


@lru_cache(maxsize=256)
def understand_cached(text: str, known: frozenset[str] = frozenset()) -> Understanding:
    """The cached reading itself, shared by every caller: read it, never change it."""
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
    r = Reader(cleaned, known)
    postcode, found = find_postcodes(r)
    invitation = read_invitation(r, phone)
    if invitation:
        _refresh_subjects(r)
        r.attribution = Attribution(r.p, r.mentions)
    need_patterns(r)
    care_plan_facts(r)
    allergy_facts(r)
    professional_facts(r)
    adjective_facts(r)
    phrase_facts(r)
    unknown_medicine_facts(r)
    access_facts(r)
    preference_facts(r)
    communication_facts(r)
    gp_facts(r)
    address_facts(r, found)
    situation_facts(r)
    named_places(r)
    event_facts(r)
    age_facts(r)
    appointment_facts(r)
    understood = _assemble(r, postcode, invitation)
    understood.hedged = _hedged(r, understood)
    understood.negated_keys = [k for k in r.denied if k in understood.ended_keys]
    understood.rest = _rest(r)
    for step in (restated_diagnosis, conditions_after_with, stopped_by_someone, care_home_move,
                 invitee_name):
        understood = step(cleaned, understood)
    return understood


def _hedged(r: Reader, understood: Understanding) -> list[ExtractedFact]:
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


_REST_SKIP = re.compile(r"^(?:hi|hello|hiya|hey|thanks|thank you|ok|okay|yes|no|please|lol|x+|sorry|also|and|so)"
                        r"(?:\W+|$)"
                        # words about the message itself: "sorry this is long", "bear with me"
                        r"|^(?:sorry )?(?:this is|it's|its|this will be|this might be) (?:a bit |quite |really |so )?"
                        r"long\W*$|^(?:sorry )?(?:bear with me|long story short|where do i (?:start|begin)|"
                        r"hope (?:this|that) makes sense|thanks in advance)\W*$")


_LINKS = {"is", "are", "was", "and", "my", "our", "the", "called", "named", "s", "her", "his", "name", "i", "too",
          "also", "look", "after", "care", "for", "both", "parents", "kids", "children", "me", "we", "us"}


def _rest(r: Reader) -> list[tuple[PersonMention | None, str]]:
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
        if r.question_clause(i):
            i = end + 1
            continue
        for a, b in _parts(r, i, end, starts):
            named = {k for mm in r.mentions if mm.start < b and mm.end > a for k in range(mm.start, mm.end)}
            words = [t for t in p.toks[a:b] if t.low.isalpha()]
            content = [t for t in words if t.i not in named and t.low not in _LINKS]
            named_thing = any(t.orig.isupper() and len(t.orig) > 1 or t.orig[:1].isupper() and t.i > a for t in content)
            if len(words) < (2 if named_thing else 3) or not content or any(a <= tok < b for tok in starts):
                continue  # two words are enough when they name something: "ex RAF"
            text = p.text[p.toks[a].start:p.toks[b - 1].end].strip(" ,;:-")
            subject = r.subject_for(b)
            if isinstance(subject, Mention) and subject.kind == "self" and a > 0 and any(
                    mm.role == "contact" and a <= mm.start < b for mm in r.mentions):
                subject = r.subject_for(a - 1)  # "me and my brother are the attorneys": about the one before
            if subject is not OTHER and not _REST_SKIP.fullmatch(text.lower() + " "):
                person = subject[0].person if isinstance(subject, list) else (
                    subject.person if subject is not None else None)
                if person is None or person.relationship != "self":
                    rest.append((person, text))
        i = end + 1
    return rest


_JOINS = {"and", "but"}


def _parts(r: Reader, i: int, end: int, starts: set[int]) -> list[tuple[int, int]]:
    """A clause, or, when a fact came from it, its parts joined by "and"/"but": "she is Catholic
    and wants Father Michael called to give her the last rites" keeps the wish, though "Catholic"
    was structured. A part needs three words of its own to stand alone."""
    if not any(i <= tok < end for tok in starts):
        return [(i, end)]
    cuts = [k for k in range(i + 1, end - 1) if r.low(k) in _JOINS]
    bounds = [i] + cuts + [end]
    parts = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        a2 = a + 1 if r.low(a) in _JOINS else a
        if sum(1 for t in r.p.toks[a2:b] if t.low.isalpha()) >= 3:
            parts.append((a2, b))
    return parts


def _refresh_subjects(r: Reader) -> None:
    from bot.language.mentions import _resolve
    _resolve(r.mentions)


def _assemble(r: Reader, postcode: str | None, invitation: Invitation | None) -> Understanding:
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
    # "her social worker is Kerry": the named professional says it all; the same role read again as a
    # service ("social worker") would be a second, nameless entry that an answer could pick instead
    named_roles = {(str((f.detail or {}).get("role", "")).lower(), f.subject) for f in facts
                   if f.category == "professional" and (f.detail or {}).get("name")}
    facts = [f for f in facts if not (f.category == "service" and (f.value.lower(), f.subject) in named_roles)]
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
    is_corr = bool(STRONG_CORRECTION.search(low)) or bool(ended) or (
        bool(WEAK_CORRECTION.search(low)) and bool(facts) and bool(re.search(
            r"(?:^|[.,!?]\s*|\b(?:no|oh|sorry|wait)\s*,?\s*)actually\b|no longer|any ?more|stopped|changed|switched|"
            r"moved|came off|come off|taken off|instead|now lives|new address|no more|now on", low)))
    return Understanding(people=people, facts=facts, ended_keys=ended, is_correction=is_corr,
                         invitation=invitation, subject=subject, postcode=postcode)
