"""The demo's two councils: Eastmere (roles tagged) and Fenmoor (an ORUK 1.0 feed with none)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot import demo
from bot.db import session_scope
from bot.directory import authorities, responsibility
from bot.directory import models as d
from bot.directory.importer import import_feed
from tests.actions.helpers import Phone, said


@pytest.fixture(autouse=True)
def councils(db):
    assert demo.load_directory()
    responsibility.NEED_INDEX.reset()
    yield


def test_the_demo_loads_both_councils_with_their_postcodes():
    with session_scope() as session:
        assert authorities.names(session) == {"E06999999": "Eastmere", "E06999998": "Fenmoor"}
        fenmoor = session.execute(select(d.Service).where(d.Service.local_authority_code == "E06999998")).scalars()
        fenmoor = list(fenmoor)
        website = session.execute(select(d.Organization.website).where(
            d.Organization.name == "Fenmoor Carers' Trust")).scalar_one()
    assert len(fenmoor) == 37 and website == "https://www.fenmoorcarers.example"  # ORUK 1.0's url
    report = import_feed(demo.FENMOOR, authority="E06999998", dry_run=True)
    assert report.ok and not report.warnings, report.to_table(10)


def test_a_fenmoor_carer_gets_fenmoor_services_found_by_their_text():
    text = said(Phone("+447700900711").say("who do I ask for a carer's assessment? we live in FM2 3AB",
                                           "ask_responsible"))
    assert "fenmoor's directory" in text and "carers' assessments" in text
    assert "08081570" in text.replace(" ", "")  # the number from the contact, as ORUK 1.0 gives it


def test_a_fenmoor_carer_asking_for_somewhere_near_gets_the_nearest():
    text = said(Phone("+447700900712").say("is there a lunch club near FM4?", "ask_responsible"))
    first = text.index("lunch club – ")
    assert text[first:].startswith("lunch club – marsh chapel")  # FM4's own comes first: the nearest


def test_eastmere_still_answers_by_role():
    text = said(Phone("+447700900713").say("who do I ask for a carer's assessment? I live in EM2", "ask_responsible"))
    assert "is responsible" in text and "carers" in text and "directory match" not in text
