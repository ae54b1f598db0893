"""What linking a web chat to a family member keeps: one-time codes (hashes only) and links.

Neither table holds a phone number, a code or a chat session id in the clear: session ids and
numbers are keyed hashes (bot.crypto.keyed_hash), codes are salted keyed hashes.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Integer, String

from bot.db import Base
from bot.records.models import new_id
from bot.timeutil import utcnow


class WebCode(Base):
    """One request for a code: a row even when the number is unknown (then no SMS and no person),
    so rate limits and wrong-code handling behave the same whether or not the number is known."""

    __tablename__ = "web_codes"

    id = Column(String(36), primary_key=True, default=new_id)
    sender_hash = Column(String(64), nullable=False, index=True)  # keyed hash of the chat session id
    phone_hash = Column(String(64), nullable=False, index=True)  # bot.phone.phone_hash of the number
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"))  # None: unknown number
    salt = Column(String(32), nullable=False)
    code_hash = Column(String(64), nullable=False)
    attempts = Column(Integer, nullable=False, default=0)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    expires_at = Column(DateTime(timezone=True), nullable=False)
    used_at = Column(DateTime(timezone=True))
    voided_at = Column(DateTime(timezone=True))


class WebLink(Base):
    """A web chat session that proved, by code, that it belongs to a confirmed family member."""

    __tablename__ = "web_links"

    id = Column(String(36), primary_key=True, default=new_id)
    sender_hash = Column(String(64), nullable=False, unique=True)
    person_id = Column(String(36), ForeignKey("people.id", ondelete="CASCADE"), nullable=False, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_used_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    revoked_at = Column(DateTime(timezone=True))
