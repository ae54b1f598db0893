"""Working out whom a carer is talking about, and how to refer to them."""
from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Session

from bot.language.reading import Person
from bot.language.vocabulary import FEMALE_NAME_SET, MALE_NAME_SET
from bot.records import models as m
from bot.records import service as records
from bot.records.audit import Actor

FEMALE = {"mother", "wife", "sister", "daughter", "aunt", "grandmother", "niece", "stepmother",
          "mother_in_law", "granddaughter", "great_grandmother"}
MALE = {"father", "husband", "brother", "son", "uncle", "grandfather", "nephew", "stepfather",
        "father_in_law", "grandson", "great_grandfather"}


def pronoun(relation: Optional[str]) -> str:
    if relation in FEMALE:
        return "her"
    if relation in MALE:
        return "his"
    return "their"


def gender_of(person: m.Person) -> Optional[str]:
    """From the relationship, else from a first name used for one sex only ("Pat" is both)."""
    if person.relation in FEMALE:
        return "f"
    if person.relation in MALE:
        return "m"
    name = (records.name_of(person) or "").lower()
    if name in FEMALE_NAME_SET and name not in MALE_NAME_SET:
        return "f"
    if name in MALE_NAME_SET and name not in FEMALE_NAME_SET:
        return "m"
    return None


def is_pronoun(mention: Optional[Person]) -> bool:
    """"she", "his": someone already talked about, not named here."""
    return mention is not None and mention.relationship is None and mention.name is None


def in_context(session: Session, me: m.Person, person_id: Optional[str]) -> Optional[m.Person]:
    """The person the conversation was about, if they are still a cared-for person of this family."""
    if not person_id:
        return None
    person = session.get(m.Person, person_id)
    if person is not None and person.family_id == me.family_id and person.status == m.ACTIVE \
            and person.role == m.CARED_FOR:
        return person
    return None


def find(session: Session, me: m.Person, mention: Person, context_id: Optional[str],
         recent: tuple[str, ...] = ()) -> Optional[m.Person]:
    """The recorded person a mention means, or None: never someone else's record.

    "she" is the person talked about if that can be a woman, else the woman talked about most
    recently (`recent`: ids, newest last), else the only woman on the record."""
    if mention.is_self:
        return None
    if is_pronoun(mention):
        current = in_context(session, me, context_id)
        if current is not None and (not mention.gender or gender_of(current) in (None, mention.gender)):
            return current
        people = records.cared_for(session, me.family_id)
        matching = [p for p in people if mention.gender and gender_of(p) == mention.gender]
        if len(matching) > 1:
            order = {pid: n for n, pid in enumerate(recent)}
            talked = [p for p in matching if p.id in order]
            if talked:
                return max(talked, key=lambda p: order[p.id])
        if len(matching) == 1:
            return matching[0]
        return current or (people[0] if len(people) == 1 else None)
    people = records.cared_for(session, me.family_id)
    if mention.name:
        for person in people:
            if (records.name_of(person) or "").lower() == mention.name.lower():
                return person
    if mention.relationship:
        related = [p for p in people if p.relation == mention.relationship]
        if related:
            return related[0]
    unknown = [p for p in people if not p.relation and not records.name_of(p)]
    if len(people) == 1 and unknown:
        return unknown[0]  # told about before anyone was named: "the person you care for"
    return None


def resolve(session: Session, me: m.Person, actor: Actor, mention: Optional[Person],
            fallback_id: Optional[str], create: bool, recent: tuple[str, ...] = ()) -> Optional[m.Person]:
    """The cared-for person a mention refers to, creating them when a carer introduces someone."""
    if mention is not None and not mention.is_self and not is_pronoun(mention):
        person = records.find_cared_for(session, me.family_id, mention.relationship, mention.name)
        if person is not None and _clashes(person, mention):
            person = None
        if person is not None:
            records.update_cared_for(session, person, actor, mention.relationship, mention.name)
            return person
        if create and (mention.relationship or mention.name):
            return records.add_cared_for(session, me.family_id, actor, mention.relationship, mention.name)
        if not create:
            return None
    if is_pronoun(mention):
        found = find(session, me, mention, fallback_id, recent)
        if found is not None:
            return found
    current = in_context(session, me, fallback_id)
    if current is not None:
        return current
    people = records.cared_for(session, me.family_id)
    if people:
        return people[-1]  # with no other clue, the person most recently talked about
    return records.add_cared_for(session, me.family_id, actor, None, None) if create else None


def _clashes(person: m.Person, mention: Person) -> bool:
    """A recorded person who cannot be the one meant: another name, or another relationship."""
    name = records.name_of(person)
    if mention.name and name and name.lower() != mention.name.lower():
        return True
    return bool(mention.relationship and person.relation and person.relation != mention.relationship
                and not (mention.name and name and name.lower() == mention.name.lower()))
