"""A packet a professional can act on: the carer's number for the people who must call, both
sides of the conversation with the emergency routes given, and wishes and About Me first."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import func, select

from bot.db import session_scope
from bot.dialogue import handoff_talk
from bot.handoff import demo, service
from bot.handoff import staff_models as sm
from bot.records import models as rm
from bot.records import service as records
from bot.records.audit import Actor
from tests.unit.console_harness import Browser, ConsoleServer
from tests.unit.handoff_fixtures import CARER_PHONE, family_with_story, load_staff, sms_turn

MONDAY_10PM = datetime(2025, 3, 3, 22, 0, tzinfo=timezone.utc)  # Helen is off: urgent goes to duty
MONDAY_10AM = datetime(2025, 3, 3, 10, 0, tzinfo=timezone.utc)
TEL = f'href="tel:{CARER_PHONE}"'


@pytest.fixture(scope="module")
def console():
    server = ConsoleServer().start()
    yield server
    server.stop()


def signed_in(console, username: str) -> Browser:
    browser = Browser(console.url)
    assert browser.login(username, demo.DEMO_PASSWORD).status_code == 302
    return browser


def open_one(urgency: str, now: datetime, exchange=(), routes=()) -> str:
    turn = sms_turn("he's collapsed and isn't breathing properly", intent="risk")
    with session_scope() as session:
        me = records.member_by_phone_hash(session, turn.phone_hash)
        return service.open_handoff(
            session, sender_key=turn.sender_key, channel="sms", phone_e164=CARER_PHONE, me=me,
            trigger=sm.RISK if urgency == sm.URGENT else sm.ASKED, urgency=urgency, latest=turn.text,
            asked_for="Call the carer", risk_kind="danger_to_life" if urgency == sm.URGENT else None,
            exchange=list(exchange), routes_given=list(routes), now=now).handoff.id


def phone_views(handoff_id: str) -> int:
    with session_scope() as session:
        return session.execute(select(func.count(rm.AuditEntry.id)).where(
            rm.AuditEntry.entity_id == handoff_id, rm.AuditEntry.purpose == "handoff.carer_phone")).scalar_one()


def test_the_duty_worker_and_the_lead_see_the_number_and_every_view_is_audited(db, console):
    load_staff()
    family_with_story(postcode="EM3 1AB")  # Helen's patch
    handoff_id = open_one(sm.URGENT, MONDAY_10PM)
    sam = signed_in(console, "sam.okafor")
    page = sam.get(f"/handoffs/{handoff_id}").text
    assert TEL in page
    # Urgent: the number and the promised time come before everything else in the packet.
    assert page.index(TEL) < page.index("Situation")
    assert page.index("Call the carer by") < page.index("Situation")
    assert phone_views(handoff_id) == 1
    helen = signed_in(console, "helen.price")  # the family's assigned lead
    assert TEL in helen.get(f"/handoffs/{handoff_id}").text
    assert phone_views(handoff_id) == 2


def test_nobody_else_sees_the_carers_number(db, console):
    load_staff()
    family_with_story(postcode="EM3 1AB")
    handoff_id = open_one(sm.URGENT, MONDAY_10PM)
    for username in ("marcus.bell", "admin", "lee.chen"):
        page = signed_in(console, username).get(f"/handoffs/{handoff_id}")
        assert page.status_code == 403 and CARER_PHONE not in page.text and "tel:" not in page.text
    assert phone_views(handoff_id) == 0


def test_a_routine_packet_keeps_the_number_out_of_the_duty_workers_sight(db, console):
    load_staff()
    family_with_story(postcode="EM3 1AB")
    handoff_id = open_one(sm.ROUTINE, MONDAY_10AM)  # with Helen, not the duty team
    assert signed_in(console, "sam.okafor").get(f"/handoffs/{handoff_id}").status_code == 403
    assert TEL in signed_in(console, "helen.price").get(f"/handoffs/{handoff_id}").text


def test_the_conversation_shows_both_sides_and_the_emergency_routes(db, console):
    load_staff()
    family_with_story(postcode="EM3 1AB")
    turn = sms_turn("he's collapsed and isn't breathing properly", intent="risk")
    turn.previous_exchange = [("carer", "who sorts out a commode for dad?"),
                              ("assistant", "Eastmere Community Equipment Service provides commodes.")]
    replies = handoff_talk.urgent(turn, None)
    assert len(replies) == 2
    with session_scope() as session:
        handoff_id = session.execute(select(sm.Handoff.id)).scalar_one()
        packet = service.packet_of(session.get(sm.Handoff, handoff_id))
    assert ["assistant", "Eastmere Community Equipment Service provides commodes."] in \
        [list(pair) for pair in packet.conversation]
    assert packet.emergency_routes == [replies[0]]
    page = signed_in(console, "sam.okafor").get(f"/handoffs/{handoff_id}").text
    assert "answered nothing else" not in page
    assert "Eastmere Community Equipment Service provides commodes." in page
    assert "who sorts out a commode" in page
    first_route_line = replies[0].split("\n")[0][:40]
    assert first_route_line.replace("'", "&#39;") in page


def test_wishes_then_about_me_and_own_words_come_first(db, console):
    load_staff()
    family_id, carer_id = family_with_story(postcode="EM3 1AB")
    with session_scope() as session:
        arthur = records.cared_for(session, family_id)[0]
        actor = Actor("carer", carer_id, "sms")
        records.add_fact(session, family_id, arthur.id, actor, "care_plan", "care_plan:dnacpr",
                         "DNACPR form is on the fridge")
        records.add_fact(session, family_id, arthur.id, actor, "preference", "preference:important:garden",
                         "his garden is important to him")
        records.add_fact(session, family_id, arthur.id, actor, "own_words", "own_words:1",
                         "Dad gets muddled in the evenings and hates being rushed")
    handoff_id = open_one(sm.ROUTINE, MONDAY_10AM)
    page = signed_in(console, "helen.price").get(f"/handoffs/{handoff_id}").text
    wishes, about = page.index("DNACPR form is on the fridge"), page.index("his garden is important to him")
    words = page.index("Dad gets muddled in the evenings")
    assert wishes < page.index("Carer was told") < about < page.index("Situation")  # wishes above all
    assert words < page.index("Situation")
    assert page.index("Situation") < page.index("warfarin 3mg")


def test_a_new_handoff_can_be_accepted_from_its_page(db, console):
    load_staff()
    family_with_story(postcode="EM3 1AB")
    handoff_id = open_one(sm.URGENT, MONDAY_10PM)
    sam = signed_in(console, "sam.okafor")
    page = sam.get(f"/handoffs/{handoff_id}").text
    assert f'action="/handoffs/{handoff_id}/accept"' in page and 'data-testid="accept"' in page
    assert sam.post(f"/handoffs/{handoff_id}/accept").status_code == 302
    assert 'data-testid="accept"' not in sam.get(f"/handoffs/{handoff_id}").text
