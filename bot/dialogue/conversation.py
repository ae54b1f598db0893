"""One conversation's state, typed: the question pending, the person being talked about, failures.

The router loads it once at the start of a turn, hands it to whatever handles the turn, and saves
it once at the end, in the turn's own transaction (bot.dialogue.answered). It is kept encrypted
in `ConversationState`: `awaiting` holds the pending question's name, `context_enc` its fields and
the rest of the conversation as JSON. Rows written before these types (a name plus a free
dictionary) are read too, so a deploy strands no conversation.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass, replace
from typing import Any, Optional

from sqlalchemy.orm import Session

from bot import crypto
from bot.dialogue.pending import BY_NAME, Pending
from bot.records.models import ConversationState
from bot.timeutil import utcnow

log = logging.getLogger(__name__)

VERSION = 2  # the stored JSON's shape; rows without it are the earlier free dictionary
ANSWERED_KEPT = 5  # what the assistant answered, for a handoff packet: the last few are enough
RECENT_KEPT = 6  # people talked about, newest last: enough for "she" to find the last woman named


@dataclass
class Conversation:
    pending: Optional[Pending] = None  # the question the bot is waiting on, if any
    about: Optional[str] = None  # id of the cared-for person being talked about
    failures: int = 0  # messages in a row the bot could not understand
    asked_postcode: bool = False  # the postcode was asked for once in this conversation: not again
    answered: tuple[str, ...] = ()  # one-line summaries of what the assistant answered, newest last
    recent: tuple[str, ...] = ()  # ids of the cared-for people talked about, newest last

    def talk_about(self, person_id: str) -> None:
        """The person now talked about; the others stay in `recent` so that "she" can mean the
        last woman named even when the last message was about a man."""
        self.about = person_id
        self.recent = (*(pid for pid in self.recent if pid != person_id), person_id)[-RECENT_KEPT:]

    def ask(self, pending: Optional[Pending]) -> None:
        """Wait on a new question (None: wait on nothing). The person talked about stays."""
        self.pending = pending

    def settle(self) -> None:
        self.pending = None

    def note_answer(self, summary: str) -> None:
        self.answered = (*self.answered, summary[:200])[-ANSWERED_KEPT:]

    def copy(self) -> Conversation:
        return replace(self)


def to_columns(conversation: Conversation) -> tuple[Optional[str], Optional[str]]:
    """The `awaiting` name and the JSON for `context_enc` (None when there is nothing to keep)."""
    pending = conversation.pending
    body: dict[str, Any] = {}
    if pending is not None:
        body["pending"] = pending.to_json()
    if conversation.about:
        body["about"] = conversation.about
    if conversation.asked_postcode:
        body["asked_postcode"] = True
    if conversation.answered:
        body["answered"] = list(conversation.answered)
    if conversation.recent:
        body["recent"] = list(conversation.recent)
    return (pending.NAME if pending is not None else None,
            json.dumps({"v": VERSION, **body}) if body else None)


def from_columns(awaiting: Optional[str], context: Optional[dict], failures: Optional[int]) -> Conversation:
    """The conversation a row holds, from this code's JSON or the earlier free dictionary."""
    context = context if isinstance(context, dict) else {}
    if context.get("v") == VERSION:
        fields, about = context.get("pending") or {}, context.get("about")
    else:
        # The earlier shape: the question's fields and "person_id" (the person talked about, or the
        # one a directory question was about) side by side in one dictionary.
        fields, about = context, context.get("person_id")
    answered = context.get("answered") or []
    recent = context.get("recent") or []
    return Conversation(
        pending=_pending(awaiting, fields if isinstance(fields, dict) else {}),
        about=about if isinstance(about, str) and about else None,
        failures=failures if isinstance(failures, int) and failures > 0 else 0,
        asked_postcode=context.get("asked_postcode") is True,
        answered=tuple(str(item)[:200] for item in answered)[-ANSWERED_KEPT:] if isinstance(answered, list) else (),
        recent=tuple(str(item) for item in recent if isinstance(item, str))[-RECENT_KEPT:]
        if isinstance(recent, list) else (),
    )


def _pending(awaiting: Optional[str], fields: dict) -> Optional[Pending]:
    if not awaiting:
        return None
    kind = BY_NAME.get(awaiting)
    if kind is None:
        log.warning("conversation waiting on an unknown question %r: dropped", awaiting)
        return None
    try:
        return kind.from_json(fields)  # type: ignore[return-value]
    except (TypeError, ValueError) as error:
        log.warning("conversation's %s question unreadable (%s): dropped", awaiting, error)
        return None


def load(session: Session, sender_key: str) -> Conversation:
    row = session.get(ConversationState, sender_key)
    if row is None:
        return Conversation()
    return from_columns(row.awaiting, _decrypt(row.context_enc), row.failures)


def _decrypt(context_enc: Optional[str]) -> Optional[dict]:
    if not context_enc:
        return None
    try:
        value = json.loads(crypto.decrypt(context_enc))
    except ValueError:
        log.warning("conversation context unreadable: started afresh")
        return None
    return value if isinstance(value, dict) else None


def save(session: Session, sender_key: str, conversation: Conversation) -> bool:
    """Store the conversation when it differs from what is stored; True if it wrote."""
    row = session.get(ConversationState, sender_key)
    stored = Conversation() if row is None else from_columns(row.awaiting, _decrypt(row.context_enc), row.failures)
    if stored == conversation:
        return False
    if row is None:
        row = ConversationState(sender_key=sender_key, failures=0)
        session.add(row)
    row.awaiting, context = to_columns(conversation)
    row.context_enc = crypto.encrypt(context) if context else None
    row.failures = conversation.failures
    row.updated_at = utcnow()
    return True
