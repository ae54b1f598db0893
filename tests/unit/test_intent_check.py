"""The second opinion on Rasa's intent: the words win when they clearly disagree."""
from __future__ import annotations

import pytest

from bot.db import session_scope
from bot.dialogue.intent_check import reconcile
from bot.directory import responsibility
from bot.language.reading import read

CASES = [
    ("ask_record", "my husband John takes warfarin 3mg every evening", "tell_fact"),
    ("tell_fact", "my son was discharged from a section 3 last month, who pays for his aftercare", "ask_responsible"),
    ("urgent_risk", "my dad has dementia", "urgent_risk"),  # not a neighbour: left alone
    ("ask_responsible", "i care for my hubby Ray who has copd, em5 4rt", "tell_fact"),
    ("ask_responsible", "where does vera live", "ask_record"),
    ("bot_help", "is there an actual person i can speak to", "request_human"),
    ("request_human", "he keeps nearly falling getting off the loo, can someone put a rail in", "ask_responsible"),
    ("tell_fact", "actually she stopped the donepezil", "correct_fact"),
    ("nlu_fallback", "how do i get a carers assesment", "ask_responsible"),
    ("ask_record", "what do you know about mum", "ask_record"),
    ("ask_responsible", "who is responsible for fixing potholes", "ask_responsible"),
]


@pytest.mark.parametrize(("intent", "text", "expected"), CASES)
def test_reconcile(db, intent, text, expected):
    responsibility.NEED_INDEX.reset()  # empty directory: the rule book's own words are used
    with session_scope() as session:
        assert reconcile(session, intent, read(text)) == expected


def test_a_question_that_starts_mid_message_is_a_question():
    from bot.dialogue.intent_check import is_question

    assert is_question("my son turns 18 in march, he has learning disabilities. who takes over when he's an adult")
    assert is_question("i was getting carers allowance for him. what happens to it now")
    assert is_question("mum needs a lot of help now, what benefit should she be on")
    assert not is_question("my sister, who lives in Leeds, has dementia")
    assert not is_question("mum has dementia, she lives alone")
    assert read("mum needs a lot of help now, what benefit should she be on").question


def test_a_question_about_the_person_is_not_read_as_a_need_by_meaning(monkeypatch):
    from bot.dialogue import intent_check
    from bot.directory.responsibility import NeedReading
    from bot.language.need_classifier import NeedGuess

    certain = NeedReading((), (NeedGuess("need.minor-illness", 0.9),))
    monkeypatch.setattr(responsibility, "read_needs", lambda session, text: certain)
    monkeypatch.setattr(responsibility, "match_needs", lambda session, text: [])
    assert intent_check.reconcile(None, "ask_record", read("does mum have any allergies?")) == "ask_record"
    assert intent_check.reconcile(None, "ask_record", read("who deals with mum's allergies?")) == "ask_responsible"


def test_a_request_for_a_person_is_not_made_a_services_question_by_meaning(monkeypatch):
    from bot.dialogue import intent_check
    from bot.directory.responsibility import NeedReading
    from bot.language.need_classifier import NeedGuess

    certain = NeedReading((), (NeedGuess("need.emotional-support", 0.9),))
    monkeypatch.setattr(responsibility, "read_needs", lambda session, text: certain)
    assert intent_check.reconcile(None, "request_human", read("can I speak to a real person please")) == \
        "request_human"
    assert intent_check.reconcile(None, "request_human", read("i want someone to help")) == "request_human"


def test_a_request_for_help_naming_a_topic_and_no_person_is_a_services_question(monkeypatch):
    from bot.directory.responsibility import NeedReading
    from bot.language.need_classifier import NeedGuess

    close = NeedReading((), (NeedGuess("need.benefits-advice", 0.35), NeedGuess("need.disability-benefits", 0.3)))
    monkeypatch.setattr(responsibility, "read_needs", lambda session, text: close)
    assert reconcile(None, "request_human", read("i need help sorting dads money out")) == "ask_responsible"
    # a person is asked for: the request stands, whatever the topic
    assert reconcile(None, "request_human", read("i need a person to help with dads money")) == "request_human"
    assert reconcile(None, "request_human", read("can someone ring me about dads money")) == "request_human"
    nothing = NeedReading((), ())
    monkeypatch.setattr(responsibility, "read_needs", lambda session, text: nothing)
    assert reconcile(None, "request_human", read("i need help")) == "request_human"


def test_a_correction_that_ends_nothing_but_asks_about_a_need_is_a_question(monkeypatch):
    from bot.directory.responsibility import NeedReading
    from bot.language.need_classifier import NeedGuess

    certain = NeedReading((), (NeedGuess("need.working-carer", 0.8),))
    monkeypatch.setattr(responsibility, "read_needs", lambda session, text: certain)
    text = "work say i have to take holiday for dads clinic visits, is that right? dont carers get time off now"
    assert reconcile(None, "correct_fact", read(text)) == "ask_responsible"
    assert reconcile(None, "correct_fact", read("actually she stopped the donepezil")) == "correct_fact"


def test_an_urgent_guess_stands_down_for_a_question_about_a_need_read_by_meaning(monkeypatch):
    """No risk words, Rasa says urgent, the words ask about a need the classifier is sure of: a question.
    An urgent need (a crisis line, 999) read by meaning alone leaves the alarm standing."""
    from bot.dialogue import intent_check
    from bot.dialogue.turn import Turn
    from bot.directory.responsibility import NeedReading
    from bot.language.need_classifier import NeedGuess

    text = "dad slipped getting out of bed twice this week and waited ages for help, what can he wear to call someone"
    monkeypatch.setattr(responsibility, "match_needs", lambda session, text: [])
    for guess, expected in ((NeedGuess("need.personal-alarm", 0.9), "ask_responsible"),
                            (NeedGuess("need.mental-health-crisis", 0.9), "urgent_risk")):
        reading = NeedReading((), (guess,))
        monkeypatch.setattr(responsibility, "read_needs", lambda session, text, r=reading: r)
        turn = Turn(sender_key="t", channel="sms", text=text, intent="urgent_risk", confidence=0.95)
        assert intent_check.before_risk(turn, danger=False) == expected
