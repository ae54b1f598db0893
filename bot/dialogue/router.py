"""One turn of the conversation: safety first, then the carer's own context, then the intent."""
from __future__ import annotations

import logging
from collections.abc import Callable

from sqlalchemy.orm import Session

from bot.db import DatabaseUnavailable
from bot.dialogue import answered, directory_talk, handoff_talk, intent_check, plain, record_talk, texts, web_link_talk
from bot.dialogue import state as st
from bot.dialogue.turn import Turn
from bot.directory import responsibility
from bot.handoff import risk
from bot.language import acts
from bot.phone import find_phone
from bot.records import models as m
from bot.records import spool

log = logging.getLogger(__name__)

Handler = Callable[[Session, Turn, "m.Person | None"], list[str]]

# Questions anyone may ask, consented or not, invited or not.
OPEN_INTENTS = {"ask_responsible", "report_service_problem", "request_human", "bot_help", "thank",
                "goodbye", "urgent_risk"}


def _affirm(session: Session, turn: Turn, me: m.Person | None) -> list[str]:
    return [texts.OK] if me is not None else record_talk.ask_consent(session, turn)


def _deny(session: Session, turn: Turn, me: m.Person | None) -> list[str]:
    return ["OK. " + texts.OK.split(". ", 1)[1]]


def _fallback(session: Session, turn: Turn, me: m.Person | None) -> list[str]:
    if not plain.looks_english(turn.text):
        return [texts.NOT_ENGLISH]
    state = st.load(session, turn.sender_key)
    state.failures += 1
    st.save(session, turn.sender_key, state)
    if state.failures >= 2:
        return handoff_talk.after_failures(session, turn, me)
    return [texts.FALLBACK]


HANDLERS: dict[str, Handler] = {
    "greet": record_talk.greet,
    "affirm": _affirm,
    "deny": _deny,
    "thank": lambda s, t, me: [texts.THANKS],
    "goodbye": lambda s, t, me: [texts.GOODBYE],
    "bot_help": lambda s, t, me: [texts.HELP],
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
    turn.intent = intent_check.before_risk(turn, danger is not None)
    if danger is not None or (turn.intent == "urgent_risk" and _credible(turn)):
        return handoff_talk.urgent(turn, danger)
    if turn.intent == "urgent_risk":
        # The classifier alone, on a message too short or unsure to raise an alarm on: give the
        # emergency routes, and a person if they want one, without paging the duty team.
        return [handoff_talk.emergency_text(None) + " If you need someone to call you, text PERSON."]
    try:
        return answered.once(turn, _dispatch)
    except DatabaseUnavailable:
        spool.keep(turn)
        return [texts.DB_DOWN]


def _dispatch(session: Session, turn: Turn) -> list[str]:
    me = record_talk.member(session, turn)
    turn.known_names = record_talk.family_names(session, me)
    turn.intent = intent_check.for_turn(session, turn)
    if me is None and turn.intent == "ask_record" and turn.reading.question \
            and not acts.record_question(turn.reading) and _about_a_need(session, turn.text):
        turn.intent = "ask_responsible"  # no record to ask about: a question about a need is about services
    # Takeover: while a professional is talking with this family in the console, the
    # assistant stays quiet and the carer's message goes into the console thread instead.
    # (Risk was already handled in respond(): emergency routes are never withheld.)
    if handoff_talk.relay_if_taken_over(session, turn, me):
        return []
    state = st.load(session, turn.sender_key)
    if turn.intent not in ("out_of_scope", "nlu_fallback") and state.failures:
        state.failures = 0
        st.save(session, turn.sender_key, state)
    pending = _answer_pending(session, turn, me, state)
    if pending is not None:
        return pending
    noted: list[str] = []
    if me is not None and me.status == m.CONFIRMED and turn.intent in ("ask_responsible", "greet", "request_human"):
        # "dad has parkinsons, em6 2pb, who can sort a grab rail": keep the facts, then answer.
        noted = record_talk.note_in_passing(session, turn, me)
        if noted and turn.intent == "greet":
            return noted
    handler = HANDLERS.get(turn.intent, _fallback)
    replies = noted + handler(session, turn, me)
    asked_back = st.load(session, turn.sender_key).awaiting in (st.CLARIFY, st.CHOOSE_NEED)
    if me is None and turn.phone_hash and turn.intent == "ask_responsible" and state.awaiting != st.CONSENT \
            and not asked_back and turn.reading.about_others:
        # (Not while our own question is pending: its answer must reach it, not a consent request.)
        # They told us about their family while asking: offer to keep it (nothing is kept yet).
        st.set_awaiting(session, turn.sender_key, st.CONSENT)
        replies.append(texts.CONSENT_OFFER)
    return replies


def _about_a_need(session: Session, text: str) -> bool:
    reading = responsibility.read_needs(session, text)
    return bool(reading.codes or reading.close)


def _answer_pending(session: Session, turn: Turn, me: m.Person | None, state: st.State) -> list[str] | None:
    """The reply when this message answers something we asked, or None to go by the intent."""
    # Web chat: an unlinked web session that was asked for a number or a code. A phone
    # number gets a code texted (only if it is a family member's), a code links the session.
    if turn.channel == "web" and not turn.phone_hash and state.awaiting in (st.WEB_PHONE, st.WEB_CODE):
        linking = web_link_talk.answer(session, turn, state)
        if linking is not None:
            return linking
    if me is not None and me.status == m.INVITED and turn.intent not in OPEN_INTENTS - {"bot_help"}:
        return record_talk.invited(session, turn, me)
    if me is None and state.awaiting == st.CONSENT and turn.intent not in OPEN_INTENTS:
        if record_talk.is_yes(turn):
            return record_talk.give_consent(session, turn)
        if record_talk.is_no(turn):
            st.set_awaiting(session, turn.sender_key, None)
            return [texts.NO_CONSENT_OK]
    if state.awaiting == st.INVITE_PHONE and me is not None and find_phone(turn.text):
        return record_talk.invite(session, turn, me)
    if state.awaiting == st.MORE_SERVICES and turn.intent in ("more_detail", "affirm"):
        return directory_talk.more_about(session, state)
    if state.awaiting == st.MORE and turn.intent in ("more_detail", "affirm"):
        st.set_awaiting(session, turn.sender_key, None)
        return record_talk.more(session, turn, me)
    if state.awaiting == st.WITHDRAW:
        st.set_awaiting(session, turn.sender_key, None)
        if record_talk.is_yes(turn):
            return record_talk.confirm_withdraw(session, turn, me)
    if state.awaiting == st.REPORT_NOTIFY and record_talk.is_yes(turn):
        return directory_talk.notify_when_fixed(session, turn, state)
    if state.awaiting == st.CHOOSE_NEED and turn.intent not in ("request_human", "withdraw_consent",
                                                                 "add_family_member", "bot_help"):
        picked = directory_talk.chose(session, turn, me, state)
        if picked is not None:
            return picked
    if state.awaiting == st.CLARIFY and turn.intent not in OPEN_INTENTS - {"ask_responsible"}:
        answered = directory_talk.clarified(session, turn, me, state)
        if answered is not None:
            return answered
    if me is None and not turn.phone_hash and turn.intent in (
            "tell_fact", "ask_record", "correct_fact", "add_family_member", "more_detail"):
        return web_link_talk.ask_phone(session, turn)  # verify the phone by a texted code
    if me is None and turn.channel == "web" and not turn.phone_hash:
        return web_link_talk.opening(session, turn)  # a hello, or a bare phone number
    return None
