"""What the carer hears: emergency routes first; who will contact them, how and by when."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import crypto
from bot import db as dbmod
from bot.db import session_scope
from bot.dialogue import handoff_talk, router
from bot.dialogue.conversation import Conversation
from bot.handoff import outbox, risk
from bot.handoff import staff_models as sm
from bot.records import service as records
from tests.unit.handoff_fixtures import family_with_story, load_staff, professional, sms_turn


def _talk(hook, turn, *args, conv=None):
    def work(session):
        me = records.member_by_phone_hash(session, turn.phone_hash) if turn.phone_hash else None
        return hook(session, turn, me, conv if conv is not None else Conversation(), *args)
    return records.write_with_retry(work)


def _emails() -> list:
    from bot.handoff import models as hm
    with session_scope() as session:
        rows = list(session.execute(select(hm.OutboundMessage).where(hm.OutboundMessage.channel == "email")).scalars())
        session.expunge_all()
        return rows


def _handoffs() -> list[sm.Handoff]:
    with session_scope() as session:
        return list(session.execute(select(sm.Handoff)).scalars())


def test_asking_for_a_person_names_them_and_says_how_and_when(db):
    load_staff()
    family_with_story()
    [reply] = _talk(handoff_talk.request_person, sms_turn("can I speak to a real person please"))
    assert "Helen Price, your lead professional (Social worker" in reply
    assert "will text you on this number by" in reply
    [handoff] = _handoffs()
    assert handoff.trigger == sm.ASKED and handoff.urgency == sm.ROUTINE
    # A routine handoff reaches the lead by email (she has an address), not by an immediate text.
    assert outbox.recent_for(professional("helen.price").phone) == []
    [alert] = _emails()
    assert alert.purpose == "handoff_email" and alert.idempotency_key.startswith(f"handoff:{handoff.id}:")
    body = crypto.decrypt(alert.body_enc)
    assert f"/handoffs/{handoff.id}" in body
    assert "stroke" not in body and "warfarin" not in body  # no record contents by email
    # Asking again does not open a second handoff or email the professional twice.
    [again] = _talk(handoff_talk.request_person, sms_turn("hello? I asked for a person"))
    assert "Helen Price" in again and len(_handoffs()) == 1
    assert len(_emails()) == 1


def test_risk_gives_the_emergency_route_first_then_an_urgent_alert(db):
    load_staff()
    family_with_story()
    text = "the carers haven't turned up for three days and my dad hasn't eaten"
    replies = handoff_talk.urgent(sms_turn(text, intent="urgent_risk"), risk.detect(text))
    assert "999" in replies[0] and "111" in replies[0]
    assert "as urgent" in replies[1] and "call you on this number" in replies[1]
    [handoff] = _handoffs()
    assert handoff.urgency == sm.URGENT and handoff.risk_kind in (risk.NOT_EATING, risk.MISSED_CARE)


def test_risk_from_an_unknown_number_reaches_the_duty_team(db):
    load_staff()
    text = "I think my mum wants to end her life"
    replies = handoff_talk.urgent(sms_turn(text, phone="+447700900888"), risk.detect(text))
    assert "116 123" in replies[0]
    assert "Eastmere Duty Team" in replies[1] and "only what you've said in this chat" in replies[1]
    [handoff] = _handoffs()
    assert handoff.family_id is None and handoff.urgency == sm.URGENT


def test_the_emergency_route_is_given_even_when_the_database_is_down(db, tmp_path, monkeypatch):
    monkeypatch.setenv("ONESTORY_SPOOL_DIR", str(tmp_path))
    dbmod.configure("postgresql://postgres@127.0.0.1:1/nowhere")
    try:
        text = "he's not breathing"
        replies = handoff_talk.urgent(sms_turn(text), risk.detect(text))
    finally:
        dbmod.configure(db)
    assert "999" in replies[0].split(".")[0]  # the first sentence sends for help
    assert "116 123" in replies[1]
    assert list(tmp_path.glob("*.msg"))  # kept, so the alert is raised when the database is back


def test_two_failures_bring_in_a_person(db):
    load_staff()
    family_with_story()
    turn = sms_turn("the thingy with the blue form", intent="nlu_fallback", previous=["wibble the form"])
    conv = Conversation(failures=2)
    [reply] = _talk(handoff_talk.after_failures, turn, conv=conv)
    assert "bringing in a person" in reply and "Helen Price" in reply
    [handoff] = _handoffs()
    assert handoff.trigger == sm.FAILURES
    assert conv.failures == 0  # a person has it now: the count starts again


def test_no_rule_means_a_handoff_not_a_guess(db):
    load_staff()
    family_with_story()
    [reply] = handoff_talk_unanswered(sms_turn("who fixes a broken stairlift", intent="ask_responsible"))
    assert reply.startswith("I don't know who is responsible for that, and I won't guess.")
    assert "Helen Price" in reply
    [handoff] = _handoffs()
    assert handoff.trigger == sm.UNANSWERED
    # Without a record, the duty team is offered rather than sent this person's question unasked.
    [offer] = handoff_talk_unanswered(sms_turn("who fixes a broken stairlift", phone="+447700900111"))
    assert "Text PERSON" in offer and len(_handoffs()) == 1


def handoff_talk_unanswered(turn):
    return _talk(handoff_talk.handoff_for_unanswered, turn, "a broken stairlift")


def test_while_taken_over_the_bot_is_quiet_and_relays_to_the_console(db):
    router = pytest.importorskip("bot.dialogue.router")
    from bot.handoff import service
    load_staff()
    family_with_story()
    _talk(handoff_talk.request_person, sms_turn("can I talk to someone"))
    helen = professional("helen.price")
    with session_scope() as session:
        [handoff] = session.execute(select(sm.Handoff)).scalars().all()
        service.reply(session, handoff, session.get(sm.Professional, helen.id), "Hi, it's Helen.")
    assert router.respond(sms_turn("thanks Helen, Tuesday works", intent="thank")) == []
    with session_scope() as session:
        bodies = [m["body"] for m in service.thread(session, handoff.id)]
        assert bodies[-1] == "thanks Helen, Tuesday works"
        service.hand_back(session, session.get(sm.Handoff, handoff.id), session.get(sm.Professional, helen.id))
    assert router.respond(sms_turn("thank you", intent="thank")) != []


@pytest.mark.parametrize("text", ["and mum?", "what about dad", "2"])
def test_a_short_follow_up_is_never_an_emergency_on_the_classifier_alone(db, text):
    replies = router.respond(sms_turn(text, intent="urgent_risk"))
    assert not any("999" in reply for reply in replies)
    assert _handoffs() == []


def test_real_risk_words_still_get_emergency_routes_first(db):
    [reply, *_] = router.respond(sms_turn("I can't do this anymore, they'd be better off without me",
                                          intent="urgent_risk"))
    assert "116 123" in reply and "111" in reply
