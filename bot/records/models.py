"""The family care record: families, people, facts with provenance, consent, audit, dialogue state.

Sensitive values (names, fact contents, phone numbers) are Fernet-encrypted in *_enc columns;
people are found by a keyed hash of their phone number. Facts are never updated in place: a
correction marks the old row superseded (or ended) and adds a new one, so history is kept.
"""
from __future__ import annotations

import uuid

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import relationship

from bot.db import Base
from bot.timeutil import utcnow


def new_id() -> str:
    return str(uuid.uuid4())


CARED_FOR = "cared_for"
CARER = "carer"

# Carer membership: invited by a family member, confirmed from their own phone, or removed.
INVITED = "invited"
CONFIRMED = "confirmed"
REMOVED = "removed"
ACTIVE = "active"  # a cared-for person

CURRENT = "current"
SUPERSEDED = "superseded"  # replaced by a newer fact with the same key
ENDED = "ended"  # no longer true ("she stopped the donepezil")


class Family(Base):
    __tablename__ = "families"

    id = Column(String(36), primary_key=True, default=new_id)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
    status = Column(String(16), nullable=False, default="open")
    # Optimistic locking: every write to the record bumps this; a stale writer retries.
    version = Column(Integer, nullable=False, default=1)

    people = relationship("Person", back_populates="family", foreign_keys="Person.family_id",
                          order_by="Person.created_at")
    facts = relationship("Fact", back_populates="family", order_by="Fact.said_at")

    __mapper_args__ = {"version_id_col": version}


class Person(Base):
    __tablename__ = "people"

    id = Column(String(36), primary_key=True, default=new_id)
    family_id = Column(String(36), ForeignKey("families.id"), nullable=False, index=True)
    role = Column(String(16), nullable=False)  # cared_for | carer
    name_enc = Column(Text)
    # For the cared-for: relationship to the carer who first told us ("mother").
    # For a carer: relationship to the person who invited them ("brother"); "self" for the first.
    relation = Column(String(32))
    phone_hash = Column(String(64), unique=True)
    phone_enc = Column(Text)
    status = Column(String(16), nullable=False)
    invited_by_id = Column(String(36), ForeignKey("people.id"))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    confirmed_at = Column(DateTime(timezone=True))
    removed_at = Column(DateTime(timezone=True))

    family = relationship("Family", back_populates="people", foreign_keys=[family_id])


class Fact(Base):
    __tablename__ = "facts"

    id = Column(String(36), primary_key=True, default=new_id)
    family_id = Column(String(36), ForeignKey("families.id"), nullable=False)
    person_id = Column(String(36), ForeignKey("people.id"))  # whom it is about
    category = Column(String(24), nullable=False)
    key_hash = Column(String(64), nullable=False)  # keyed hash of "medicine:warfarin": no plaintext
    key_enc = Column(Text, nullable=False)  # the key itself, encrypted, so key rotation can rehash
    value_enc = Column(Text, nullable=False)
    detail_enc = Column(Text)
    status = Column(String(16), nullable=False, default=CURRENT)
    superseded_by_id = Column(String(36), ForeignKey("facts.id"))
    # Provenance: who said it, when, through which channel.
    said_by_kind = Column(String(16), nullable=False)  # carer | professional | system
    said_by_id = Column(String(36))
    said_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    channel = Column(String(16), nullable=False)
    ended_at = Column(DateTime(timezone=True))
    ended_by_id = Column(String(36))

    family = relationship("Family", back_populates="facts")

    __table_args__ = (
        Index("ix_facts_family_status", "family_id", "status"),
        Index("ix_facts_family_key", "family_id", "key_hash"),
    )


class Consent(Base):
    __tablename__ = "consents"

    id = Column(String(36), primary_key=True, default=new_id)
    family_id = Column(String(36), ForeignKey("families.id"), nullable=False, index=True)
    person_id = Column(String(36), ForeignKey("people.id"), nullable=False, index=True)
    scope = Column(String(32), nullable=False)  # keep_record | share_with_family | report_updates
    given_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    method = Column(String(128), nullable=False)  # how it was given, e.g. 'replied "yes" by SMS'
    channel = Column(String(16), nullable=False)
    withdrawn_at = Column(DateTime(timezone=True))
    withdrawn_method = Column(String(128))


class AuditEntry(Base):
    """Who read or wrote which part of a record, when and how. Never the contents."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True, autoincrement=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    actor_kind = Column(String(16), nullable=False)  # carer | professional | maintainer | system
    actor_id = Column(String(64))
    action = Column(String(16), nullable=False)  # read | write
    family_id = Column(String(36), index=True)
    entity = Column(String(32), nullable=False)  # family | person | fact | consent | handoff ...
    entity_id = Column(String(36))
    channel = Column(String(16), nullable=False)
    purpose = Column(String(64), nullable=False)  # e.g. "summary", "fact.add", "invite"


class ConversationState(Base):
    """What the bot is waiting for from one conversation (consent, a clarification...).

    Kept here rather than in Rasa slots so it survives tracker retention and holds no plaintext.
    """

    __tablename__ = "conversation_states"

    sender_key = Column(String(80), primary_key=True)
    awaiting = Column(String(32))
    context_enc = Column(Text)
    failures = Column(Integer, nullable=False, default=0)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)
