"""Handoffs: opening one (with its packet, its professional and the carer's promise), and what
a professional does with it: accept, reply on the carer's channel, note, hand back, close.

Everything here runs inside the caller's transaction, and outbound messages are queued in that
same transaction, so a handoff and its notifications are stored together or not at all.
"""
from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from bot import crypto
from bot.handoff import email, outbox, staff
from bot.handoff import packet as packets
from bot.handoff import staff_models as sm
from bot.records import models as rm
from bot.records import service as records
from bot.records.audit import Actor, audit
from bot.settings import env
from bot.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

URGENT_WITHIN = timedelta(minutes=15)
SHORT_TRIGGER = {sm.ASKED: "carer asked for a person", sm.FAILURES: "assistant could not help twice",
                 sm.UNANSWERED: "question with no responsibility rule", sm.RISK: "risk"}


@dataclass
class Outcome:
    handoff: sm.Handoff
    who: sm.Professional
    carer_text: str
    created: bool


class NotAllowed(Exception):
    """The professional may not see or act on this (the console answers 403)."""


def console_url() -> str:
    return env("CONSOLE_URL").rstrip("/")


# --- opening a handoff -----------------------------------------------------------------------

def open_for(session: Session, family_id: Optional[str], sender_key: str) -> Optional[sm.Handoff]:
    """The family's (or, with no record, this conversation's) open handoff, if any."""
    query = select(sm.Handoff).where(sm.Handoff.status.in_(sm.OPEN_STATUSES))
    query = query.where(sm.Handoff.family_id == family_id) if family_id else query.where(
        sm.Handoff.sender_key == sender_key, sm.Handoff.family_id.is_(None))
    return session.execute(query.order_by(sm.Handoff.created_at.desc())).scalars().first()


def add_message(session: Session, handoff: sm.Handoff, direction: str, body: str,
                author_id: Optional[str] = None, outbox_id: Optional[int] = None,
                at: Optional[datetime] = None) -> sm.HandoffMessage:
    message = sm.HandoffMessage(handoff_id=handoff.id, at=at or utcnow(), direction=direction,
                                author_id=author_id, body_enc=crypto.encrypt(body), outbox_id=outbox_id)
    session.add(message)
    handoff.updated_at = message.at
    return message


def thread(session: Session, handoff_id: str) -> list[dict]:
    rows = session.execute(select(sm.HandoffMessage).where(sm.HandoffMessage.handoff_id == handoff_id)
                           .order_by(sm.HandoffMessage.at, sm.HandoffMessage.id)).scalars()
    return [{"at": as_utc(r.at), "direction": r.direction, "author_id": r.author_id,
             "body": crypto.decrypt(r.body_enc)} for r in rows]


def packet_of(handoff: sm.Handoff) -> packets.Packet:
    return packets.Packet.from_dict(json.loads(crypto.decrypt(handoff.packet_enc)))


def _target(session: Session, lead: Optional[sm.Professional], area: str, urgency: str,
            now: datetime) -> sm.Professional:
    """Who gets it: the lead, unless there is none, they are on leave, or it is urgent and they
    are not working now; then the area's duty team."""
    available = lead is not None and lead.active and not lead.on_leave
    if available and (urgency == sm.ROUTINE or staff.is_working(lead, now)):
        return lead
    return staff.duty_team(session, area)


def _due(target: sm.Professional, urgency: str, now: datetime) -> datetime:
    return now + URGENT_WITHIN if urgency == sm.URGENT else staff.add_working_day(now, target)


def describe(person: sm.Professional) -> str:
    """'Priya Shah, your lead professional (Local area co-ordinator, Eastmere Council)'."""
    if person.is_team:
        return f"the {person.name} ({person.job_title})"
    org = f", {person.organisation}" if person.organisation else ""
    return f"{person.name}, your lead professional ({person.job_title}{org})"


def promise(handoff: sm.Handoff, who: sm.Professional, now: datetime) -> str:
    """Who will contact the carer, how and by when: the sentence every handoff ends with."""
    subject = "A duty worker" if who.is_team else who.name.split(" ")[0]
    when = staff.when_text(handoff.due_by, now)
    if handoff.contact_enc is None:
        return (f"{subject} will reply to you here in this chat {when}. Keep this page open or come "
                "back to it; if anyone is in danger, call 999.")
    how = "call you on this number" if handoff.contact_by == "call" else "text you on this number"
    return f"{subject} will {how} {when}."


