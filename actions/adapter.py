"""Turning a Rasa tracker into a dialogue Turn, and the Turn's replies into utterances."""
from __future__ import annotations

import abc
import asyncio
import logging
import os
from typing import Optional

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.channels import identity
from bot.db import session_scope
from bot.dialogue import router
from bot.dialogue.turn import HANDLED, Turn
from bot.phone import phone_hash as hash_of_phone
from bot.records import web_links

log = logging.getLogger(__name__)

# Channels that keep a turn left without the HANDLED mark and ask again (bot/channels/sms_keep.py).
# Only the choice of apology rests on the channel's name, never who is talking.
# Channels that keep a message left unanswered and replay it (bot/channels/sms_keep.py, web_keep.py).
KEEPING_CHANNELS = {"twilio", "socketio"}
DEFAULT_TURN_TIMEOUT = 30.0
SORRY = ("Sorry, something went wrong on my side and I couldn't do that just now. Please try again in a "
         "few minutes, or text PERSON to reach someone. In an emergency call 999.")
TRY_AGAIN = ("Sorry, I can't answer that just now. Please send it again in a few minutes. In an emergency "
             "call 999, or NHS 111 for urgent medical help.")


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
    asserted = asserted_identity(tracker.sender_id, latest)
    phone_hash: Optional[str] = None
    phone: Optional[str] = None
    if asserted is not None and asserted.channel == identity.SMS:
        phone, phone_hash = asserted.phone_e164, hash_of_phone(asserted.phone_e164 or "")
    elif asserted is not None and asserted.channel == identity.WEB:
        # A web session of our own: linked to a family member only by a texted code.
        phone_hash, phone = _web_link(tracker.sender_id)
    # Anything else (Rasa's REST channel, a forged or copied assertion) is an anonymous visitor.
    message = tracker.latest_message or {}
    confidence = float((message.get("intent") or {}).get("confidence") or 0.0)
    return Turn(
        sender_key=tracker.sender_id,
        channel="sms" if asserted is not None and asserted.channel == identity.SMS else "web",
        text=message.get("text") or "",
        intent=intent,
        confidence=confidence,
        phone_hash=phone_hash,
        phone_e164=phone,
        previous_texts=_earlier_texts(tracker.sender_id, users[:-1], asserted),
        previous_exchange=_exchange(tracker),
    )


def asserted_identity(sender_id: str, user_event: dict, quiet: bool = False) -> Optional[identity.Identity]:
    """Who the message is from, as one of our channels signed it; None for anyone else.

    Never the event's `input_channel` or any other metadata: a REST client writes those itself.
    """
    metadata = user_event.get("metadata")
    token = metadata.get(identity.METADATA_KEY) if isinstance(metadata, dict) else None
    if token is None:
        return None
    found = identity.verify(token, sender_id, user_event.get("message_id"))
    if found is None and not quiet:
        log.warning("message with an identity that does not verify: treated as anonymous")
    return found


def _earlier_texts(sender_id: str, earlier: list[dict], asserted: Optional[identity.Identity]) -> list[str]:
    """The last three earlier messages asserted by the same channel (noted once consent is given):
    words written into this conversation by anyone else are never put in the record as theirs."""
    channel = asserted.channel if asserted is not None else None
    texts = []
    for event in earlier[-3:]:
        found = asserted_identity(sender_id, event, quiet=True)
        if (found.channel if found is not None else None) == channel:
            texts.append(event.get("text") or "")
    return texts


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

        async def answer() -> list[str]:
            # Off the event loop too: a web turn looks its link up in the database.
            turn = await loop.run_in_executor(None, turn_from_tracker, tracker, self.topic)
            turn.message_id = (tracker.latest_message or {}).get("message_id") or None
            # Database work blocks; keep the action server's event loop free for other carers.
            return await loop.run_in_executor(None, router.respond, turn)

        try:
            replies = await asyncio.wait_for(answer(), timeout=turn_timeout())
        except asyncio.TimeoutError:
            # A database that hangs. The SMS channel and the web chat keep a turn left unmarked
            # and ask again (the stored answer is given if this one finishes); any other caller
            # is asked to send the message again.
            log.warning("action %s: no answer within %.0f s", self.name(), turn_timeout())
            if tracker.get_latest_input_channel() in KEEPING_CHANNELS:
                return []
            replies = [TRY_AGAIN]
        except Exception:  # never a traceback to a carer; the log has it (without the message)
            log.exception("action %s failed", self.name())
            replies = [SORRY]
        for reply in replies:
            dispatcher.utter_message(text=reply)
        dispatcher.utter_message(json_message=HANDLED)
        return []


def turn_timeout() -> float:
    """Seconds a turn may take before the action gives up on it (well inside Rasa's own wait)."""
    try:
        return max(float(os.environ.get("ONESTORY_TURN_TIMEOUT") or DEFAULT_TURN_TIMEOUT), 0.1)
    except ValueError:
        return DEFAULT_TURN_TIMEOUT
