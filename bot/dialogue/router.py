"""One turn of the conversation: safety first, then the carer's own context, then the intent."""
from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.db import DatabaseUnavailable
from bot.dialogue import (
    answered,
    directory_talk,
    handoff_talk,
    intent_check,
    plain,
    record_talk,
    revision,
    texts,
    web_link_talk,
)
from bot.dialogue import conversation as talk
from bot.dialogue import pending as q
from bot.dialogue.conversation import Conversation
from bot.dialogue.pending import OPEN_INTENTS
from bot.dialogue.turn import Turn
from bot.directory import responsibility
from bot.handoff import risk
from bot.language import acts
from bot.records import models as m
from bot.records import spool

log = logging.getLogger(__name__)

Handler = Callable[[Session, Turn, "m.Person | None", Conversation], list[str]]

__all__ = ["OPEN_INTENTS", "respond", "HANDLERS"]


def _affirm(session: Session, turn: Turn, me: m.Person | None, conv: Conversation) -> list[str]:
    return [texts.OK] if me is not None else record_talk.ask_consent(session, turn, conv)


def _deny(session: Session, turn: Turn, me: m.Person | None, conv: Conversation) -> list[str]:
    return ["OK. " + texts.OK.split(". ", 1)[1]]


def _fallback(session: Session, turn: Turn, me: m.Person | None, conv: Conversation) -> list[str]:
    if not plain.looks_english(turn.text):
        return [texts.NOT_ENGLISH]
    conv.failures += 1
    if conv.failures >= 2:
        return handoff_talk.after_failures(session, turn, me, conv)
    return [texts.FALLBACK]


HANDLERS: dict[str, Handler] = {
    "greet": record_talk.greet,
    "affirm": _affirm,
    "deny": _deny,
    "thank": lambda s, t, me, conv: [texts.THANKS],
    "goodbye": lambda s, t, me, conv: [texts.GOODBYE],
    "bot_help": lambda s, t, me, conv: [texts.HELP],
    "tell_fact": record_talk.tell,
    "ask_record": record_talk.show,
    "more_detail": record_talk.more,
    "correct_fact": record_talk.correct,
    "add_family_member": record_talk.invite,
    "withdraw_consent": record_talk.withdraw,
    "ask_responsible": directory_talk.answer,
    "report_service_problem": directory_talk.report,
    "request_human": handoff_talk.request_person,
    "out_of_scope": _fallback,
    "nlu_fallback": _fallback,
}


def _credible(turn: Turn) -> bool:
    """Enough words, and a confident classifier, to alert a person on the classifier's word alone."""
    words = {w.lower() for w in turn.text.split()}
    return turn.confidence >= 0.8 and len(words) >= 4


def respond(turn: Turn) -> list[str]:
    """The bot's replies to one message. Never raises for anything a carer can send."""
    turn.text = plain.clean(turn.text)
    turn.previous_texts = [plain.clean(text) for text in turn.previous_texts]
    if not plain.usable_sender(turn.sender_key):
        return [texts.BAD_CONVERSATION]
    if not turn.text:
        return [texts.EMPTY]
    if not plain.has_words(turn.text):
        return [texts.NO_WORDS]
    danger = risk.detect(turn.text)
    if danger is None and turn.intent == "urgent_risk" and not risk.classifier_may_alarm(turn.text):
        turn.intent = "nlu_fallback"  # "and mum?", "2": a follow-up, not an emergency; the words decide
    # "and mum?", "I just want one person who knows us", "how do I get him an EHCP": the language
    # stage's decision table says whether the classifier's urgent_risk stands (risk words always do).
    classifier_alarm = danger is None and turn.intent == "urgent_risk"
    turn.intent = intent_check.before_risk(turn, danger is not None)
    if danger is not None or (turn.intent == "urgent_risk" and _credible(turn)):
        return handoff_talk.urgent(turn, danger)
    if turn.intent == "urgent_risk":
        try:
            return answered.once(turn, _dispatch)
        except DatabaseUnavailable:
            return [_unsure_routes()]
    # A worry about a need that the classifier alone took for an emergency ("dad keeps driving and
    # I don't think he should"): it gets its answer, with the emergency routes first in case the
    # words hide a crisis the risk policy lacks. Nobody is paged on the classifier's word alone.
    worry = classifier_alarm and turn.intent == "ask_responsible" and not turn.reading.question
    routes_first = [_unsure_routes()] if worry else []
    try:
        return routes_first + answered.once(turn, _dispatch)
    except DatabaseUnavailable:
        spool.keep(turn)
        return routes_first + [texts.DB_DOWN]


def _unsure_routes() -> str:
    """The classifier alone, on a message too short or unsure to raise an alarm on: the emergency
    routes, and a person if they want one, without paging the duty team."""
    return handoff_talk.emergency_text(None) + " If you need someone to call you, text PERSON."


def _dispatch(session: Session, turn: Turn) -> list[str]:
    """The turn's work: the conversation is loaded once here and saved once, with the turn's changes."""
    conv = talk.load(session, turn.sender_key)
    replies = _unsure(session, turn, conv) if turn.intent == "urgent_risk" else _route(session, turn, conv)
    talk.save(session, turn.sender_key, conv)
    return replies


def _unsure(session: Session, turn: Turn, conv: Conversation) -> list[str]:
    """Only the classifier said urgent, on a short or unsure message with no risk words. When it
    answers the question the bot is waiting on ("in hospital", "EM3 2PB", "07700 900123"), it is
    a reply, and gets the reply; anything else gets the emergency routes. (While a professional
    has taken over, the assistant answers nothing itself: the routes, as before.)"""
    me = record_talk.member(session, turn) if conv.pending is not None else None
    if conv.pending is not None and not handoff_talk.taken_over(session, turn, me):
        turn.known_names = record_talk.family_names(session, me)
        turn.intent = "nlu_fallback"  # read as a reply, not as a request of its own
        replies = _reply_to_pending(session, turn, me, conv)
        if replies is not None:
            return replies
        turn.intent = "urgent_risk"
    return [_unsure_routes()]


