"""Outbound messages (the durable outbox) and SMS opt-outs."""
from __future__ import annotations

from sqlalchemy import Column, DateTime, Index, Integer, String, Text

from bot.db import Base
from bot.timeutil import utcnow

PENDING = "pending"
SENDING = "sending"
SENT = "sent"
DELIVERED = "delivered"
FAILED = "failed"  # gave up after the last retry; kept for an operator to see
RECORDED = "recorded"  # development: recorded and printed instead of sent
SUPPRESSED = "suppressed"  # the number opted out (STOP) before it was sent


class OutboundMessage(Base):
    __tablename__ = "outbox"

    id = Column(Integer, primary_key=True, autoincrement=True)
    idempotency_key = Column(String(128), unique=True)
    channel = Column(String(8), nullable=False, default="sms")  # sms | web
    to_hash = Column(String(64), nullable=False, index=True)
    to_enc = Column(Text, nullable=False)
    body_enc = Column(Text, nullable=False)
    purpose = Column(String(32), nullable=False)
    status = Column(String(16), nullable=False, default=PENDING)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_error = Column(String(255))
    provider_sid = Column(String(64), unique=True)
    segments = Column(Integer)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    sent_at = Column(DateTime(timezone=True))
    delivered_at = Column(DateTime(timezone=True))

    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)


class SmsOptOut(Base):
    __tablename__ = "sms_opt_outs"

    phone_hash = Column(String(64), primary_key=True)
    phone_enc = Column(Text)  # kept so a key rotation can rehash; never shown
    opted_out_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
