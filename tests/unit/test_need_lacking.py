"""A need said to be missing can mean another need (the rule book's `if_lacking`): "she doesn't have
an LPA", "we never got round to power of attorney" ask about a deputyship (the Court of Protection)."""
from __future__ import annotations

import pytest

from bot.directory import responsibility
from bot.directory.rules import RuleBook
from bot.language.needs import NeedMatcher

BOOK = RuleBook.load()
MATCHER = NeedMatcher((n.code, [n.name, *n.synonyms]) for n in BOOK.needs.values())


@pytest.fixture
def matched(monkeypatch):
    monkeypatch.setattr(responsibility.NEED_INDEX, "matcher", lambda session: MATCHER)
    MATCHER.memo.clear()
    return lambda text: responsibility.match_needs(None, text)


@pytest.mark.parametrize("text", [
    "my sister had a brain injury and she doesnt have an lpa, who do we apply to",
    "dad has vascular dementia, we never got round to doing power of attorney. how do i pay his bills",
    "is it too late for an lpa, mum has dementia now",
    "we havent got power of attorney and nan cant decide anything",
])
def test_an_lpa_that_is_missing_asks_about_a_deputyship(matched, text):
    codes = matched(text)
    assert codes[0] == "need.deputyship" and "need.lasting-power-of-attorney" not in codes


@pytest.mark.parametrize("text", [
    "we want to sort power of attorney for mum while she can still sign",
    "i have power of attorney for mum but the bank wont accept it",
])
def test_an_lpa_that_is_there_or_wanted_stays_an_lpa(matched, text):
    assert matched(text)[0] == "need.lasting-power-of-attorney"


def test_in_one_run_on_sentence_the_clause_that_asks_leads(matched):
    """ "the carers are always late, is there someone who checks up on care companies": the regulator."""
    codes = matched("the carers from the home care agency are always late, is there someone who checks up on "
                    "care companies")
    assert codes[0] == "need.care-quality-concern"
    # a clause that only describes someone ("who has dementia") asks nothing
    assert matched("mum, who has dementia, needs a commode")[0] != "need.dementia-support"


def test_a_need_named_in_the_asking_clause_yields_only_to_a_certain_classifier(matched, monkeypatch):
    text = "the carers that come to mum are always late, is there someone who checks up on care companies"
    monkeypatch.setattr(responsibility, "guess_needs", lambda t: [
        responsibility.NeedGuess("need.home-care", 0.34), responsibility.NeedGuess("need.care-quality-concern", 0.02)])
    assert responsibility.read_needs(None, text).codes[0] == "need.care-quality-concern"
