"""Tell once, through the real actions: consent, facts, summary, correction, invitation, privacy."""
from __future__ import annotations

from sqlalchemy import func, select

from bot.db import session_scope
from bot.handoff import outbox
from bot.records import models as m
from tests.actions.helpers import Phone, said

SARAH, TOM, STRANGER = "+447700900101", "+447700900102", "+447700900103"


def _consented(number: str = SARAH) -> Phone:
    phone = Phone(number)
    phone.say("hi", "greet")
    phone.say("yes that's fine", "affirm")
    return phone


def _count(model) -> int:
    with session_scope() as session:
        return session.execute(select(func.count()).select_from(model)).scalar_one()


def test_first_contact_explains_and_asks_consent_and_stores_nothing(db):
    replies = Phone(SARAH).say("hello", "greet")
    assert "yes" in said(replies) and "record" in said(replies)
    assert _count(m.Family) == 0 and _count(m.Person) == 0


def test_facts_before_consent_are_not_stored_until_yes(db):
    phone = Phone(SARAH)
    phone.say("my mum has COPD", "tell_fact")
    assert _count(m.Fact) == 0
    replies = phone.say("ok", "affirm")
    assert "copd" in said(replies)
    assert _count(m.Fact) == 1


def test_declining_consent_stores_nothing(db):
    phone = Phone(SARAH)
    phone.say("hi", "greet")
    replies = phone.say("no thanks", "deny")
    assert "won't keep" in said(replies)
    assert _count(m.Family) == 0


def test_several_facts_in_one_message_are_stored_and_confirmed(db):
    phone = _consented()
    replies = phone.say("Mum has dementia and takes donepezil 10mg at night", "tell_fact")
    assert "dementia" in said(replies) and "donepezil" in said(replies)
    assert len(replies) == 1
    summary = phone.say("what do you know about mum?", "ask_record")
    assert "dementia" in said(summary) and "donepezil" in said(summary)
    assert len(summary[0]) <= 459  # three SMS segments


def test_correction_supersedes_and_is_not_repeated(db):
    phone = _consented()
    phone.say("my husband John takes warfarin 3mg every evening", "tell_fact")
    replies = phone.say("actually he stopped the warfarin last week, he's on apixaban now", "correct_fact")
    assert "apixaban" in said(replies)
    meds = phone.say("what medicines is John on?", "ask_record")
    assert "apixaban" in said(meds) and "warfarin" not in said(meds)
    with session_scope() as session:
        statuses = session.execute(select(m.Fact.status)).scalars().all()
    assert sorted(statuses) == ["current", "ended"]


def test_invited_brother_sees_record_only_after_confirming(db):
    sarah = _consented()
    sarah.say("my dad Harold has Parkinson's and lives at EM3 4QT", "tell_fact")
    replies = sarah.say("please add my brother Tom, his number is 07700 900102", "add_family_member")
    assert "tom" in said(replies)
    invitations = outbox.recent_for(TOM)
    assert len(invitations) == 1 and "YES" in invitations[0].body
    assert "parkinson" not in invitations[0].body.lower()

    tom = Phone(TOM)
    before = tom.say("what have you got on dad", "ask_record")
    assert "parkinson" not in said(before)
    welcome = tom.say("YES", "affirm")
    assert "postcode" not in said(welcome) and "who do you care for" not in said(welcome)
    after = tom.say("what have you got on dad", "ask_record")
    assert "parkinson" in said(after)


def test_stranger_learns_nothing(db):
    sarah = _consented()
    sarah.say("my mum Edith has heart failure", "tell_fact")
    for text, intent in [("what do you know about Edith?", "ask_record"), ("more", "more_detail"),
                         ("hi", "greet")]:
        assert "heart failure" not in said(Phone(STRANGER).say(text, intent))


def test_returning_member_is_greeted_with_what_is_known_and_not_asked_again(db):
    sarah = _consented()
    sarah.say("I care for my aunt Rose, she lives at EM5 2LJ and has diabetes", "tell_fact")
    later = Phone(SARAH)  # a new session next week: no earlier events
    replies = later.say("hello", "greet")
    assert "diabetes" in said(replies)
    assert "postcode?" not in said(replies) and "reply yes" not in said(replies)


def test_postcode_is_asked_once_only_when_missing(db):
    phone = _consented()
    first = phone.say("my mum has arthritis", "tell_fact")
    assert "postcode" in said(first)
    second = phone.say("she also has osteoporosis", "tell_fact")
    assert "postcode" not in said(second)


