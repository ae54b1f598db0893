"""What a conversation is waiting for, kept in the database (encrypted context)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Optional

from sqlalchemy.orm import Session

from bot import crypto
from bot.records.models import ConversationState
from bot.timeutil import utcnow

CONSENT = "consent"
INVITE_PHONE = "invite_phone"
CLARIFY = "clarify"
CHOOSE_NEED = "choose_need"  # "did you mean": context has the numbered need codes offered and what was known
MORE = "more"
MORE_SERVICES = "services"  # just answered who is responsible: context names the services
REPORT_NOTIFY = "report_notify"
WITHDRAW = "withdraw"
WEB_PHONE = "web_phone"  # web chat: waiting for the mobile number to text a code to
WEB_CODE = "web_code"  # web chat: waiting for the 6-digit code


@dataclass
class State:
    awaiting: Optional[str] = None
    context: dict = field(default_factory=dict)
    failures: int = 0


def load(session: Session, sender_key: str) -> State:
    row = session.get(ConversationState, sender_key)
    if row is None:
        return State()
    context = json.loads(crypto.decrypt(row.context_enc)) if row.context_enc else {}
    return State(row.awaiting, context, row.failures or 0)


def save(session: Session, sender_key: str, state: State) -> None:
    row = session.get(ConversationState, sender_key)
    if row is None:
        row = ConversationState(sender_key=sender_key, failures=0)
        session.add(row)
    row.awaiting = state.awaiting
    row.context_enc = crypto.encrypt(json.dumps(state.context)) if state.context else None
    row.failures = state.failures
    row.updated_at = utcnow()


def set_awaiting(session: Session, sender_key: str, awaiting: Optional[str], context: Optional[dict] = None
                 ) -> None:
    state = load(session, sender_key)
    state.awaiting, state.context = awaiting, context or {}
    save(session, sender_key, state)
