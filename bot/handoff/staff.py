"""Professionals, patches and the lead-professional assignment: who a family's named person is.

A family gets one lead, chosen by patch (postcode sector, then district), then by how many of
the family's kinds of need they take (never none: then the duty team holds the work), then by
room in the caseload; the same person stays with them. Reassignment is explicit: the old assignment is
ended with a reason, the new lead sees everything, and the family is told by text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Optional

import holidays
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import crypto
from bot.handoff import kinds, outbox
from bot.handoff import staff_models as sm
from bot.records import models as rm
from bot.records.audit import Actor, audit
from bot.records.service import read_record
from bot.timeutil import UK, as_utc, utcnow

DEFAULT_AREA = "eastmere"
# A full UK postcode ("EM3 1AB") or its outward code on its own ("EM3").
POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d)([A-Z]{2})\b", re.IGNORECASE)
DISTRICT = re.compile(r"\b(EM\d{1,2})\b", re.IGNORECASE)


class AssignmentError(Exception):
    pass


# --- where a family lives ------------------------------------------------------------------

def district_of(texts: list[str]) -> tuple[Optional[str], Optional[str]]:
    """(district, sector) from the first postcode found, e.g. ("EM3", "EM3 1")."""
    for text in texts:
        match = POSTCODE.search(text or "")
        if match:
            district = match.group(1).upper()
            return district, f"{district} {match.group(2)}"
    for text in texts:
        match = DISTRICT.search(text or "")
        if match:
            return match.group(1).upper(), None
    return None, None


def family_district(session: Session, family_id: str, extra: list[str] = ()
                    ) -> tuple[Optional[str], Optional[str]]:
    """The family's postcode district from the record's address facts, else from `extra` texts."""
    rows = session.execute(select(rm.Fact.value_enc).where(
        rm.Fact.family_id == family_id, rm.Fact.status == rm.CURRENT,
        rm.Fact.category.in_(("address", "personal", "situation")))).scalars().all()
    found = district_of([crypto.decrypt(value) for value in rows])
    return found if found[0] else district_of(list(extra))


def area_for(session: Session, district: Optional[str]) -> str:
    if district:
        area = session.execute(select(sm.Professional.area).join(
            sm.Patch, sm.Patch.professional_id == sm.Professional.id).where(
            sm.Patch.district == district).limit(1)).scalar()
        if area:
            return area
    return DEFAULT_AREA


# --- people ----------------------------------------------------------------------------------

def duty_team(session: Session, area: str) -> sm.Professional:
    team = session.execute(select(sm.Professional).where(
        sm.Professional.role == sm.DUTY, sm.Professional.is_team.is_(True),
        sm.Professional.area == area, sm.Professional.active.is_(True)
    ).order_by(sm.Professional.created_at)).scalars().first()
    if team is None and area != DEFAULT_AREA:
        return duty_team(session, DEFAULT_AREA)
    if team is None:
        raise AssignmentError(f"no duty team for {area}")
    return team


def caseload_count(session: Session, professional_id: str) -> int:
    return session.execute(select(func.count(sm.Assignment.id)).where(
        sm.Assignment.professional_id == professional_id, sm.Assignment.ended_at.is_(None))).scalar_one()


def caseload(session: Session, professional_id: str) -> list[sm.Assignment]:
    return list(session.execute(select(sm.Assignment).where(
        sm.Assignment.professional_id == professional_id, sm.Assignment.ended_at.is_(None)
    ).order_by(sm.Assignment.started_at)).scalars())


def current_assignment(session: Session, family_id: str) -> Optional[sm.Assignment]:
    return session.execute(select(sm.Assignment).where(
        sm.Assignment.family_id == family_id, sm.Assignment.ended_at.is_(None))).scalars().first()


def current_lead(session: Session, family_id: str) -> Optional[sm.Professional]:
    assignment = current_assignment(session, family_id)
    return session.get(sm.Professional, assignment.professional_id) if assignment else None


def history(session: Session, family_id: str) -> list[sm.Assignment]:
    return list(session.execute(select(sm.Assignment).where(
        sm.Assignment.family_id == family_id).order_by(sm.Assignment.started_at)).scalars())


def family_needs(session: Session, family_id: str) -> list[str]:
    """The family's kinds of need, read from the record (audited as a read for assignment)."""
    record = read_record(session, family_id, Actor("system", None, "system"), "lead.assign.kinds")
    return kinds.family_kinds(record)


