"""Who is responsible, by class: a carer under 18 (the young carer's assessment, Children Act 1989
s17ZA), a baby after the midwife has signed off (the health visitor), and the words carers use for the
regulator (CQC), a lasting power of attorney, a deputyship and an attorney's misuse."""
from __future__ import annotations

import pytest

from bot.directory.rules import RuleBook, RuleBookError, Situation, situation_from_text
from bot.language.needs import NeedMatcher

BOOK = RuleBook.load()
MATCHER = NeedMatcher((n.code, [n.name, *n.synonyms]) for n in BOOK.needs.values())


def _role(need: str, situation: Situation) -> str | None:
    resolution = BOOK.resolve([need], situation)
    return resolution.rule.role if resolution.rule else None


# --- a carer's own age -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["im 14", "i'm her son, 15", "im only 16", "i am 13 years old",
                                  "i'm her daughter, i'm 13", "im a 16 year old carer",
                                  "im 15 and i look after my mum, she has MS"])
def test_a_carer_saying_their_own_age_is_read_as_the_carers_age(text):
    assert situation_from_text(text).carer_age_years in (13, 14, 15, 16)


@pytest.mark.parametrize("text", ["i'm 14 weeks pregnant", "i'm 5 minutes away", "mum is 14 stone",
                                  "she is 15", "my son is 14"])
def test_other_numbers_are_not_the_carers_age(text):
    assert situation_from_text(text).carer_age_years is None


def test_a_carer_under_18_gets_the_young_carers_assessment_whoever_they_care_for():
    assert _role("need.carers-assessment", Situation(carer_age_years=14)) == "role.young-carers"
    assert _role("need.carers-assessment", Situation(carer_age_years=15, age_years=8)) == "role.young-carers"
    assert _role("need.carer-support", Situation(carer_age_years=12)) == "role.young-carers"
    assert "17ZA" in BOOK.resolve(["need.carers-assessment"], Situation(carer_age_years=14)).rule.source


def test_a_carer_who_gives_no_age_is_taken_as_an_adult_and_never_asked():
    assert _role("need.carers-assessment", Situation()) == "role.council-adult-social-care"
    assert _role("need.carers-assessment", Situation(carer_age_years=40)) == "role.council-adult-social-care"
    assert _role("need.carers-assessment", Situation(age_years=8)) == "role.council-childrens-disability"
    assert _role("need.carer-support", Situation()) == "role.carers-centre"


def _book_with(rules: list[dict]) -> dict:
    return {"version": "t", "reviewed": "2026-12-01",
            "roles": [{"code": "role.a", "name": "A"}, {"code": "role.b", "name": "B"}],
            "needs": [{"code": "need.x", "name": "X"}],
            "rules": [{"id": f"r{i}", "title": "t", "need": ["need.x"], "role": rule.pop("role"),
                       "explanation": "e", "if_they_say_not_theirs": "n", "source": "s",
                       "last_reviewed": "2026-12-01", **rule} for i, rule in enumerate(rules)]}


def test_carer_age_conditions_are_checked_when_the_rule_book_loads():
    RuleBook.from_dict(_book_with([{"role": "role.a", "when": {"carer_age_max": 17}},
                                   {"role": "role.b", "when": {"carer_age_min": 18}}]))
    with pytest.raises(RuleBookError, match="overlaps"):
        RuleBook.from_dict(_book_with([{"role": "role.a", "when": {"carer_age_max": 17}},
                                       {"role": "role.b", "when": {"carer_age_min": 16}}]))
    with pytest.raises(RuleBookError, match="carer_age_min"):
        RuleBook.from_dict(_book_with([{"role": "role.a", "when": {"carer_age_min": 20, "carer_age_max": 17}}]))


# --- after the midwife -------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["the midwife signed us off last week, who weighs him now",
                                  "the midwife doesnt come any more",
                                  "midwives have finished with us", "the midwife has stopped coming now",
                                  "we were signed off by the midwife on friday"])
def test_after_the_midwife_has_signed_off_the_health_visitor_and_the_gp_take_over(text):
    situation = situation_from_text(text)
    assert _role("need.new-baby-support", situation) == "role.health-visiting"
    assert _role("need.postnatal-recovery", situation) == "role.gp-practice"


def test_a_babys_age_said_outright_still_counts():
    assert situation_from_text("baby is 16 days old, the midwife signed us off").baby_age_days == 16
    assert situation_from_text("who do i ask about feeding").baby_age_days is None


# --- the words for each body ---------------------------------------------------------------

def _first(text: str) -> str:
    found = MATCHER.match(text)
    return found[0].term_id if found else ""


def _needs(text: str) -> set[str]:
    return {m.term_id for m in MATCHER.match(text)}


@pytest.mark.parametrize(("text", "need"), [
    ("who inspects care homes", "need.care-quality-concern"),
    ("the home care agency is useless, who regulates them", "need.care-quality-concern"),
    ("the standard of care at the nursing home is shocking", "need.care-quality-concern"),
    ("how do we find out if the care home is any good", "need.care-quality-concern"),
    ("i saw staff shouting at residents", "need.safeguarding-concern"),
    ("mum has unexplained bruises", "need.safeguarding-concern"),
    ("how do we set up power of attorney", "need.lasting-power-of-attorney"),
    ("the bank won't accept the power of attorney", "need.lasting-power-of-attorney"),
    ("dad wants me to make health decisions for him later on", "need.lasting-power-of-attorney"),
    ("mum never did a power of attorney and now she has dementia", "need.deputyship"),
    ("there is no lpa and he can't decide anything", "need.deputyship"),
    ("he lacks capacity and has no attorney", "need.deputyship"),
    ("my brother is attorney and i think he is spending dad's money on himself", "need.attorney-concern"),
    ("how do we get a health visitor here", "need.new-baby-support"),
    ("my 9 month old is not sitting up yet", "need.baby-development-checks"),
    ("is there someone who checks up on care companies", "need.care-quality-concern"),
    ("a care worker was rough with my dad", "need.safeguarding-concern"),
    ("what benefits can dad get", "need.disability-benefits"),
])
def test_carers_words_name_the_body(text, need):
    assert need in _needs(text), _needs(text)


def test_a_power_of_attorney_that_was_never_made_is_not_the_attorneys_question():
    assert _first("mum never did a power of attorney, how do i pay her bills") == "need.deputyship"


def test_the_care_company_is_not_company_for_someone_lonely():
    assert "need.loneliness" not in _needs("who checks up on the care company")
    assert "need.loneliness" in _needs("she has no company all day")


def test_an_unknown_if_lacking_need_is_refused():
    book = _book_with([{"role": "role.a"}])
    book["needs"][0]["if_lacking"] = "need.nowhere"
    with pytest.raises(RuleBookError, match="if_lacking"):
        RuleBook.from_dict(book)
