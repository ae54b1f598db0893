"""What the professionals were sent about a handoff and when, and the daily SMS digest.

A routine handoff reaches a lead by email when they have an address; a lead without one gets
one text a day (from 8am UK time, working days) listing how many routine handoffs wait for them.
Every alert is an outbox row keyed `handoff:<id>:...:<professional id>`, so the handoff page can
say who was sent what, how, and when it went.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from typing import Optional

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import session_scope
from bot.handoff import models as m
from bot.handoff import outbox, service, staff
from bot.handoff import staff_models as sm
from bot.timeutil import UK, as_utc, utcnow

DIGEST_FROM = time(8, 0)
DIGEST_NOTE = "Included in the daily text digest to "
CHANNEL_WORDS = {"sms": "Text", "email": "Email"}
STATUS_WORDS = {m.PENDING: "waiting to send", m.SENDING: "sending", m.SENT: "sent", m.DELIVERED: "delivered",
                m.FAILED: "failed", m.RECORDED: "recorded (development: not really sent)",
                m.SUPPRESSED: "not sent: the number opted out"}


@dataclass(frozen=True)
class Sent:
    channel: str
    to: str
    purpose: str
    status: str
    queued_at: datetime
    sent_at: Optional[datetime]


def sent_for(session: Session, handoff_id: str) -> list[Sent]:
    """Alerts and emails about this handoff, oldest first, by professional (never the address)."""
    rows = session.execute(select(m.OutboundMessage).where(
        m.OutboundMessage.idempotency_key.like(f"handoff:{handoff_id}:%"),
        m.OutboundMessage.purpose.in_(("handoff_alert", "handoff_email", "handoff_relay"))
    ).order_by(m.OutboundMessage.created_at, m.OutboundMessage.id)).scalars()
    names = {p.id: p.name for p in session.execute(select(sm.Professional)).scalars()}
    found = []
    for row in rows:
        who = names.get(row.idempotency_key.rsplit(":", 1)[-1], "the professional")
        found.append(Sent(CHANNEL_WORDS.get(row.channel, row.channel), who, row.purpose,
                          STATUS_WORDS.get(row.status, row.status), as_utc(row.created_at),
                          as_utc(row.sent_at) if row.sent_at else None))
    return found


def _waiting(session: Session, lead: sm.Professional) -> list[sm.Handoff]:
    handoffs = session.execute(select(sm.Handoff).where(
        sm.Handoff.assigned_to_id == lead.id, sm.Handoff.status == sm.NEW,
        sm.Handoff.urgency == sm.ROUTINE)).scalars()
    noted = set(session.execute(select(sm.HandoffMessage.handoff_id).where(
        sm.HandoffMessage.direction == "system", sm.HandoffMessage.author_id == lead.id)).scalars())
    return [h for h in handoffs if h.id not in noted]


def send_digests(now: Optional[datetime] = None) -> int:
    """One text a day to each lead with no email address and new routine handoffs waiting."""
    now = now or utcnow()
    local = as_utc(now).astimezone(UK)
    if local.time() < DIGEST_FROM or local.weekday() >= 5 or staff.is_bank_holiday(local.date()):
        return 0
    sent = 0
    with session_scope() as session:
        leads = session.execute(select(sm.Professional).where(
            sm.Professional.role == sm.LEAD, sm.Professional.active.is_(True),
            sm.Professional.phone.isnot(None))).scalars()
        for lead in leads:
            if lead.email:
                continue
            waiting = _waiting(session, lead)
            if not waiting:
                continue
            count = len(waiting)
            body = (f"OneStory: {count} new routine handoff{'s' if count != 1 else ''} "
                    f"waiting for you. {service.console_url()}/inbox")
            outbox.enqueue_sms(lead.phone, body, purpose="handoff_digest",
                               idempotency_key=f"digest:{lead.id}:{local.date().isoformat()}", session=session)
            for handoff in waiting:
                service.add_message(session, handoff, "system", f"{DIGEST_NOTE}{lead.name}.", author_id=lead.id,
                                    at=now)
            sent += 1
    return sent
