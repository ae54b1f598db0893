"""The lead professional's console: inbox, packet, accept, reply, notes, close, and 403s."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import demo, outbox, service
from bot.handoff import staff_models as sm
from bot.records import models as rm
from bot.records import service as records
from tests.unit.console_harness import Browser, ConsoleServer
from tests.unit.handoff_fixtures import CARER_PHONE, family_with_story, load_staff, professional, sms_turn

PASSWORD = demo.DEMO_PASSWORD
MONDAY_10AM = datetime(2025, 3, 3, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def console():
    server = ConsoleServer().start()
    yield server
    server.stop()


def open_handoff(phone=CARER_PHONE, urgency=sm.ROUTINE, text="can I speak to a person please",
                 now=MONDAY_10AM) -> str:
    turn = sms_turn(text, phone=phone)
    with session_scope() as session:
        me = records.member_by_phone_hash(session, turn.phone_hash)
        return service.open_handoff(
            session, sender_key=turn.sender_key, channel="sms", phone_e164=phone, me=me,
            trigger=sm.ASKED if urgency == sm.ROUTINE else sm.RISK, urgency=urgency, latest=text,
            asked_for="A call back", now=now).handoff.id


def signed_in(console, username: str) -> Browser:
    browser = Browser(console.url)
    assert browser.login(username, PASSWORD).status_code == 302
    return browser


def test_a_professional_cannot_open_another_professionals_family(db, console):
    load_staff()
    family_id, _ = family_with_story(postcode="EM3 1AB")  # Helen's patch
    handoff_id = open_handoff()
    helen, marcus = signed_in(console, "helen.price"), signed_in(console, "marcus.bell")
    assert helen.get(f"/families/{family_id}").status_code == 200
    assert marcus.get(f"/families/{family_id}").status_code == 403
    assert marcus.get(f"/handoffs/{handoff_id}").status_code == 403
    for action in ("accept", "reply", "close", "handback"):
        assert marcus.post(f"/handoffs/{handoff_id}/{action}", {"message": "hi"}).status_code == 403
    assert marcus.post(f"/families/{family_id}/notes", {"note": "x"}).status_code == 403
    assert "stroke" not in marcus.get("/inbox").text
    assert signed_in(console, "admin").get(f"/families/{family_id}").status_code == 403
    assert signed_in(console, "lee.chen").get(f"/families/{family_id}").status_code == 403


def test_accept_reply_note_and_close_from_the_console(db, console):
    load_staff()
    family_id, _ = family_with_story(postcode="EM3 1AB")
    handoff_id = open_handoff()
    helen = signed_in(console, "helen.price")
    inbox = helen.get("/inbox").text
    assert f"/handoffs/{handoff_id}" in inbox and "Arthur" in inbox
    page = helen.get(f"/handoffs/{handoff_id}").text
    for fact in ("stroke", "warfarin 3mg", "key safe by the back door", "district nurses"):
        assert fact in page
    assert helen.post(f"/handoffs/{handoff_id}/accept").status_code == 302
    assert "has picked up your message" in outbox.recent_for(CARER_PHONE)[0].body
    key = re.search(r'name="reply_key" value="([^"]+)"', helen.get(f"/handoffs/{handoff_id}").text).group(1)
    for _ in range(2):  # a double-submitted form sends once
        helen.post(f"/handoffs/{handoff_id}/reply", {"message": "I'll call you at 3pm today.", "reply_key": key})
    replies = [m for m in outbox.recent_for(CARER_PHONE) if m.purpose == "handoff_reply"]
    assert [m.body for m in replies] == ["Helen (Social worker): I'll call you at 3pm today."]
    assert "call you at 3pm today." in helen.get(f"/handoffs/{handoff_id}").text
    helen.post(f"/families/{family_id}/notes", {"note": "Spoke to carer; OT referral made."})
    assert "OT referral made" in helen.get(f"/families/{family_id}").text
    with session_scope() as session:
        note = session.execute(select(rm.Fact).where(rm.Fact.category == "note")).scalar_one()
        assert (note.said_by_kind, note.said_by_id) == ("professional", professional("helen.price").id)
        reads = session.execute(select(rm.AuditEntry).where(
            rm.AuditEntry.purpose == "console.family")).scalars().all()
        assert reads and all(r.actor_kind == "professional" for r in reads)
    assert helen.post(f"/handoffs/{handoff_id}/close", {"outcome": "call booked"}).status_code == 302
    with session_scope() as session:
        handoff = session.get(sm.Handoff, handoff_id)
        assert handoff.status == sm.CLOSED and handoff.taken_over_by_id is None
    assert outbox.recent_for(CARER_PHONE)[0].purpose == "handoff_handback"


def test_inbox_is_ordered_by_urgency_then_age(db, console):
    load_staff()
    with session_scope() as session:  # Marcus shares the EM3 patch: keep all three with Helen
        session.get(sm.Professional, professional("marcus.bell").id).on_leave = True
    family_with_story(phone="+447700900601", postcode="EM3 1AB")
    family_with_story(phone="+447700900602", postcode="EM3 2CD")
    family_with_story(phone="+447700900603", postcode="EM3 3EF")
    older = open_handoff("+447700900601", now=MONDAY_10AM - timedelta(hours=2))
    newer = open_handoff("+447700900602", now=MONDAY_10AM - timedelta(hours=1))
    urgent = open_handoff("+447700900603", urgency=sm.URGENT, text="he has collapsed", now=MONDAY_10AM)
    page = signed_in(console, "helen.price").get("/inbox").text
    order = [m for m in re.findall(r"/handoffs/([0-9a-f-]{36})", page)]
    assert order == [urgent, older, newer]


def test_the_duty_team_sees_its_areas_urgent_queue(db, console):
    load_staff()
    family_with_story(phone="+447700900701", postcode="EM3 1AB")
    family_with_story(phone="+447700900702", postcode="EM4 1AB")
    routine = open_handoff("+447700900701")
    urgent = open_handoff("+447700900702", urgency=sm.URGENT, text="she's being hit", now=MONDAY_10AM)
    sam = signed_in(console, "sam.okafor")
    page = sam.get("/inbox").text
    assert urgent in page and routine not in page
    assert sam.get(f"/handoffs/{urgent}").status_code == 200
    assert sam.get(f"/handoffs/{routine}").status_code == 403


def test_reassignment_from_the_admin_page_tells_the_family(db, console):
    load_staff()
    family_id, _ = family_with_story(postcode="EM3 1AB")
    open_handoff()
    admin = signed_in(console, "admin")
    page = admin.get("/admin/families").text
    assert family_id in page and "Helen Price" in page and "stroke" not in page
    # By the cared-for person's name and area, with the lead's caseload; nobody preselected.
    assert "Arthur (carer&#39;s father)" in page and "EM3" in page and "1 of 60 families" in page
    assert re.findall(r"<option [^>]*selected[^>]*>([^<]*)<", page) == ["Choose a lead professional"]
    empty = admin.post(f"/families/{family_id}/reassign", {"lead_id": "", "reason": "x"}, follow=True)
    assert "Choose a lead professional" in empty.text and "Helen Price" in empty.text
    marcus = professional("marcus.bell")
    assert admin.post(f"/families/{family_id}/reassign", {"lead_id": marcus.id, "reason": "Helen on leave"}
                      ).status_code == 302
    assert "Marcus Bell" in outbox.recent_for(CARER_PHONE)[0].body
    assert signed_in(console, "marcus.bell").get(f"/families/{family_id}").status_code == 200
    assert signed_in(console, "helen.price").get(f"/families/{family_id}").status_code == 403


def test_the_footer_says_whether_demo_data_is_loaded(db, console):
    from tests.unit.console_harness import Browser
    page = Browser(console.url).get("/login").text
    assert "Eastmere demo data" not in page and "No demo data is loaded" in page
    load_staff()
    page = signed_in(console, "admin").get("/admin/staff").text
    assert "Eastmere demo data is loaded" in page


def test_the_family_page_shows_the_carers_own_words_whole_and_audits_reading_them(db, console):
    from bot.records.audit import Actor
    from bot.records.notes import add_note

    load_staff()
    family_id, _ = family_with_story(postcode="EM3 1AB")  # Helen's patch
    open_handoff()  # Helen has the family on her inbox
    words = "mum gets scared of loud noises, the radio 4 on low calms her down"
    with session_scope() as session:
        add_note(session, family_id, Actor("carer", None, "sms"), words, [])
    page = signed_in(console, "helen.price").get(f"/families/{family_id}")
    assert page.status_code == 200
    own = page.text.split('data-testid="own-words"', 1)[1].split("</ul>", 1)[0]
    assert "radio 4 on low calms her down" in own
    with session_scope() as session:
        reads = session.execute(select(rm.AuditEntry).where(
            rm.AuditEntry.family_id == family_id, rm.AuditEntry.purpose == "console.family")).scalars().all()
        assert any(event.entity == "note" for event in reads)