def test_bad_input_gets_a_kind_answer_and_stores_nothing(db):
    phone = _consented()
    for text in ["", "   ", "🙏🙏🙏", "'; DROP TABLE families; --", "<script>alert(1)</script>",
                 "help " * 400, "Dzień dobry, moja mama jest chora i potrzebuje pomocy w domu"]:
        replies = phone.say(text, "nlu_fallback")
        assert replies and all(r.strip() for r in replies)
        assert "traceback" not in said(replies) and "sqlalchemy" not in said(replies)
    assert _count(m.Fact) == 0


def test_withdrawing_consent_ends_access(db):
    phone = _consented()
    phone.say("my mum has COPD", "tell_fact")
    asked = phone.say("please delete my data, I withdraw consent", "withdraw_consent")
    assert "reply yes" in said(asked)
    assert "copd" in said(phone.say("what do you know about mum", "ask_record"))  # not yet confirmed
    phone.say("please delete my data, I withdraw consent", "withdraw_consent")
    phone.say("yes", "affirm")
    replies = Phone(SARAH).say("what do you know about mum", "ask_record")
    assert "copd" not in said(replies)


def test_common_correction_phrasings(db):
    phone = _consented()
    phone.say("my wife Ann takes amlodipine 5mg and ramipril 2.5mg", "tell_fact")
    phone.say("the gp stopped her ramipril last week", "tell_fact")
    phone.say("she also takes sertraline 50mg in the morning", "tell_fact")
    fixed = phone.say("sorry got that wrong, its 100mg not 50", "correct_fact")
    assert "100mg" in said(fixed)
    meds = said(phone.say("what medicines is Ann on?", "ask_record"))
    assert "amlodipine" in meds and "ramipril" not in meds
    assert "100mg" in meds and "50mg" not in meds


def test_conditions_after_with_and_facts_alongside_a_greeting(db):
    phone = _consented()
    replies = phone.say("grandad eric, hes 88 with heart failure and type 2 diabetes, em3 9zz", "tell_fact")
    assert "heart failure" in said(replies) and "diabetes" in said(replies)
    replies = Phone(SARAH).say("hiya its me again, grandads just been diagnosed with prostate cancer", "greet")
    assert "prostate cancer" in said(replies)
    assert "prostate cancer" in said(phone.say("what do you know about grandad", "ask_record"))


def test_dose_and_postcode_corrections_without_naming_the_medicine(db):
    phone = _consented()
    phone.say("my mum Joan takes amlodipine 5mg once a day and lives at EM6 2AB", "tell_fact")
    assert "10mg" in said(phone.say("sorry got that wrong it was put up to 10mg at her last review", "correct_fact"))
    assert "EM6 2AD".lower() in said(phone.say("oops no its em6 2ad not 2ab", "correct_fact"))
    record = said(phone.say("what do you know about mum", "ask_record"))
    assert "10mg" in record and "5mg" not in record
    assert "em6 2ad" in record and "em6 2ab" not in record


def test_what_is_not_structured_is_kept_in_the_carers_words_and_said_back(db):
    phone = _consented()
    told = phone.say("mum has dementia. one thing, she always puts her teeth in a cup by the kettle at night "
                     "and if anyone moves it she panics in the morning", "tell_fact")
    assert "dementia" in said(told) and "own words" in said(told)
    shown = phone.say("what do you know about mum", "ask_record")
    assert "dementia" in said(shown) and "kettle" in said(shown)
    from bot.records.note_models import Note
    assert _count(Note) == 1


def test_several_people_are_confirmed_per_person(db):
    phone = _consented()
    told = said(phone.say("mum is Sheila she has COPD and is on oxygen at night. dad is Ron, hes got alzheimers "
                          "and hes diabetic, insulin twice a day", "tell_fact"))
    assert told.index("sheila") < told.index("copd") < told.index("ron") < told.index("alzheimer")
    dad = said(phone.say("what do you know about ron", "ask_record"))
    assert "alzheimer" in dad and "copd" not in dad


def test_asking_about_someone_not_recorded_shows_no_one_else(db):
    phone = _consented()
    phone.say("my mum Valerie has bronchiectasis and uses a nebuliser", "tell_fact")
    reply = said(phone.say("what do you know about my dad?", "ask_record"))
    assert "bronchiectasis" not in reply and "don't have anything" in reply


