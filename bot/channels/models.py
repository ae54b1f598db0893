"""What the channels keep: one row per inbound message (an SMS, by Twilio's MessageSid; a web chat
message, by its own id), so a retried webhook is answered from the record instead of being
processed twice, and a message no answer could be made for waits here, in the shared database,
for whichever Rasa replica replays it."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, DateTime, Index, String, Text

from bot.db import Base
from bot.timeutil import utcnow

STATUS_PROCESSING = "processing"  # a process owns it and is working on the answer
STATUS_QUEUED = "queued"  # no answer could be made (the bot was down): kept, to be answered later
STATUS_DONE = "done"

CHANNEL_SMS = "sms"
CHANNEL_WEB = "web"


class InboundMessage(Base):
    """A message seen by a channel, keyed by its own id (Twilio's MessageSid for SMS).

    The row is inserted before the bot sees the message (the primary key makes the insert the
    lock), and reply_enc holds the texts the webhook answered with, encrypted with bot.crypto.
    body_enc holds the message itself (words, number or web session), encrypted, only until it
    is answered: any replica, not only the one that received it, can then replay a message whose
    process died or that no answer could be made for (bot/channels/shared_spool.py).
    sender_hash is bot.phone.phone_hash for SMS, a keyed hash of the session id for the web chat.
    `owner` names the claim working on it, so only that claim can finish it. A web chat reply
    made later waits in reply_enc until it reaches the browser (delivered_at).
    """

    __tablename__ = "inbound_messages"
    __table_args__ = (
        CheckConstraint("status IN ('processing', 'queued', 'done')", name="ck_inbound_messages_status"),
        Index("ix_inbound_messages_kept", "channel", "status"),
    )

    message_sid = Column(String(64), primary_key=True)
    sender_hash = Column(String(64), nullable=False)
    received_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    status = Column(String(16), nullable=False, default=STATUS_PROCESSING)
    reply_enc = Column(Text, nullable=True)
    completed_at = Column(DateTime(timezone=True), nullable=True)
    owner = Column(String(32), nullable=True)
    channel = Column(String(8), nullable=False, default=CHANNEL_SMS, server_default=CHANNEL_SMS)
    body_enc = Column(Text, nullable=True)
    arrived_at = Column(DateTime(timezone=True), nullable=True)  # first seen: the replay's order
    delivered_at = Column(DateTime(timezone=True), nullable=True)
