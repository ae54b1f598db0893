"""The durable outbox: every proactive message is written here first, then sent by a worker.

Any number of workers may send at once: each message is claimed by one of them before it is sent
(SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL, a conditional update on SQLite) and marked sent
after, so two workers never send the same SMS. A failure to reach Twilio leaves it pending with
exponential backoff (capped at an hour), so it is never dropped. Numbers that texted STOP get nothing until START.
Without Twilio credentials (development) messages are recorded instead of sent, and the log says
so with a masked number and no text.
"""
from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Optional, Protocol

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import crypto
from bot import db as dbmod
from bot.db import session_scope
from bot.handoff import models as m
from bot.phone import national_format, normalise, phone_hash
from bot.settings import twilio_settings
from bot.timeutil import as_utc, utcnow

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)
STUCK_AFTER = timedelta(minutes=2)
# Twilio error codes that will never succeed on retry (invalid number, unsubscribed recipient).
PERMANENT_ERRORS = {"21211", "21214", "21610", "21612", "21614"}


class SendError(Exception):
    def __init__(self, message: str, code: Optional[str] = None):
        super().__init__(message)
        self.code = code


class SmsSender(Protocol):
    def send(self, to_e164: str, body: str) -> str:
        """Send one SMS; return the provider's message id. Raise SendError on failure."""


TWILIO_API = "https://api.twilio.com"
SEND_TIMEOUT = 30.0  # seconds: a hung call must not hold a claimed message for ever


class TwilioSender:
    """Sends through Twilio's REST API, asking for signed status callbacks.

    TWILIO_API_BASE_URL, when set, sends the same requests to another address: a Twilio-compatible
    test double (the cluster test counts what the workers really sent) or an egress proxy.
    """

    def __init__(self) -> None:
        from twilio.http.http_client import TwilioHttpClient
        from twilio.rest import Client

        base = os.environ.get("TWILIO_API_BASE_URL", "").rstrip("/")

        class HttpClient(TwilioHttpClient):
            def request(self, method: str, url: str, *args, **kwargs):
                if base and url.startswith(TWILIO_API):
                    url = base + url[len(TWILIO_API):]
                return super().request(method, url, *args, **kwargs)

        self.settings = twilio_settings()
        self.client = Client(self.settings.account_sid, self.settings.auth_token,
                             http_client=HttpClient(timeout=SEND_TIMEOUT))

    def send(self, to_e164: str, body: str) -> str:
        from twilio.base.exceptions import TwilioException, TwilioRestException

        try:
            message = self.client.messages.create(
                to=to_e164, from_=self.settings.number, body=body,
                status_callback=self.settings.public_base_url + "/webhooks/twilio/status")
        except TwilioRestException as error:
            raise SendError(f"twilio {error.status}: {error.code}", str(error.code)) from error
        except (TwilioException, OSError) as error:
            raise SendError(f"twilio unreachable: {error.__class__.__name__}") from error
        return message.sid


def masked(e164: str) -> str:
    """A number as logs may show it: only the last three digits ("07••• •••123")."""
    shown = national_format(e164)
    digits = sum(c.isdigit() for c in shown)
    seen, out = 0, []
    for char in shown:
        if char.isdigit():
            seen += 1
            keep = seen > digits - 3 or (seen <= 2 and shown.startswith("0")) or (seen == 1 and shown[0] == "+")
            out.append(char if keep else "•")
        else:
            out.append(char)
    return "".join(out)


class DevRecorder:
    """Development: records the message instead of sending it, and says so in the log with a
    masked number and no text (a code or a care detail must not sit in a log file); the message
    itself is in the outbox, for `python -m bot.handoff outbox NUMBER`."""

    def __init__(self, printer: Callable[[str], None] = print) -> None:
        self.printer = printer

    def send(self, to_e164: str, body: str) -> str:
        self.printer(f"[outbox] SMS to {masked(to_e164)} recorded, not sent ({len(body)} characters); "
                     "read it with: python -m bot.handoff outbox NUMBER")
        return "DEV" + uuid.uuid4().hex


def default_sender() -> SmsSender:
    return TwilioSender() if twilio_settings().can_send else DevRecorder()


def enqueue_sms(to_e164: str, body: str, purpose: str, idempotency_key: Optional[str] = None,
                session: Optional[Session] = None) -> int:
    """Queue an SMS; the same idempotency key queues it only once. Returns the outbox id.

    Pass the caller's session to queue the message in the same transaction as the change that
    caused it (an invitation, a reply): both land or neither does.
    """
    number = normalise(to_e164) or to_e164
    return _enqueue(session, "sms", phone_hash(number), number, body, purpose, idempotency_key)


# --- web chat (a professional's reply to a carer on the web widget) ---------------------------

def web_address_hash(sender_key: str) -> str:
    return crypto.keyed_hash(sender_key, "web-sender")


