"""Needs by meaning in the conversation: "did you mean", answers to our questions with or without a
record (SMS and web), and places anywhere in England. The classifier's guesses are fixed here, so
these tests are about the dialogue, not the model (tests/unit/test_need_classifier.py is about that)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import session_scope
from bot.demo import EASTMERE
from bot.dialogue import conversation as talk
from bot.dialogue import pending as q
from bot.directory import responsibility
from bot.directory.importer import import_feed
from bot.language.need_classifier import NeedGuess
from bot.records import models as m
from tests.actions.helpers import Phone, Web, said

GUESSES: dict[str, list[NeedGuess]] = {
    "is there any money for the extra looking after": [
        NeedGuess("need.attendance-allowance", 0.35), NeedGuess("need.carers-allowance", 0.3),
        NeedGuess("need.benefits-advice", 0.2)],
    "what help is there for my grandson at home": [
        NeedGuess("need.family-support", 0.4), NeedGuess("need.short-breaks-children", 0.35)],
    "which benefit should my nan be claiming, she can't manage": [NeedGuess("need.disability-benefits", 0.8)],
    "dad came home with a catheter and none of us know who changes the bag": [
        NeedGuess("need.district-nursing", 0.9)],
    "mum needs a special air mattress for the sore on her bottom": [NeedGuess("need.district-nursing", 0.9)],
    "mum has dementia and takes donepezil at night": [NeedGuess("need.dementia-support", 0.9)],
    "who keeps an eye on the little one now, she's 7 weeks old": [
        NeedGuess("need.new-baby-support", 0.45), NeedGuess("need.baby-development-checks", 0.4)],
}


@pytest.fixture(autouse=True)
def eastmere(db, monkeypatch):
    assert import_feed(EASTMERE).ok
    responsibility.NEED_INDEX.reset()
    monkeypatch.setattr(responsibility, "guess_needs", lambda text: list(GUESSES.get(text.strip().lower(), [])))
    yield


def _awaiting(conversation) -> type | None:
    """The kind of question the bot is waiting on."""
    with session_scope() as session:
        pending = talk.load(session, conversation.sender_id).pending
    return type(pending) if pending is not None else None


def test_did_you_mean_lists_the_close_needs_and_a_number_answers():
    phone = Phone("+447700900701")
    offer = phone.say("is there any money for the extra looking after", "ask_responsible")
    text = said(offer)
    assert "1) attendance allowance" in text and "2) carer's allowance" in text and "3) " in text
    assert "won't guess" not in text and len(offer) == 1 and len(offer[0]) <= 2 * 153
    assert _awaiting(phone) is q.ChooseNeed
    answer = said(phone.say("2", "nlu_fallback"))
    assert "carer's allowance" in answer and "dwp" in answer or "department for work" in answer
    assert _awaiting(phone) is not q.ChooseNeed


def test_did_you_mean_answered_in_words():
    phone = Phone("+447700900702")
    phone.say("is there any money for the extra looking after", "ask_responsible")
    assert "attendance allowance" in said(phone.say("the attendance allowance one", "tell_fact"))


def test_none_of_those_offers_a_person_without_guessing():
    phone = Phone("+447700900703")
    phone.say("is there any money for the extra looking after", "ask_responsible")
    reply = said(phone.say("none of those", "deny"))
    assert "won't guess" in reply and "person" in reply


def test_nothing_close_says_no_rule_fits_and_offers_the_duty_team():
    reply = said(Phone("+447700900704").say("who fixes the potholes on our road", "ask_responsible"))
    assert "won't guess" in reply and "duty team" in reply and "1)" not in reply


def test_close_needs_with_the_same_answer_need_no_question():
    reply = said(Phone("+447700900705").say("who keeps an eye on the little one now, she's 7 weeks old",
                                            "ask_responsible"))
    assert "1)" not in reply and "health visit" in reply


def test_a_clarifying_answer_without_a_record_answers_the_question_by_sms():
    phone = Phone("+447700900706")
    question = said(phone.say("what help is there for my grandson at home", "ask_responsible"))
    assert "1)" in question
    phone.say("1", "nlu_fallback")
    phone = Phone("+447700900707")
    asked = said(phone.say("which benefit should my nan be claiming, she can't manage", "ask_responsible"))
    assert "how old" in asked, asked
    reply = said(phone.say("shes 81", "tell_fact"))
    assert "attendance allowance" in reply
    assert "family record" not in reply
    with session_scope() as session:
        assert session.execute(select(m.Fact)).first() is None  # no record, so nothing stored


def test_a_clarifying_answer_on_the_web_without_a_record():
    web = Web()
    asked = said(web.say("who orders the commode for my dad", "ask_responsible"))
    assert "hospital" in asked
    reply = said(web.say("he's still on the ward", "tell_fact"))
    assert "discharge" in reply and "phone" not in reply


def test_child_or_adult_answered_with_an_age():
    phone = Phone("+447700900708")
    asked = said(phone.say("who can give us a break from caring, EM3", "ask_responsible"))
    assert "child" in asked and "adult" in asked
    reply = said(phone.say("a child, she's 11", "tell_fact"))
    assert "children" in reply and "adult social care" not in reply


def test_a_town_answers_the_where_question_and_names_the_council():
    phone = Phone("+447700900709")
    asked = said(phone.say("who does carers assessments?", "ask_responsible"))
    assert "town or postcode" in asked and "em2" not in asked
    reply = said(phone.say("we're in Leeds", "tell_fact"))
    assert "leeds city council's adult social care" in reply
    assert "em" not in reply.split() and "postcode" not in reply


def test_a_town_in_the_question_gets_the_national_rule_and_the_right_council():
    reply = said(Phone("+447700900710").say("dad lives in Norwich, who does carers assessments", "ask_responsible"))
    assert "norfolk county council's adult social care" in reply
    assert "norwich" in reply and "postcode" not in reply


def test_a_clarifying_answer_is_stored_when_there_is_a_record():
    phone = Phone("+447700900711")
    phone.say("hi", "greet")
    phone.say("yes", "affirm")
    phone.say("which benefit should my nan be claiming, she can't manage", "ask_responsible")
    assert "attendance allowance" in said(phone.say("she's 81", "tell_fact"))
    with session_scope() as session:
        ages = session.execute(select(m.Fact).where(m.Fact.category == "personal")).scalars().all()
    assert len(ages) == 1


def test_a_need_told_as_a_fact_is_kept_with_its_code_and_answers_a_later_question():
    phone = Phone("+447700900712")
    phone.say("hi", "greet")
    phone.say("yes", "affirm")
    phone.say("my mum Joan is 84 and lives at EM4 1AB", "tell_fact")
    phone.say("she needs grab rails", "tell_fact")
    with session_scope() as session:
        need = session.execute(select(m.Fact).where(m.Fact.category == "need")).scalar_one()
        from bot import crypto

        assert '"need_code": "need.minor-adaptations"' in crypto.decrypt(need.detail_enc)
    reply = said(phone.say("who can fit them?", "ask_responsible"))
    assert "occupational therap" in reply
    assert "postcode" not in reply and "how old" not in reply and "?" not in reply.split("reply more")[0]


def test_the_sentence_that_asks_leads_by_meaning_when_it_names_no_need():
    GUESSES["how does she start a claim for disability money"] = [NeedGuess("need.pip", 0.8)]
    reply = said(Phone("+447700900713").say(
        "my partner is 40 and has depression. how does she start a claim for disability money", "ask_responsible"))
    assert "personal independence payment" in reply and "talking therapies" not in reply


def test_a_need_stated_in_a_first_message_is_answered_before_asking_consent():
    phone = Phone("+447700900714")
    reply = said(phone.say("we need respite, caring for my wife who has MS, she's 70, EM2", "tell_fact"))
    assert "adult social care" in reply and "reply yes" in reply
    assert not reply.startswith("before i keep anything")


def test_an_answer_about_them_while_choosing_keeps_it_and_asks_which_again():
    phone = Phone("+447700900715")
    phone.say("what help is there for my grandson at home", "ask_responsible")
    again = said(phone.say("a child, he's 9", "tell_fact"))
    assert again.startswith("thanks.") and "1)" in again and "before i keep" not in again
    reply = said(phone.say("2", "nlu_fallback"))
    assert "adult social care" not in reply and ("children" in reply or "short break" in reply)


def test_a_stranger_asking_about_a_need_gets_services_not_no_record():
    GUESSES["do i have to tell every office about mum dying"] = [
        NeedGuess("need.tell-us-once", 0.4), NeedGuess("need.register-death", 0.3)]
    reply = said(Phone("+447700900716").say("do i have to tell every office about mum dying", "ask_record"))
    assert "family record" not in reply and "1) telling the government about a death" in reply


@pytest.mark.parametrize("text", [
    "dad came home with a catheter and none of us know who changes the bag",   # asked indirectly
    "mum needs a special air mattress for the sore on her bottom",             # a need stated for someone
])
def test_a_first_message_that_asks_indirectly_or_states_a_need_is_answered(text):
    phone = Phone("+447700900731")
    reply = said(phone.say(text, "tell_fact"))
    # answered (or asked where, to answer), never only a request for consent
    assert "nurs" in reply and "need your ok" not in reply, reply


def test_a_first_message_that_only_tells_asks_for_consent_first():
    phone = Phone("+447700900732")
    reply = said(phone.say("mum has dementia and takes donepezil at night", "tell_fact"))
    assert "need your ok" in reply and "responsible" not in reply
    assert _awaiting(phone) is q.Consent


def test_a_worry_about_a_need_taken_for_an_emergency_gets_its_answer_with_the_routes_and_pages_nobody():
    from bot.db import session_scope
    from bot.handoff import staff_models as hm

    replies = Phone("+447700900991").say("my dad keeps driving and i really dont think he should be", "urgent_risk")
    text = said(replies)
    assert "999" in text and "116 123" in text  # the routes first, in case the words hide a crisis
    assert "dvla" in text  # and the answer
    with session_scope() as session:
        assert session.query(hm.Handoff).count() == 0  # nobody paged on the classifier's word alone


def test_real_risk_words_still_page_the_duty_team():
    from bot.db import session_scope
    from bot.handoff import staff_models as hm

    text = said(Phone("+447700900992").say("dad keeps driving and says he wants to kill himself", "urgent_risk"))
    assert "999" in text
    with session_scope() as session:
        assert session.query(hm.Handoff).count() == 1
