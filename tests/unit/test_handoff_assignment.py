"""A named lead: chosen by patch then room in caseload, kept, and reassigned only explicitly."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from bot.db import session_scope
from bot.handoff import outbox, staff
from bot.handoff import staff_models as sm
from bot.records import models as rm
from bot.records.audit import Actor
from tests.unit.handoff_fixtures import CARER_PHONE, family_with_story, load_staff, professional

MONDAY_10AM = datetime(2025, 3, 3, 10, 0, tzinfo=timezone.utc)  # GMT: UK time is UTC


def test_demo_staff_load_is_idempotent(db):
    load_staff()
    load_staff()
    with session_scope() as session:
        people = session.execute(select(sm.Professional)).scalars().all()
        assert len([p for p in people if p.role == sm.LEAD]) >= 8
        assert [p.name for p in people if p.is_team] == ["Eastmere Duty Team"]
        districts = {p.district for p in session.execute(select(sm.Patch)).scalars()}
        assert districts == {"EM1", "EM2", "EM3", "EM4", "EM5", "EM6"}
        assert all(p.caseload_cap > 0 for p in people)


def test_lead_is_chosen_by_patch_then_room_and_stays(db):
    load_staff()
    family_id, _ = family_with_story(postcode="EM3 1AB")
    helen, marcus = professional("helen.price"), professional("marcus.bell")
    with session_scope() as session:
        # Helen (EM2, EM3) is nearly full; Marcus (EM3) has room.
        session.get(sm.Professional, helen.id).caseload_cap = 1
        filler = rm.Family(status="open")
        session.add(filler)
        session.flush()
        session.add(sm.Assignment(family_id=filler.id, professional_id=helen.id, reason="test", by_kind="system"))
    with session_scope() as session:
        lead = staff.assign_lead(session, family_id, "EM3", "EM3 1")
        assert lead.id == marcus.id
    with session_scope() as session:
        session.get(sm.Professional, helen.id).caseload_cap = 60  # now Helen has more room...
    with session_scope() as session:
        assert staff.assign_lead(session, family_id, "EM3").id == marcus.id  # ...but Marcus stays
        assert len(staff.history(session, family_id)) == 1


def test_no_lead_without_a_postcode_or_room(db):
    load_staff()
    family_id, _ = family_with_story(postcode="")
    with session_scope() as session:
        assert staff.assign_lead(session, family_id, None) is None
        for lead in session.execute(select(sm.Professional).join(sm.Patch).where(sm.Patch.district == "EM6")).scalars():
            lead.caseload_cap = 0
    with session_scope() as session:
        assert staff.assign_lead(session, family_id, "EM6") is None
        assert staff.duty_team(session, "eastmere").is_team


def test_reassignment_is_recorded_the_family_told_and_history_kept(db):
    load_staff()
    family_id, _ = family_with_story(postcode="EM1 2CD")
    with session_scope() as session:
        first = staff.assign_lead(session, family_id, "EM1")
    aisha = professional("aisha.khan")
    with session_scope() as session:
        staff.reassign(session, family_id, aisha.id, "Priya on long-term leave",
                       Actor("professional", "admin-id", "console"))
    with session_scope() as session:
        history = staff.history(session, family_id)
        assert [a.professional_id for a in history] == [first.id, aisha.id]
        assert history[0].ended_at is not None and history[1].ended_at is None
        assert history[1].reason == "Priya on long-term leave" and history[1].family_told_at
        assert staff.current_lead(session, family_id).id == aisha.id
    [told] = outbox.recent_for(CARER_PHONE)
    assert "Aisha Khan" in told.body and told.purpose == "reassignment"


def test_working_day_and_promises_in_uk_time():
    friday_3pm = datetime(2025, 3, 7, 15, 0, tzinfo=timezone.utc)
    assert staff.add_working_day(MONDAY_10AM) == datetime(2025, 3, 4, 10, 0, tzinfo=timezone.utc)
    assert staff.add_working_day(friday_3pm) == datetime(2025, 3, 10, 15, 0, tzinfo=timezone.utc)
    assert staff.when_text(datetime(2025, 3, 3, 14, 45, tzinfo=timezone.utc), MONDAY_10AM) == "by 2:45pm today"
    assert staff.when_text(datetime(2025, 3, 4, 10, 0, tzinfo=timezone.utc), MONDAY_10AM) == "by 10am tomorrow"
    assert staff.when_text(datetime(2025, 3, 10, 15, 0, tzinfo=timezone.utc), friday_3pm) == "by 3pm on Monday"