def enqueue_web(sender_key: str, body: str, purpose: str, idempotency_key: Optional[str] = None,
                session: Optional[Session] = None) -> int:
    """Queue a message for a web-chat conversation (never texted); the widget collects it with
    `collect_web`. Same idempotency rules, and same optional caller's session, as enqueue_sms."""
    return _enqueue(session, "web", web_address_hash(sender_key), sender_key, body, purpose, idempotency_key)


def _enqueue(session: Optional[Session], channel: str, to_hash: str, address: str, body: str, purpose: str,
             idempotency_key: Optional[str]) -> int:
    if session is None:
        with session_scope() as own:
            return _enqueue(own, channel, to_hash, address, body, purpose, idempotency_key)
    if idempotency_key:
        existing = session.execute(select(m.OutboundMessage.id).where(
            m.OutboundMessage.idempotency_key == idempotency_key)).scalar()
        if existing is not None:
            return existing
    row = m.OutboundMessage(
        idempotency_key=idempotency_key, channel=channel, to_hash=to_hash, to_enc=crypto.encrypt(address),
        body_enc=crypto.encrypt(body), purpose=purpose, status=m.PENDING, attempts=0, next_attempt_at=utcnow())
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # Lost a race with another writer using the same key: theirs stands.
        return session.execute(select(m.OutboundMessage.id).where(
            m.OutboundMessage.idempotency_key == idempotency_key)).scalar_one()
    return row.id


def collect_web(sender_key: str, limit: int = 20) -> list[str]:
    """Pending web messages for one conversation, oldest first, marked delivered as they are read."""
    with session_scope() as session:
        rows = session.execute(select(m.OutboundMessage).where(
            m.OutboundMessage.channel == "web", m.OutboundMessage.status == m.PENDING,
            m.OutboundMessage.to_hash == web_address_hash(sender_key)).order_by(
            m.OutboundMessage.id).limit(limit).with_for_update()).scalars().all()
        bodies = []
        for row in rows:
            row.status, row.delivered_at, row.attempts = m.DELIVERED, utcnow(), row.attempts + 1
            bodies.append(crypto.decrypt(row.body_enc))
        return bodies


def set_opt_out(phone_hash_value: str, opted_out: bool, phone_e164: Optional[str] = None) -> None:
    with session_scope() as session:
        row = session.get(m.SmsOptOut, phone_hash_value)
        if opted_out and row is None:
            session.add(m.SmsOptOut(phone_hash=phone_hash_value, opted_out_at=utcnow(),
                                    phone_enc=crypto.encrypt(phone_e164) if phone_e164 else None))
        elif not opted_out and row is not None:
            session.delete(row)


def is_opted_out(phone_hash_value: str) -> bool:
    with session_scope() as session:
        return session.get(m.SmsOptOut, phone_hash_value) is not None


def record_status(provider_sid: str, status: str, error_code: Optional[str] = None) -> bool:
    """Apply a Twilio status callback. Returns False when the message is not ours."""
    with session_scope() as session:
        row = session.execute(select(m.OutboundMessage).where(
            m.OutboundMessage.provider_sid == provider_sid)).scalar_one_or_none()
        if row is None:
            return False
        status = (status or "").lower()
        if status == "delivered":
            row.status, row.delivered_at = m.DELIVERED, utcnow()
        elif status in ("failed", "undelivered"):
            row.status = m.FAILED
            row.last_error = f"delivery {status} {error_code or ''}".strip()[:255]
        elif status in ("sent", "queued", "sending", "accepted") and row.status != m.DELIVERED:
            row.status = m.SENT
        return True


def _backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def _due(now: datetime, channel: str = "sms"):
    return select(m.OutboundMessage).where(
        m.OutboundMessage.status == m.PENDING, m.OutboundMessage.next_attempt_at <= now,
        m.OutboundMessage.channel == channel).order_by(m.OutboundMessage.id).limit(1)


def claim_next(session: Session, now: datetime) -> Optional[m.OutboundMessage]:
    """PostgreSQL: lock the oldest due SMS that no other worker holds (FOR UPDATE SKIP LOCKED).

    The lock lasts until the caller's transaction ends, so the caller sends while holding it:
    another worker passes over the row without waiting, and if this worker dies its connection
    closes and the row is free again at once, still pending.
    """
    row = session.execute(_due(now).with_for_update(skip_locked=True)).scalar_one_or_none()
    if row is not None:
        row.attempts += 1
    return row


def _claim_by_update(now: datetime, channel: str = "sms") -> Optional[int]:
    """SQLite (one writer at a time, no row locks), and email on both: claim with a conditional
    update, pending -> sending, committed before sending so other writers are not held up; a row
    left 'sending' by a worker that died goes back to pending after STUCK_AFTER."""
    for _ in range(10):  # another worker may win a candidate; then try the next one
        with session_scope() as session:
            message_id = session.execute(_due(now, channel).with_only_columns(m.OutboundMessage.id)).scalar()
            if message_id is None:
                return None
            won = session.execute(update(m.OutboundMessage).where(
                m.OutboundMessage.id == message_id, m.OutboundMessage.status == m.PENDING,
            ).values(status=m.SENDING, attempts=m.OutboundMessage.attempts + 1,
                     next_attempt_at=now + STUCK_AFTER)).rowcount
        if won == 1:
            return message_id
    return None


