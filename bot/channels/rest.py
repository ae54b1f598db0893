"""Rasa's REST channel, for anonymous visitors only.

Configured in credentials.yml as `bot.channels.rest.RestInput:` instead of `rest:`. It keeps the
name "rest" and the URL (POST /webhooks/rest/webhook, {"sender": ..., "message": ...}, answered
with a JSON list of messages), but unlike Rasa's own:

- it ignores any `input_channel` and `metadata` in the request: the message carries no identity,
  so the action adapter treats the caller as an anonymous visitor (questions about services;
  nothing from any record, no invitation confirmed, no web chat linked);
- the client's sender becomes "rest-" + a keyed hash of it, so a REST caller can never write into
  an SMS or web chat conversation, whatever sender it names;
- a body that is not {"sender": string, "message": string} gets a 400, never a 500;
- no message text is logged (Rasa's logs it when a message fails).

Production turns it off (deploy/credentials.production.yml has no REST channel).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Optional

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot import crypto
from bot.dialogue.turn import HANDLED

logger = logging.getLogger(__name__)

SENDER_PREFIX = "rest-"
MAX_SENDER_CHARS = 128
MAX_MESSAGE_CHARS = 2000


def sender_id_for(client_sender: str) -> str:
    """The Rasa sender id for a REST client's sender: in a namespace no other channel uses."""
    return SENDER_PREFIX + crypto.keyed_hash(client_sender, "rest-sender")[:40]


def _bad(reason: str) -> HTTPResponse:
    return response.json({"error": reason}, status=400)


class RestInput(InputChannel):
    """POST /webhooks/rest/webhook for anonymous visitors; see the module docstring."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> RestInput:
        return cls()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        rest = Blueprint("onestory_rest", __name__)

        @rest.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @rest.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = json.loads(request.body or b"")
            except (ValueError, UnicodeDecodeError):
                return _bad("the body must be JSON: {\"sender\": \"...\", \"message\": \"...\"}")
            if not isinstance(body, dict):
                return _bad("the body must be a JSON object")
            sender, text = body.get("sender"), body.get("message")
            if not isinstance(sender, str) or not sender.strip() or len(sender) > MAX_SENDER_CHARS:
                return _bad(f"'sender' must be a string of 1 to {MAX_SENDER_CHARS} characters")
            if not isinstance(text, str):
                return _bad("'message' must be a string")
            collector = CollectingOutputChannel()
            # No metadata, and this channel's own name: whatever the client claimed is dropped.
            message = UserMessage(text[:MAX_MESSAGE_CHARS], collector, sender_id_for(sender),
                                  input_channel=self.name(), metadata=None)
            try:
                await on_new_message(message)
            except Exception as error:
                logger.error("REST message failed (%s)", type(error).__name__)
            # The action's "handled" mark is for the SMS channel's bookkeeping, not for the client.
            return response.json([m for m in collector.messages if m.get("custom") != HANDLED])

        return rest