def candidates(session: Session, district: str, sector: Optional[str] = None,
               needed: list[str] = ()) -> list[sm.Professional]:
    """Leads whose patch covers the sector (preferred) or district, with room, who take at least
    one of the family's kinds of need: those who take most of them first, then most room."""
    for places in ([sector] if sector else []) + [district]:
        leads = list(session.execute(select(sm.Professional).join(
            sm.Patch, sm.Patch.professional_id == sm.Professional.id).where(
            sm.Patch.district == places, sm.Professional.role == sm.LEAD,
            sm.Professional.active.is_(True), sm.Professional.on_leave.is_(False))).scalars().unique())
        room = [(lead.caseload_cap - caseload_count(session, lead.id), lead) for lead in leads]
        room = [(kinds.fit(lead.kinds, needed), space, lead) for space, lead in room if space > 0]
        room = [entry for entry in room if entry[0] > 0 or not needed]
        if room:
            return [lead for _, _, lead in sorted(room, key=lambda e: (-e[0], -e[1], e[2].name))]
    return []


def assign_lead(session: Session, family_id: str, district: Optional[str], sector: Optional[str] = None
                ) -> Optional[sm.Professional]:
    """The family's lead: the current one if any (continuity), else the best fit in the patch.

    None when the postcode is unknown or nobody in the patch takes the family's kinds of need
    and has room: the duty team (which covers every kind) holds the work until a manager assigns
    someone.
    """
    lead = current_lead(session, family_id)
    if lead is not None or not district:
        return lead
    needed = family_needs(session, family_id)
    found = candidates(session, district, sector, needed)
    if not found:
        return None
    lead = found[0]
    takes = f", takes {kinds.words(k for k in needed if k in (lead.kinds or []))}" if needed else ""
    assignment = sm.Assignment(family_id=family_id, professional_id=lead.id, started_at=utcnow(),
                               reason=f"first lead: patch {sector or district}{takes}, room in caseload"[:160],
                               by_kind="system")
    session.add(assignment)
    session.flush()
    audit(session, Actor("system", None, "system"), "write", family_id, "assignment", str(assignment.id),
          "lead.assign")
    return lead


@dataclass
class NeedsReview:
    """The family's needs have moved beyond what its lead takes: offer a reassignment."""

    needed: list[str]
    lead: sm.Professional
    missing: list[str]
    suggestions: list[sm.Professional]

    @property
    def text(self) -> str:
        return (f"The family's needs now include {kinds.words(self.missing)}, which {self.lead.name} "
                f"does not take. Consider reassigning to someone who does.")


def needs_review(session: Session, family_id: str) -> Optional[NeedsReview]:
    """A new baby, a child turning 18, a new diagnosis: when the current lead no longer takes
    every kind of need the record shows, the leads in the patch who do (most room first)."""
    lead = current_lead(session, family_id)
    if lead is None:
        return None
    needed = family_needs(session, family_id)
    gap = kinds.missing(lead.kinds, needed)
    if not gap:
        return None
    district, sector = family_district(session, family_id)
    found = [p for p in (candidates(session, district, sector, needed) if district else [])
             if p.id != lead.id and not kinds.missing(p.kinds, gap)]
    return NeedsReview(needed, lead, gap, found)


