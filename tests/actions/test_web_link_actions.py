"""Linking a web chat to the family, through the real actions with a socketio tracker: anonymous
until a code texted to a confirmed member's phone is typed in; then it acts as that member."""
from __future__ import annotations

import re

from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import outbox
from bot.records import models as m
from bot.records.web_link_models import WebCode, WebLink
from tests.actions.helpers import Phone, Web, said

SARAH, TOM, STRANGER = "+447700900201", "+447700900202", "+447700900203"
NEUTRAL = "if that number is linked to a family record, i've texted it a code"


def _family() -> Phone:
    sarah = Phone(SARAH)
    sarah.say("hi", "greet")
    sarah.say("yes", "affirm")
    sarah.say("my dad Harold has Parkinson's and lives at EM3 4QT", "tell_fact")
    return sarah


def _code_for(number: str) -> str:
    codes = [e for e in outbox.recent_for(number) if e.purpose == "web_code"]
    assert codes, "no code was texted"
    return re.search(r"\b(\d{6})\b", codes[0].body).group(1)


def _linked_web() -> Web:
    web = Web()
    web.say("what do you know about my dad?", "ask_record")
    web.say("07700 900201", "nlu_fallback")
    web.say(_code_for(SARAH), "nlu_fallback")
    return web


def test_unverified_web_session_sees_nothing_and_is_asked_for_a_number(db):
    _family()
    web = Web()
    for text, intent in [("what do you know about my dad?", "ask_record"), ("more", "more_detail"),
                         ("hi", "greet"), ("he has Parkinson's", "tell_fact")]:
        replies = web.say(text, intent)
        assert "parkinson" not in said(replies)
    assert "number" in said(web.say("what do you know about Harold?", "ask_record"))


def test_code_links_the_session_and_it_then_acts_as_that_member(db):
    _family()
    web = Web()
    asked = web.say("what do you know about my dad?", "ask_record")
    assert "mobile number" in said(asked) and "parkinson" not in said(asked)
    sent = web.say("it's 07700 900201", "tell_fact")
    assert NEUTRAL in said(sent)
    code = _code_for(SARAH)
    wrong = web.say("000000" if code != "000000" else "111111", "nlu_fallback")
    assert "isn't right" in said(wrong) and "parkinson" not in said(wrong)
    linked = web.say(code[:3] + " " + code[3:], "nlu_fallback")  # typed with a space
    assert "linked" in said(linked) and "parkinson" in said(linked)
    # Later turns are that member: the adapter finds the link, so the record opens and can grow.
    assert "parkinson" in said(web.say("what do you know about dad?", "ask_record"))
    web.say("he also has diabetes", "tell_fact")
    assert "diabetes" in said(Phone(SARAH).say("what do you know about dad?", "ask_record"))
    with session_scope() as session:
        channels = session.execute(select(m.AuditEntry.channel).where(
            m.AuditEntry.purpose == "web.link")).scalars().all()
    assert channels == ["web"]


def test_unknown_number_gets_the_same_answer_and_no_text(db):
    _family()
    web = Web()
    web.say("what do you know about my dad?", "ask_record")
    replies = web.say("07700 900203", "nlu_fallback")
    assert NEUTRAL in said(replies)
    assert outbox.recent_for(STRANGER) == []
    guess = web.say("123456", "nlu_fallback")
    assert "isn't right" in said(guess)
    assert "parkinson" not in said(web.say("what do you know about dad?", "ask_record"))


def test_invited_but_unconfirmed_member_gets_no_code(db):
    sarah = _family()
    sarah.say("please add my brother Tom, his number is 07700 900202", "add_family_member")
    web = Web()
    web.say("show me the record", "ask_record")
    assert NEUTRAL in said(web.say("07700900202", "nlu_fallback"))
    sent_to_tom = outbox.recent_for(TOM)
    assert sent_to_tom and all(e.purpose != "web_code" for e in sent_to_tom)  # the invitation only


def test_other_sessions_stay_anonymous_and_the_link_survives_a_new_rasa_session(db):
    _family()
    web = _linked_web()
    assert "parkinson" not in said(Web().say("what do you know about dad?", "ask_record"))
    reloaded = Web(web.sender_id)  # same browser, a new Rasa session (no earlier events)
    assert "parkinson" in said(reloaded.say("what do you know about dad?", "ask_record"))


def test_withdrawing_consent_ends_the_web_link(db):
    sarah = _family()
    web = _linked_web()
    assert "parkinson" in said(web.say("what do you know about dad?", "ask_record"))
    sarah.say("please delete me, I withdraw my consent", "withdraw_consent")
    sarah.say("yes", "affirm")  # withdrawal is confirmed before it takes effect
    assert "parkinson" not in said(web.say("what do you know about dad?", "ask_record"))
    with session_scope() as session:
        link = session.execute(select(WebLink)).scalar_one()
        assert link.revoked_at is not None


def test_codes_are_stored_only_as_hashes(db):
    _family()
    _linked_web()
    code = _code_for(SARAH)
    with session_scope() as session:
        row = session.execute(select(WebCode)).scalar_one()
        stored = " ".join(str(v) for v in (row.sender_hash, row.phone_hash, row.salt, row.code_hash))
    assert code not in stored and "7700900201" not in stored
