"""Notifications that reach people: an urgent handoff texts the duty workers through the outbox
and emails them over SMTP (a local aiosmtpd server); a routine one emails the lead, or goes in a
daily SMS digest; the handoff page says what was sent and when."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import demo, email, notifications, outbox, service
from bot.handoff import staff_models as sm
from bot.records import service as records
from tests.unit.console_harness import Browser, ConsoleServer, free_port
from tests.unit.handoff_fixtures import CARER_PHONE, family_with_story, load_staff, professional, sms_turn

MONDAY_10PM = datetime(2025, 3, 3, 22, 0, tzinfo=timezone.utc)
MONDAY_10AM = datetime(2025, 3, 3, 10, 0, tzinfo=timezone.utc)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((list(envelope.rcpt_tos), envelope.content.decode("utf8", "replace")))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp(monkeypatch):
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    for name, value in {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_STARTTLS": "0",
                        "SMTP_FROM": "onestory@eastmere.example"}.items():
        monkeypatch.setenv(name, value)
    yield handler
    controller.stop()


def open_one(urgency: str, now: datetime) -> str:
    turn = sms_turn("please can someone call me", intent="request_human")
    with session_scope() as session:
        me = records.member_by_phone_hash(session, turn.phone_hash)
        return service.open_handoff(
            session, sender_key=turn.sender_key, channel="sms", phone_e164=CARER_PHONE, me=me,
            trigger=sm.RISK if urgency == sm.URGENT else sm.ASKED, urgency=urgency, latest=turn.text,
            asked_for="Call the carer", now=now).handoff.id


def test_an_urgent_handoff_texts_and_emails_the_duty_workers(db, smtp):
    load_staff()
    family_with_story(postcode="EM3 1AB")
    handoff_id = open_one(sm.URGENT, MONDAY_10PM)  # Helen is off: the duty team holds it
    for username in ("duty-team-eastmere", "sam.okafor", "ruth.green"):
        [text] = outbox.recent_for(professional(username).phone)
        assert text.purpose == "handoff_alert" and f"/handoffs/{handoff_id}" in text.body
    assert email.dispatch_due() == 3
    addresses = sorted(to for tos, _ in smtp.messages for to in tos)
    assert addresses == ["duty@eastmere.example", "ruth.green@eastmere.example", "sam.okafor@eastmere.example"]
    content = smtp.messages[0][1]
    assert "OneStory URGENT handoff" in content and f"/handoffs/{handoff_id}" in content
    assert "stroke" not in content and "warfarin" not in content  # nothing from the record
    assert email.dispatch_due() == 0  # each sent once
    with session_scope() as session:
        sent = notifications.sent_for(session, handoff_id)
    assert {(s.channel, s.to) for s in sent} >= {("Text", "Sam Okafor"), ("Email", "Sam Okafor")}
    assert all(s.sent_at is not None for s in sent if s.channel == "Email")


def test_an_unreachable_smtp_server_leaves_the_email_waiting(db, monkeypatch):
    load_staff()
    family_with_story(postcode="EM3 1AB")
    open_one(sm.ROUTINE, MONDAY_10AM)
    monkeypatch.setenv("SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SMTP_PORT", str(free_port()))  # nobody listens
    assert email.dispatch_due() == 0
    from bot.handoff import models as hm
    with session_scope() as session:
        [row] = session.execute(select(hm.OutboundMessage).where(hm.OutboundMessage.channel == "email")).scalars()
        assert row.status == "pending" and row.attempts == 1 and row.last_error.startswith("smtp")


def test_a_routine_handoff_emails_the_lead_or_waits_for_the_daily_digest(db, smtp):
    load_staff()
    family_with_story(postcode="EM3 1AB")
    first = open_one(sm.ROUTINE, MONDAY_10AM)  # Helen has an email address
    assert outbox.recent_for(professional("helen.price").phone) == []
    assert email.dispatch_due() == 1 and smtp.messages[0][0] == ["helen.price@eastmere.example"]
    with session_scope() as session:
        helen = session.get(sm.Professional, professional("helen.price").id)
        helen.email = None
        session.get(sm.Handoff, first).status = sm.CLOSED
    second = open_one(sm.ROUTINE, MONDAY_10AM)  # the family's next request, to Helen again
    assert email.dispatch_due() == 0 and outbox.recent_for(professional("helen.price").phone) == []
    tuesday_7am, tuesday_8am = MONDAY_10AM + timedelta(hours=21), MONDAY_10AM + timedelta(hours=22)
    assert notifications.send_digests(tuesday_7am) == 0  # not before 8am
    assert notifications.send_digests(tuesday_8am) == 1
    assert notifications.send_digests(tuesday_8am + timedelta(hours=1)) == 0  # once a day
    [digest] = outbox.recent_for(professional("helen.price").phone)
    assert digest.purpose == "handoff_digest" and "1 new routine handoff waiting" in digest.body
    server = ConsoleServer().start()
    try:
        page = Browser(server.url)
        page.login("helen.price", demo.DEMO_PASSWORD)
        text = page.get(f"/handoffs/{second}").text
        assert "Included in the daily text digest to Helen Price" in text
        assert 'data-testid="notifications"' in text
    finally:
        server.stop()
