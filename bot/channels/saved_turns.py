"""A message the conversation already holds as handled is answered from it, not handled again.

Rasa saves a turn (the carer's message, the bot's replies and the dialogue's HANDLED mark) before
the channel records that the message was answered. A Rasa process killed between the two leaves
a message that looks unanswered to the spool. Replaying it through Rasa would put it into the
conversation a second time. So before a message that may have been seen is run (a replay, or a
retry taking over a dead process's claim), the conversation is read: when it holds the message
with the HANDLED mark, the replies saved with it are the answer.

A message whose turn was saved without the mark (the action server was down) is run again: it was
never answered, and the dialogue's own record (bot/dialogue/answered.py) still keeps its work
from being done twice.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, Optional

from rasa.shared.core.events import BotUttered, Event, UserUttered

from bot.dialogue.turn import HANDLED

logger = logging.getLogger("bot.channels.saved_turns")


def saved_answer(events: Iterable[Event], message_id: str) -> Optional[list[dict[str, Any]]]:
    """The messages a handled turn of `message_id` answered with, as Rasa's collecting output
    channel gives them (HANDLED mark included); None when no handled turn of it is saved."""
    turn: Optional[list[dict[str, Any]]] = None  # the replies of the copy of the message being read
    for event in events:
        if isinstance(event, UserUttered):
            if turn is not None and {"custom": HANDLED} in turn:
                return turn
            turn = [] if event.message_id == message_id else None
        elif isinstance(event, BotUttered) and turn is not None:
            message = {key: value for key, value in (event.data or {}).items() if value is not None}
            if message.get("custom") == HANDLED:
                turn.append({"custom": HANDLED})
                continue
            if event.text:
                message["text"] = event.text
            if message:
                turn.append(message)
    return turn if turn is not None and {"custom": HANDLED} in turn else None


async def answer_in_conversation(app: Any, sender_id: str, message_id: str) -> Optional[list[dict[str, Any]]]:
    """saved_answer() over the conversation as Rasa's tracker store holds it now; None when
    there is no such turn, or the conversation cannot be read (the message then goes to Rasa)."""
    agent = getattr(getattr(app, "ctx", None), "agent", None)
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return None
    try:
        tracker = await store.retrieve(sender_id)
    except Exception as error:  # unreadable: Rasa reads it again itself, and says so
        logger.warning("Could not read the conversation before a replay (%s)", type(error).__name__)
        return None
    if tracker is None:
        return None
    return saved_answer(tracker.events, message_id)
