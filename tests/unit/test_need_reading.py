"""Reading a message's need: the exact phrase leads, unless the classifier clearly reads another need."""
from __future__ import annotations

import pytest

from bot.directory import responsibility
from bot.language.need_classifier import NeedGuess


@pytest.fixture
def reading(monkeypatch):
    def read(matched: list[str], guesses: list[NeedGuess]) -> list[str]:
        monkeypatch.setattr(responsibility, "match_needs", lambda session, text: list(matched))
        monkeypatch.setattr(responsibility, "guess_needs", lambda text: list(guesses))
        return responsibility.read_needs(None, "one sentence with no full stop").codes
    return read


def test_a_clearly_better_meaning_leads_a_word_matched_in_passing(reading):
    codes = reading(["need.register-death", "need.lasting-power-of-attorney"],
                    [NeedGuess("need.lasting-power-of-attorney", 0.9), NeedGuess("need.register-death", 0.01)])
    assert codes == ["need.lasting-power-of-attorney", "need.register-death"]


def test_the_meaning_leads_when_the_matched_need_is_not_among_its_guesses(reading):
    codes = reading(["need.emergency"], [NeedGuess("need.patient-transport", 0.37), NeedGuess("need.respite", 0.1)])
    assert codes == ["need.patient-transport", "need.emergency"]


@pytest.mark.parametrize("guesses", [
    [NeedGuess("need.patient-transport", 0.25)],                                       # not sure enough
    [NeedGuess("need.patient-transport", 0.5), NeedGuess("need.emergency", 0.2)],     # not many times surer
    [NeedGuess("need.emergency", 0.8), NeedGuess("need.patient-transport", 0.1)],     # agrees
    [],                                                                                # nothing familiar
])
def test_the_exact_phrase_leads_otherwise(reading, guesses):
    assert reading(["need.emergency"], guesses) == ["need.emergency"]


def test_no_phrase_uses_the_classifier_only_when_it_is_certain(reading):
    assert reading([], [NeedGuess("need.pip", 0.8), NeedGuess("need.dla-child", 0.1)]) == ["need.pip"]
    assert reading([], [NeedGuess("need.pip", 0.4), NeedGuess("need.dla-child", 0.3)]) == []


def test_among_several_matched_needs_the_one_the_meaning_favours_leads(reading):
    codes = reading(["need.benefits-advice", "need.nhs-costs"],
                    [NeedGuess("need.nhs-costs", 0.18), NeedGuess("need.appointeeship", 0.08)])
    assert codes == ["need.nhs-costs", "need.benefits-advice"]
    # not clearly favoured: the phrases' own order stands
    codes = reading(["need.benefits-advice", "need.nhs-costs"],
                    [NeedGuess("need.nhs-costs", 0.18), NeedGuess("need.benefits-advice", 0.12)])
    assert codes == ["need.benefits-advice", "need.nhs-costs"]


def test_a_bare_asking_sentence_does_not_outrank_the_need_the_story_names(monkeypatch):
    story = "dad has dementia and still drives every day. does somebody need to be told"
    monkeypatch.setattr(responsibility, "match_needs",
                        lambda session, text: ["need.driving-dementia"] if "drives" in text else [])
    guesses = {story: [NeedGuess("need.memory-assessment", 0.25), NeedGuess("need.driving-dementia", 0.18)],
               "does somebody need to be told": [NeedGuess("need.tell-us-once", 0.9)]}
    monkeypatch.setattr(responsibility, "guess_needs", lambda text: guesses.get(text.strip(), []))
    assert responsibility.read_needs(None, story).codes == ["need.driving-dementia"]
    # an asking sentence the whole message supports still leads
    guesses[story] = [NeedGuess("need.tell-us-once", 0.5), NeedGuess("need.driving-dementia", 0.1)]
    assert responsibility.read_needs(None, story).codes[0] == "need.tell-us-once"


def test_a_need_named_in_the_question_yields_only_to_a_certain_classifier(monkeypatch):
    story = "these benefit forms are endless. who can help me fill them in"
    monkeypatch.setattr(responsibility, "match_needs", lambda session, text:
                        ["need.benefits-advice"] if "fill them in" in text and "endless" not in text
                        else ["need.benefits-advice", "need.pip"])
    guesses: dict[str, list[NeedGuess]] = {}
    monkeypatch.setattr(responsibility, "guess_needs", lambda text: guesses.get(text.strip(), []))
    guesses[story] = [NeedGuess("need.pip", 0.47), NeedGuess("need.benefits-advice", 0.09)]
    assert responsibility.read_needs(None, story).codes[0] == "need.benefits-advice"
    guesses[story] = [NeedGuess("need.pip", 0.9), NeedGuess("need.benefits-advice", 0.01)]
    assert responsibility.read_needs(None, story).codes[0] == "need.pip"


def test_a_need_the_carer_says_it_is_not_is_left_out():
    from bot.directory.rules import RuleBook
    from bot.language.needs import NeedMatcher

    matcher = NeedMatcher([(n.code, [n.name, *n.synonyms]) for n in RuleBook.load().needs.values()])
    assert "need.emergency" in responsibility._negated_needs(
        matcher, "who takes her to the eye clinic in one of those ambulances, its not an emergency")
    # the negation is part of the need's own words
    assert not responsibility._negated_needs(matcher, "my dad is not breathing")
    assert not responsibility._negated_needs(matcher, "i have no one to talk to")


def test_a_generic_need_the_meaning_favours_does_not_overtake_a_specific_one(reading):
    codes = reading(["need.equipment-after-discharge", "need.hospital-discharge"],
                    [NeedGuess("need.hospital-discharge", 0.28), NeedGuess("need.equipment-after-discharge", 0.1)])
    assert codes == ["need.equipment-after-discharge", "need.hospital-discharge"]
