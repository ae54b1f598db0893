"""Questions read once: whom they ask about, what part of the record, follow-ups, corrections."""
from __future__ import annotations

import pytest

from bot.language.reading import Person, read

MUM, DAD = Person("mother", None), Person("father", None)


@pytest.mark.parametrize(("text", "focus", "topic", "follow_up"), [
    ("and mum?", MUM, None, True),
    ("and mums?", MUM, None, True),
    ("what about dad", DAD, None, True),
    ("harvey?", Person(None, "Harvey"), None, True),
    ("wat about jack", Person(None, "Jack"), None, True),
    ("and george?", Person(None, "George"), None, True),
    ("who is her GP?", Person(None, None), "gp", False),
    ("sorry whats the name of her gp again?", Person(None, None), "gp", False),
    ("whats nan on now", Person("grandmother", None), "medicine", False),
    ("what is pat on", Person(None, "Pat"), "medicine", False),
    ("wat do u no about mum", MUM, "record", False),
    ("what do they need to know if an ambulance comes for dad", DAD, "emergency", False),
    ("if an ambulance comes what do they need to know about mum", MUM, "emergency", False),
    ("what do the carers need to know about getting in?", None, "access", False),
    ("anything about pets?", None, "access", False),
    ("who have you got on my record", None, "people", False),
    ("where does dad live", DAD, "address", False),
    ("does dad have any allergies", DAD, "allergy", False),
    ("how old is dad", DAD, "age", False),
    ("what should the hospital know about mums language", MUM, "communication", False),
    ("who is involved with mum's care?", MUM, "involved", False),
    ("what name does grandad answer to", Person("grandfather", None), "name", False),
    ("what should the carers call dad", DAD, "name", False),
    ("whats important to nan", Person("grandmother", None), "what_matters", False),
    ("what calms him down when hes upset", Person(None, None, "m"), "what_matters", False),
    ("what matters most to george", Person(None, "George"), "what_matters", False),
    ("wat dus mum tak", MUM, "medicine", False),
    ("what happened to grandad last month", Person("grandfather", None), "history", False),
    ("who are mums attorneys", MUM, "care_plan", False),
    ("what does dad want when the time comes", DAD, "care_plan", False),
    ("and what about his tablets", Person(None, None, "m"), "medicine", False),
    ("so who looks after grandad", Person("grandfather", None), "involved", False),
    ("whats on nans file", Person("grandmother", None), "record", False),
    # end-of-life wishes, communication aids, access, and text-speak ("no" for "know", "bout")
    ("what are mums wishes", MUM, "care_plan", False),
    ("where does dad want to die", DAD, "care_plan", False),
    ("how do i talk to lily", Person(None, "Lily"), "communication", False),
    ("what do people need to know to talk to him", Person(None, None, "m"), "communication", False),
    ("what do visitors need to know at nans", Person("grandmother", None), "access", False),
    ("what should carers know about getting into dads", DAD, "access", False),
    ("wat do u no bout mum", MUM, "record", False),
    ("who can i talk to about money worries", None, None, False),
    ("how many times a day does dad have it", DAD, "medicine", False),
    # eating and drinking in their plural and other forms
    ("what do the carers need to know about mums drinks", MUM, "eating", False),
    ("how should dads fluids be given", DAD, "eating", False),
    ("what are mums meals like", MUM, "eating", False),
])
def test_focus_and_topic(text, focus, topic, follow_up):
    reading = read(text)
    assert reading.question
    assert reading.focus == focus
    assert reading.topic == topic
    assert reading.follow_up is follow_up
    assert reading.current == ()


@pytest.mark.parametrize("text", ["mum has dementia", "what about the carers", "hi", "yes", "thanks"])
def test_not_follow_ups(text):
    assert read(text).follow_up is False


@pytest.mark.parametrize(("text", "focus", "topic"), [
    # the story names people and record words; the question asks about neither
    ("my husband died 2 weeks ago, i was getting carers allowance for looking after him. what happens to it now",
     None, None),
    ("my boss says i have to use my annual leave for mums hospital appointments, is that right?", None, None),
    # a he/she in the question points back to the person the story named
    ("mum fell on the stairs last week. what tablets is she on?", MUM, "medicine"),
    ("dad is home from hospital now, who is his GP?", DAD, "gp"),
])
def test_a_message_that_tells_then_asks_is_read_for_its_question(text, focus, topic):
    reading = read(text)
    assert reading.question
    assert reading.focus == focus
    assert reading.topic == topic


def test_pronoun_focus_keeps_its_gender():
    assert read("who is her GP?").focus.gender == "f"
    assert read("does he have any allergies").focus.gender == "m"


def test_a_question_names_what_it_asks_about():
    assert "medicine:warfarin" in read("whats mums warfarin dose now").asked