def _route(session: Session, turn: Turn, conv: Conversation) -> list[str]:
    me = record_talk.member(session, turn)
    turn.known_names = record_talk.family_names(session, me)
    turn.intent = intent_check.for_turn(session, turn, conv)
    if me is None and turn.intent == "ask_record" and turn.reading.question \
            and (not acts.record_question(turn.reading) and _about_a_need(session, turn.text)
                 or responsibility.match_needs(session, turn.text)):
        # No record to ask about: a question about a need is about services. Words the record also
        # files ("how long does it take to register a power of attorney") name the need outright.
        turn.intent = "ask_responsible"
    # Takeover: while a professional is talking with this family in the console, the
    # assistant stays quiet and the carer's message goes into the console thread instead.
    # (Risk was already handled in respond(): emergency routes are never withheld.)
    if handoff_talk.relay_if_taken_over(session, turn, me):
        return []
    if turn.intent not in ("out_of_scope", "nlu_fallback"):
        conv.failures = 0
    waiting_on = conv.pending
    replies = _answer_pending(session, turn, me, conv)
    if replies is not None:
        return replies
    noted: list[str] = []
    if me is not None and me.status == m.CONFIRMED and turn.intent in ("ask_responsible", "greet", "request_human"):
        # "dad has parkinsons, em6 2pb, who can sort a grab rail": keep the facts, then answer.
        noted = record_talk.note_in_passing(session, turn, me, conv)
        if noted and turn.intent == "greet":
            return noted
    handler = HANDLERS.get(turn.intent, _fallback)
    replies = noted + handler(session, turn, me, conv)
    asked_back = isinstance(conv.pending, q.Clarify | q.ChooseNeed)
    if me is None and turn.phone_hash and turn.intent == "ask_responsible" and not isinstance(waiting_on, q.Consent) \
            and not asked_back and turn.reading.about_others:
        # (Not while our own question is pending: its answer must reach it, not a consent request.)
        # They told us about their family while asking: offer to keep it (nothing is kept yet).
        answered = conv.pending
        conv.ask(q.Consent(needs=answered.needs, situation=answered.situation, postcode=answered.postcode,
                           person_id=answered.person_id, question=answered.question)
                 if isinstance(answered, q.MoreServices) else q.Consent())
        replies.append(texts.CONSENT_OFFER)
    return replies


def _about_a_need(session: Session, text: str) -> bool:
    reading = responsibility.read_needs(session, text)
    return bool(reading.codes or reading.close)


def _answer_pending(session: Session, turn: Turn, me: m.Person | None, conv: Conversation) -> list[str] | None:
    """The reply when this message answers what we asked, or None to go by the intent."""
    # (An unlinked web chat has no member: nothing below overtakes its number or code.)
    if me is not None and me.status == m.INVITED and turn.intent not in OPEN_INTENTS - {"bot_help"}:
        return record_talk.invited(session, turn, me, conv)
    replies = _reply_to_pending(session, turn, me, conv)
    if replies is not None:
        return replies
    if me is None and not turn.phone_hash and turn.intent in (
            "tell_fact", "ask_record", "correct_fact", "add_family_member", "more_detail"):
        return web_link_talk.ask_phone(session, turn, conv)  # verify the phone by a texted code
    if me is None and turn.channel == "web" and not turn.phone_hash:
        return web_link_talk.opening(session, turn, conv)  # a hello, or a bare phone number
    return None


def _reply_to_pending(session: Session, turn: Turn, me: m.Person | None, conv: Conversation) -> list[str] | None:
    """The one place that says what follows each pending question, when this message answers it.
    None: it does not (the question stays pending, unless it was one any reply settles)."""
    pending = conv.pending
    if pending is not None and pending.answers(turn, me is not None):
        match pending:
            case q.WebPhone() | q.WebCode():
                # An unlinked web session asked for a number or a code: a phone number gets a code
                # texted (only if it is a family member's), a code links the session.
                return web_link_talk.answer(session, turn, conv, pending)
            case q.Consent():
                if q.said_yes(turn):
                    return record_talk.give_consent(session, turn, conv)
                conv.settle()
                return [texts.NO_CONSENT_OK]
            case q.InvitePhone():
                return record_talk.invite(session, turn, me, conv)
            case q.MoreServices():
                return directory_talk.more_about(session, pending)
            case q.More():
                conv.settle()
                return record_talk.more(session, turn, me, conv)
            case q.Withdraw():
                conv.settle()
                if q.said_yes(turn):
                    return record_talk.confirm_withdraw(session, turn, me, conv)
            case q.ReportNotify():
                return directory_talk.notify_when_fixed(session, turn, conv, pending)
            case q.ChooseNeed():
                return directory_talk.chose(session, turn, me, conv, pending)
            case q.Clarify():
                return directory_talk.clarified(session, turn, me, conv, pending)
    if isinstance(pending, q.MoreServices | q.Consent) and turn.intent not in OPEN_INTENTS - {"ask_responsible"}:
        # Told after an answer, something that changes it ("i'm her son, 15"): the answer again, and
        # in a consented record what was told is kept as well.
        replies = revision.revised_answer(session, turn, me, conv, pending)
        if replies is not None and me is not None and me.status == m.CONFIRMED:
            replies = record_talk.note_in_passing(session, turn, me, conv) + replies
        return replies
    return None