def test_a_fact_told_on_the_wrong_person_moves_and_history_keeps_it(db):
    phone = _consented()
    phone.say("mum is Rita and dad is Ken. dad had a stroke 2 years ago and has diabetes", "tell_fact")
    phone.say("no sorry the stroke is mums not dads. dad just has the diabetes", "correct_fact")
    dad = said(phone.say("what about dad", "ask_record"))
    mum = said(phone.say("and mum", "urgent_risk"))
    assert "diabetes" in dad and "stroke" not in dad
    assert "stroke" in mum and "999" not in mum
    with session_scope() as session:
        moved = session.execute(select(m.Fact).where(m.Fact.status == m.SUPERSEDED)).scalars().all()
    assert moved


def test_a_name_put_right_renames_the_person_and_history_keeps_the_old_one(db):
    phone = _consented()
    phone.say("my mum Joan has parkinsons", "tell_fact")
    assert "jean" in said(phone.say("sorry her name is Jean not Joan", "correct_fact"))
    summary = said(phone.say("what do you know about mum", "ask_record"))
    assert "jean" in summary and "parkinson" in summary and "joan" not in summary
    with session_scope() as session:
        assert _count(m.Person) == 2  # the carer and mum: "Jean" is nobody new
        assert session.execute(select(m.Fact).where(m.Fact.status == m.SUPERSEDED)).scalars().all()


def test_a_dose_said_as_the_news_or_put_right_without_the_medicine_supersedes_it(db):
    phone = _consented()
    phone.say("dad is diabetic, on metformin 500mg twice a day and his clenil 1 puff at night", "tell_fact")
    assert "1g" in said(phone.say("the metformin is 1g now", "tell_fact"))
    assert "2 puffs" in said(phone.say("sorry my mistake its 2 puffs", "nlu_fallback"))
    meds = said(phone.say("what does dad take", "ask_record"))
    assert "1g" in meds and "500mg" not in meds and "2 puffs" in meds


def test_a_stopped_medicine_asked_about_is_said_to_be_stopped(db):
    phone = _consented()
    phone.say("dad has alzheimers, he was on donepezil and mirtazapine 15mg at night", "tell_fact")
    phone.say("the consultant has stopped the donepezil now", "tell_fact")
    reply = said(phone.say("is dad still on donepezil", "ask_record"))
    assert "no longer on donepezil" in reply and "mirtazapine" not in reply.split("\n")[0]


def test_a_dose_put_right_in_another_unit_of_the_same_kind(db):
    phone = _consented()
    phone.say("mum has paracetamol 500mg four times a day and voltarol gel", "tell_fact")
    assert "1g" in said(phone.say("sorry my mistake the dose is 1g four times a day", "correct_fact"))
    meds = said(phone.say("how much paracetamol does mum have", "ask_record"))
    assert "1g" in meds and "500mg" not in meds


def test_an_entry_code_is_never_kept_nor_said_back(db):
    from bot import crypto
    from bot.records.notes import Note
    phone = _consented()
    told = said(phone.say("mum has a key safe by the front door, code is 1357. the gate code is 2468", "tell_fact"))
    asked = said(phone.say("how do the carers get in at mums", "ask_record"))
    assert "key safe" in asked and "gate code" in asked and "never keep entry codes" in asked
    assert not any(code in told + asked for code in ("1357", "2468"))
    with session_scope() as session:
        kept = [crypto.decrypt(n.text_enc) for n in session.execute(select(Note)).scalars()]
    assert kept and not any("1357" in text or "2468" in text for text in kept)


def test_follow_ups_and_pronoun_questions_use_the_person_in_focus(db):
    phone = _consented()
    phone.say("mum Rosemary is 82 and has angina, her gp is Dr Kaur at Eastmere Health Centre", "tell_fact")
    assert "kaur" in said(phone.say("sorry whats the name of her gp again?", "bot_help"))


def test_a_question_on_a_topic_gets_the_carers_own_words_for_it(db):
    phone = _consented()
    phone.say("my husband Clive has parkinsons. gardening is his life, an hour in the greenhouse every "
              "afternoon settles him for the evening. he can only manage mashed up food now, lumps make him choke",
              "tell_fact")
    matters = said(phone.say("what matters to clive", "ask_record"))
    assert "greenhouse" in matters and "parkinson" not in matters
    eating = said(phone.say("what can clive eat", "ask_record"))
    assert "mashed" in eating