def open_handoff(session: Session, *, sender_key: str, channel: str, phone_e164: Optional[str],
                 me: Optional[rm.Person], trigger: str, urgency: str, latest: str,
                 previous: list[str] = (), asked_for: str = "", risk_kind: Optional[str] = None,
                 answered: list[str] = (), could_not: list[str] = (), now: Optional[datetime] = None,
                 exchange: list[tuple[str, str]] = (), routes_given: list[str] = ()) -> Outcome:
    """Open (or add to) the handoff for this family or conversation and notify the professional."""
    now = now or utcnow()
    family_id = me.family_id if me is not None and me.status == rm.CONFIRMED else None
    texts_seen = list(previous) + [latest]
    if family_id:
        district, sector = staff.family_district(session, family_id, texts_seen)
    else:
        district, sector = staff.district_of(texts_seen)
    area = staff.area_for(session, district)
    lead = staff.assign_lead(session, family_id, district, sector) if family_id else None

    existing = open_for(session, family_id, sender_key)
    if existing is not None:
        return _add_to(session, existing, lead, area, urgency, trigger, latest, risk_kind, now,
                       list(routes_given))

    target = _target(session, lead, area, urgency, now)
    contact = phone_e164 if channel == "sms" or phone_e164 else None
    handoff = sm.Handoff(
        id=str(uuid.uuid4()), family_id=family_id, person_id=me.id if me is not None else None,
        sender_key=sender_key, channel=channel, contact_enc=crypto.encrypt(contact) if contact else None,
        area=area, district=district, trigger=trigger, urgency=urgency, risk_kind=risk_kind,
        status=sm.NEW, assigned_to_id=target.id, contact_by="call" if urgency == sm.URGENT else "text",
        due_by=_due(target, urgency, now), created_at=now, updated_at=now, packet_enc="")
    built = packets.build(session, family_id=family_id, trigger=trigger, risk_kind=risk_kind,
                          latest=latest, previous=list(previous), asked_for=asked_for or _asked(trigger),
                          answered=answered, could_not=could_not, exchange=list(exchange),
                          routes_given=list(routes_given))
    handoff.packet_enc = crypto.encrypt(json.dumps(built.to_dict()))
    session.add(handoff)
    session.flush()
    # The thread starts with the conversation so far, both sides (the emergency routes included).
    for index, (who, text) in enumerate(built.conversation):
        add_message(session, handoff, "carer" if who == packets.CARER else "bot", text,
                    at=now - timedelta(seconds=len(built.conversation) - index))
    carer_text = _carer_text(handoff, target, lead, family_id, district, now)
    add_message(session, handoff, "bot", carer_text, at=now)
    _notify(session, handoff, target)
    actor = Actor("system", None, channel)
    audit(session, actor, "write", family_id, "handoff", handoff.id, f"handoff.open.{trigger}")
    return Outcome(handoff, target, carer_text, True)


def _asked(trigger: str) -> str:
    return {sm.ASKED: "The carer asked to talk to a person.",
            sm.FAILURES: "Help with what the assistant could not understand (see the conversation).",
            sm.UNANSWERED: "Find out who is responsible, and tell the carer.",
            sm.RISK: "Urgent contact: check everyone is safe."}.get(trigger, "")


def _carer_text(handoff: sm.Handoff, target: sm.Professional, lead: Optional[sm.Professional],
                family_id: Optional[str], district: Optional[str], now: datetime) -> str:
    marked = "as urgent " if handoff.urgency == sm.URGENT else ""
    if not target.is_team:
        text = (f"I've asked {describe(target)} {marked}to get in touch. They can see your family's record, "
                "so you won't have to repeat yourself.")
    elif lead is not None:
        text = (f"{lead.name}, your lead professional, isn't working right now, so I've sent this {marked}to "
                f"{describe(target)}. They can see your family's record.")
    elif family_id is None:
        text = (f"I've passed your message {marked}to {describe(target)}. I've shared only what you've "
                "said in this chat, and your number, nothing else.")
    else:
        where = "" if district else " Tell me your postcode and I can link your family with a named lead professional."
        text = f"I've sent this {marked}to {describe(target)}.{where}"
    return f"{text} {promise(handoff, target, now)}"


