"""The shared spool: messages waiting in the database (inbound_messages.body_enc) for any replica.

A message's row keeps the message itself, encrypted, from the moment it is claimed until it is
answered. So when the process working on it dies (a Rasa replica killed mid-request), or no
answer could be made (the action server down), the message does not wait on one host's disk
for that host to come back: every replica's replay loop takes the oldest message that is due,
claimed with SELECT ... FOR UPDATE SKIP LOCKED (two replicas never take the same one), keyed on
the message's own id (Twilio's retries carry the same MessageSid).

One conversation's messages are replayed in the order they arrived: a message is not due while
an older one of the same sender is still unanswered. A new message from a sender with older
messages waiting replays those first (the channels call take_due with the sender), and waits
for any still in another process's hands (older_unanswered), so answers never overtake each
other, even when the process holding the older one died.

The web chat's replies made later wait in the row (reply_enc, delivered_at unset) until the
replica holding the browser's socket delivers them.

Synchronous (SQLAlchemy); the channels run these in a worker thread.
"""
from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any, NamedTuple, Optional

from sqlalchemy import and_, exists, func, or_, select, update
from sqlalchemy.orm import aliased

from bot.channels.idempotency import default_stale_after
from bot.channels.models import STATUS_DONE, STATUS_PROCESSING, STATUS_QUEUED, InboundMessage
from bot.crypto import decrypt, encrypt
from bot.db import session_scope
from bot.timeutil import utcnow


class Kept(NamedTuple):
    sid: str
    sender_hash: str
    body: dict
    owner: str


def _order(model: Any) -> Any:
    return func.coalesce(model.arrived_at, model.received_at)


def _unanswered(model: Any) -> Any:
    return and_(model.body_enc.isnot(None), model.status != STATUS_DONE)


def take_due(channel: str, stale_after: Optional[timedelta] = None, exclude: tuple[str, ...] = (),
             sender_hash: Optional[str] = None, before: Optional[str] = None) -> Optional[Kept]:
    """Claim the oldest message that is due for a replay, or None.

    Due: kept for later (queued), or still 'processing' under a claim older than stale_after
    (its process died), and no older message of the same sender unanswered. `sender_hash`:
    only that sender's; `before`: only messages that arrived before that one (by id).
    """
    now = utcnow()
    stale = now - (stale_after if stale_after is not None else default_stale_after())
    older = aliased(InboundMessage)
    row = InboundMessage
    conditions = [
        row.channel == channel,
        row.body_enc.isnot(None),
        or_(row.status == STATUS_QUEUED, and_(row.status == STATUS_PROCESSING, row.received_at < stale)),
        ~exists().where(older.sender_hash == row.sender_hash, older.channel == row.channel,
                        older.message_sid != row.message_sid, _unanswered(older),
                        _order(older) < _order(row)),
    ]
    if exclude:
        conditions.append(row.message_sid.notin_(list(exclude)))
    if sender_hash is not None:
        conditions.append(row.sender_hash == sender_hash)
    owner = uuid.uuid4().hex
    with session_scope() as session:
        if before is not None:
            arrived = session.execute(select(_order(row)).where(row.message_sid == before)).scalar()
            if arrived is None:
                return None
            conditions.append(_order(row) < arrived)
        found = session.execute(
            select(row.message_sid, row.sender_hash, row.body_enc).where(*conditions)
            .order_by(_order(row)).limit(1).with_for_update(skip_locked=True, of=row)).first()
        if found is None:
            return None
        taken = session.execute(
            update(row).where(row.message_sid == found.message_sid, row.status != STATUS_DONE)
            .values(status=STATUS_PROCESSING, received_at=now, owner=owner)
            .execution_options(synchronize_session=False))
        if taken.rowcount != 1:
            return None
        return Kept(found.message_sid, found.sender_hash, json.loads(decrypt(found.body_enc)), owner)


