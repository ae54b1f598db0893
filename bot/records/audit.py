"""The audit trail: one row for every read or write of a care record, holding no contents."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from sqlalchemy.orm import Session

from bot.records.models import AuditEntry
from bot.timeutil import utcnow


@dataclass(frozen=True)
class Actor:
    """Who is acting on a record, and through which channel."""

    kind: str  # carer | professional | maintainer | system
    id: Optional[str]
    channel: str  # sms | web | console | system


SYSTEM = Actor("system", None, "system")


def audit(session: Session, actor: Actor, action: str, family_id: Optional[str], entity: str,
          entity_id: Optional[str], purpose: str) -> None:
    session.add(AuditEntry(at=utcnow(), actor_kind=actor.kind, actor_id=actor.id, action=action,
                           family_id=family_id, entity=entity, entity_id=entity_id,
                           channel=actor.channel, purpose=purpose[:64]))
