"""Escalation: a handoff nobody has accepted in time goes to the area's duty team.

Urgent handoffs wait at most 15 minutes, routine ones one working day (their `due_by`). The
duty team is texted, and the carer is told honestly that their lead could not pick it up and
who now will, how and by when. Run by the worker every 30 seconds; `now` is injectable so
tests can drive it with a fake clock.
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Optional

from sqlalchemy import select, update

from bot.db import session_scope
from bot.handoff import service, staff
from bot.handoff import staff_models as sm
from bot.records.audit import Actor, audit
from bot.timeutil import utcnow

log = logging.getLogger(__name__)


def overdue(session, now: datetime) -> list[sm.Handoff]:
    return list(session.execute(select(sm.Handoff).where(
        sm.Handoff.status == sm.NEW, sm.Handoff.escalated_at.is_(None), sm.Handoff.due_by <= now,
    ).order_by(sm.Handoff.due_by)).scalars())


def escalate(session, handoff: sm.Handoff, now: datetime) -> bool:
    """Move one handoff to the duty team. False when the duty team already had it."""
    holder = session.get(sm.Professional, handoff.assigned_to_id)
    team = staff.duty_team(session, handoff.area)
    handoff.escalated_at = now
    if holder is not None and holder.is_team:
        # Already with the duty team and still not accepted: flag it, text the team again.
        service.add_message(session, handoff, "system", "Not accepted in time by the duty team: re-alerted.",
                            at=now)
        service._notify(session, handoff, team, suffix="overdue")
        return False
    handoff.escalated_from_id = holder.id if holder else None
    handoff.assigned_to_id = team.id
    handoff.due_by = now + (service.URGENT_WITHIN if handoff.urgency == sm.URGENT else
                            staff.add_working_day(now, team) - now)
    handoff.contact_by = "call" if handoff.urgency == sm.URGENT else handoff.contact_by
    who = holder.name if holder else "The person it was sent to"
    service.add_message(session, handoff, "system",
                        f"Escalated to {team.name}: not accepted by {who} in time.", at=now)
    service._notify(session, handoff, team, suffix="escalated")
    text = (f"Sorry, {who} hasn't been able to pick up your message yet, so I've passed it to "
            f"{service.describe(team)}, with your family's story. {service.promise(handoff, team, now)}")
    service.send_to_carer(session, handoff, text, "handoff_escalated", f"handoff:{handoff.id}:escalated")
    service.add_message(session, handoff, "bot", text, at=now)
    audit(session, Actor("system", None, "system"), "write", handoff.family_id, "handoff", handoff.id,
          "handoff.escalate")
    return True


def run_due(now: Optional[datetime] = None) -> int:
    """Escalate every overdue handoff; returns how many moved to a duty team."""
    now = now or utcnow()
    moved = 0
    with session_scope() as session:
        ids = [handoff.id for handoff in overdue(session, now)]
    for handoff_id in ids:  # one transaction each: one bad row does not hold up the rest
        try:
            with session_scope() as session:
                # Claim it first, so two workers never escalate the same handoff twice.
                claimed = session.execute(update(sm.Handoff).where(
                    sm.Handoff.id == handoff_id, sm.Handoff.status == sm.NEW,
                    sm.Handoff.escalated_at.is_(None)).values(escalated_at=now)).rowcount
                if claimed == 1:
                    moved += escalate(session, session.get(sm.Handoff, handoff_id), now)
        except staff.AssignmentError:
            log.error("handoff %s is overdue but its area has no duty team", handoff_id)
    return moved
