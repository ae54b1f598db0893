"""Driving the real actions through rasa_sdk's Tracker and CollectingDispatcher."""
from __future__ import annotations

import asyncio
import secrets
import uuid
from typing import Optional

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import actions as registry
from bot.channels import identity
from bot.phone import sender_id_for_phone

ACTION_FOR_INTENT = {
    "greet": "action_greet", "affirm": "action_affirm", "deny": "action_deny",
    "tell_fact": "action_store_facts", "ask_record": "action_show_record",
    "correct_fact": "action_correct_record", "add_family_member": "action_invite_member",
    "ask_responsible": "action_who_is_responsible", "report_service_problem": "action_report_service",
    "request_human": "action_hand_off", "urgent_risk": "action_urgent_help", "bot_help": "action_help",
    "more_detail": "action_more_detail", "withdraw_consent": "action_withdraw_consent",
    "nlu_fallback": "action_fallback", "thank": "action_thank", "goodbye": "action_goodbye",
}


def action_named(name: str):
    for value in vars(registry).values():
        is_action = isinstance(value, type) and issubclass(value, registry.DialogueAction)
        if is_action and value is not registry.DialogueAction:
            action = value()
            if action.name() == name:
                return action
    raise KeyError(name)


class Conversation:
    """One person talking to the bot: keeps their conversation's events like Rasa would."""

    input_channel = ""

    def __init__(self, sender_id: str):
        self.sender_id = sender_id
        self.events: list[dict] = [{"event": "action", "name": "action_session_start"}]

    def metadata(self, message_id: str) -> dict:
        return {}

    def say(self, text: str, intent: str, action: Optional[str] = None) -> list[str]:
        message_id = uuid.uuid4().hex
        self.events.append({"event": "user", "text": text, "input_channel": self.input_channel,
                            "message_id": message_id, "metadata": self.metadata(message_id),
                            "parse_data": {"intent": {"name": intent, "confidence": 0.9}}})
        tracker = Tracker(self.sender_id, {}, {"text": text, "intent": {"name": intent, "confidence": 0.9},
                                               "entities": []},
                          self.events, False, None, {}, "action_listen")
        dispatcher = CollectingDispatcher()
        asyncio.run(action_named(action or ACTION_FOR_INTENT[intent]).run(dispatcher, tracker, {}))
        replies = [m["text"] for m in dispatcher.messages if m.get("text")]
        self.events += [{"event": "bot", "text": r} for r in replies]
        return replies


class Phone(Conversation):
    """One carer texting the bot through the Twilio channel (which signs who is texting)."""

    input_channel = "twilio"

    def __init__(self, number: str):
        super().__init__(sender_id_for_phone(number))
        self.number = number

    def metadata(self, message_id: str) -> dict:
        return identity.metadata(identity.SMS, self.sender_id, message_id, self.number)


def said(replies: list[str]) -> str:
    return "\n".join(replies).lower()


class Web(Conversation):
    """One browser using the web chat (our socketio channel, which signs the session): no phone,
    a random session id."""

    input_channel = "socketio"

    def __init__(self, sender_id: Optional[str] = None):
        super().__init__(sender_id or secrets.token_hex(16))

    def metadata(self, message_id: str) -> dict:
        return identity.metadata(identity.WEB, self.sender_id, message_id)
