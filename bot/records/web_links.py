"""Linking a web chat session to a confirmed family member by a code texted to their phone.

A web session starts anonymous. To see or add to the record, the carer gives their mobile
number; if it belongs to a confirmed family member, a 6-digit code is texted to it through the
outbox. The code is kept only as a salted keyed hash, lasts 10 minutes, works once, and five
wrong tries void it. Requests are rate-limited per number and per session. Whether or not the
number is known, the caller sees the same outcome (a row is written either way, so even the
rate limits and wrong-code answers cannot tell them apart); only a known number gets a text.

Once the code is entered the session id (as a keyed hash) is linked to the person. A link
lasts until revoked, until the person leaves the family, or until it has been idle 30 days.
"""
from __future__ import annotations

import enum
import hmac
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot import crypto
from bot.handoff import outbox
from bot.phone import phone_hash
from bot.records import models as m
from bot.records import service as records
from bot.records.audit import Actor, audit
from bot.records.web_link_models import WebCode, WebLink
from bot.timeutil import as_utc, utcnow

CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
RATE_WINDOW = timedelta(hours=1)
MAX_PER_NUMBER = 3  # code requests per number per RATE_WINDOW
MAX_PER_SESSION = 5  # code requests per chat session per RATE_WINDOW
LINK_IDLE = timedelta(days=30)
# Session ids are bearer secrets: the widget's are 32 random hex characters. Refuse to link ids
# short enough to guess (Rasa's REST channel lets the client name its own sender).
MIN_SESSION_ID_CHARS = 12
REST_SENDER_PREFIX = "rest-"

CODE_SMS = ("Your OneStory code is {code}. Type it in the web chat to see your family's record. "
            "It lasts 10 minutes. If you didn't ask for it, ignore this text.")

# The clock, replaceable in tests.
clock: Callable[[], datetime] = utcnow

_CODE = re.compile(r"(?<!\d)(\d{3})[\s-]?(\d{3})(?!\d)")


class Requested(enum.Enum):
    SENT = "sent"  # said to the carer as "if that number is linked, I've texted it a code"
    RATE_LIMITED = "rate_limited"
    WEAK_SESSION = "weak_session"


class Checked(enum.Enum):
    LINKED = "linked"
    WRONG = "wrong"  # wrong code, tries left
    VOIDED = "voided"  # that was the fifth wrong try
    NO_CODE = "no_code"  # none asked for, or it expired, or it was used


@dataclass(frozen=True)
class CheckResult:
    outcome: Checked
    person: Optional[m.Person] = None
    tries_left: int = 0


def session_hash(sender_key: str) -> str:
    return crypto.keyed_hash(sender_key, "web-link-session")


def _code_hash(salt: str, code: str) -> str:
    # A purpose of its own, and a salt per code, so equal codes never share a hash.
    return crypto.keyed_hash(f"{salt}:{code}", "web-link-code")


def find_code(text: str) -> Optional[str]:
    """A 6-digit code as people type it ("123456", "123 456", "123-456")."""
    match = _CODE.search(text or "")
    return match.group(1) + match.group(2) if match else None


def linkable_session(sender_key: str) -> bool:
    # REST senders (bot/channels/rest.py) are anonymous visitors: the client names them.
    return len(sender_key or "") >= MIN_SESSION_ID_CHARS and not sender_key.startswith(REST_SENDER_PREFIX)


def request_code(session: Session, sender_key: str, phone_e164: str, now: Optional[datetime] = None
                 ) -> Requested:
    """Ask for a code for this session and number. Texts it only when the number is a confirmed
    family member's; the result does not depend on that."""
    now = now or clock()
    if not linkable_session(sender_key):
        return Requested.WEAK_SESSION
    sender, number = session_hash(sender_key), phone_hash(phone_e164)
    since = now - RATE_WINDOW
    by_number = session.execute(select(func.count()).select_from(WebCode).where(
        WebCode.phone_hash == number, WebCode.created_at > since)).scalar_one()
    by_session = session.execute(select(func.count()).select_from(WebCode).where(
        WebCode.sender_hash == sender, WebCode.created_at > since)).scalar_one()
    if by_number >= MAX_PER_NUMBER or by_session >= MAX_PER_SESSION:
        return Requested.RATE_LIMITED
    # One live code per session: a new request voids the one before.
    session.execute(update(WebCode).where(
        WebCode.sender_hash == sender, WebCode.used_at.is_(None), WebCode.voided_at.is_(None),
    ).values(voided_at=now))
    person = records.member_by_phone_hash(session, number)
    if person is not None and person.status != m.CONFIRMED:
        person = None  # invited but not yet confirmed from their phone: not a member yet
    code = f"{secrets.randbelow(10 ** 6):06d}"
    salt = secrets.token_hex(16)
    row = WebCode(sender_hash=sender, phone_hash=number, person_id=person.id if person else None,
                  salt=salt, code_hash=_code_hash(salt, code), attempts=0, created_at=now,
                  expires_at=now + CODE_TTL)
    session.add(row)
    session.flush()
    if person is not None:
        outbox.enqueue_sms(phone_e164, CODE_SMS.format(code=code), purpose="web_code",
                           idempotency_key=f"web_code:{row.id}", session=session)
        audit(session, Actor("carer", person.id, "web"), "write", person.family_id, "person", person.id,
              "web.code_sent")
    return Requested.SENT


