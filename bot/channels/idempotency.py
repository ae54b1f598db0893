"""Exactly-once handling of inbound SMS, keyed by Twilio's MessageSid.

The webhook claims a MessageSid by inserting its row before the bot sees the message; the
primary key makes that insert the lock, across processes and replicas. A copy that loses the
race reads the row instead: the stored answer when there is one, otherwise it waits for it.
A message no answer could be made for is 'queued' (kept in the spool) and answered later
through the outbox; a row left 'processing' by a process that died is taken over once stale.

These functions are synchronous (SQLAlchemy); the channel runs them in a worker thread.
Database errors propagate: the caller decides to carry on without deduplication.
"""
from __future__ import annotations

import json
import os
import uuid
from datetime import datetime, timedelta
from typing import NamedTuple, Optional

from sqlalchemy import and_, delete, false, or_, update
from sqlalchemy.exc import IntegrityError

from bot.channels.models import CHANNEL_SMS, STATUS_DONE, STATUS_PROCESSING, STATUS_QUEUED, InboundMessage
from bot.crypto import decrypt, encrypt
from bot.db import session_scope
from bot.dialogue.answered import reply_key
from bot.handoff import outbox
from bot.timeutil import utcnow

# Claim outcomes.
NEW = "new"  # this caller owns the message and must process it (Claim.owner names the claim)
ANSWERED = "answered"  # a reply is stored, or the message is done: nothing more to do
PENDING = "pending"  # another copy is processing it and has not answered yet
CONFLICT = "conflict"  # the MessageSid is known under a different sender: answer nothing

# A row still 'processing' with no answer after this long belongs to a process that died.
STALE_AFTER = timedelta(minutes=2)


class Claim(NamedTuple):
    state: str
    replies: Optional[list[str]] = None
    owner: Optional[str] = None
    taken_over: bool = False  # NEW from a process that died: Rasa may have saved its turn already


def default_stale_after() -> timedelta:
    """STALE_AFTER, or ONESTORY_INBOUND_STALE_SECONDS (tests use a few seconds)."""
    try:
        return timedelta(seconds=float(os.environ["ONESTORY_INBOUND_STALE_SECONDS"]))
    except (KeyError, ValueError):
        return STALE_AFTER


def _owner() -> str:
    return uuid.uuid4().hex


def _replies(row: InboundMessage) -> Optional[list[str]]:
    if row.reply_enc is None:
        return [] if row.status == STATUS_DONE else None
    return [str(text) for text in json.loads(decrypt(row.reply_enc))]


def seal(body: Optional[dict]) -> Optional[str]:
    """The message itself, encrypted, as the shared spool keeps it until it is answered."""
    return None if body is None else encrypt(json.dumps(body))


def claim(message_sid: str, sender_hash: str, stale_after: Optional[timedelta] = None,
          body: Optional[dict] = None, channel: str = CHANNEL_SMS) -> Claim:
    """Record the message as being processed, unless a copy of it got here first.

    `body`: the message itself, kept (encrypted) in the row until it is answered, so that any
    replica can replay it if this process dies before answering (bot/channels/shared_spool.py).
    """
    now = utcnow()
    owner = _owner()
    try:
        with session_scope() as session:
            session.add(InboundMessage(message_sid=message_sid, sender_hash=sender_hash, channel=channel,
                                       received_at=now, arrived_at=now, status=STATUS_PROCESSING, owner=owner,
                                       body_enc=seal(body)))
        return Claim(NEW, owner=owner)
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
        return Claim(NEW, owner=owner, taken_over=True) \
            if _take(session, message_sid, owner, now, stale_after, queued=False) else Claim(PENDING)


def take_for_replay(message_sid: str, sender_hash: str, stale_after: Optional[timedelta] = None,
                    owner: Optional[str] = None) -> Claim:
    """Claim a kept message to answer it now: one kept for later, one whose process died, or
    one still owned by `owner` (the claim that kept it). ANSWERED when it needs nothing more."""
    now = utcnow()
    new_owner = _owner()
    with session_scope() as session:
        row = session.get(InboundMessage, message_sid)
        if row is None:  # kept while the database was down
            try:
                with session.begin_nested():
                    session.add(InboundMessage(message_sid=message_sid, sender_hash=sender_hash,
                                               received_at=now, status=STATUS_PROCESSING, owner=new_owner))
                return Claim(NEW, owner=new_owner)
            except IntegrityError:
                row = session.get(InboundMessage, message_sid)
                if row is None:
                    return Claim(PENDING)
        if row.sender_hash != sender_hash:
            return Claim(CONFLICT)
        if row.status == STATUS_DONE:
            return Claim(ANSWERED)
        taken = _take(session, message_sid, new_owner, now, stale_after, queued=True, owner=owner)
        return Claim(NEW, owner=new_owner) if taken else Claim(PENDING)


