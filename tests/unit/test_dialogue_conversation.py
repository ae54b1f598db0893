"""The conversation's state as types: which messages answer each pending question, how it is
stored (and read back from rows the earlier free dictionary wrote), and once-per-turn handling."""
from __future__ import annotations

import json

import pytest

from bot import crypto
from bot.db import session_scope
from bot.dialogue import conversation as talk
from bot.dialogue import pending as q
from bot.dialogue import router
from bot.dialogue.conversation import Conversation
from bot.dialogue.turn import Turn
from bot.directory.rules import Situation
from bot.phone import phone_hash, sender_id_for_phone
from bot.records import models as m
from bot.records import service as records
from bot.records.audit import Actor

PHONE = "+447700900444"
SENDER = sender_id_for_phone(PHONE)


def turn(text: str, intent: str, channel: str = "sms", phone: str | None = PHONE) -> Turn:
    return Turn(sender_key=sender_id_for_phone(phone) if phone else "web-chat-1", channel=channel, text=text,
                intent=intent, phone_hash=phone_hash(phone) if phone else None, phone_e164=phone)


# --- which messages answer which question ----------------------------------------------------

ANSWERS = [
    (q.Consent(), turn("yes ok", "affirm"), False, True),
    (q.Consent(), turn("no thanks", "deny"), False, True),
    (q.Consent(), turn("yes", "affirm"), True, False),  # a member is past consent
    (q.Consent(), turn("who does carers assessments", "ask_responsible"), False, False),
    (q.Consent(), turn("mum has dementia", "tell_fact"), False, False),
    (q.InvitePhone(name="Steve"), turn("07700 900123", "add_family_member"), True, True),
    (q.InvitePhone(name="Steve"), turn("he's my brother", "tell_fact"), True, False),
    (q.More(), turn("more", "more_detail"), True, True),
    (q.More(), turn("yes", "affirm"), True, True),
    (q.More(), turn("mum has copd", "tell_fact"), True, False),
    (q.MoreServices(service_ids=("s1",)), turn("more please", "more_detail"), False, True),
    (q.MoreServices(service_ids=("s1",)), turn("that number is wrong", "report_service_problem"), False, False),
    (q.ReportNotify(report_id="r1"), turn("yes please", "affirm"), False, True),
    (q.ReportNotify(report_id="r1"), turn("thanks", "thank"), False, False),
    (q.Withdraw(), turn("no, keep it", "deny"), True, True),
    (q.Withdraw(), turn("yes", "affirm"), True, True),
    (q.ChooseNeed(options=("need.a", "need.b")), turn("2", "nlu_fallback"), False, True),
    (q.ChooseNeed(options=("need.a", "need.b")), turn("I want a person", "request_human"), False, False),
    (q.Clarify(field="setting"), turn("she's at home now", "tell_fact"), True, True),
    (q.Clarify(field="setting"), turn("at home, who does her care?", "ask_responsible"), True, True),
    (q.Clarify(field="setting"), turn("help", "bot_help"), True, False),
    (q.WebPhone(), turn("07700 900123", "nlu_fallback", channel="web", phone=None), False, True),
    (q.WebCode(), turn("123456", "nlu_fallback", channel="web", phone=None), False, True),
    (q.WebCode(), turn("123456", "nlu_fallback"), True, False),  # a texting carer is not linking a web chat
]


@pytest.mark.parametrize("pending,message,member,expected", ANSWERS,
                         ids=[f"{p.NAME}-{t.intent}-{e}" for p, t, _, e in ANSWERS])
def test_each_question_says_which_messages_answer_it(pending, message, member, expected):
    assert pending.answers(message, member) is expected


def test_every_question_has_its_own_stored_name():
    assert len(q.BY_NAME) == len(q.TYPES) == 10
    assert all(len(name) <= m.ConversationState.awaiting.type.length for name in q.BY_NAME)


# --- stored and read back --------------------------------------------------------------------