def _add_to(session: Session, handoff: sm.Handoff, lead: Optional[sm.Professional], area: str,
            urgency: str, trigger: str, latest: str, risk_kind: Optional[str], now: datetime,
            routes_given: list[str] = ()) -> Outcome:
    """A second request while one is open: no duplicate, but an urgent turn upgrades it."""
    add_message(session, handoff, "carer", latest[:1000], at=now)
    for text in routes_given:
        add_message(session, handoff, "bot", text, at=now)
    created = False
    if urgency == sm.URGENT and handoff.urgency != sm.URGENT:
        handoff.urgency, handoff.risk_kind, handoff.contact_by = sm.URGENT, risk_kind, "call"
        if handoff.status == sm.NEW:
            target = _target(session, lead, area, urgency, now)
            handoff.assigned_to_id, handoff.due_by = target.id, now + URGENT_WITHIN
        add_message(session, handoff, "system", f"Marked urgent ({SHORT_TRIGGER.get(trigger, trigger)}).")
        created = True
    who = session.get(sm.Professional, handoff.accepted_by_id or handoff.assigned_to_id)
    if handoff.status == sm.ACCEPTED:
        text = f"I've passed this on to {who.name}, who is already helping you."
        if created:
            text += " I've told them it's urgent."
    else:
        holder = describe(who)
        lead_in = "I've marked your request urgent and sent it to" if created else "I've added this to your request for"
        text = f"{lead_in} {holder}. {promise(handoff, who, now)}"
    if created:
        _notify(session, handoff, who, suffix="urgent")
    add_message(session, handoff, "bot", text, at=now)
    return Outcome(handoff, who, text, False)


def _recipients(session: Session, who: sm.Professional) -> list[sm.Professional]:
    """The holder and, when the duty team holds it, every duty worker on in its area."""
    if not who.is_team:
        return [who]
    workers = session.execute(select(sm.Professional).where(
        sm.Professional.role == sm.DUTY, sm.Professional.is_team.is_(False), sm.Professional.area == who.area,
        sm.Professional.active.is_(True), sm.Professional.on_leave.is_(False)).order_by(sm.Professional.name))
    return [who] + list(workers.scalars())


def _notify(session: Session, handoff: sm.Handoff, who: sm.Professional, suffix: str = "new") -> None:
    """Tell the professional, with no record contents, only enough to open the console.

    Urgent: an SMS through the outbox, and an email when they have an address, to the holder
    and (for the duty team) each duty worker on in the area. Routine: an email when they have an
    address; otherwise the daily SMS digest (notifications.send_digests) picks it up. A duty
    team's routine work still gets a text: the team phone is a shared line watched all day.
    """
    urgent = handoff.urgency == sm.URGENT
    label = "URGENT handoff" if urgent else "New handoff"
    where = handoff.district or "postcode not known"
    why = SHORT_TRIGGER.get(handoff.trigger, handoff.trigger)
    link = f"{console_url()}/handoffs/{handoff.id}"
    body = f"OneStory {label} ({where}): {why}. Please accept {staff.when_text(handoff.due_by)}. {link}"
    for person in _recipients(session, who):
        if person.phone and (urgent or person.is_team):
            outbox.enqueue_sms(person.phone, body, purpose="handoff_alert",
                               idempotency_key=f"handoff:{handoff.id}:{suffix}:{person.id}", session=session)
        if person.email:
            email.enqueue(person.email, f"OneStory {label} ({where}): {why}",
                          f"{body}\n\nOpen the handoff in the staff console to see the family's story. "
                          "This email holds no details from the care record.", purpose="handoff_email",
                          idempotency_key=f"handoff:{handoff.id}:email-{suffix}:{person.id}", session=session)


# --- talking to the carer --------------------------------------------------------------------

def send_to_carer(session: Session, handoff: sm.Handoff, body: str, purpose: str, key: str) -> int:
    """On the carer's own channel: SMS to their number, or the web chat's outbox."""
    if handoff.contact_enc:
        return outbox.enqueue_sms(crypto.decrypt(handoff.contact_enc), body, purpose=purpose,
                                  idempotency_key=key, session=session)
    return outbox.enqueue_web(handoff.sender_key, body, purpose=purpose, idempotency_key=key, session=session)


# --- what a professional does ----------------------------------------------------------------

def _actor(pro: sm.Professional) -> Actor:
    return Actor("professional", pro.id, "console")


def accept(session: Session, handoff: sm.Handoff, pro: sm.Professional) -> None:
    if handoff.status != sm.NEW:
        return
    handoff.status, handoff.accepted_at, handoff.accepted_by_id = sm.ACCEPTED, utcnow(), pro.id
    add_message(session, handoff, "system", f"Accepted by {pro.name}.", author_id=pro.id)
    text = (f"Good news: {pro.name} ({pro.job_title}) has picked up your message and will be in touch "
            f"{staff.when_text(handoff.due_by)}.") if as_utc(handoff.due_by) > utcnow() else (
        f"Good news: {pro.name} ({pro.job_title}) has picked up your message and will be in touch soon.")
    send_to_carer(session, handoff, text, "handoff_accepted", f"handoff:{handoff.id}:accepted")
    audit(session, _actor(pro), "write", handoff.family_id, "handoff", handoff.id, "handoff.accept")