def reassign(session: Session, family_id: str, new_lead_id: str, reason: str, actor: Actor
             ) -> sm.Assignment:
    """Explicitly move a family to a new lead, keep the old assignment as history, tell the family."""
    new_lead = session.get(sm.Professional, new_lead_id)
    if new_lead is None or new_lead.role != sm.LEAD or not new_lead.active:
        raise AssignmentError("not an active lead professional")
    if not reason.strip():
        raise AssignmentError("a reason is needed")
    old = current_assignment(session, family_id)
    if old is not None and old.professional_id == new_lead_id:
        raise AssignmentError("already this family's lead")
    now = utcnow()
    if old is not None:
        old.ended_at = now
    assignment = sm.Assignment(family_id=family_id, professional_id=new_lead_id, started_at=now,
                               reason=reason.strip()[:160], by_kind=actor.kind, by_id=actor.id)
    session.add(assignment)
    session.flush()
    # Open handoffs move with the family, so nothing waits in the old lead's inbox.
    for handoff in session.execute(select(sm.Handoff).where(
            sm.Handoff.family_id == family_id, sm.Handoff.status.in_(sm.OPEN_STATUSES))).scalars():
        if old is not None and handoff.assigned_to_id == old.professional_id:
            handoff.assigned_to_id = new_lead_id
    audit(session, actor, "write", family_id, "assignment", str(assignment.id), "lead.reassign")
    body = (f"OneStory: your family's lead professional is now {new_lead.name}, {new_lead.job_title}"
            f"{', ' + new_lead.organisation if new_lead.organisation else ''}. They can see your family's "
            "whole record, so you won't need to repeat anything. Text PERSON to reach them.")
    for carer in session.execute(select(rm.Person).where(
            rm.Person.family_id == family_id, rm.Person.role == rm.CARER,
            rm.Person.status == rm.CONFIRMED)).scalars():
        if carer.phone_enc:
            outbox.enqueue_sms(crypto.decrypt(carer.phone_enc), body, purpose="reassignment",
                               idempotency_key=f"reassign:{assignment.id}:{carer.id}", session=session)
    assignment.family_told_at = now
    return assignment


# --- working time ----------------------------------------------------------------------------

def _hours(professional: Optional[sm.Professional]) -> dict:
    return (professional.working_hours if professional and professional.working_hours else sm.DEFAULT_HOURS)


def _clock(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def is_working(professional: sm.Professional, when: Optional[datetime] = None) -> bool:
    if professional.role == sm.DUTY:
        return True  # the duty team covers every hour
    hours = _hours(professional)
    local = as_utc(when or utcnow()).astimezone(UK)
    return (local.weekday() in hours["days"] and not is_bank_holiday(local.date())
            and _clock(hours["start"]) <= local.time() < _clock(hours["end"]))


@lru_cache(maxsize=16)
def _bank_holidays(year: int) -> frozenset[date]:
    """England and Wales bank holidays (the `holidays` package; England's list is the same as
    Wales's), including substitute days such as Boxing Day (observed)."""
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def add_working_day(start: datetime, professional: Optional[sm.Professional] = None) -> datetime:
    """`start` plus one working day of the professional's hours, skipping weekends and England
    and Wales bank holidays (Fri 3pm -> Mon 3pm; Thursday before Easter 3pm -> Tuesday 3pm)."""
    hours = _hours(professional)
    open_at, close_at = _clock(hours["start"]), _clock(hours["end"])
    needed = datetime.combine(datetime.min, close_at) - datetime.combine(datetime.min, open_at)
    local = as_utc(start).astimezone(UK)
    day = local.date()
    for _ in range(30):
        if day.weekday() in hours["days"] and not is_bank_holiday(day):
            begin = max(datetime.combine(day, open_at, UK), local)
            end = datetime.combine(day, close_at, UK)
            if end > begin:
                if end - begin >= needed:
                    return (begin + needed).astimezone(as_utc(start).tzinfo)
                needed -= end - begin
        day += timedelta(days=1)
    return as_utc(start) + timedelta(days=1)


def when_text(due: datetime, now: Optional[datetime] = None) -> str:
    """'by 2:45pm today', 'by 5pm tomorrow', 'by 3pm on Monday' in UK time."""
    local, today = as_utc(due).astimezone(UK), as_utc(now or utcnow()).astimezone(UK).date()
    clock = local.strftime("%I:%M%p").lstrip("0").lower().replace(":00", "")
    if local.date() == today:
        return f"by {clock} today"
    if local.date() == today + timedelta(days=1):
        return f"by {clock} tomorrow"
    if local.date() - today < timedelta(days=7):
        return f"by {clock} on {local.strftime('%A')}"
    return f"by {clock} on {local.strftime('%A')} {local.day} {local.strftime('%B')}"
