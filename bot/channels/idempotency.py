"""Exactly-once handling of inbound SMS, keyed by Twilio's MessageSid.

The webhook claims a MessageSid by inserting its row before the bot sees the message; the
primary key makes that insert the lock, across processes and replicas. A copy that loses the
race reads the row instead: the stored answer when there is one, otherwise it waits for it.

These functions are synchronous (SQLAlchemy); the channel runs them in a worker thread.
Database errors propagate: the caller decides to carry on without deduplication.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import NamedTuple, Optional

from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from bot.channels.models import STATUS_DONE, STATUS_PROCESSING, InboundMessage
from bot.crypto import decrypt, encrypt
from bot.db import session_scope
from bot.timeutil import utcnow

# Claim outcomes.
NEW = "new"  # this caller owns the message and must process it
ANSWERED = "answered"  # a reply is stored (the message may still be finishing in the background)
PENDING = "pending"  # another copy is processing it and has not answered yet
CONFLICT = "conflict"  # the MessageSid is known under a different sender: answer nothing

# A row still 'processing' with no answer after this long belongs to a process that died.
STALE_AFTER = timedelta(minutes=2)


class Claim(NamedTuple):
    state: str
    replies: Optional[list[str]] = None


def _replies(row: InboundMessage) -> Optional[list[str]]:
    if row.reply_enc is None:
        return [] if row.status == STATUS_DONE else None
    return [str(text) for text in json.loads(decrypt(row.reply_enc))]


def claim(message_sid: str, sender_hash: str, stale_after: timedelta = STALE_AFTER) -> Claim:
    """Record the message as being processed, unless a copy of it got here first."""
    now = utcnow()
    try:
        with session_scope() as session:
            session.add(InboundMessage(message_sid=message_sid, sender_hash=sender_hash,
                                       received_at=now, status=STATUS_PROCESSING))
        return Claim(NEW)
    except IntegrityError:
        pass
    with session_scope() as session:
        row = session.get(InboundMessage, message_sid)
        if row is None:  # purged between the two statements
            return claim(message_sid, sender_hash, stale_after)
        if row.sender_hash != sender_hash:
            return Claim(CONFLICT)
        replies = _replies(row)
        if replies is not None:
            return Claim(ANSWERED, replies)
        # Take over a message whose first process died; the conditional update lets only one
        # of several late copies win.
        taken = session.execute(
            update(InboundMessage)
            .where(InboundMessage.message_sid == message_sid,
                   InboundMessage.status == STATUS_PROCESSING,
                   InboundMessage.reply_enc.is_(None),
                   InboundMessage.received_at < now - stale_after)
            .values(received_at=now)
            .execution_options(synchronize_session=False)
        )
        return Claim(NEW) if taken.rowcount == 1 else Claim(PENDING)


def stored_reply(message_sid: str) -> Optional[list[str]]:
    """The answer stored for the message, or None while it has none."""
    with session_scope() as session:
        row = session.get(InboundMessage, message_sid)
        return None if row is None else _replies(row)


def save_reply(message_sid: str, replies: list[str], done: bool) -> None:
    """Store the webhook's answer; done=False while the message is still being processed
    (the answer was a holding reply and the real one goes out through the outbox)."""
    values: dict = {"reply_enc": encrypt(json.dumps(replies))}
    if done:
        values.update(status=STATUS_DONE, completed_at=utcnow())
    with session_scope() as session:
        session.execute(update(InboundMessage).where(InboundMessage.message_sid == message_sid)
                        .values(**values).execution_options(synchronize_session=False))


def mark_done(message_sid: str) -> None:
    with session_scope() as session:
        session.execute(update(InboundMessage).where(InboundMessage.message_sid == message_sid)
                        .values(status=STATUS_DONE, completed_at=utcnow())
                        .execution_options(synchronize_session=False))


def purge_before(cutoff: datetime) -> int:
    """Delete records of messages received before the cutoff (Twilio retries within minutes,
    so a few days of history is plenty); returns how many went."""
    with session_scope() as session:
        result = session.execute(delete(InboundMessage).where(InboundMessage.received_at < cutoff)
                                 .execution_options(synchronize_session=False))
        return result.rowcount or 0
