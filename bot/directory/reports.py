"""Carers' reports that a service's details are wrong ("that number doesn't work", "they've closed").

A report is linked to the service and to the conversation's context (which rule, which postcode
district), never to record contents. Maintainers resolve it by fixing the service, or dismiss it
with a reason; a carer who asked to be told gets a thank-you SMS when it is fixed.
"""
from __future__ import annotations

import re
import uuid
from typing import Optional

from sqlalchemy import JSON, Boolean, Column, DateTime, ForeignKey, String, Text, select
from sqlalchemy.orm import Session

from bot import crypto
from bot.db import Base
from bot.timeutil import utcnow

OPEN, RESOLVED, DISMISSED = "open", "resolved", "dismissed"
WRONG_NUMBER, CLOSED, OTHER = "wrong_number", "closed", "other"


class ServiceReport(Base):
    __tablename__ = "service_reports"

    id = Column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    service_id = Column(String(255), ForeignKey("services.id", ondelete="SET NULL"), index=True)
    service_name = Column(Text)  # kept if the service is later removed
    kind = Column(String(16), nullable=False)
    words_enc = Column(Text)  # the carer's own words, encrypted
    context = Column(JSON)  # rule id and postcode district: no record contents
    reporter_key = Column(String(80))  # the conversation's pseudonymous sender id
    reporter_phone_enc = Column(Text)
    notify = Column(Boolean, nullable=False, default=False)  # asked to be told when fixed
    status = Column(String(16), nullable=False, default=OPEN, index=True)
    resolution_note = Column(Text)
    resolved_by = Column(String(64))
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    resolved_at = Column(DateTime(timezone=True))


def classify(words: str) -> str:
    text = words.lower()
    if re.search(r"\b(closed|shut|gone|no longer (exist|there|running)|stopped running|doesn'?t exist)\b", text):
        return CLOSED
    if re.search(r"\b(number|phone|ring|call|line|answer|dial)\w*\b", text):
        return WRONG_NUMBER
    return OTHER


def file_report(session: Session, service_id: str, words: str, reporter_key: Optional[str],
                reporter_phone: Optional[str], context: Optional[dict] = None) -> ServiceReport:
    from bot.directory.models import Service

    service = session.get(Service, service_id)
    report = ServiceReport(service_id=service_id if service else None,
                           service_name=service.name if service else None, kind=classify(words),
                           words_enc=crypto.encrypt(words[:500]), context=context or {},
                           reporter_key=reporter_key,
                           reporter_phone_enc=crypto.encrypt(reporter_phone) if reporter_phone else None,
                           status=OPEN, created_at=utcnow())
    session.add(report)
    session.flush()
    return report


def open_reports(session: Session, limit: int = 200) -> list[ServiceReport]:
    return list(session.execute(select(ServiceReport).where(ServiceReport.status == OPEN)
                                .order_by(ServiceReport.created_at).limit(limit)).scalars())
