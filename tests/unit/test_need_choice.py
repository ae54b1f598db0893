"""'Did you mean': the numbered list and reading the carer's pick."""
from __future__ import annotations

from bot.dialogue import need_choice
from bot.directory.responsibility import NeedReading
from bot.language.need_classifier import NeedGuess

OPTIONS = ["need.attendance-allowance", "need.pip", "need.benefits-advice"]


def test_offer_is_a_short_numbered_list_in_plain_words():
    text = need_choice.offer_text(OPTIONS)
    assert "1) Attendance Allowance" in text and "2) Personal Independence Payment" in text and "3) " in text
    assert len(text) <= 2 * 153


def test_picks_by_number_ordinal_or_words():
    assert need_choice.chosen("2", OPTIONS) == "need.pip"
    assert need_choice.chosen(" number 3 ", OPTIONS) == "need.benefits-advice"
    assert need_choice.chosen("the first one", OPTIONS) == "need.attendance-allowance"
    assert need_choice.chosen("4", OPTIONS) is None
    assert need_choice.chosen("money advice please", OPTIONS) == "need.benefits-advice"
    by_meaning = NeedReading((), (NeedGuess("need.pip", 0.6), NeedGuess("need.blue-badge", 0.2)))
    assert need_choice.chosen("the one for working age", OPTIONS, by_meaning) == "need.pip"
    assert need_choice.chosen("what's the weather", OPTIONS) is None


def test_none_of_those():
    assert need_choice.declined("none of those") and need_choice.declined("Neither")
    assert not need_choice.declined("2")


def test_a_reply_about_the_person_settles_the_option_that_was_waiting_for_it():
    """ "Which disability benefit" waits for an age; "help with benefits" does not. A reply that gives
    the age and shares a word with the other label still means the one it settled."""
    from bot.directory.rules import Situation, situation_from_text

    options = ["need.disability-benefits", "need.benefits-advice"]
    before = Situation()
    after = situation_from_text("about the benefits really, grandad is 86 and can't wash himself", before)
    settled = need_choice.settled_by(options, before, after)
    assert settled == "need.disability-benefits"
    assert need_choice.chosen("about the benefits really, grandad is 86 and can't wash himself",
                              options, NeedReading(), settled) == "need.disability-benefits"
    # a number or an option named in the rule book's words still wins
    assert need_choice.chosen("2", options, NeedReading(), settled) == "need.benefits-advice"
    named = NeedReading(("need.benefits-advice",))
    assert need_choice.chosen("benefits advice, he's 86", options, named, settled) == "need.benefits-advice"
    # nothing new about the person, or two options settled at once: no pick from the facts
    assert need_choice.settled_by(options, before, before) is None
    child = situation_from_text("my son, he is 9 years old", before)
    assert need_choice.settled_by(["need.care-needs-assessment", "need.respite"], before, child) is None
    assert need_choice.settled_by(["need.care-needs-assessment", "need.family-support"], before, child) == \
        "need.care-needs-assessment"
