"""Each message is answered once: the turn's replies are recorded in the same transaction as
what the turn changed, keyed by the message's own id.

A message can reach the dialogue more than once: Twilio retries, a reply lost when the action
server or Rasa died after the work was done, a spooled message replayed after an outage. The
second time, the stored replies are given instead of doing the work again, so nothing is
stored twice and the carer gets the same answer.

A turn replayed by the worker (`Turn.reply_by_outbox`) queues its replies in the outbox in the
same transaction. A message whose answer already went, or is going, out that way gets no
reply a second time; one answered inline (TwiML, web chat) gives its stored replies again to
whichever channel asks, because only that channel knows whether the first answer reached the
carer, and it asks again only when it did not.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import Boolean, Column, DateTime, String, Text, delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import crypto
from bot.db import Base, session_scope
from bot.dialogue.turn import Turn
from bot.handoff import outbox
from bot.records import service as records
from bot.timeutil import utcnow

Work = Callable[[Session, Turn], list[str]]


class AnsweredTurn(Base):
    """The replies given to one message (encrypted), written with the turn's own changes."""

    __tablename__ = "answered_turns"

    turn_key = Column(String(64), primary_key=True)  # sha256 of the sender pseudonym and message id
    replies_enc = Column(Text, nullable=False)
    by_outbox = Column(Boolean, nullable=False, default=False)
    answered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)


def turn_key(turn: Turn) -> str:
    return hashlib.sha256(f"{turn.sender_key}\n{turn.message_id}".encode()).hexdigest()


def reply_key(message_id: str, index: int) -> str:
    """The outbox idempotency key of a late reply; the SMS channel uses the same one."""
    return f"reply:{message_id}:{index}"


def once(turn: Turn, work: Work) -> list[str]:
    """Run `work` for the turn in a transaction, unless this message was answered already."""
    if not turn.message_id:
        return records.write_with_retry(lambda session: work(session, turn))
    try:
        return records.write_with_retry(lambda session: _once(session, turn, work))
    except IntegrityError:
        # Another copy of the message committed its answer while this one worked: everything
        # this copy did was rolled back; answer from the record it left.
        return records.write_with_retry(lambda session: _once(session, turn, work))


def _once(session: Session, turn: Turn, work: Work) -> list[str]:
    key = turn_key(turn)
    done = session.get(AnsweredTurn, key)
    if done is not None:
        if done.by_outbox or turn.reply_by_outbox:
            return []
        return [str(text) for text in json.loads(crypto.decrypt(done.replies_enc))]
    # The record goes in first: a concurrent copy of the message waits on it (or fails) before
    # doing any work of its own.
    row = AnsweredTurn(turn_key=key, replies_enc=crypto.encrypt("[]"), by_outbox=turn.reply_by_outbox,
                       answered_at=utcnow())
    session.add(row)
    session.flush()
    replies = work(session, turn)
    row.replies_enc = crypto.encrypt(json.dumps(replies))
    if turn.reply_by_outbox:
        for index, text in enumerate(replies):
            if turn.phone_e164:
                outbox.enqueue_sms(turn.phone_e164, text, purpose="late_reply",
                                   idempotency_key=reply_key(turn.message_id, index), session=session)
            elif turn.channel == "web":
                outbox.enqueue_web(turn.sender_key, text, purpose="late_reply",
                                   idempotency_key=reply_key(turn.message_id, index), session=session)
    return replies


def purge_before(cutoff: datetime) -> int:
    """Forget answers older than the cutoff (retries and replays come within days)."""
    with session_scope() as session:
        result = session.execute(delete(AnsweredTurn).where(AnsweredTurn.answered_at < cutoff)
                                 .execution_options(synchronize_session=False))
        return result.rowcount or 0
