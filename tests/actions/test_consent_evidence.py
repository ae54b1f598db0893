"""How consent was given is kept as evidence, in a column that is not encrypted: the agreeing
words and the channel, never the rest of the carer's message."""
from __future__ import annotations

from sqlalchemy import select

from bot.db import session_scope
from bot.records import models as m
from tests.actions.helpers import Phone

SARAH, TOM = "+447700900501", "+447700900502"


def _methods() -> list[str]:
    with session_scope() as session:
        return list(session.execute(select(m.Consent.method)).scalars())


def test_consent_evidence_keeps_the_yes_and_not_the_story(db):
    sarah = Phone(SARAH)
    sarah.say("hi", "greet")
    sarah.say("yes ok, mum's dementia is worse since her fall", "affirm")
    sarah.say("please add my brother Tom, his number is 07700 900502", "add_family_member")
    Phone(TOM).say("yes this is Tom, dad's parkinson's is bad today", "affirm")
    methods = _methods()
    assert methods and all("yes" in method.lower() for method in methods)
    assert not [method for method in methods if "dementia" in method or "parkinson" in method or "fall" in method]