def check_code(session: Session, sender_key: str, code: str, now: Optional[datetime] = None) -> CheckResult:
    """Check a code typed into this session; on success link the session to the member."""
    now = now or clock()
    sender = session_hash(sender_key)
    row = session.execute(select(WebCode).where(
        WebCode.sender_hash == sender, WebCode.used_at.is_(None), WebCode.voided_at.is_(None),
    ).order_by(WebCode.created_at.desc()).limit(1)).scalar_one_or_none()
    if row is None or as_utc(row.expires_at) <= now:
        return CheckResult(Checked.NO_CODE)
    right = hmac.compare_digest(row.code_hash, _code_hash(row.salt, code.strip()))
    person = session.get(m.Person, row.person_id) if row.person_id else None
    if right and person is not None and person.status == m.CONFIRMED and person.phone_hash == row.phone_hash:
        row.used_at = now
        link(session, sender_key, person, now)
        return CheckResult(Checked.LINKED, person)
    row.attempts += 1
    if row.attempts >= MAX_ATTEMPTS:
        row.voided_at = now
        return CheckResult(Checked.VOIDED)
    return CheckResult(Checked.WRONG, tries_left=MAX_ATTEMPTS - row.attempts)


def link(session: Session, sender_key: str, person: m.Person, now: Optional[datetime] = None) -> WebLink:
    now = now or clock()
    sender = session_hash(sender_key)
    row = session.execute(select(WebLink).where(WebLink.sender_hash == sender)).scalar_one_or_none()
    if row is None:
        row = WebLink(sender_hash=sender, person_id=person.id, created_at=now, last_used_at=now)
        session.add(row)
    else:  # the same browser linked again (perhaps to someone else): the new link replaces it
        row.person_id, row.created_at, row.last_used_at, row.revoked_at = person.id, now, now, None
    session.flush()
    audit(session, Actor("carer", person.id, "web"), "write", person.family_id, "person", person.id,
          "web.link")
    return row


def linked_person(session: Session, sender_key: str, now: Optional[datetime] = None) -> Optional[m.Person]:
    """The confirmed family member this web session is linked to, or None. Marks the link used."""
    now = now or clock()
    if not linkable_session(sender_key):
        return None
    row = session.execute(select(WebLink).where(
        WebLink.sender_hash == session_hash(sender_key), WebLink.revoked_at.is_(None))).scalar_one_or_none()
    if row is None:
        return None
    if now - as_utc(row.last_used_at) > LINK_IDLE:
        row.revoked_at = now  # idle too long: the carer proves it is them again
        return None
    person = session.get(m.Person, row.person_id)
    if person is None or person.status != m.CONFIRMED or not person.phone_hash:
        row.revoked_at = now  # they withdrew or were removed: the browser loses access with them
        return None
    row.last_used_at = now
    return person


def phone_of(person: m.Person) -> Optional[str]:
    """The member's number in E.164, when the record holds it (for replies that need it)."""
    if not person.phone_enc:
        return None
    try:
        return crypto.decrypt(person.phone_enc)
    except crypto.DecryptionError:
        return None


def revoke(session: Session, sender_key: str, now: Optional[datetime] = None) -> bool:
    """End this session's link (the widget's "forget this chat"). True when there was one."""
    result = session.execute(update(WebLink).where(
        WebLink.sender_hash == session_hash(sender_key), WebLink.revoked_at.is_(None),
    ).values(revoked_at=now or clock()))
    return bool(result.rowcount)


def revoke_person(session: Session, person_id: str, now: Optional[datetime] = None) -> int:
    """End every web link of one person (withdrawal, removal, a lost phone)."""
    result = session.execute(update(WebLink).where(
        WebLink.person_id == person_id, WebLink.revoked_at.is_(None)).values(revoked_at=now or clock()))
    return result.rowcount or 0


def purge_codes(session: Session, older_than: timedelta = timedelta(days=1), now: Optional[datetime] = None
                ) -> int:
    """Delete code rows past use (the retention job calls this)."""
    cutoff = (now or clock()) - older_than
    result = session.execute(WebCode.__table__.delete().where(WebCode.created_at < cutoff))
    return result.rowcount or 0
