"""Email through the durable outbox: queued in the caller's transaction, sent by the worker.

Settings come from the environment (documented in the README): SMTP_HOST (unset: emails are
recorded and printed, as SMS are in development), SMTP_PORT (587), SMTP_USERNAME, SMTP_PASSWORD,
SMTP_FROM (onestory@localhost), SMTP_STARTTLS ("1": upgrade with STARTTLS before logging in).
A message is claimed before it is sent, so two workers never send it twice; a failure leaves it
pending with the outbox's backoff. Emails carry no care-record contents: only enough to open
the console.
"""
from __future__ import annotations

import json
import logging
import os
import smtplib
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from typing import Optional, Protocol

from sqlalchemy.orm import Session

from bot import crypto
from bot.db import session_scope
from bot.handoff import models as m
from bot.handoff import outbox
from bot.timeutil import utcnow

log = logging.getLogger(__name__)
CHANNEL = "email"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    username: str
    password: str
    sender: str
    starttls: bool


def smtp_settings() -> SmtpSettings:
    return SmtpSettings(host=os.environ.get("SMTP_HOST", ""), port=int(os.environ.get("SMTP_PORT") or 587),
                        username=os.environ.get("SMTP_USERNAME", ""), password=os.environ.get("SMTP_PASSWORD", ""),
                        sender=os.environ.get("SMTP_FROM") or "onestory@localhost",
                        starttls=os.environ.get("SMTP_STARTTLS", "1") == "1")


class EmailSender(Protocol):
    def send(self, to: str, subject: str, body: str) -> str:
        """Send one email; return its message id. Raise outbox.SendError on failure."""


class SmtpSender:
    def __init__(self, settings: Optional[SmtpSettings] = None) -> None:
        self.settings = settings or smtp_settings()

    def send(self, to: str, subject: str, body: str) -> str:
        s = self.settings
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = s.sender, to, subject
        message_id = f"<{uuid.uuid4().hex}@onestory>"
        message["Message-ID"] = message_id
        message.set_content(body)
        try:
            with smtplib.SMTP(s.host, s.port, timeout=20) as client:
                if s.starttls:
                    client.starttls()
                if s.username:
                    client.login(s.username, s.password)
                client.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            raise outbox.SendError("smtp: recipient refused", "refused") from error
        except (smtplib.SMTPException, OSError) as error:
            raise outbox.SendError(f"smtp: {error.__class__.__name__}") from error
        return message_id


class DevEmailRecorder:
    def __init__(self, printer: Callable[[str], None] = print) -> None:
        self.printer = printer

    def send(self, to: str, subject: str, body: str) -> str:
        self.printer(f"[outbox] email to {to}: {subject}")
        return "DEV" + uuid.uuid4().hex


def default_sender() -> EmailSender:
    return SmtpSender() if smtp_settings().host else DevEmailRecorder()


def enqueue(to: str, subject: str, body: str, purpose: str, idempotency_key: Optional[str] = None,
            session: Optional[Session] = None) -> int:
    """Queue an email (same idempotency and transaction rules as outbox.enqueue_sms)."""
    address = to.strip().lower()
    return outbox._enqueue(session, CHANNEL, crypto.keyed_hash(address, "email"), address,
                           json.dumps({"subject": subject, "body": body}), purpose, idempotency_key)


def dispatch_due(sender: Optional[EmailSender] = None, now: Optional[datetime] = None, limit: int = 50) -> int:
    """Send every due email once; returns how many were sent (or recorded)."""
    sender = sender or default_sender()
    now = now or utcnow()
    sent = 0
    for message_id in outbox._claim_due(now, limit, channel=CHANNEL):
        with session_scope() as session:
            row = session.get(m.OutboundMessage, message_id)
            to, content, attempts = crypto.decrypt(row.to_enc), json.loads(crypto.decrypt(row.body_enc)), row.attempts
        try:
            sid = sender.send(to, content["subject"], content["body"])
        except outbox.SendError as error:
            if error.code == "refused":
                outbox._finish(message_id, m.FAILED, error=str(error))
            else:
                outbox._retry_later(message_id, now + outbox._backoff(attempts), str(error))
            log.warning("outbox email %s not sent (attempt %s): %s", message_id, attempts, error)
            continue
        outbox._finish(message_id, m.RECORDED if isinstance(sender, DevEmailRecorder) else m.SENT, sid=sid[:64])
        sent += 1
    return sent
