"""Rules and the Eastmere demo directory together: the service a carer is given for a rule."""
from __future__ import annotations

import pytest

from bot.db import session_scope
from bot.demo import EASTMERE
from bot.directory import places, responsibility
from bot.directory.importer import import_feed
from bot.directory.rules import Situation


@pytest.fixture(autouse=True)
def eastmere(db):
    assert import_feed(EASTMERE).ok
    responsibility.NEED_INDEX.reset()
    yield


def _answer(text: str, **facts) -> responsibility.Answer:
    with session_scope() as session:
        return responsibility.answer_question(session, text, Situation(**facts), places.parse("EM2"))


def test_a_new_pip_claim_is_given_the_new_claims_line_first():
    answer = _answer("how do I claim PIP?", age_years=30)
    first = answer.services[0]
    assert first.phone == "0800 917 2222"
    assert any("8am to 5pm" in (row.get("description") or "") for row in first.schedules)
    assert "0800 121 4433" in [s.phone for s in answer.services]  # the enquiry line is still there, after it


def test_a_parent_carers_assessment_goes_to_the_childrens_disability_team():
    answer = _answer("can I get a carer's assessment? I look after my disabled son", age_years=9)
    assert answer.rule.id == "carers-assessment-parent-carer"
    assert "Children with Disabilities" in answer.services[0].name


def test_new_rules_find_a_service_the_carer_can_reach():
    dvla = _answer("dad has dementia and is still driving, do we have to tell the DVLA?", age_years=81)
    assert dvla.rule.id == "driving-dementia" and dvla.services[0].phone == "0300 790 6806"
    funeral = _answer("i cant afford the funeral, im on universal credit")
    assert funeral.services[0].phone == "0800 151 2012"
    child = _answer("can the nhs pay for nurses at home for my child, she has complex health needs", age_years=6)
    assert child.rule.id == "childrens-continuing-care"
    assert "Children and Young People's Continuing Care" in child.services[0].name
    amhp = _answer("how do i get him sectioned, he is really unwell", age_years=34)
    assert "Approved Mental Health Professional" in amhp.services[0].name