@pytest.mark.parametrize(("text", "key", "to", "away"), [
    ("no sorry the stroke is mums not dads. dad just has the diabetes", "condition:stroke", MUM, DAD),
    ("no wait sorry, donepezil is mums. dad is on tamsulosin for his prostate", "medicine:donepezil", MUM, None),
    ("its not my mum its my dad who has the COPD. mum has angina", "condition:copd", DAD, MUM),
    ("oops sorry its Harvey who has the asthma not Maisie, she just has eczema", "condition:asthma",
     Person(None, "Harvey"), Person(None, "Maisie")),
    # a reply that starts by contradicting is a correction; "is for nan" names whose it is
    ("no the stroke is dad's, mum has arthritis", "condition:stroke", DAD, None),
    ("oops the memantine is for nan not grandad", "medicine:memantine", Person("grandmother", None),
     Person("grandfather", None)),
    ("sorry I meant dad had the stroke not mum", "condition:stroke", DAD, MUM),
])
def test_moves(text, key, to, away):
    reading = read(text)
    assert [(m.key, m.to, m.away_from) for m in reading.moves] == [(key, to, away)]
    assert reading.correction


@pytest.mark.parametrize(("text", "new", "old", "unit"), [
    ("sorry typo its 12 units of lantus not 20", "12 units", "20", "units"),
    ("the metformin is 1g not 500mg", "1g", "500", "g"),
    ("sorry hes 78 not 87 lol", "78", "87", None),
    ("sorry my mistake, the metformin is 1g", "1g", None, "g"),
    ("the hospice nurse has upped nans oramorph to 5ml", "5ml", None, "ml"),
    ("mums warfarin isnt 5mg anymore, the clinic changed it to 3mg yesterday", "3mg", None, "mg"),
    # the new value said as the news, and a correction that names no medicine
    ("the metformin is 1g now", "1g", None, "g"),
    ("sorry my mistake its 2 puffs", "2 puffs", None, "puffs"),
    ("doctor put his amlodipine up to 10mg last week", "10mg", None, "mg"),
])
def test_value_fixes(text, new, old, unit):
    fix = read(text).fixes[0]
    assert (fix.new, fix.old, fix.unit) == (new, old, unit)


def test_a_plain_statement_fixes_nothing():
    assert read("dad takes metformin 500mg twice a day").fixes == ()
    assert read("sorry dad also has diabetes").moves == ()
    assert read("its 2 puffs twice a day").fixes == ()


@pytest.mark.parametrize(("text", "new", "old", "person"), [
    ("sorry her name is Jean not Joan", "Jean", "Joan", None),
    ("actually its Steven with a v", "Steven", None, None),
    ("mums name is actually Jean", "Jean", None, MUM),
    ("I meant Jean not Joan", "Jean", "Joan", None),
    ("oh and it's Kathleen with a K not Cathleen", "Kathleen", "Cathleen", None),
])
def test_renames(text, new, old, person):
    reading = read(text)
    assert [(r.new, r.old, r.person) for r in reading.renames] == [(new, old, person)]
    assert reading.correction and reading.people == () and reading.rest == ()


def test_a_name_told_is_not_a_rename():
    reading = read("her name is Jean")
    assert reading.renames == () and reading.people == (Person(None, "Jean"),)


@pytest.mark.parametrize(("text", "answer"), [("yes", "yes"), ("ok go on", "yes"), ("ye ok", "yes"),
                                              ("no thanks", "no"), ("mum has copd", None)])
def test_answers(text, answer):
    assert read(text).answer == answer


def test_the_reading_is_immutable():
    reading = read("mum has copd")
    with pytest.raises(AttributeError):
        reading.facts = ()  # type: ignore[misc]
    with pytest.raises(TypeError):
        reading.current[0].detail["x"] = 1  # type: ignore[index]


@pytest.mark.parametrize(("text", "topic"), [("wats mum on", "medicine"), ("wheres dad now", "address"),
                                             ("whos dads gp", "gp"), ("whats rubys allergy", "allergy")])
def test_a_question_without_its_apostrophe_is_still_a_question(text, topic):
    reading = read(text, frozenset({"ruby"}))
    assert reading.question and reading.topic == topic and reading.focus is not None


@pytest.mark.parametrize("text", [
    "baby is 3 weeks old and the midwife has discharged us, who weighs him now",
    "the midwife has stopped coming now, whos meant to check on the baby from here",
    "the agency keeps sending carers who dont know what theyre doing, who regulates them",
    "im unhappy with the standard of care at dads nursing home, who inspects them",
])
def test_who_with_a_verb_of_duty_asks_who_is_responsible(text):
    reading = read(text)
    assert reading.question and reading.asks_who


@pytest.mark.parametrize("text", ["my sister, who lives in leeds, has dementia",
                                  "mum has carers who come in twice a day"])
def test_a_who_that_describes_someone_asks_nothing(text):
    assert not read(text).question
