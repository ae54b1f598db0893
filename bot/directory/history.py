"""What the directory remembers about its own upkeep: every edit of a service, and how often the bot
offers each service.

- `service_versions`: one row per change (an edit, a verification, the state before the first
  edit), holding a full JSON snapshot of the service with its phones, opening hours and coverage,
  who made the change and when. Kept without a foreign key so a service's history outlives it.
- `service_usage`: how many times the bot has offered a service to a carer, and when it last did.
  Maintainers use it to clear the stale services carers actually meet first.
"""
from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, Index, Integer, String, Text

from bot.db import Base

ID = 255

EDITED, VERIFIED, BASELINE, REVERTED = "edited", "verified", "baseline", "reverted"


class ServiceVersion(Base):
    __tablename__ = "service_versions"

    id = Column(Integer, primary_key=True, autoincrement=True)
    service_id = Column(String(ID), nullable=False)
    number = Column(Integer, nullable=False)  # 1, 2, 3 ... per service
    action = Column(String(16), nullable=False)
    snapshot = Column(JSON, nullable=False)
    changed_fields = Column(JSON)  # ["phones", "minimum_age", ...] compared with the version before
    changed_by = Column(String(64), nullable=False)  # a username, or "import" for the baseline
    changed_by_name = Column(Text)
    changed_at = Column(DateTime(timezone=True), nullable=False)
    note = Column(Text)
    report_id = Column(String(36), index=True)  # the carer's report this change resolved

    __table_args__ = (Index("ix_service_versions_service_number", "service_id", "number", unique=True),)


class ServiceUsage(Base):
    __tablename__ = "service_usage"

    service_id = Column(String(ID), primary_key=True)
    times_offered = Column(Integer, nullable=False, default=0)
    last_offered = Column(DateTime(timezone=True))
