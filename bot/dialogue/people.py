"""Working out whom a carer is talking about, and how to refer to them."""
from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Session

from bot.language.facts import PersonMention
from bot.records import models as m
from bot.records import service as records
from bot.records.audit import Actor

FEMALE = {"mother", "wife", "sister", "daughter", "aunt", "grandmother", "niece", "stepmother",
          "mother_in_law", "granddaughter"}
MALE = {"father", "husband", "brother", "son", "uncle", "grandfather", "nephew", "stepfather",
        "father_in_law", "grandson"}


def pronoun(relation: Optional[str]) -> str:
    if relation in FEMALE:
        return "her"
    if relation in MALE:
        return "his"
    return "their"


def resolve(session: Session, me: m.Person, actor: Actor, mention: Optional[PersonMention],
            fallback_id: Optional[str], create: bool) -> Optional[m.Person]:
    """The cared-for person a mention refers to, creating them when a carer introduces someone."""
    if mention is not None and mention.relationship != "self":
        person = records.find_cared_for(session, me.family_id, mention.relationship, mention.name)
        if person is not None:
            records.update_cared_for(session, person, actor, mention.relationship, mention.name)
            return person
        if create and (mention.relationship or mention.name):
            return records.add_cared_for(session, me.family_id, actor, mention.relationship, mention.name)
        if not create:
            return None
    if fallback_id:
        person = session.get(m.Person, fallback_id)
        if person is not None and person.family_id == me.family_id and person.status == m.ACTIVE:
            return person
    people = records.cared_for(session, me.family_id)
    if people:
        return people[-1]  # with no other clue, the person most recently talked about
    return records.add_cared_for(session, me.family_id, actor, None, None) if create else None
