"""Tell once: consent, storing facts, saying the record back, corrections and family invitations.

Every handler here acts on `turn.reading` (the message read once by bot.language); none of them
looks at the raw text again.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.dialogue import directory_talk, summary, texts
from bot.dialogue import pending as q
from bot.dialogue import people as who
from bot.dialogue.conversation import Conversation
from bot.dialogue.turn import Turn
from bot.directory.responsibility import match_needs, read_needs
from bot.handoff import outbox
from bot.language import access
from bot.language.answers import YES
from bot.language.reading import Fact, Person, Reading, Rename, read
from bot.phone import phone_hash
from bot.records import models as m
from bot.records import notes as own_words
from bot.records import service as records
from bot.records.audit import Actor

log = logging.getLogger(__name__)


is_yes = q.said_yes
is_no = q.said_no


def agreeing_words(turn: Turn) -> str:
    """The words that gave consent, kept as evidence: never the rest of the message, which may be
    about the family (the consent's method is not encrypted)."""
    match = YES.match(turn.text)
    return f'"{match.group(1).lower()}"' if match else f"yes ({turn.intent})"


def actor_for(turn: Turn, person: m.Person) -> Actor:
    return Actor("carer", person.id, turn.channel)


def member(session: Session, turn: Turn) -> Optional[m.Person]:
    return records.member_by_phone_hash(session, turn.phone_hash) if turn.phone_hash else None


def family_names(session: Session, me: Optional[m.Person]) -> tuple[str, ...]:
    """The cared-for people's names, so the language stage knows "harvey?" is about Harvey."""
    if me is None or me.status != m.CONFIRMED:
        return ()
    return tuple(sorted({n.lower() for n in (records.name_of(p) for p in records.cared_for(session, me.family_id))
                         if n}))


# --- first contact and consent ---------------------------------------------------------------

def ask_consent(session: Session, turn: Turn, conv: Conversation, text: str = texts.INTRO) -> list[str]:
    conv.ask(q.Consent())
    return [text]


def give_consent(session: Session, turn: Turn, conv: Conversation) -> list[str]:
    """The carer said yes: start the family's record, then note anything they told us before."""
    if not turn.phone_hash:
        return [texts.WEB_NEEDS_PHONE]
    me = records.start_family(session, turn.phone_hash, turn.phone_e164, turn.channel,
                              f"replied {agreeing_words(turn)} to the consent request by {turn.channel}")
    conv.settle()
    session.flush()
    noted: list[str] = []
    for earlier in turn.previous_texts[-3:]:
        reading = read(earlier)
        applied = apply(session, turn, me, reading, conv)
        if reading.tells or reading.rest:
            keep_words(session, turn, me, reading, applied, earlier)
        noted += [value for _, values in applied.said for value in values]
    if noted:
        return [f"{texts.CONSENT_THANKS} I've noted: {'; '.join(noted)}. What else should I know?"]
    return [f"{texts.CONSENT_THANKS} {texts.ASK_FOR_STORY}"]


def greet(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    if me is None:
        return ask_consent(session, turn, conv)
    record = records.read_record(session, me.family_id, actor_for(turn, me), "greeting")
    if not record.cared_for:
        return ["Hello again. " + texts.ASK_FOR_STORY]
    text, _ = summary.record_summary(record, record.cared_for, limit=300)
    return [f"Hello again. Here's what I have: {text} Tell me anything new, or ask who is responsible "
            "for something."]


# --- storing what carers tell us -------------------------------------------------------------

@dataclass
class Applied:
    said: list[tuple[m.Person, list[str]]] = field(default_factory=list)  # per person, what was added
    already: list[str] = field(default_factory=list)  # facts we already had
    ended: list[str] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    fixed: list[str] = field(default_factory=list)
    people: list[m.Person] = field(default_factory=list)  # cared-for people the message named
    subject: Optional[m.Person] = None
    kept: bool = False  # the message was kept in the carer's own words
    rest: bool = False  # some of it is kept only in their words
    died: list[m.Person] = field(default_factory=list)  # people whose death was told

    def note(self, person: m.Person, value: str) -> None:
        for existing, values in self.said:
            if existing.id == person.id:
                if value not in values:
                    values.append(value)
                return
        self.said.append((person, [value]))

    @property
    def changed(self) -> bool:
        return bool(self.said or self.ended or self.moved or self.fixed)


class _People:
    """Who each mention in one message means, resolved once and reused for every fact."""

    def __init__(self, session: Session, me: m.Person, actor: Actor, context_id: Optional[str],
                 recent: tuple[str, ...] = ()):
        self.session, self.me, self.actor, self.context_id = session, me, actor, context_id
        self.recent = recent
        self.resolved: dict[Person, m.Person] = {}

    def get(self, mention: Optional[Person], create: bool = True) -> Optional[m.Person]:
        if mention is not None and mention.is_self:
            return self.me
        if mention is not None and mention in self.resolved and not who.is_pronoun(mention):
            return self.resolved[mention]
        person = who.resolve(self.session, self.me, self.actor, mention, self.context_id, create, self.recent)
        if person is not None and mention is not None and not who.is_pronoun(mention):
            self.resolved[mention] = person
        return person


def apply(session: Session, turn: Turn, me: m.Person, reading: Reading, conv: Conversation) -> Applied:
    """Write a reading into the record: people, facts per person, endings, moves and fixes.
    The person it is mainly about becomes the person the conversation is about."""
    actor = actor_for(turn, me)
    people = _People(session, me, actor, conv.about, conv.recent)
    result = Applied()
    for rename in reading.renames:
        _rename(session, me, actor, people, rename, result)
    for mention in reading.people:
        person = people.get(mention)
        if person is not None and person not in result.people:
            result.people.append(person)
    subject = people.get(reading.subject) if reading.subject and not reading.subject.is_self else None
    people.context_id = (subject.id if subject else None) or people.context_id
    record = records.read_record(session, me.family_id, actor, "update") if (
        reading.ended or reading.moves or reading.fixes) else None
    for move in reading.moves:
        _move(session, me, actor, record, people, move, result)
    for fix in reading.fixes:
        _fix(session, me, actor, record, people, reading, fix, result)
    fixed_keys = {fix.key for fix in reading.fixes if fix.key} | ({"personal:age"} if any(
        fix.unit is None for fix in reading.fixes) else set())
    for fact in reading.ended:
        if fact.key in fixed_keys and result.fixed:
            continue  # "isn't 5mg any more, it's 3mg": the fix above already replaced it
        _end(session, me, actor, record, people, fact, result)
    for fact in reading.current:
        if any(move.key == fact.key for move in reading.moves):
            continue  # the move above put it on the right person
        if fact.key in fixed_keys and result.fixed and not fact.detail.get("dose"):
            continue  # "upped her oramorph to 5ml": the fix above is the news, not a bare "oramorph"
        person = people.get(fact.person) if fact.person is not None else (subject or people.get(None))
        if person is None:
            continue
        detail = dict(fact.detail)
        if fact.category == "need" and "need_code" not in detail:
            code = directory_talk.need_code_for(session, fact.value)  # so "who can fit them?" needs no new words
            if code:
                detail["need_code"] = code
        _, created = records.add_fact(session, me.family_id, person.id, actor, fact.category, fact.key,
                                      fact.value, detail)
        if created:
            result.note(person, fact.value)
        else:
            result.already.append(fact.value)
        if fact.key == "event:death" and person.role == m.CARED_FOR:
            result.died.append(person)
        if person is not me:
            result.subject = result.subject or person
    result.subject = result.subject or subject or (result.people[0] if result.people else None)
    if reading.postcode and not any(f.category == "address" for f in reading.current) and not reading.question:
        result.subject = result.subject or people.get(None, create=False)
    if reading.postcode and not any(f.category == "address" for f in reading.current) \
            and result.subject is not None and not reading.question:
        # A bare postcode in a statement ("hes 83, em3 2hq") is where the person lives.
        _, created = records.add_fact(session, me.family_id, result.subject.id, actor, "address",
                                      "address:postcode", reading.postcode, {"postcode": reading.postcode})
        if created:
            result.note(result.subject, reading.postcode)
    if result.subject is not None:
        conv.talk_about(result.subject.id)
    return result


def keep_words(session: Session, turn: Turn, me: m.Person, reading: Reading, applied: Applied,
               text: Optional[str] = None) -> None:
    """Keep the message whole, in the carer's own words, on the people it is about."""
    actor = actor_for(turn, me)
    people = _People(session, me, actor, applied.subject.id if applied.subject else None)
    rest: dict[str, list[str]] = {}
    for mention, words in reading.rest:
        person = people.get(mention, create=False) if mention is not None else applied.subject
        if person is None or person is me:
            person = applied.subject
        rest.setdefault(person.id if person else "", []).append(words)
    ids = [p.id for p, _ in applied.said if p is not me] + [p.id for p in applied.people]
    ids += [pid for pid in rest if pid] + ([applied.subject.id] if applied.subject else [])
    # the message is kept whole except an entry code's digits, which are never kept
    own_words.add_note(session, me.family_id, actor, access.mask_codes(text if text is not None else turn.text),
                       ids, rest)
    applied.kept, applied.rest = True, bool(rest)


def _holders(record: Optional[records.RecordView], key: str) -> list[records.FactView]:
    return [f for f in (record.facts if record else []) if f.key == key]


def _move(session: Session, me: m.Person, actor: Actor, record, people: _People, move, result: Applied) -> None:
    """"The stroke is mum's, not dad's": the fact moves; the old row is kept as history."""
    target = people.get(move.to)
    if target is None:
        return
    away = people.get(move.away_from, create=False) if move.away_from else None
    name = move.key.split(":", 1)[-1]
    related = [f for key in (f"event:{name}", f"event:diagnosis:{name}") for f in _holders(record, key)]
    for fact in _holders(record, move.key) + related:
        if fact.person_id == target.id or (away is not None and fact.person_id != away.id):
            continue
        if records.move_fact(session, me.family_id, fact.id, target.id, actor) is not None and fact.key == move.key:
            result.moved.append(f"{fact.value} is now on {_name(target)}'s record")
            result.subject = result.subject or target


def _rename(session: Session, me: m.Person, actor: Actor, people: _People, rename: Rename, result: Applied) -> None:
    """"Sorry her name is Jean not Joan": the person with the wrong name (or the one named as mum,
    or the one talked about) gets the right one; the old name stays in the history."""
    family = records.cared_for(session, me.family_id)
    person = None
    if rename.old:
        person = next((p for p in family if (records.name_of(p) or "").lower() == rename.old.lower()), None)
    if person is None and rename.person is not None:
        person = people.get(rename.person, create=False)
    if person is None and not rename.old:
        person = who.in_context(session, me, people.context_id)
    if person is None or (records.name_of(person) or "").lower() == rename.new.lower():
        return
    old = records.rename_cared_for(session, person, actor, rename.new)
    result.fixed.append(f"name {rename.new}" + (f" (not {old})" if old else ""))
    result.subject = result.subject or person
    people.context_id = person.id


# Units that measure the same thing: a dose said in one may put right a dose recorded in another.
_UNIT_FAMILIES = (r"mg|g|mcg|micrograms?|grams?|milligrams?", r"ml|mls|millilitres?", r"units?", r"puffs?",
                  r"tablets?")


def _fix(session: Session, me: m.Person, actor: Actor, record, people: _People, reading: Reading, fix,
         result: Applied) -> None:
    """"12 units not 20", "the metformin is 1g": the one current fact with that value changes."""
    facts = record.facts if record else []
    if fix.unit is None:  # a bare number: an age
        candidates = [f for f in facts if f.key == "personal:age" and (fix.old is None or f.value == fix.old)]
    else:
        # with no old value, any dose in the same kind of unit: "the dose is 1g" puts right "500mg"
        family = next((f for f in _UNIT_FAMILIES if re.fullmatch(f, fix.unit, re.IGNORECASE)),
                      rf"{re.escape(fix.unit[0])}\w*")
        amount = re.compile(rf"\b{re.escape(fix.old)}\s?{re.escape(fix.unit)}?\b" if fix.old else
                            rf"\b\d+(?:\.\d+)?\s?(?:{family})\b", re.IGNORECASE)
        candidates = [f for f in facts if f.category == "medicine" and (fix.key is None or f.key == fix.key)
                      and amount.search(f.value)]
        if not candidates and fix.key is not None:
            candidates = [f for f in facts if f.key == fix.key]
    focus = people.get(reading.subject, create=False) if reading.subject else None
    if focus is not None and len(candidates) > 1:
        candidates = [f for f in candidates if f.person_id == focus.id]
    if len(candidates) != 1:
        return
    fact = candidates[0]
    if fix.unit is None:
        value, detail = fix.new, {**fact.detail, "years": int(fix.new)} if fix.new.isdigit() else fact.detail
    else:
        dose = re.compile(r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|micrograms?|ml|units?|g|grams?|puffs?|tablets?)\b", re.I)
        value = dose.sub(fix.new, fact.value, count=1) if dose.search(fact.value) else f"{fact.value} {fix.new}"
        detail = {**fact.detail, "dose": fix.new}
    _, created = records.add_fact(session, me.family_id, fact.person_id, actor, fact.category, fact.key, value,
                                  detail)
    if created:
        result.fixed.append(value)


def _end(session: Session, me: m.Person, actor: Actor, record, people: _People, fact: Fact,
         result: Applied) -> None:
    """"She stopped the donepezil": ends that person's fact, or the only one recorded with that key."""
    holders = _holders(record, fact.key)
    person = people.get(fact.person, create=False) if fact.person is not None else None
    if person is not None and any(f.person_id == person.id for f in holders):
        ended = records.end_facts(session, me.family_id, person.id, actor, fact.key)
    else:
        ended = records.end_facts(session, me.family_id, None, actor, fact.key)
    if ended:
        result.ended.append(fact.value)


def _name(person: Optional[m.Person]) -> str:
    if person is None:
        return "them"
    return summary.display_name(records.person_view(person))


def _label(person: m.Person) -> str:
    return summary.label(records.person_view(person))


def _for(person: m.Person) -> str:
    return "you" if person.role == m.CARER else _label(person)


def confirmation(applied: Applied) -> Optional[str]:
    """What was structured, per person: "For Sheila (mum): COPD; oxygen. For Ron (dad): diabetes."."""
    parts = []
    said = [(p, v) for p, v in applied.said if p.role != m.CARER] + [(p, v) for p, v in applied.said
                                                                     if p.role == m.CARER]
    if len(said) == 1:
        person, values = said[0]
        parts.append(f"Noted for {_for(person)}: {'; '.join(values)}.")
    elif said:
        parts.append("Noted. " + " ".join(f"For {_for(p)}: {'; '.join(v)}." for p, v in said))
    others = [p for p in applied.people if all(p.id != q.id for q, _ in said)]
    if others and parts:
        parts.append(f"I've also added {' and '.join(_label(p) for p in others)}.")
    if applied.moved:
        parts.append("Moved: " + "; ".join(applied.moved) + ".")
    if applied.fixed:
        parts.append("Updated: " + "; ".join(applied.fixed) + ".")
    if applied.ended:
        parts.append("No longer: " + "; ".join(applied.ended) + ".")
    if (applied.moved or applied.fixed or applied.ended) and not parts[0].startswith("Noted"):
        parts.append("The old details stay in the history.")
    return " ".join(parts) if parts else None


def tell(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    reading = turn.reading
    if me is None:
        if reading.question or (STATES_A_NEED.search(reading.text) and read_needs(session, reading.text).codes):
            # A first message that tells and asks: answer the question now (that needs no consent),
            # and offer to keep the story.
            answer = directory_talk.answer(session, turn, None, conv)
            conv.ask(q.Consent())
            return answer + [texts.CONSENT_OFFER]
        return ask_consent(session, turn, conv, texts.CONSENT_FIRST)
    if reading.ended or reading.moves or reading.fixes or reading.renames:
        return correct(session, turn, me, conv)
    applied = apply(session, turn, me, reading, conv)
    keep_words(session, turn, me, reading, applied)
    reply = confirmation(applied)
    kept = _kept(reading)
    if reply is not None and applied.rest:
        reply += " " + texts.KEPT_REST.format(words=kept)
    if reply is None and applied.rest:
        reply = texts.KEPT_WORDS.format(who=_name(applied.subject) if applied.subject else "your family",
                                        words=kept)
        if applied.people:
            reply += f" I've added {' and '.join(_label(p) for p in applied.people)} to your family's record."
    if applied.died:
        reply = texts.CONDOLENCE.format(who=_name(applied.died[0])) + " " + (reply or "")
    elif reply is None and applied.already:
        reply = f"I already had that for {_name(applied.subject)}: {'; '.join(applied.already)}."
    elif reply is None and applied.people:
        names = " and ".join(_label(p) for p in applied.people)
        reply = f"Thanks, I've added {names} to your family's record."
    elif reply is None:
        if match_needs(session, reading.text):  # no facts, but it is about a service: answer that
            return directory_talk.answer(session, turn, me, conv)
        return [texts.NOTHING_FOUND]
    return [reply + _missing_question(session, turn, me, conv, applied.subject)]


# "I need a break from looking after my son", "mum needs grab rails": a need stated, not asked, is
# still a question for us (answered only when the need matcher is sure of a need, see tell()).
STATES_A_NEED = re.compile(r"\b(i|we) (really |desperately |just )?(need|want|could do with|am looking for|"
                           r"are looking for|'m looking for|'re looking for)\b|\bneed (some )?help\b|"
                           r"\b(she|he|they|mum|mam|mom|dad|nan|nana|gran|grandma|grandad|husband|wife|partner|son|"
                           r"daughter|brother|sister)(?:'?s)? (really |now |desperately )?(needs|need|has to have)\b",
                           re.IGNORECASE)


def _kept(reading: Reading, limit: int = 220) -> str:
    """The carer's unstructured words, quoted back so they can see what was kept."""
    text = " / ".join(words for _, words in reading.rest)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "..."


def note_in_passing(session: Session, turn: Turn, me: m.Person, conv: Conversation) -> list[str]:
    """Facts told alongside a question or a greeting are kept too ("hiya, dad's been diagnosed...")."""
    reading = turn.reading
    if not reading.current and not reading.ended:
        return []
    applied = apply(session, turn, me, reading, conv)
    keep_words(session, turn, me, reading, applied)
    reply = confirmation(applied)
    return [reply] if reply else []


def _missing_question(session: Session, turn: Turn, me: m.Person, conv: Conversation,
                      person: Optional[m.Person]) -> str:
    """Ask for the one thing we most need and lack (the postcode), once per conversation."""
    if person is None or person is me or conv.asked_postcode:
        return ""
    record = records.read_record(session, me.family_id, actor_for(turn, me), "missing-check")
    if any(f.category == "address" for f in record.facts):
        return ""
    conv.asked_postcode = True
    return f" What's {who.pronoun(person.relation)} postcode? It helps me find the right local services."


def correct(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    if me is None:
        return [texts.NO_RECORD]
    reading = turn.reading
    if not reading.tells and not reading.postcode:
        return [texts.CORRECTION_UNCLEAR]
    applied = apply(session, turn, me, reading, conv)
    keep_words(session, turn, me, reading, applied)
    if not applied.changed:
        if applied.already:
            return [f"I already had that for {_name(applied.subject)}: {'; '.join(applied.already)}."]
        return [texts.CORRECTION_UNCLEAR]
    reply = confirmation(applied)
    if applied.said and (applied.ended or applied.moved or applied.fixed):
        reply += " The old details stay in the history."
    return [reply]


# --- saying the record back ------------------------------------------------------------------

def _describe(mention: Person) -> str:
    if mention.name:
        return mention.name
    word = summary.RELATION_WORDS.get(mention.relationship or "")
    return f"your {word}" if word else "them"


def show(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    if me is None or me.status != m.CONFIRMED:
        return ask_consent(session, turn, conv, texts.NO_RECORD)
    record = records.read_record(session, me.family_id, actor_for(turn, me), "summary")
    if not record.cared_for and not record.facts:
        return ["I don't have anything in your family's record yet. " + texts.ASK_FOR_STORY]
    reading = turn.reading
    topic = None if reading.topic == "record" else reading.topic  # a follow-up ("and mum?") gets it all
    if topic == "people":
        names = [summary.label(p) for p in record.cared_for]
        return [f"Your family's record has {len(names)} {'person' if len(names) == 1 else 'people'} you look "
                f"after: {', '.join(names)}. Ask me about any of them."]
    people = record.cared_for
    if reading.focus is not None and not reading.focus.is_self:
        person = who.find(session, me, reading.focus, conv.about, conv.recent)
        if person is None:
            return [f"I don't have anything about {_describe(reading.focus)} in your family's record. "
                    "Tell me about them and I'll note it."]
        people = [p for p in record.cared_for if p.id == person.id]
    elif len(people) > 1 and topic is not None:
        current = who.in_context(session, me, conv.about)
        if current is not None and not reading.asked:
            people = [p for p in record.cared_for if p.id == current.id] or people
    if len(people) == 1:
        conv.talk_about(people[0].id)
    categories = summary.topic_categories(topic)
    notes = own_words.rest_by_person(own_words.read_notes(session, me.family_id, actor_for(turn, me), "summary"),
                                     [p.id for p in record.cared_for])
    if reading.asked or categories:
        answer = _answer_topic(record, people, topic, categories, reading.asked, notes)
        stopped = _stopped(session, turn, me, people, record, reading.asked)
        return [f"{stopped}\n{answer}" if stopped else answer]
    text, truncated = summary.record_summary(record, people, notes=notes)
    conv.ask(q.More() if truncated else None)
    return [text + (" " + texts.MORE_HINT if truncated else "")]


def _stopped(session: Session, turn: Turn, me: m.Person, people: list[records.PersonView],
             record: records.RecordView, asked: tuple[str, ...]) -> str:
    """"Is dad still on donepezil?": what was asked about and has ended, said first from the history."""
    current = {(f.person_id, f.key) for f in record.facts}
    wanted = {(p.id, key) for p in people for key in asked if key.startswith("medicine:")} - current
    if not wanted:
        return ""
    history = records.read_record(session, me.family_id, actor_for(turn, me), "history", include_history=True)
    ended: dict[str, list[str]] = {}
    for fact in history.facts:
        if (fact.person_id, fact.key) in wanted and fact.status == m.ENDED:
            values = ended.setdefault(fact.person_id or "", [])
            if fact.key.split(":")[-1] not in values:
                values.append(fact.key.split(":")[-1])
    names = {p.id: summary.label(p) for p in people}
    return " ".join(f"{names[pid][0].upper() + names[pid][1:]} is no longer on {', '.join(values)}: it was stopped "
                    f"(kept in the history)." for pid, values in ended.items() if pid in names)


def _answer_topic(record: records.RecordView, people: list[records.PersonView], topic: Optional[str],
                  categories: Optional[tuple[str, ...]], asked: tuple[str, ...],
                  notes: Optional[dict[str, list[str]]] = None) -> str:
    """Just the part of the record asked about, for each person asked about."""
    lines = []
    for person in people:
        facts = record.facts_for(person.id)
        named = [f for f in facts if f.key in asked]
        if named:
            chosen = named
        elif categories:
            chosen = summary.ordered(facts, categories)
        else:
            chosen = facts
        name = summary.label(person)
        name = name[0].upper() + name[1:]
        words = (notes or {}).get(person.id)
        in_words = "In your words: " + " / ".join(f'"{w}"' for w in words) if words else ""
        if not chosen:
            what = "details" if not categories else "; ".join(dict.fromkeys(
                (summary.heading_of(c).short.lower() if summary.heading_of(c) else c) for c in categories[:2]))
            if in_words:  # nothing structured answers it, but the carer may have said it in their words
                lines.append(f"{name}: nothing noted on that yet. {in_words}")
                continue
            lines.append(f"I don't have any {what} for {summary.label(person)} yet. Tell me and I'll note it.")
            continue
        if topic == "emergency":
            body = summary.section_lines(chosen, categories)
            if in_words:
                body.append(in_words)
        else:
            body = [f"{'; '.join(dict.fromkeys(f.value for f in chosen))}."]
            if in_words and topic in summary.topics_with_own_words() and not named:
                body.append(in_words)
        lines.append(f"{name}: " + " ".join(body))
    if topic == "access" and any(f.key == "access:key safe" or f.key.startswith("access:code:")
                                 for p in people for f in record.facts_for(p.id)):
        lines.append(texts.CODES_NOT_KEPT)
    return "\n".join(lines)


def more(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    if me is None or me.status != m.CONFIRMED:
        return [texts.NO_RECORD]
    record = records.read_record(session, me.family_id, actor_for(turn, me), "full-record")
    notes = own_words.rest_by_person(own_words.read_notes(session, me.family_id, actor_for(turn, me), "full-record"),
                                     [p.id for p in record.cared_for])
    text = summary.full_record(record, notes)
    return [text or "I don't have anything in your family's record yet. " + texts.ASK_FOR_STORY]


# --- family members --------------------------------------------------------------------------

def invite(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    if me is None:
        return ask_consent(session, turn, conv, texts.CONSENT_FIRST)
    reading = turn.reading
    invitation = reading.invitation or reading.relative
    asked = conv.pending if isinstance(conv.pending, q.InvitePhone) else q.InvitePhone()
    name = (invitation.name if invitation else None) or asked.name
    relation = (invitation.relationship if invitation else None) or asked.relation
    number = (invitation.phone if invitation else None) or reading.phone
    if not number:
        conv.ask(q.InvitePhone(name=name, relation=relation))
        return [texts.ASK_INVITE_PHONE.format(name=name or "their")
                .replace("their's", "their")]
    conv.settle()
    actor = actor_for(turn, me)
    try:
        person = records.invite(session, me, actor, name, relation, phone_hash(number), number)
    except records.RecordError:
        # The number already belongs to another record. Say what we say for any number, so an
        # invitation cannot be used to find out who uses OneStory; text nothing.
        log.info("invitation not sent: the number already belongs to a record")
        person = None
    if person is not None:
        inviter = records.name_of(me)
        outbox.enqueue_sms(number, texts.INVITE_SMS.format(
            name=f" {name}" if name else "", who=inviter or "A member of your family"),
            purpose="invite", idempotency_key=f"invite:{person.id}", session=session)
    if name:
        return [f"I've texted {name} an invitation. {name} will see your family's record once they reply YES "
                "from that phone."]
    return ["I've texted them an invitation. They will see your family's record once they reply YES from that "
            "phone."]


def invited(session: Session, turn: Turn, me: m.Person, conv: Conversation) -> list[str]:
    """Someone a family member added: nothing from the record until they confirm from this phone."""
    if not is_yes(turn):
        who_invited = records.inviter_name(session, me) or "A member of your family"
        return [texts.INVITED_REMINDER.format(who=who_invited)]
    records.confirm_member(session, me, turn.channel, f"replied {agreeing_words(turn)} to the invitation")
    conv.settle()
    name = records.name_of(me)
    reply = texts.WELCOME_MEMBER.format(name=f" {name}" if name else "")
    record = records.read_record(session, me.family_id, actor_for(turn, me), "welcome")
    if record.cared_for:
        text, truncated = summary.record_summary(record, record.cared_for, limit=300)
        reply += f" Here's what we have: {text}" + (" " + texts.MORE_HINT if truncated else "")
    return [reply]


def withdraw(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    """Ask once to be sure: withdrawing ends this number's access to the family's record."""
    if me is None:
        return [texts.NOTHING_TO_WITHDRAW]
    conv.ask(q.Withdraw())
    return [texts.CONFIRM_WITHDRAW]


def confirm_withdraw(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    if me is None:
        return [texts.NOTHING_TO_WITHDRAW]
    left = records.withdraw_consent(session, me, turn.channel, f'asked by {turn.channel}: "{turn.intent}"')
    conv.settle()
    return [texts.WITHDRAWN + ("" if left else texts.WITHDRAWN_CLOSED)]


__all__ = ["greet", "tell", "correct", "show", "more", "invite", "invited", "withdraw",
           "give_consent", "ask_consent", "is_yes", "is_no", "member", "session_scope"]
