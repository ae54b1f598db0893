"""The carer's own words: every message that tells something, kept whole beside the structured facts.

A note is encrypted, carries its provenance (who, when, which channel) and is attached to the
people it mentions, so nothing a carer tells is lost when no structured fact was recognised.
"""
from __future__ import annotations

from sqlalchemy import Column, DateTime, ForeignKey, Index, String, Text

from bot.db import Base
from bot.records.models import new_id
from bot.timeutil import utcnow


class Note(Base):
    __tablename__ = "notes"

    id = Column(String(36), primary_key=True, default=new_id)
    family_id = Column(String(36), ForeignKey("families.id"), nullable=False)
    text_enc = Column(Text, nullable=False)  # the message as the carer wrote it
    rest_enc = Column(Text)  # JSON: the parts no structured fact came from, per person id
    said_by_kind = Column(String(16), nullable=False)  # carer | professional | system
    said_by_id = Column(String(36))
    said_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    channel = Column(String(16), nullable=False)

    __table_args__ = (Index("ix_notes_family_said", "family_id", "said_at"),)


class NoteSubject(Base):
    """Which people a note is about (several for "mum has COPD, dad has diabetes")."""

    __tablename__ = "note_subjects"

    note_id = Column(String(36), ForeignKey("notes.id"), primary_key=True)
    person_id = Column(String(36), ForeignKey("people.id"), primary_key=True)

    __table_args__ = (Index("ix_note_subjects_person", "person_id"),)