def reply(session: Session, handoff: sm.Handoff, pro: sm.Professional, body: str,
          key: Optional[str] = None) -> int:
    """Send the professional's words to the carer; from now the assistant stays quiet (takeover)."""
    body = body.strip()
    if not body:
        raise ValueError("empty reply")
    if handoff.status == sm.CLOSED:
        raise ValueError("handoff closed")
    if handoff.status == sm.NEW:
        accept(session, handoff, pro)
    message = f"{pro.name.split(' ')[0]} ({pro.job_title}): {body}"
    # The console form carries a one-time key: a double-submitted form sends the reply once.
    idempotency_key = f"handoff:{handoff.id}:reply:{key or uuid.uuid4().hex}"
    already = session.execute(select(sm.HandoffMessage.id).join(
        outbox.m.OutboundMessage, outbox.m.OutboundMessage.id == sm.HandoffMessage.outbox_id).where(
        outbox.m.OutboundMessage.idempotency_key == idempotency_key)).scalar()
    outbox_id = send_to_carer(session, handoff, message, "handoff_reply", idempotency_key)
    if already is not None:
        return outbox_id
    add_message(session, handoff, "professional", body, author_id=pro.id, outbox_id=outbox_id)
    handoff.taken_over_by_id = pro.id
    audit(session, _actor(pro), "write", handoff.family_id, "handoff", handoff.id, "handoff.reply")
    return outbox_id


def hand_back(session: Session, handoff: sm.Handoff, pro: sm.Professional, tell: bool = True) -> None:
    if handoff.taken_over_by_id is None:
        return
    handoff.taken_over_by_id = None
    add_message(session, handoff, "system", f"{pro.name} handed the conversation back to the assistant.",
                author_id=pro.id)
    if tell:
        send_to_carer(session, handoff, (
            f"{pro.name} has handed you back to the OneStory assistant. Your family's record is kept. "
            "Text PERSON any time to reach a person again."), "handoff_handback",
            f"handoff:{handoff.id}:handback:{uuid.uuid4().hex[:8]}")
    audit(session, _actor(pro), "write", handoff.family_id, "handoff", handoff.id, "handoff.handback")


def close(session: Session, handoff: sm.Handoff, pro: sm.Professional, outcome: str) -> None:
    if handoff.status == sm.CLOSED:
        return
    hand_back(session, handoff, pro)
    handoff.status, handoff.closed_at, handoff.closed_by_id = sm.CLOSED, utcnow(), pro.id
    handoff.outcome = (outcome or "").strip()[:255] or None
    add_message(session, handoff, "system", f"Closed by {pro.name}" + (f": {handoff.outcome}" if
                                                                        handoff.outcome else "."), author_id=pro.id)
    audit(session, _actor(pro), "write", handoff.family_id, "handoff", handoff.id, "handoff.close")


def add_note(session: Session, family_id: str, pro: sm.Professional, text: str) -> None:
    """A professional's note is a fact in the record (category "note"), with its provenance."""
    text = text.strip()
    if not text:
        raise ValueError("empty note")
    records.add_fact(session, family_id, None, _actor(pro), "note", f"note:{uuid.uuid4()}", text[:2000])


# --- while a professional has taken over -----------------------------------------------------

def taken_over(session: Session, sender_key: str, me: Optional[rm.Person]) -> Optional[sm.Handoff]:
    family_id = me.family_id if me is not None and me.status == rm.CONFIRMED else None
    handoff = open_for(session, family_id, sender_key)
    return handoff if handoff is not None and handoff.taken_over_by_id else None


