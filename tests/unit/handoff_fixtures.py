"""Shared set-up for the handoff and console tests: demo staff, a family with a story, a turn."""
from __future__ import annotations

from bot.db import session_scope
from bot.dialogue.turn import Turn
from bot.handoff import demo
from bot.handoff import staff_models as sm
from bot.phone import phone_hash, sender_id_for_phone
from bot.records import service as records
from bot.records.audit import Actor

CARER_PHONE = "+447700900555"


def load_staff() -> None:
    demo.load()


def professional(username: str) -> sm.Professional:
    from sqlalchemy import select
    with session_scope() as session:
        return session.execute(select(sm.Professional).where(sm.Professional.username == username)).scalar_one()


def family_with_story(phone: str = CARER_PHONE, postcode: str = "EM3 1AB") -> tuple[str, str]:
    """A consented family: dad with a stroke, warfarin, a key safe, at `postcode`. (family, carer)."""
    with session_scope() as session:
        carer = records.start_family(session, phone_hash(phone), phone, "sms", 'replied "yes" by SMS')
        actor = Actor("carer", carer.id, "sms")
        dad = records.add_cared_for(session, carer.family_id, actor, "father", "Arthur")
        records.add_fact(session, carer.family_id, dad.id, actor, "condition", "condition:stroke", "stroke")
        records.add_fact(session, carer.family_id, dad.id, actor, "medicine", "medicine:warfarin", "warfarin 3mg")
        records.add_fact(session, carer.family_id, dad.id, actor, "access", "access:keysafe",
                         "key safe by the back door, code with the family")
        records.add_fact(session, carer.family_id, dad.id, actor, "service", "service:district nurses",
                         "district nurses visit on Tuesdays")
        if postcode:
            records.add_fact(session, carer.family_id, dad.id, actor, "address", "address:postcode", postcode)
        return carer.family_id, carer.id


def sms_turn(text: str, intent: str = "request_human", phone: str = CARER_PHONE,
             previous: list[str] | None = None) -> Turn:
    return Turn(sender_key=sender_id_for_phone(phone), channel="sms", text=text, intent=intent,
                phone_hash=phone_hash(phone), phone_e164=phone, previous_texts=previous or [])
