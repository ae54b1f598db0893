"""Inviting a number answers the same whether or not it already belongs to a record, so "add my
brother, his number is ..." cannot be used to find out who uses OneStory."""
from __future__ import annotations

from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import outbox
from bot.phone import phone_hash
from bot.records import models as m
from tests.actions.helpers import Phone

SARAH, BOB, FRESH, ALSO_FRESH = "+447700900401", "+447700900402", "+447700900403", "+447700900404"


def _consented(number: str) -> Phone:
    phone = Phone(number)
    phone.say("hi", "greet")
    phone.say("yes", "affirm")
    return phone


def _national(e164: str) -> str:
    return "0" + e164[3:]


def _family_of(number: str) -> str:
    with session_scope() as session:
        return session.execute(select(m.Person.family_id).where(m.Person.phone_hash == phone_hash(number))).scalar_one()


def test_inviting_a_number_that_belongs_to_another_record_answers_as_for_any_number(db):
    sarah = _consented(SARAH)
    sarah.say("my dad Harold has Parkinson's", "tell_fact")
    bob = _consented(BOB)
    bobs_family = _family_of(BOB)

    fresh = sarah.say(f"please add my brother Tom, his number is {_national(FRESH)}", "add_family_member")
    known = sarah.say(f"please add my brother Tom, his number is {_national(BOB)}", "add_family_member")
    assert known == fresh and "invitation" in known[0]

    asked = sarah.say("can you add my brother Tom", "add_family_member")
    fresh_two_steps = sarah.say(_national(ALSO_FRESH), "nlu_fallback")
    sarah.say("can you add my brother Tom", "add_family_member")
    known_two_steps = sarah.say(_national(BOB), "nlu_fallback")
    assert "number" in asked[0].lower() and known_two_steps == fresh_two_steps

    assert not [e for e in outbox.recent_for(BOB) if e.purpose == "invite"]  # Bob gets no text
    assert _family_of(BOB) == bobs_family  # and stays where he is
    assert "harold" not in " ".join(bob.say("what do you know about dad?", "ask_record")).lower()
