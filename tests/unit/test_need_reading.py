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
