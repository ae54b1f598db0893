"""Who is responsible, through the real actions, against the Eastmere demo directory."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import session_scope
from bot.demo import EASTMERE
from bot.directory import responsibility
from bot.directory.importer import import_feed
from bot.directory.reports import ServiceReport
from bot.records import models as m
from tests.actions.helpers import Phone, said


@pytest.fixture(autouse=True)
def eastmere(db):
    assert import_feed(EASTMERE).ok
    responsibility.NEED_INDEX.reset()
    yield


def _member(number: str) -> Phone:
    phone = Phone(number)
    phone.say("hi", "greet")
    phone.say("yes", "affirm")
    return phone


def test_names_the_body_why_how_to_reach_and_freshness():
    phone = Phone("+447700900601")
    replies = phone.say("who do I ask for a carer's assessment? I live in EM2", "ask_responsible")
    assert len(replies) == 1 and len(replies[0]) <= 3 * 153  # three SMS segments
    text = said(replies)
    assert "adult social care" in text and "carers" in text
    assert "care act 2014" in text  # the source of the rule
    assert "01632" in text  # a phone number from the directory
    assert "open" in text or "closed" in text or "opens" in text
    assert "checked" in text
    assert "out of hours" not in text  # the assessment team, not the out-of-hours duty team
    more = said(phone.say("more", "more_detail"))
    assert "someone else's job" in more and "legislation.gov.uk" in more


def test_commode_story_at_home_goes_to_equipment_service_without_asking():
    replies = Phone("+447700900602").say(
        "mum came out of hospital on saturday, the commode they promised never came, the hospital says "
        "it's the GP and the GP says it's the hospital. who is responsible? we're in EM4", "ask_responsible")
    assert "equipment service" in said(replies)
    assert "still in hospital" not in said(replies)


def test_uses_the_postcode_in_the_record_instead_of_asking():
    phone = _member("+447700900603")
    phone.say("I care for my aunt Rose, she lives at EM5 2LJ", "tell_fact")
    replies = phone.say("who can put grab rails in her bathroom?", "ask_responsible")
    assert "occupational therap" in said(replies)
    assert "postcode" not in said(replies)


def test_asks_one_clarifying_question_and_stores_the_answer():
    phone = _member("+447700900604")
    phone.say("my dad Fred lives at EM1 3AA", "tell_fact")
    question = phone.say("who orders the commode dad needs?", "ask_responsible")
    assert "hospital" in said(question) and "?" in question[0]
    answer = phone.say("he's still in hospital", "tell_fact")
    assert "discharge" in said(answer)
    with session_scope() as session:
        facts = session.execute(select(m.Fact).where(m.Fact.category == "situation")).scalars().all()
    assert len(facts) == 1  # the answer went into the record


def test_outside_eastmere_gives_the_national_rule_and_says_so():
    replies = Phone("+447700900605").say("who decides on NHS continuing healthcare? we live in LS6", "ask_responsible")
    assert "ls6" in said(replies) and "council's directory yet" in said(replies)
    assert "icb" in said(replies) or "integrated care board" in said(replies)


def test_no_rule_says_so_and_offers_a_person_without_inventing():
    replies = Phone("+447700900606").say("who is responsible for fixing the potholes on our road", "ask_responsible")
    assert "won't guess" in said(replies) or "don't know" in said(replies)


def test_a_typo_still_finds_the_need():
    replies = Phone("+447700900607").say("how do i get a carers assesment em2", "ask_responsible")
    assert "adult social care" in said(replies)


def test_a_question_misread_as_a_fact_is_still_answered_without_consent():
    replies = Phone("+447700900608").say("my son was discharged from a section 3 last month, who pays for his "
                                         "aftercare? EM3", "tell_fact")
    assert "section 117" in said(replies[:1]) or "aftercare" in said(replies[:1])  # answered first
    with session_scope() as session:
        assert session.execute(select(m.Family)).first() is None  # and nothing kept without consent


def test_wrong_number_report_is_queued_for_maintainers_without_record_contents():
    phone = Phone("+447700900609")
    phone.say("who do I call about a hospital discharge in EM4?", "ask_responsible")
    replies = phone.say("that number doesn't work, it's out of date", "report_service_problem")
    assert "thank" in said(replies)
    with session_scope() as session:
        report = session.execute(select(ServiceReport)).scalar_one()
    assert report.service_id and report.kind == "wrong_number"
    assert set(report.context) <= {"rule_id", "postcode"}
    phone.say("yes", "affirm")
    with session_scope() as session:
        assert session.execute(select(ServiceReport)).scalar_one().notify is True


def test_a_new_synonym_works_at_once_without_retraining(monkeypatch):
    from bot.directory.models import TaxonomyTerm, TaxonomyTermSynonym

    # Phrase matching alone: the need classifier would place "for the bath" by meaning.
    monkeypatch.setattr(responsibility, "guess_needs", lambda text: [])
    question = "who helps with a thingamajig for the bath? EM2"
    assert "won't guess" in said(Phone("+447700900610").say(question, "ask_responsible")) \
        or "don't know" in said(Phone("+447700900611").say(question, "ask_responsible"))
    with session_scope() as session:
        term = session.execute(select(TaxonomyTerm).where(TaxonomyTerm.code == "need.minor-adaptations")).scalar_one()
        session.add(TaxonomyTermSynonym(id="test-synonym", taxonomy_term_id=term.id, synonym="thingamajig"))
    responsibility.NEED_INDEX._checked = 0.0  # skip the one-second check interval
    assert "occupational therap" in said(Phone("+447700900612").say(question, "ask_responsible"))


def test_first_message_that_tells_and_asks_is_answered_then_consent_offered():
    phone = Phone("+447700900613")
    replies = phone.say("mum passed away last night at home in em3, what do i do about registering it", "tell_fact")
    assert "register office" in said(replies)
    assert "reply yes" in said(replies)
    with session_scope() as session:
        assert session.execute(select(m.Family)).first() is None  # nothing kept before consent