CONVERSATIONS = [
    Conversation(),
    Conversation(pending=q.Consent()),
    Conversation(pending=q.InvitePhone(name="Steve", relation="uncle"), about="p1"),
    Conversation(pending=q.Clarify(field="setting", needs=("need.carers-assessment",),
                                   situation=Situation(age_years=83, age_group="adult"), person_id="p1",
                                   postcode="EM3", question="who does a carers assessment"), about="p2"),
    Conversation(pending=q.ChooseNeed(options=("need.a", "need.b", "need.c"), situation=Situation(setting="at_home"),
                                      question="money for looking after"), failures=1),
    Conversation(pending=q.More(), about="p1", asked_postcode=True),
    Conversation(about="p2", recent=("p1", "p3", "p2")),
    Conversation(pending=q.MoreServices(service_ids=("s1", "s2"), rule_id="r1", postcode="EM3"),
                 answered=('Who is responsible for "a grab rail": Eastmere OT',)),
    Conversation(pending=q.ReportNotify(report_id="5b1f")),
    Conversation(pending=q.Withdraw()),
    Conversation(pending=q.WebPhone()),
    Conversation(pending=q.WebCode()),
]


@pytest.mark.parametrize("conv", CONVERSATIONS, ids=lambda c: type(c.pending).__name__)
def test_a_conversation_reads_back_as_it_was_stored(conv):
    awaiting, context = talk.to_columns(conv)
    assert awaiting == (conv.pending.NAME if conv.pending else None)
    assert talk.from_columns(awaiting, json.loads(context) if context else None, conv.failures) == conv


def test_stored_encrypted_and_only_when_it_changed(db):
    conv = CONVERSATIONS[3]
    with session_scope() as session:
        assert talk.save(session, "carer-1", Conversation()) is False  # nothing to keep: no row
        assert session.get(m.ConversationState, "carer-1") is None
        assert talk.save(session, "carer-1", conv) is True
    with session_scope() as session:
        row = session.get(m.ConversationState, "carer-1")
        assert row.awaiting == "clarify" and "carers assessment" not in row.context_enc
        assert talk.load(session, "carer-1") == conv
        assert talk.save(session, "carer-1", talk.load(session, "carer-1")) is False


OLD_ROWS = [
    # (awaiting, the earlier dictionary, what it means now)
    ("choose_need", {"options": ["need.a", "need.b"], "situation": {"setting": "in_hospital", "age_years": None},
                     "person_id": "p1", "postcode": "EM3", "question": "is there money"},
     Conversation(pending=q.ChooseNeed(options=("need.a", "need.b"), situation=Situation(setting="in_hospital"),
                                       person_id="p1", postcode="EM3", question="is there money"), about="p1")),
    ("clarify", {"needs": ["need.a"], "situation": {}, "person_id": None, "postcode": None, "question": "q",
                 "field": "postcode"},
     Conversation(pending=q.Clarify(field="postcode", needs=("need.a",), question="q"))),
    ("invite_phone", {"invite_name": "Steve", "invite_relation": "uncle"},
     Conversation(pending=q.InvitePhone(name="Steve", relation="uncle"))),
    ("services", {"service_ids": ["s1", "s2"], "rule_id": "r1", "postcode": "EM3"},
     Conversation(pending=q.MoreServices(service_ids=("s1", "s2"), rule_id="r1", postcode="EM3"))),
    ("report_notify", {"report_id": "5b1f"}, Conversation(pending=q.ReportNotify(report_id="5b1f"))),
    ("more", {"person_id": "p2", "asked_postcode": True},
     Conversation(pending=q.More(), about="p2", asked_postcode=True)),
    (None, {"person_id": "p3"}, Conversation(about="p3")),
    ("consent", {}, Conversation(pending=q.Consent())),
    ("web_code", None, Conversation(pending=q.WebCode())),
    ("withdraw", {"answered": ["told who does OT"]},
     Conversation(pending=q.Withdraw(), answered=("told who does OT",))),
    # Not understood: the question is dropped, what else the row says is kept.
    ("no_such_question", {"person_id": "p4"}, Conversation(about="p4")),
    ("choose_need", {"options": "need.a", "person_id": "p5"}, Conversation(about="p5")),
    ("clarify", {"situation": ["at_home"], "field": "setting"}, Conversation()),
]