def _send_next(sender: SmsSender, now: datetime) -> Optional[bool]:
    """Claim one due SMS and send it: True when sent, False when not (yet), None when none is due."""
    if dbmod.engine().dialect.name == "postgresql":
        with session_scope() as session:
            row = claim_next(session, now)
            return None if row is None else _deliver(session, row, sender, now)
    message_id = _claim_by_update(now)
    if message_id is None:
        return None
    with session_scope() as session:
        return _deliver(session, session.get(m.OutboundMessage, message_id), sender, now)


def _deliver(session: Session, row: m.OutboundMessage, sender: SmsSender, now: datetime) -> bool:
    """Send a claimed message and record the outcome on its row (committed by the caller)."""
    if session.get(m.SmsOptOut, row.to_hash) is not None:
        row.status, row.last_error = m.SUPPRESSED, "recipient opted out (STOP)"
        return False
    try:
        sid = sender.send(crypto.decrypt(row.to_enc), crypto.decrypt(row.body_enc))
    except Exception as error:  # any failure to send is retried later, never lost, never hot-looped
        code = error.code if isinstance(error, SendError) else None
        reason = str(error) if isinstance(error, SendError) else f"{error.__class__.__name__}: {error}"
        if code in PERMANENT_ERRORS:
            row.status = m.FAILED
        else:
            row.status, row.next_attempt_at = m.PENDING, now + _backoff(row.attempts)
        row.last_error = reason[:255]
        log.warning("outbox message %s not sent (attempt %s): %s", row.id, row.attempts, reason)
        return False
    row.status = m.RECORDED if isinstance(sender, DevRecorder) else m.SENT
    row.provider_sid, row.sent_at = sid, utcnow()
    return True


def dispatch_due(sender: Optional[SmsSender] = None, now: Optional[datetime] = None, limit: int = 50) -> int:
    """Send due messages, one claim at a time, up to `limit`. Returns how many were sent (or recorded).

    Several workers may run this at once, on one host or many: a message is claimed by one of
    them only (see claim_next), so no SMS is sent twice by two workers.
    """
    sender = sender or default_sender()
    now = now or utcnow()
    _requeue_stuck(now)
    sent = 0
    for _ in range(limit):
        outcome = _send_next(sender, now)
        if outcome is None:
            break
        sent += outcome
    return sent


def _claim_due(now: datetime, limit: int, channel: str) -> list[int]:
    """Claim up to `limit` due messages of a channel for this worker (the email channel sends them)."""
    claimed = []
    for _ in range(limit):
        message_id = _claim_by_update(now, channel)
        if message_id is None:
            break
        claimed.append(message_id)
    return claimed


def _finish(message_id: int, status: str, sid: Optional[str] = None, error: Optional[str] = None) -> None:
    with session_scope() as session:
        row = session.get(m.OutboundMessage, message_id)
        row.status = status
        if sid:
            row.provider_sid, row.sent_at = sid, utcnow()
        if error:
            row.last_error = error[:255]


def _retry_later(message_id: int, when: datetime, error: str) -> None:
    with session_scope() as session:
        row = session.get(m.OutboundMessage, message_id)
        row.status, row.next_attempt_at, row.last_error = m.PENDING, when, error[:255]


def _requeue_stuck(now: datetime) -> None:
    """A worker that died mid-send leaves 'sending' rows; give them back after a grace period."""
    with session_scope() as session:
        session.execute(update(m.OutboundMessage).where(
            m.OutboundMessage.status == m.SENDING, m.OutboundMessage.next_attempt_at < now,
        ).values(status=m.PENDING))


@dataclass(frozen=True)
class OutboxEntry:
    id: int
    to: str
    body: str
    purpose: str
    status: str
    attempts: int
    created_at: str
    sent_at: Optional[str]


def recent_for(number: str, limit: int = 20) -> list[OutboxEntry]:
    """The most recent messages queued for a number, newest first (operators and tests)."""
    e164 = normalise(number) or number
    with session_scope() as session:
        rows = session.execute(select(m.OutboundMessage).where(
            m.OutboundMessage.to_hash == phone_hash(e164)).order_by(
            m.OutboundMessage.id.desc()).limit(limit)).scalars().all()
        return [OutboxEntry(r.id, e164, crypto.decrypt(r.body_enc), r.purpose, r.status, r.attempts,
                            as_utc(r.created_at).isoformat(),
                            as_utc(r.sent_at).isoformat() if r.sent_at else None) for r in rows]


def as_json_lines(entries: list[OutboxEntry]) -> Iterator[str]:
    for entry in entries:
        yield json.dumps(entry.__dict__, ensure_ascii=False)
