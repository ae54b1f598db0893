"""Turning a Rasa tracker into a dialogue Turn, and the Turn's replies into utterances."""
from __future__ import annotations

import abc
import asyncio
import logging
from typing import Any, Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot import crypto
from bot.db import session_scope
from bot.dialogue import router
from bot.dialogue.turn import Turn
from bot.records import web_links

log = logging.getLogger(__name__)

SMS_CHANNELS = {"twilio"}
SORRY = ("Sorry, something went wrong on my side and I couldn't do that just now. Please try again in a "
         "few minutes, or text PERSON to reach someone. In an emergency call 999.")


def _user_events(tracker: Tracker) -> list[dict]:
    """This session's user messages, oldest first."""
    events: list[dict] = []
    for event in tracker.events:
        if event.get("event") == "action" and event.get("name") == "action_session_start":
            events = []
        elif event.get("event") == "user":
            events.append(event)
    return events


def _exchange(tracker: Tracker, limit: int = 10) -> list[tuple[str, str]]:
    """This session's messages on both sides before the latest one, oldest first, so that a
    professional reading a handoff sees what the assistant answered as well as what was asked."""
    said: list[tuple[str, str]] = []
    for event in tracker.events:
        if event.get("event") == "action" and event.get("name") == "action_session_start":
            said = []
        elif event.get("event") in ("user", "bot") and event.get("text"):
            said.append(("carer" if event["event"] == "user" else "assistant", event["text"]))
    if said and said[-1][0] == "carer":
        said = said[:-1]  # the latest message is the turn's own text
    return said[-limit:]


def turn_from_tracker(tracker: Tracker, intent: str) -> Turn:
    users = _user_events(tracker)
    latest = users[-1] if users else {}
    metadata: dict[str, Any] = latest.get("metadata") or {}
    channel_name = tracker.get_latest_input_channel() or latest.get("input_channel") or ""
    phone_hash: Optional[str] = metadata.get("phone_hash") if channel_name in SMS_CHANNELS else None
    phone: Optional[str] = None
    if phone_hash and metadata.get("phone_enc"):
        try:
            phone = crypto.decrypt(metadata["phone_enc"])
        except crypto.DecryptionError:
            log.warning("channel metadata could not be decrypted")
    if channel_name not in SMS_CHANNELS:
        # Web chat (issue 5): a session linked by a texted code acts as that family member.
        phone_hash, phone = _web_link(tracker.sender_id)
    message = tracker.latest_message or {}
    confidence = float((message.get("intent") or {}).get("confidence") or 0.0)
    return Turn(
        sender_key=tracker.sender_id,
        channel="sms" if channel_name in SMS_CHANNELS else "web",
        text=message.get("text") or "",
        intent=intent,
        confidence=confidence,
        phone_hash=phone_hash,
        phone_e164=phone,
        previous_texts=[e.get("text") or "" for e in users[:-1]][-3:],
        previous_exchange=_exchange(tracker),
    )


def _web_link(sender_id: str) -> tuple[Optional[str], Optional[str]]:
    """The linked member's phone hash and number for a web session; (None, None) when unlinked."""
    try:
        with session_scope() as session:
            person = web_links.linked_person(session, sender_id)
            return (person.phone_hash, web_links.phone_of(person)) if person is not None else (None, None)
    except Exception as error:  # unlinked is the safe answer: no record is shown
        log.warning("web link lookup failed (%s)", type(error).__name__)
        return None, None


class DialogueAction(Action, abc.ABC):
    """A Rasa action that hands one intent's turn to bot.dialogue and says what comes back."""

    @property
    @abc.abstractmethod
    def topic(self) -> str:
        """The intent this action answers; the dialogue code branches on it."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict]:
        loop = asyncio.get_running_loop()
        # Off the event loop too: a web turn looks its link up in the database.
        turn = await loop.run_in_executor(None, turn_from_tracker, tracker, self.topic)
        # Database work blocks; keep the action server's event loop free for other carers.
        try:
            replies = await loop.run_in_executor(None, router.respond, turn)
        except Exception:  # never a traceback to a carer; the log has it (without the message)
            log.exception("action %s failed", self.name())
            replies = [SORRY]
        for reply in replies:
            dispatcher.utter_message(text=reply)
        return []
