"""Web chat: proving a phone number by a texted code, so the session can see the family record.

The router sends an unlinked web turn here when it asks for something in the record, and while
the conversation is waiting for a number (`WebPhone`) or a code (`WebCode`). The reply never
says whether a number is known: the same words go to every number, and only a confirmed family
member's phone gets a text (bot.records.web_links decides and sends).
"""
from __future__ import annotations

import re
from typing import Optional

from sqlalchemy.orm import Session

from bot.dialogue import record_talk
from bot.dialogue.conversation import Conversation
from bot.dialogue.pending import WebCode, WebPhone
from bot.dialogue.turn import Turn
from bot.phone import PHONE_PATTERN, find_phone
from bot.records import web_links as links

WELCOME = (
    "Hello, I'm OneStory. I can tell you who is responsible for what, for example who does carer's "
    "assessments. To see or add to your family's record, give me your mobile number and I'll text "
    "you a code."
)
ASK_PHONE = (
    "To keep or see your family's record here, I first need to check your mobile number. What's "
    "the mobile number you use with OneStory? I'll text it a 6-digit code."
)
CODE_SENT = (
    "If that number is linked to a family record, I've texted it a code. Type the 6 digits here; "
    "the code lasts 10 minutes."
)
RATE_LIMITED = (
    "I've sent several codes recently, so I can't send another just now. Please try again in an "
    "hour, or text this service from your phone."
)
WEAK_SESSION = (
    "I can't link this chat to a family record. Please use the chat on the council's website, or "
    "text this service from your phone."
)
LINKED = "Thank you, this chat is now linked to your family's record."
WRONG = "That code isn't right. Please check the text and try again ({left} {tries} left)."
VOIDED = (
    "That code didn't match five times, so I've cancelled it. Give me your mobile number again "
    "and I'll send a new one."
)
NO_CODE = (
    "That code has expired or was already used. Give me your mobile number and I'll send a new one."
)
STOPPED = "OK, I won't link this chat. You can still ask me who is responsible for something."

_CANCEL = re.compile(r"^\W*(cancel|stop|never ?mind|no thanks?|not now|forget it)\b", re.IGNORECASE)


def opening(session: Session, turn: Turn, conv: Conversation) -> Optional[list[str]]:
    """An unlinked web chat says hello (web chats cannot start a family: that needs the phone),
    or types just a phone number. None: anything else, for the router."""
    if turn.intent == "greet":
        conv.ask(WebPhone())
        return [WELCOME]
    if just_a_number(turn.text):
        return _request(session, turn, conv, find_phone(turn.text) or "")
    return None


def ask_phone(session: Session, turn: Turn, conv: Conversation) -> list[str]:
    """An unlinked web chat asked for something in the record: ask for the number first."""
    if just_a_number(turn.text):  # they gave it already
        return _request(session, turn, conv, find_phone(turn.text) or "")
    if not links.linkable_session(turn.sender_key):
        return [WEAK_SESSION]
    conv.ask(WebPhone())
    return [ASK_PHONE]


def just_a_number(text: str) -> bool:
    """The message is a phone number, perhaps with a few words ("it's 07700 900123")."""
    number = find_phone(text)
    return bool(number) and len(PHONE_PATTERN.sub("", text).strip()) <= 20


def answer(session: Session, turn: Turn, conv: Conversation, pending: WebPhone | WebCode
           ) -> Optional[list[str]]:
    """While waiting for a number or a code. None: not about linking, let the router go on."""
    number = find_phone(turn.text)
    if number:
        return _request(session, turn, conv, number)
    code = links.find_code(turn.text) if isinstance(pending, WebCode) else None
    if code:
        return _check(session, turn, conv, code)
    if _CANCEL.match(turn.text) or (turn.intent == "deny" and isinstance(pending, WebPhone)):
        conv.settle()
        return [STOPPED]
    return None


def _request(session: Session, turn: Turn, conv: Conversation, number: str) -> list[str]:
    outcome = links.request_code(session, turn.sender_key, number)
    if outcome is links.Requested.WEAK_SESSION:
        return [WEAK_SESSION]
    if outcome is links.Requested.RATE_LIMITED:
        conv.settle()
        return [RATE_LIMITED]
    conv.ask(WebCode())
    return [CODE_SENT]


def _check(session: Session, turn: Turn, conv: Conversation, code: str) -> list[str]:
    result = links.check_code(session, turn.sender_key, code)
    if result.outcome is links.Checked.LINKED and result.person is not None:
        conv.settle()
        # From now on this session is that member (actions/adapter.py looks the link up each turn);
        # for the rest of this turn too.
        turn.phone_hash = result.person.phone_hash
        turn.phone_e164 = links.phone_of(result.person)
        greeting = record_talk.greet(session, turn, result.person, conv)
        return [LINKED + " " + greeting[0].replace("Hello again. ", "", 1)] + greeting[1:]
    if result.outcome is links.Checked.WRONG:
        return [WRONG.format(left=result.tries_left, tries="try" if result.tries_left == 1 else "tries")]
    conv.ask(WebPhone())
    return [VOIDED if result.outcome is links.Checked.VOIDED else NO_CODE]

