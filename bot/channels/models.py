"""What the channels keep: one row per inbound Twilio message, so a retried webhook is answered
from the record instead of being processed twice."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, String, Text

from bot.db import Base
from bot.timeutil import utcnow

STATUS_PROCESSING = "processing"  # a process owns it and is working on the answer
STATUS_QUEUED = "queued"  # no answer could be made (the bot was down): kept, to be answered later
STATUS_DONE = "done"


class InboundMessage(Base):
    """An SMS seen on the webhook, keyed by Twilio's MessageSid.

    The row is inserted before the bot sees the message (the primary key makes the insert the
    lock), and reply_enc holds the texts the webhook answered with, encrypted with bot.crypto.
    No message body or phone number is stored: sender_hash is bot.phone.phone_hash (the text
    of a message kept for later waits encrypted in the spool, bot/records/spool.py).
    `owner` names the claim working on it, so only that claim can finish it.
    """

    __tablename__ = "inbound_messages"
    __table_args__ = (
        CheckConstraint("status IN ('processing', 'queued', 'done')", name="ck_inbound_messages_status"),
    )

    message_sid = Column(String(64), primary_key=True)
    sender_hash = Column(String(64), nullable=False)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    status = Column(String(16), nullable=False, default=STATUS_PROCESSING)
    reply_enc = Column(Text, nullable=True)
    completed_at = Column(DateTime(timezone=True), nullable=True)
    owner = Column(String(32), nullable=True)
