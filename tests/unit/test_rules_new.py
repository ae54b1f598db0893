"""The rules added after the outside review (most asked first): a carer's question reaches each one."""
from __future__ import annotations

import datetime as dt

import pytest

from bot.directory.rules import RuleBook, Situation, situation_from_text
from bot.language.needs import NeedMatcher


@pytest.fixture(scope="module")
def book() -> RuleBook:
    return RuleBook.load()


@pytest.fixture(scope="module")
def matcher(book) -> NeedMatcher:
    return NeedMatcher([(n.code, [n.name, *n.synonyms]) for n in book.needs.values()])


# (what a carer writes, the need it must reach first, facts from the record, the body named, the rule)
CASES = [
    ("can i get help paying for prescriptions, money is tight", "need.nhs-costs", {},
     "role.nhs-help-with-health-costs", "nhs-costs"),
    ("is a prepayment certificate worth it, mum has 6 items a month", "need.nhs-costs", {},
     "role.nhs-help-with-health-costs", "nhs-costs"),
    ("can i get time off work to take dad to his hospital appointments", "need.working-carer", {},
     "role.acas", "working-carer"),
    ("my boss wont let me change my hours so i can look after mum", "need.working-carer", {}, "role.acas",
     "working-carer"),
    ("how do i become an appointee for my nan, she cant manage her money any more", "need.appointeeship", {},
     "role.dwp-appointee", "appointeeship"),
    ("the consultant says dad might have months left, what is the SR1 form", "need.end-of-life-benefits",
     {"age_years": 78}, "role.dwp-attendance-allowance", "end-of-life-benefits-pension-age"),
    ("my wife is 52 and terminally ill, are there fast track benefits", "need.end-of-life-benefits", {},
     "role.dwp-pip", "end-of-life-benefits-working-age"),
    ("mum lives in a care home and they won't let her leave, is that DoLS?", "need.dols",
     {"setting": "care_home"}, "role.council-dols", "dols-care-home-or-hospital"),
    ("dad is at home with carers 24/7 and the door is locked, is that a deprivation of liberty",
     "need.dols", {"setting": "at_home"}, "role.council-adult-social-care", "dols-at-home"),
    ("can my son get a motability car with his pip", "need.motability", {}, "role.motability", "motability"),
    ("how does my daughter get a disabled bus pass, she has a learning disability", "need.bus-pass", {},
     "role.council-bus-pass", "bus-pass"),
    ("do i pay less council tax as a carer, i live with my mum", "need.council-tax-carer", {},
     "role.council-tax", "council-tax-carer"),
    ("dad died last week, does my carers allowance stop straight away", "need.carers-allowance-after-death", {},
     "role.dwp-carers-allowance", "carers-allowance-after-death"),
    ("i cant afford the funeral, im on universal credit", "need.funeral-costs", {},
     "role.dwp-bereavement-service", "funeral-costs"),
    ("my girl has really complex health needs, can the nhs pay for nurses at home for my child",
     "need.childrens-continuing-care", {}, "role.icb-chc", "childrens-continuing-care"),
    ("dad has dementia and is still driving, do we have to tell the DVLA",
     "need.driving-dementia", {}, "role.dvla", "driving-dementia"),
    ("my son is really unwell with his mental health, how do i get him sectioned", "need.mha-assessment", {},
     "role.amhp-service", "mha-assessment"),
    ("we get universal credit, can we claim back the bus fares to hospital", "need.healthcare-travel-costs", {},
     "role.nhs-help-with-health-costs", "healthcare-travel-costs"),
]


@pytest.mark.parametrize("text, need, facts, role, rule_id", CASES, ids=[c[4] for c in CASES])
def test_a_carers_question_reaches_the_new_rule(book, matcher, text, need, facts, role, rule_id):
    found = [m.term_id for m in matcher.match(text)]
    assert found and found[0] == need, found
    situation = situation_from_text(text, Situation(**facts))
    res = book.resolve([need], situation)
    assert res.is_rule, res
    assert res.rule.id == rule_id and res.rule.role == role


NEW_RULES = ("nhs-costs", "working-carer", "appointeeship", "end-of-life-benefits-child",
             "end-of-life-benefits-working-age", "end-of-life-benefits-pension-age",
             "end-of-life-benefits-around-pension-age", "dols-care-home-or-hospital", "dols-at-home", "motability",
             "bus-pass", "council-tax-carer", "carers-allowance-after-death", "funeral-costs",
             "childrens-continuing-care", "driving-dementia", "mha-assessment")


@pytest.mark.parametrize("rule_id", NEW_RULES)
def test_each_new_rule_has_words_explanation_escalation_source_and_review_date(book, rule_id):
    rule = book.rule(rule_id)
    assert rule.explanation and rule.if_they_say_not_theirs
    assert rule.source and rule.source_url.startswith("https://")
    assert dt.date(2026, 11, 30) <= rule.last_reviewed <= book.reviewed  # added then; re-checked since
    for need in rule.needs:
        assert len(book.needs[need].synonyms) >= 6, f"{need}: give it the words carers use"


def test_the_facts_of_each_new_rule(book):
    working = book.rule("working-carer").explanation
    assert "one week" in working and "first day" in working
    assert "8 weeks" in book.rule("carers-allowance-after-death").explanation
    assert "SR1" in book.rule("end-of-life-benefits-working-age").explanation
    assert "HC2" in book.rule("nhs-costs").explanation and "prepayment" in book.rule("nhs-costs").explanation
    assert "Healthcare Travel Costs Scheme" in book.rule("healthcare-travel-costs").explanation
    assert book.rule("healthcare-travel-costs").last_reviewed <= book.reviewed
    assert "Court of Protection" in book.rule("dols-at-home").explanation
    assert "CG1" in book.rule("driving-dementia").explanation
    assert "nearest relative" in book.rule("mha-assessment").explanation
    assert "6 months" in book.rule("funeral-costs").explanation


@pytest.mark.parametrize("text", [
    "she has decided to come off dialysis now, who looks after her at home",
    "he doesn't want the dialysis any more and the renal team agree, what happens now",
    "mum says no more treatment, who supports us"])
def test_choosing_to_stop_treatment_is_end_of_life_care_not_transport(matcher, text):
    # Stopping dialysis is an end-of-life decision (renal supportive care), not a journey to arrange.
    found = [m.term_id for m in matcher.match(text)]
    assert found and found[0] == "need.end-of-life-care", found