@pytest.mark.parametrize("awaiting,context,expected", OLD_ROWS, ids=[str(row[0]) for row in OLD_ROWS])
def test_rows_written_by_the_earlier_code_still_load(db, awaiting, context, expected):
    with session_scope() as session:
        session.add(m.ConversationState(sender_key="old-row", awaiting=awaiting, failures=1,
                                        context_enc=crypto.encrypt(json.dumps(context)) if context is not None
                                        else None))
    with session_scope() as session:
        loaded = talk.load(session, "old-row")
    assert loaded.pending == expected.pending and loaded.about == expected.about
    assert loaded.asked_postcode == expected.asked_postcode and loaded.answered == expected.answered
    assert loaded.failures == 1


def test_a_new_question_keeps_the_person_being_talked_about():
    conv = Conversation(pending=q.More(), about="p1")
    conv.ask(q.Withdraw())
    conv.settle()
    assert conv.pending is None and conv.about == "p1"


# --- through the router: once per turn, the person kept, follow-ups ---------------------------

@pytest.fixture
def family(db):
    """A consented carer looking after mum (Sheila, COPD) and dad (Ron, diabetes). {relation: id}."""
    with session_scope() as session:
        carer = records.start_family(session, phone_hash(PHONE), PHONE, "sms", 'replied "yes" by SMS')
        actor = Actor("carer", carer.id, "sms")
        mum = records.add_cared_for(session, carer.family_id, actor, "mother", "Sheila")
        records.add_fact(session, carer.family_id, mum.id, actor, "condition", "condition:copd", "COPD")
        dad = records.add_cared_for(session, carer.family_id, actor, "father", "Ron")
        records.add_fact(session, carer.family_id, dad.id, actor, "condition", "condition:diabetes", "diabetes")
        return {"mother": mum.id, "father": dad.id}


def _stored() -> Conversation:
    with session_scope() as session:
        return talk.load(session, SENDER)


def test_state_is_loaded_once_and_saved_once_per_turn(family, monkeypatch):
    calls = {"load": 0, "save": 0}
    load, save = talk.load, talk.save

    def counted_load(*args):
        calls["load"] += 1
        return load(*args)

    def counted_save(*args):
        calls["save"] += 1
        return save(*args)

    monkeypatch.setattr(talk, "load", counted_load)
    monkeypatch.setattr(talk, "save", counted_save)
    for text, intent in [("what do you know about dad", "ask_record"), ("dad is on metformin now", "tell_fact"),
                         ("I want to stop using this", "withdraw_consent"), ("no", "deny"),
                         ("blorp", "nlu_fallback")]:
        calls.update(load=0, save=0)
        assert router.respond(turn(text, intent))
        assert calls == {"load": 1, "save": 1}, text


def test_the_person_talked_about_survives_the_questions_asked_in_between(family):
    router.respond(turn("what do you know about dad", "ask_record"))
    assert _stored().about == family["father"]
    router.respond(turn("I want to withdraw my consent", "withdraw_consent"))
    assert isinstance(_stored().pending, q.Withdraw) and _stored().about == family["father"]
    router.respond(turn("no", "deny"))
    assert _stored() == Conversation(about=family["father"], recent=(family["father"],))
    [reply] = router.respond(turn("what is he on", "ask_record"))
    assert "Sheila" not in reply


@pytest.mark.parametrize("follow_up", ["and mum?", "what about mum"])
def test_a_follow_up_after_a_question_answers_about_that_person_not_an_emergency(family, follow_up):
    with session_scope() as session:
        talk.save(session, SENDER, Conversation(pending=q.Clarify(field="setting", needs=("need.a",)),
                                                about=family["father"]))
    replies = router.respond(turn(follow_up, "urgent_risk"))
    text = " ".join(replies)
    assert "COPD" in text and "999" not in text and "diabetes" not in text
    assert _stored().about == family["mother"]


def test_real_risk_words_after_a_question_still_get_the_emergency_routes_first(family):
    with session_scope() as session:
        talk.save(session, SENDER, Conversation(pending=q.Clarify(field="setting", needs=("need.a",))))
    [first, *_] = router.respond(turn("I want to end it all", "urgent_risk"))
    assert "116 123" in first or "999" in first


def _unsure(text: str) -> Turn:
    """The classifier alone says urgent, unsure, on a short message with no risk words."""
    message = turn(text, "urgent_risk")
    message.confidence = 0.5
    return message


