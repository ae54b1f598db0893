"""Escalation on a fake clock: urgent after 15 minutes, routine after one working day."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from bot.db import session_scope
from bot.handoff import escalation, outbox, service
from bot.handoff import staff_models as sm
from bot.records import service as records
from tests.unit.handoff_fixtures import CARER_PHONE, family_with_story, load_staff, professional, sms_turn

MONDAY_10AM = datetime(2025, 3, 3, 10, 0, tzinfo=timezone.utc)
DUTY_PHONE = "+447700900199"


def _open(urgency: str, now: datetime = MONDAY_10AM) -> str:
    turn = sms_turn("please can someone call me")
    with session_scope() as session:
        me = records.member_by_phone_hash(session, turn.phone_hash)
        return service.open_handoff(
            session, sender_key=turn.sender_key, channel="sms", phone_e164=CARER_PHONE, me=me,
            trigger=sm.RISK if urgency == sm.URGENT else sm.ASKED, urgency=urgency, latest=turn.text,
            risk_kind="missed_care" if urgency == sm.URGENT else None, now=now).handoff.id


def _handoff(handoff_id: str) -> sm.Handoff:
    with session_scope() as session:
        return session.get(sm.Handoff, handoff_id)


def test_urgent_not_accepted_in_15_minutes_goes_to_the_duty_team(db):
    load_staff()
    family_with_story()
    handoff_id = _open(sm.URGENT)
    helen = professional("helen.price")
    assert _handoff(handoff_id).assigned_to_id == helen.id  # Monday 10am: the lead is working
    assert escalation.run_due(now=MONDAY_10AM + timedelta(minutes=14)) == 0
    assert escalation.run_due(now=MONDAY_10AM + timedelta(minutes=15)) == 1
    assert escalation.run_due(now=MONDAY_10AM + timedelta(minutes=16)) == 0  # once only
    handoff = _handoff(handoff_id)
    assert handoff.escalated_from_id == helen.id
    assert handoff.assigned_to_id == professional("duty-team-eastmere").id
    told = outbox.recent_for(CARER_PHONE)[0]
    assert told.purpose == "handoff_escalated"
    assert "Helen Price hasn't been able to pick up your message" in told.body
    assert "duty worker will call you" in told.body.lower()
    assert [m.purpose for m in outbox.recent_for(DUTY_PHONE)] == ["handoff_alert"]


def test_routine_waits_one_working_day(db):
    load_staff()
    family_with_story()
    friday_4pm = MONDAY_10AM + timedelta(days=4, hours=6)
    handoff_id = _open(sm.ROUTINE, now=friday_4pm)
    assert escalation.run_due(now=friday_4pm + timedelta(days=2)) == 0  # the weekend does not count
    monday_4pm = friday_4pm + timedelta(days=3)
    assert escalation.run_due(now=monday_4pm - timedelta(minutes=1)) == 0
    assert escalation.run_due(now=monday_4pm) == 1
    assert _handoff(handoff_id).escalated_at is not None


def test_an_accepted_handoff_is_not_escalated(db):
    load_staff()
    family_with_story()
    handoff_id = _open(sm.URGENT)
    with session_scope() as session:
        service.accept(session, session.get(sm.Handoff, handoff_id),
                       session.get(sm.Professional, professional("helen.price").id))
    assert escalation.run_due(now=MONDAY_10AM + timedelta(hours=2)) == 0
    assert _handoff(handoff_id).status == sm.ACCEPTED


def test_urgent_out_of_hours_goes_straight_to_the_duty_team(db):
    load_staff()
    family_with_story()
    handoff_id = _open(sm.URGENT, now=MONDAY_10AM.replace(hour=22))
    assert _handoff(handoff_id).assigned_to_id == professional("duty-team-eastmere").id