def renew(held: dict[str, str]) -> int:
    """Renew the claims a live process holds ({id: owner}): a message is taken over only when
    its claim is stale, and a claim that is renewed never is. Returns how many were renewed."""
    now = utcnow()
    renewed = 0
    with session_scope() as session:
        for sid, owner in held.items():
            result = session.execute(
                update(InboundMessage).where(InboundMessage.message_sid == sid, InboundMessage.owner == owner,
                                             InboundMessage.status == STATUS_PROCESSING)
                .values(received_at=now).execution_options(synchronize_session=False))
            renewed += result.rowcount or 0
    return renewed


def older_unanswered(channel: str, sender_hash: str, sid: str) -> bool:
    """Whether a message of the same sender that arrived before `sid` is still unanswered:
    kept, or in some process's hands (maybe a dead one's, until its claim is stale)."""
    row = InboundMessage
    with session_scope() as session:
        arrived = session.execute(select(_order(row)).where(row.message_sid == sid)).scalar()
        if arrived is None:
            return False
        return session.execute(select(row.message_sid).where(
            row.channel == channel, row.sender_hash == sender_hash, row.message_sid != sid, _unanswered(row),
            _order(row) < arrived).limit(1)).first() is not None


def waiting(channel: str) -> bool:
    """Whether any message of the channel waits unanswered (cheap: the replay's first look)."""
    with session_scope() as session:
        return session.execute(select(InboundMessage.message_sid).where(
            InboundMessage.channel == channel, _unanswered(InboundMessage)).limit(1)).first() is not None


# --- web chat replies made later ----------------------------------------------------------------

def store_late_reply(sid: str, owner: str, messages: list[dict]) -> bool:
    """The answer to a kept web chat message, waiting to be delivered; False if another claim
    has taken the message over (its answer is the one that counts)."""
    with session_scope() as session:
        done = session.execute(
            update(InboundMessage).where(InboundMessage.message_sid == sid, InboundMessage.owner == owner,
                                         InboundMessage.status != STATUS_DONE)
            .values(status=STATUS_DONE, completed_at=utcnow(), owner=None, body_enc=None,
                    reply_enc=encrypt(json.dumps(messages)), delivered_at=None)
            .execution_options(synchronize_session=False))
        return done.rowcount == 1


def undelivered(channel: str, sender_hashes: list[str]) -> list[tuple[str, str, list[dict]]]:
    """(id, sender hash, messages) of answers made later, not yet delivered, oldest first."""
    if not sender_hashes:
        return []
    with session_scope() as session:
        rows = session.execute(
            select(InboundMessage.message_sid, InboundMessage.sender_hash, InboundMessage.reply_enc)
            .where(InboundMessage.channel == channel, InboundMessage.status == STATUS_DONE,
                   InboundMessage.completed_at.isnot(None), InboundMessage.delivered_at.is_(None),
                   InboundMessage.reply_enc.isnot(None), InboundMessage.sender_hash.in_(sender_hashes))
            .order_by(_order(InboundMessage))).all()
        return [(row.message_sid, row.sender_hash, json.loads(decrypt(row.reply_enc))) for row in rows]


def mark_delivered(sid: str) -> bool:
    """Claim the delivery of a later answer: True for exactly one caller."""
    with session_scope() as session:
        marked = session.execute(
            update(InboundMessage).where(InboundMessage.message_sid == sid, InboundMessage.delivered_at.is_(None))
            .values(delivered_at=utcnow()).execution_options(synchronize_session=False))
        return marked.rowcount == 1


def answered_inline(sid: str) -> None:
    """A web chat message answered on its socket as it came: done, nothing left to deliver."""
    now = utcnow()
    with session_scope() as session:
        session.execute(update(InboundMessage).where(InboundMessage.message_sid == sid)
                        .values(status=STATUS_DONE, completed_at=now, owner=None, body_enc=None, delivered_at=now)
                        .execution_options(synchronize_session=False))
