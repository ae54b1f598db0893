"""Answers told after the bot has answered or asked: a young carer asking in two steps ("im 14",
"i'm her son, 15"), a detail given while the bot waits for a postcode, and a question about a lasting
power of attorney from someone with no record. The classifier's guesses are fixed here."""
from __future__ import annotations

import pytest

from bot.demo import EASTMERE
from bot.dialogue import pending as q
from bot.dialogue.turn import Turn
from bot.directory import responsibility
from bot.directory.importer import import_feed
from bot.language.need_classifier import NeedGuess
from tests.actions.helpers import Phone, said

GUESSES: dict[str, list[NeedGuess]] = {
    "is there any help for someone who looks after their mum": [
        NeedGuess("need.carers-assessment", 0.4), NeedGuess("need.respite", 0.3)],
}


@pytest.fixture(autouse=True)
def eastmere(db, monkeypatch):
    assert import_feed(EASTMERE).ok
    responsibility.NEED_INDEX.reset()
    monkeypatch.setattr(responsibility, "guess_needs", lambda text: list(GUESSES.get(text.strip().lower(), [])))
    yield


@pytest.mark.parametrize(("second", "intent"), [
    ("i'm her son, 15", "tell_fact"),
    ("im 14", "add_family_member"),   # what the intent classifier makes of a bare age
])
def test_a_young_carer_telling_their_age_after_the_answer_gets_the_young_carers_assessment(second, intent):
    phone = Phone("+447700900801")
    first = said(phone.say("who does carers assessments? i look after my mum", "ask_responsible"))
    assert "adult social care" in first and "town or postcode" in first
    reply = said(phone.say(second, intent))
    assert "young carer" in reply and "need your ok" not in reply, reply


def test_a_young_carer_after_a_full_answer_gets_it_again_for_their_age():
    phone = Phone("+447700900802")
    first = said(phone.say("who does carers assessments? we live in EM2", "ask_responsible"))
    assert "young carer" not in first
    reply = said(phone.say("im 13", "tell_fact"))
    assert "young carer" in reply, reply


def test_an_age_that_changes_nothing_after_a_full_answer_goes_by_its_intent():
    phone = Phone("+447700900803")
    phone.say("who does carers assessments? we live in EM2", "ask_responsible")
    reply = said(phone.say("im 45", "tell_fact"))
    assert "need your ok" in reply


def test_a_young_carer_answering_did_you_mean_with_their_age():
    phone = Phone("+447700900804")
    offer = said(phone.say("is there any help for someone who looks after their mum", "ask_responsible"))
    assert "1)" in offer
    reply = said(phone.say("im 14", "add_family_member"))
    assert "young carer" in reply and "1)" not in reply, reply


def test_adding_someone_while_a_list_is_open_still_adds_them():
    assert q.ChooseNeed().answers(_turn("add my brother tom"), False) is False
    assert q.ChooseNeed().answers(_turn("im 14"), False) is True


def _turn(text: str) -> Turn:
    return Turn(sender_key="s", channel="sms", text=text, intent="add_family_member")


def test_a_detail_while_waiting_for_the_postcode_keeps_the_answer_instead_of_asking_consent():
    phone = Phone("+447700900806")
    first = said(phone.say("who can help with my daughter, she has a lot of needs, who do i ask about family support",
                           "ask_responsible"))
    assert "town or postcode" in first
    reply = said(phone.say("a child, shes 11", "tell_fact"))
    assert "children" in reply and "need your ok" not in reply, reply


def test_a_lasting_power_of_attorney_question_without_a_record_is_answered():
    reply = said(Phone("+447700900807").say("how long does it take to register a lasting power of attorney",
                                            "ask_record"))
    assert "public guardian" in reply and "family record" not in reply
