"""Staff, patches, lead-professional assignments, handoffs and the console's own tables.

A duty team is a Professional row with role "duty" (a shared team login and team phone), one per
area. Assignments are never edited: reassignment ends the current row and adds a new one, so a
new lead sees the whole history. Handoff packets and thread messages hold record contents, so
they are Fernet-encrypted like the record itself.
"""
from __future__ import annotations

from sqlalchemy import Boolean, Column, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.types import JSON

from bot.db import Base
from bot.records.models import new_id
from bot.timeutil import utcnow

# Roles
LEAD = "lead_professional"
MAINTAINER = "directory_maintainer"
ADMIN = "admin"
DUTY = "duty"
ROLES = (LEAD, MAINTAINER, ADMIN, DUTY)

# Handoff urgency and status
URGENT = "urgent"
ROUTINE = "routine"
NEW = "new"
ACCEPTED = "accepted"
CLOSED = "closed"
OPEN_STATUSES = (NEW, ACCEPTED)

# What started a handoff
ASKED = "asked_for_person"
FAILURES = "bot_failed_twice"
UNANSWERED = "no_responsibility_rule"
RISK = "risk"

DEFAULT_CASELOAD_CAP = 60
DEFAULT_HOURS = {"days": [0, 1, 2, 3, 4], "start": "09:00", "end": "17:00"}


class Professional(Base):
    __tablename__ = "professionals"

    id = Column(String(36), primary_key=True, default=new_id)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(255), nullable=False)
    name = Column(String(120), nullable=False)
    role = Column(String(32), nullable=False)  # lead_professional | directory_maintainer | admin | duty
    job_title = Column(String(120), nullable=False, default="")  # "Family support worker"
    organisation = Column(String(160), nullable=False, default="")
    phone = Column(String(20))  # a work phone, E.164
    email = Column(String(254))
    area = Column(String(32), nullable=False, default="eastmere")
    working_hours = Column(JSON, nullable=False, default=lambda: dict(DEFAULT_HOURS))
    caseload_cap = Column(Integer, nullable=False, default=DEFAULT_CASELOAD_CAP)
    # Kinds of need they take (bot/handoff/kinds.py ids): "adults", "children_families", ...
    kinds = Column(JSON, nullable=False, default=list)
    # A duty team's own row: handoffs are assigned to it and any duty worker in its area picks
    # them up. It has no usable password: people sign in as themselves.
    is_team = Column(Boolean, nullable=False, default=False)
    active = Column(Boolean, nullable=False, default=True)
    on_leave = Column(Boolean, nullable=False, default=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Patch(Base):
    """One postcode district (EM3) or sector (EM3 1) in a professional's patch."""

    __tablename__ = "patches"

    id = Column(Integer, primary_key=True, autoincrement=True)
    professional_id = Column(String(36), ForeignKey("professionals.id"), nullable=False, index=True)
    district = Column(String(8), nullable=False, index=True)

    __table_args__ = (
        UniqueConstraint("professional_id", "district", name="uq_patches_professional_district"),)


class Assignment(Base):
    """A family's lead professional for a period; the current one has no ended_at."""

    __tablename__ = "lead_assignments"

    id = Column(Integer, primary_key=True, autoincrement=True)
    family_id = Column(String(36), ForeignKey("families.id"), nullable=False, index=True)
    professional_id = Column(String(36), ForeignKey("professionals.id"), nullable=False, index=True)
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    ended_at = Column(DateTime(timezone=True))
    reason = Column(String(160), nullable=False)  # "first handoff: patch EM3", "leave", ...
    by_kind = Column(String(16), nullable=False)  # system | professional
    by_id = Column(String(36))
    family_told_at = Column(DateTime(timezone=True))


class Handoff(Base):
    __tablename__ = "handoffs"

    id = Column(String(36), primary_key=True, default=new_id)
    family_id = Column(String(36), ForeignKey("families.id"), index=True)  # None: no consent
    person_id = Column(String(36), ForeignKey("people.id"))  # the carer who asked
    sender_key = Column(String(80), nullable=False, index=True)
    channel = Column(String(8), nullable=False)  # sms | web
    contact_enc = Column(Text)  # the carer's phone for replies (encrypted); None on web
    area = Column(String(32), nullable=False, default="eastmere")
    district = Column(String(8))
    trigger = Column(String(32), nullable=False)
    urgency = Column(String(8), nullable=False)
    risk_kind = Column(String(24))
    status = Column(String(12), nullable=False, default=NEW)
    assigned_to_id = Column(String(36), ForeignKey("professionals.id"), nullable=False, index=True)
    contact_by = Column(String(8), nullable=False, default="text")  # text | call: what the carer was told
    due_by = Column(DateTime(timezone=True), nullable=False)
    packet_enc = Column(Text, nullable=False)  # JSON SBAR snapshot at the time of the handoff
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    escalated_at = Column(DateTime(timezone=True))
    escalated_from_id = Column(String(36), ForeignKey("professionals.id"))
    accepted_at = Column(DateTime(timezone=True))
    accepted_by_id = Column(String(36), ForeignKey("professionals.id"))
    taken_over_by_id = Column(String(36), ForeignKey("professionals.id"))  # bot quiet while set
    closed_at = Column(DateTime(timezone=True))
    closed_by_id = Column(String(36), ForeignKey("professionals.id"))
    outcome = Column(String(255))

    __table_args__ = (Index("ix_handoffs_status_created", "status", "created_at"),)


class HandoffMessage(Base):
    """The console thread: the carer's messages, the professional's replies, system notes."""

    __tablename__ = "handoff_messages"

    id = Column(Integer, primary_key=True, autoincrement=True)
    handoff_id = Column(String(36), ForeignKey("handoffs.id"), nullable=False, index=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    direction = Column(String(12), nullable=False)  # carer | professional | bot | system
    author_id = Column(String(36))
    body_enc = Column(Text, nullable=False)
    outbox_id = Column(Integer)


class ConsoleSession(Base):
    """A signed-in staff session; the cookie holds a random token, this row only its hash."""

    __tablename__ = "console_sessions"

    token_hash = Column(String(64), primary_key=True)
    professional_id = Column(String(36), ForeignKey("professionals.id"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    last_seen_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class LoginAttempt(Base):
    """Failed logins, keyed by a hash of IP + username, for rate limiting."""

    __tablename__ = "login_attempts"

    id = Column(Integer, primary_key=True, autoincrement=True)
    key_hash = Column(String(64), nullable=False)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)

    __table_args__ = (Index("ix_login_attempts_key_at", "key_hash", "at"),)
