"""Reaching a person: emergency routes on risk, and the named lead professional."""
from __future__ import annotations

import logging
from typing import Optional

from sqlalchemy.orm import Session

from bot.db import DatabaseUnavailable
from bot.dialogue import conversation as talk
from bot.dialogue.conversation import Conversation
from bot.dialogue.turn import Turn
from bot.handoff import risk, service
from bot.handoff import staff_models as sm
from bot.records import models as m
from bot.records import service as records
from bot.records import spool

log = logging.getLogger(__name__)

# When the alert to a person could not be stored: the emergency route has already been given.
ALERT_FAILED = ("I couldn't reach the team just now, so please use the numbers above. Samaritans are "
                "there any time, free, on 116 123. I've kept your message and will pass it on as soon as I can.")
NO_RULE = "I don't know who is responsible for that, and I won't guess."
NO_RECORD_OFFER = (" Text PERSON and I'll pass your question to the council's duty team, who will text you "
                   "back. I'd share only what you've said in this chat.")


def emergency_text(danger: Optional[risk.Risk]) -> str:
    """The emergency routes for the risks found (the policy's routes, data/risk/policy.yml)."""
    return risk.reply(danger)


def urgent(turn: Turn, danger: Optional[risk.Risk]) -> list[str]:
    """Emergency routes first, always; then the urgent alert to a person.

    The emergency text needs no database, so it is given even when the alert cannot be stored;
    the message is then kept (spooled) so the alert is raised when the database is back.
    """
    replies = [emergency_text(danger)]
    try:
        replies += alert_urgent(turn, danger)
    except DatabaseUnavailable:
        log.error("urgent alert not stored: database unavailable; message spooled")
        try:
            spool.keep(turn)
        except Exception:  # the carer still gets the emergency route
            log.exception("could not spool an urgent message")
        replies.append(ALERT_FAILED)
    except Exception:
        log.exception("urgent alert failed")
        replies.append(ALERT_FAILED)
    return replies


def alert_urgent(turn: Turn, danger: Optional[risk.Risk]) -> list[str]:
    """Alert the lead professional (or the duty team) as urgent, and tell the carer who and when.

    Without consent (an unknown number, or the web) the duty team is still alerted: the risk
    to someone's life or safety justifies sharing this conversation and the number, and nothing
    else is shared because nothing else is kept. The carer is told exactly that.
    """
    def work(session: Session) -> list[str]:
        me = records.member_by_phone_hash(session, turn.phone_hash) if turn.phone_hash else None
        # The routes were given before this runs (and again when a spooled message is replayed):
        # the professional sees exactly what the carer was told.
        # Risk is answered before the turn's own work: the conversation is only read, for what was answered.
        answered = answered_so_far(talk.load(session, turn.sender_key))
        outcome = _open(session, turn, me, sm.RISK, sm.URGENT, answered, risk_kind=danger.kind if danger else None,
                        routes_given=[emergency_text(danger)],
                        asked_for="Urgent contact: check that everyone is safe, and follow up the "
                                  "emergency route the carer was given.")
        return [outcome.carer_text]
    return records.write_with_retry(work)


def request_person(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    """The carer asked for a person: their lead professional, or the duty team if they have none.

    Asking is itself the request, so a carer without a record is put through to the duty team
    too, sharing only this conversation and their number (and they are told so).
    """
    outcome = _open(session, turn, me, sm.ASKED, sm.ROUTINE, answered_so_far(conv),
                    asked_for=f'The carer asked for a person: "{turn.text[:200]}"')
    return [outcome.carer_text]


def after_failures(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation) -> list[str]:
    """The second failure in a row: a person takes over rather than a third 'sorry'."""
    conv.failures = 0
    if not _has_record(me):
        return ["Sorry, I haven't been able to help with that. Text PERSON and I'll pass this chat to the "
                "council's duty team, who will get back to you. In an emergency call 999."]
    could_not = [f'Did not understand: "{text[:200]}"' for text in (turn.previous_texts[-1:] + [turn.text])]
    outcome = _open(session, turn, me, sm.FAILURES, sm.ROUTINE, answered_so_far(conv), could_not=could_not,
                    asked_for="Help with what the carer was asking (see the conversation).")
    return ["Sorry, I haven't been able to help with that, so I'm bringing in a person. " + outcome.carer_text]


def handoff_for_unanswered(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation,
                           question_summary: str) -> list[str]:
    """No responsibility rule fits: say so plainly, never guess, and hand off to a person.

    Called by the directory dialogue. With no record, it offers the duty team instead.
    """
    if not _has_record(me):
        return [NO_RULE + NO_RECORD_OFFER]
    outcome = _open(session, turn, me, sm.UNANSWERED, sm.ROUTINE, answered_so_far(conv),
                    could_not=[f"No responsibility rule for: {question_summary[:200]}"],
                    asked_for=f"Find out who is responsible for {question_summary[:200]}, and tell the carer.")
    return [f"{NO_RULE} {outcome.carer_text}"]


def _has_record(me: Optional[m.Person]) -> bool:
    return me is not None and me.status == m.CONFIRMED


def answered_so_far(conv: Conversation) -> list[str]:
    """What the assistant has answered in this conversation (one line each, newest last)."""
    return list(conv.answered)


def _open(session: Session, turn: Turn, me: Optional[m.Person], trigger: str, urgency: str, answered: list[str], *,
          asked_for: str, risk_kind: Optional[str] = None, could_not: Optional[list[str]] = None,
          routes_given: Optional[list[str]] = None) -> service.Outcome:
    return service.open_handoff(
        session, sender_key=turn.sender_key, channel=turn.channel, phone_e164=turn.phone_e164, me=me,
        trigger=trigger, urgency=urgency, latest=turn.text, previous=list(turn.previous_texts),
        asked_for=asked_for, risk_kind=risk_kind, answered=answered,
        could_not=could_not or [], exchange=list(turn.previous_exchange), routes_given=routes_given or [])


def taken_over(session: Session, turn: Turn, me: Optional[m.Person]) -> bool:
    """A professional is talking with this family in the console now."""
    return service.taken_over(session, turn.sender_key, me) is not None


def relay_if_taken_over(session: Session, turn: Turn, me: Optional[m.Person]) -> bool:
    """While a professional has taken over, put the carer's message in their console thread."""
    handoff = service.taken_over(session, turn.sender_key, me)
    if handoff is None:
        return False
    service.relay(session, handoff, turn.text)
    return True