def _take(session, message_sid: str, new_owner: str, now, stale_after: Optional[timedelta], queued: bool,
          owner: Optional[str] = None) -> bool:
    stale = InboundMessage.received_at < now - (stale_after if stale_after is not None else default_stale_after())
    takeable = and_(InboundMessage.status == STATUS_PROCESSING, InboundMessage.reply_enc.is_(None), stale)
    if queued:
        takeable = or_(InboundMessage.status == STATUS_QUEUED,
                       and_(InboundMessage.status == STATUS_PROCESSING, stale),
                       and_(InboundMessage.status == STATUS_PROCESSING, InboundMessage.owner == owner)
                       if owner else false())
    taken = session.execute(
        update(InboundMessage).where(InboundMessage.message_sid == message_sid, takeable)
        .values(status=STATUS_PROCESSING, received_at=now, owner=new_owner)
        .execution_options(synchronize_session=False))
    return taken.rowcount == 1


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
        values.update(status=STATUS_DONE, completed_at=utcnow(), owner=None, body_enc=None)
    with session_scope() as session:
        session.execute(update(InboundMessage).where(InboundMessage.message_sid == message_sid)
                        .values(**values).execution_options(synchronize_session=False))


def answered_untracked(message_sid: str, sender_hash: str, replies: list[str]) -> bool:
    """Record as done, with its answer, a message answered while its claim could not be made in
    time (the database hung). The claim may still land afterwards, from the thread it hung in;
    whichever comes first, the message ends done: a claim landing later finds it answered, and a
    row it left 'processing' is closed here. So it is never replayed and answered twice."""
    now = utcnow()
    values = {"status": STATUS_DONE, "completed_at": now, "owner": None, "body_enc": None,
              "reply_enc": encrypt(json.dumps(replies))}
    with session_scope() as session:
        done = session.execute(update(InboundMessage).where(InboundMessage.message_sid == message_sid,
                                                            InboundMessage.status != STATUS_DONE)
                               .values(**values).execution_options(synchronize_session=False))
        if done.rowcount == 0 and session.get(InboundMessage, message_sid) is None:
            session.add(InboundMessage(message_sid=message_sid, sender_hash=sender_hash, received_at=now,
                                       arrived_at=now, **values))
    return True


def keep_for_later(message_sid: str, sender_hash: str, notice: Optional[list[str]] = None,
                   body: Optional[dict] = None, channel: str = CHANNEL_SMS) -> None:
    """No answer could be made: the message waits (queued) to be answered through the outbox;
    a copy that arrives meanwhile gets the notice the carer was given, and is not processed.
    With `body`, the message itself waits in the row, for any replica to replay."""
    values: dict = {"status": STATUS_QUEUED, "owner": None}
    if notice is not None:
        values["reply_enc"] = encrypt(json.dumps(notice))
    if body is not None:
        values["body_enc"] = seal(body)
    with session_scope() as session:
        updated = session.execute(
            update(InboundMessage).where(InboundMessage.message_sid == message_sid,
                                         InboundMessage.status != STATUS_DONE)
            .values(**values).execution_options(synchronize_session=False))
        if updated.rowcount == 0 and session.get(InboundMessage, message_sid) is None:
            now = utcnow()
            session.add(InboundMessage(message_sid=message_sid, sender_hash=sender_hash, received_at=now,
                                       arrived_at=now, channel=channel, **values))


def finish(message_sid: str, owner: Optional[str], sender_hash: str, to_e164: str, replies: list[str]) -> bool:
    """Queue the answer in the outbox and mark the message done, in one transaction.

    Only the claim that owns the message may finish it: False (and nothing queued) when
    another has taken it over. The outbox keys are the message's own, so nothing goes twice.
    """
    with session_scope() as session:
        done = session.execute(
            update(InboundMessage).where(InboundMessage.message_sid == message_sid,
                                         InboundMessage.status != STATUS_DONE,
                                         InboundMessage.owner == owner if owner else false())
            .values(status=STATUS_DONE, completed_at=utcnow(), owner=None, body_enc=None)
            .execution_options(synchronize_session=False))
        if done.rowcount == 0:
            if session.get(InboundMessage, message_sid) is not None:
                return False
            # Received while the database was down: record it now, answered.
            session.add(InboundMessage(message_sid=message_sid, sender_hash=sender_hash, received_at=utcnow(),
                                       status=STATUS_DONE, completed_at=utcnow()))
        for index, text in enumerate(replies):
            outbox.enqueue_sms(to_e164, text, purpose="late_reply", idempotency_key=reply_key(message_sid, index),
                               session=session)
        session.flush()
    return True


def purge_before(cutoff: datetime) -> int:
    """Delete records of messages received before the cutoff (Twilio retries within minutes,
    so a few days of history is plenty); returns how many went."""
    with session_scope() as session:
        result = session.execute(delete(InboundMessage).where(InboundMessage.received_at < cutoff)
                                 .execution_options(synchronize_session=False))
        return result.rowcount or 0