def test_a_short_answer_to_the_question_asked_is_a_reply_not_an_emergency(family):
    with session_scope() as session:
        talk.save(session, SENDER, Conversation(pending=q.Clarify(
            field="postcode", needs=("need.carers-assessment",), question="who does my carer's assessment")))
    replies = router.respond(_unsure("EM3 2PB"))
    text = " ".join(replies)
    assert "999" not in text and "carer" in text.lower()
    assert not isinstance(_stored().pending, q.Clarify)


def test_the_same_message_with_nothing_asked_still_gets_the_emergency_routes(family):
    [reply] = router.respond(_unsure("EM3 2PB"))
    assert "999" in reply


def test_the_emergency_routes_need_no_database_when_nothing_is_known(db):
    from bot import db as dbmod

    dbmod.configure("postgresql://postgres@127.0.0.1:1/nowhere")
    try:
        [reply] = router.respond(_unsure("in hospital"))
    finally:
        dbmod.configure(db)
    assert "999" in reply


def test_who_is_responsible_is_answered_for_the_person_being_talked_about(family):
    with session_scope() as session:
        carer = records.member_by_phone_hash(session, phone_hash(PHONE))
        actor = Actor("carer", carer.id, "sms")
        for relation, postcode in (("mother", "EM3 1AB"), ("father", "LS1 4AP")):
            records.add_fact(session, carer.family_id, family[relation], actor, "address", "address:postcode",
                             postcode, {"postcode": postcode})
    answers = {}
    for relation in ("mother", "father"):
        with session_scope() as session:
            talk.save(session, SENDER, Conversation(about=family[relation]))
        answers[relation] = " ".join(router.respond(turn("who does a carer's assessment", "ask_responsible")))
        assert _stored().about == family[relation]
    assert "LS1" in answers["father"] and "LS1" not in answers["mother"], answers


def test_while_a_professional_has_taken_over_the_assistant_answers_no_question_itself(db):
    from sqlalchemy import select

    from bot.handoff import service
    from bot.handoff import staff_models as sm
    from tests.unit.handoff_fixtures import CARER_PHONE, family_with_story, load_staff, professional
    load_staff()
    family_with_story()
    assert router.respond(turn("can I talk to someone", "request_human", phone=CARER_PHONE))
    helen = professional("helen.price")
    with session_scope() as session:
        [handoff] = session.execute(select(sm.Handoff)).scalars().all()
        service.reply(session, handoff, session.get(sm.Professional, helen.id), "Hi, it's Helen.")
        talk.save(session, sender_id_for_phone(CARER_PHONE), Conversation(pending=q.Clarify(
            field="postcode", needs=("need.carers-assessment",), question="who does my carer's assessment")))
    message = turn("EM3 2PB", "urgent_risk", phone=CARER_PHONE)
    message.confidence = 0.5
    [reply] = router.respond(message)
    assert "999" in reply


def test_she_after_a_message_about_dad_is_the_woman_talked_about_last(family):
    """With mum and a sister on the record, "she" after dad means whichever woman was named last."""
    with session_scope() as session:
        carer = records.member_by_phone_hash(session, phone_hash(PHONE))
        sister = records.add_cared_for(session, carer.family_id, Actor("carer", carer.id, "sms"), "sister", "Lily")
        sister_id = sister.id
    router.respond(turn("my sister Lily has rett syndrome", "tell_fact"))
    router.respond(turn("mum has arthritis too", "tell_fact"))
    router.respond(turn("dad has angina", "tell_fact"))
    router.respond(turn("she takes donepezil 10mg at night", "tell_fact"))
    router.respond(turn("he takes metformin", "tell_fact"))
    with session_scope() as session:
        carer = records.member_by_phone_hash(session, phone_hash(PHONE))
        facts = records.read_record(session, carer.family_id, Actor("carer", carer.id, "sms"), "summary").facts
        holders = {f.person_id for f in facts if f.key == "medicine:donepezil"}
        metformin = {f.person_id for f in facts if f.key == "medicine:metformin"}
    assert holders == {family["mother"]} and sister_id not in holders
    assert metformin == {family["father"]}