def relay(session: Session, handoff: sm.Handoff, text: str, now: Optional[datetime] = None) -> None:
    """Put the carer's message in the console thread and nudge the professional (at most every
    30 minutes, so a chatty conversation is not a stream of texts)."""
    now = now or utcnow()
    add_message(session, handoff, "carer", text[:1000], at=now)
    pro = session.get(sm.Professional, handoff.taken_over_by_id)
    if pro is not None and pro.phone:
        bucket = int(now.timestamp() // 1800)
        outbox.enqueue_sms(pro.phone, f"OneStory: the carer has replied. {console_url()}/handoffs/{handoff.id}",
                           purpose="handoff_relay", idempotency_key=f"handoff:{handoff.id}:relay:{bucket}",
                           session=session)


# --- who may see what ------------------------------------------------------------------------

def _is_duty_for(pro: sm.Professional, area: str) -> bool:
    return pro.role == sm.DUTY and pro.area == area and pro.active


def can_see_handoff(session: Session, pro: sm.Professional, handoff: sm.Handoff) -> bool:
    if not pro.active or pro.role in (sm.MAINTAINER, sm.ADMIN):
        return False
    if handoff.assigned_to_id == pro.id or handoff.accepted_by_id == pro.id:
        return True
    if handoff.family_id and pro.role == sm.LEAD:
        lead = staff.current_lead(session, handoff.family_id)
        return lead is not None and lead.id == pro.id
    if _is_duty_for(pro, handoff.area):
        team = session.get(sm.Professional, handoff.assigned_to_id)
        return handoff.urgency == sm.URGENT or (team is not None and team.is_team)
    return False


def can_see_family(session: Session, pro: sm.Professional, family_id: str) -> bool:
    """The family's current lead; a duty worker only while the family has an open handoff that
    the duty team holds or that is urgent in their area."""
    if not pro.active or pro.role not in (sm.LEAD, sm.DUTY):
        return False
    lead = staff.current_lead(session, family_id)
    if lead is not None and lead.id == pro.id:
        return True
    open_ones = session.execute(select(sm.Handoff).where(
        sm.Handoff.family_id == family_id, sm.Handoff.status.in_(sm.OPEN_STATUSES))).scalars()
    return any(can_see_handoff(session, pro, handoff) for handoff in open_ones)


def can_see_phone(session: Session, pro: sm.Professional, handoff: sm.Handoff) -> bool:
    """The carer's number is for the people who must call: a duty worker of the handoff's area
    (while they may see the handoff) and the lead it is assigned to or who accepted it, or the
    family's current lead. Nobody else, whatever else they may see."""
    if not can_see_handoff(session, pro, handoff):
        return False
    if _is_duty_for(pro, handoff.area) and not pro.is_team:
        return True
    if pro.role != sm.LEAD:
        return False
    if pro.id in (handoff.assigned_to_id, handoff.accepted_by_id):
        return True
    lead = staff.current_lead(session, handoff.family_id) if handoff.family_id else None
    return lead is not None and lead.id == pro.id


def carer_phone(session: Session, pro: sm.Professional, handoff: sm.Handoff) -> Optional[str]:
    """The carer's number for someone allowed to call them, every view audited; otherwise None."""
    if handoff.contact_enc is None or not can_see_phone(session, pro, handoff):
        return None
    audit(session, _actor(pro), "read", handoff.family_id, "handoff", handoff.id, "handoff.carer_phone")
    return crypto.decrypt(handoff.contact_enc)


def get_handoff(session: Session, pro: sm.Professional, handoff_id: str) -> sm.Handoff:
    handoff = session.get(sm.Handoff, handoff_id)
    if handoff is None or not can_see_handoff(session, pro, handoff):
        raise NotAllowed(handoff_id)
    return handoff


def inbox(session: Session, pro: sm.Professional, include_closed: bool = False) -> list[sm.Handoff]:
    """Urgent first, then oldest first."""
    query = select(sm.Handoff)
    if not include_closed:
        query = query.where(sm.Handoff.status.in_(sm.OPEN_STATUSES))
    if pro.role == sm.DUTY:
        team_ids = select(sm.Professional.id).where(sm.Professional.is_team.is_(True),
                                                    sm.Professional.area == pro.area)
        query = query.where(sm.Handoff.area == pro.area, or_(
            sm.Handoff.urgency == sm.URGENT, sm.Handoff.assigned_to_id.in_(team_ids),
            sm.Handoff.accepted_by_id == pro.id))
    elif pro.role == sm.LEAD:
        families = select(sm.Assignment.family_id).where(sm.Assignment.professional_id == pro.id,
                                                         sm.Assignment.ended_at.is_(None))
        query = query.where(or_(sm.Handoff.assigned_to_id == pro.id, sm.Handoff.accepted_by_id == pro.id,
                                sm.Handoff.family_id.in_(families)))
    else:
        return []
    order = case((sm.Handoff.urgency == sm.URGENT, 0), else_=1)
    status_order = case((sm.Handoff.status == sm.NEW, 0), (sm.Handoff.status == sm.ACCEPTED, 1), else_=2)
    return list(session.execute(query.order_by(status_order, order, sm.Handoff.created_at)).scalars())
