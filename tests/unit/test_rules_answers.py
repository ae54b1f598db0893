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
