"""Rasa's socket.io channel, with persistent sessions that work and session ids that are safe.

Configured in credentials.yml as `bot.channels.socketio_web.SocketIOWebInput:` with the same keys
as Rasa's `socketio:` (user_message_evt, bot_message_evt, session_persistence). Its name is still
"socketio" and it still listens on /socket.io, so the web chat widget (and any widget that speaks
Rasa's socket.io protocol) works unchanged.

Why not Rasa's own: with session_persistence, Rasa 3.6's SocketIOInput calls
`sio.enter_room(...)` without awaiting it, and python-socketio 5.x made that a coroutine, so the
browser never joins its session's room and never receives a reply ("coroutine
'AsyncServer.enter_room' was never awaited"). Two further changes, because a web session can be
linked to a family record (bot/records/web_links.py) and its id is then a bearer secret:
- a session id the client proposes is kept only if it looks like one we issued (32+ URL-safe
  characters, not an SMS pseudonym); otherwise the server issues a fresh random one;
- a message is accepted only for the session id this socket was confirmed in, and the client's
  own metadata is dropped (nothing a browser sends can claim to be an SMS sender);
- each message carries a signed web identity (bot/channels/identity.py) for that session id;
- no message is lost: a message no answer could be made for is kept and answered later, on the
  session's room (bot/channels/web_keep.py).
"""
from __future__ import annotations

import asyncio
import logging
import re
import secrets
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Optional

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot.channels.web_keep import KeepsWebMessages
from bot.dialogue.turn import HANDLED

logger = logging.getLogger(__name__)

SESSION_ID = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
MAX_MESSAGE_CHARS = 2000


# Sender ids other channels use: a browser may speak neither as a phone nor into a REST conversation.
OTHER_CHANNELS_PREFIXES = ("sms-", "rest-")


def acceptable_session_id(value: Any) -> bool:
    return isinstance(value, str) and bool(SESSION_ID.match(value)) and not value.startswith(OTHER_CHANNELS_PREFIXES)


def new_session_id() -> str:
    return secrets.token_hex(16)


class WebOutput(SocketIOOutput):
    """Rasa's socket.io output, without the action's "handled" mark (bookkeeping, not a message)."""

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        if json_message == HANDLED:
            return
        await super().send_custom_json(recipient_id, json_message, **kwargs)


class SocketIOWebInput(KeepsWebMessages, SocketIOInput):
    """Rasa's socketio input channel, fixed for python-socketio 5 and hardened for linked sessions."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        socketio_webhook = super().blueprint(on_new_message)
        sio = self.sio
        assert sio is not None

        # Registering an event again replaces Rasa's handler for it.
        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Optional[dict]) -> None:
            proposed = data.get("session_id") if isinstance(data, dict) else None
            session_id = proposed if acceptable_session_id(proposed) else new_session_id()
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=self.namespace)
            await sio.save_session(sid, {"session_id": session_id}, namespace=self.namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
            if self.session_persistence and session_id == proposed:
                await self.deliver_kept_answers(session_id)  # answers made while it was away

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any) -> None:
            if not isinstance(data, dict) or not isinstance(data.get("message"), str):
                return
            if self.session_persistence:
                confirmed = (await sio.get_session(sid, namespace=self.namespace)).get("session_id")
                if not confirmed or data.get("session_id") != confirmed:
                    logger.warning("socket.io message for a session this socket was not confirmed in: ignored")
                    return
                sender_id = confirmed
            else:
                sender_id = sid
            # Each message has its own id; it is kept under it until answered (bot/channels/web_keep.py),
            # and carries a signed "this is that web session" (bot/channels/identity.py): the action
            # server looks up a code-verified link only for sessions this channel vouches for.
            await self.answer_web(sender_id, uuid.uuid4().hex, data["message"][:MAX_MESSAGE_CHARS], on_new_message)

        @socketio_webhook.listener("after_server_start")
        async def start_replaying(app: Any, *_: Any) -> None:
            self._app = app
            if self._web_renewer is None:
                self._web_renewer = asyncio.ensure_future(self.renew_web_forever())
            if self._web_replayer is None:
                endpoint = getattr(getattr(app.ctx, "agent", None), "action_endpoint", None)
                self._web_replayer = asyncio.ensure_future(
                    self.replay_web_forever(on_new_message, getattr(endpoint, "url", None)))

        @socketio_webhook.listener("before_server_stop")
        async def stop_replaying(*_: Any) -> None:
            if self._web_renewer is not None:
                self._web_renewer.cancel()
                self._web_renewer = None
            if self._web_replayer is not None:
                self._web_replayer.cancel()
                await asyncio.gather(self._web_replayer, return_exceptions=True)
                self._web_replayer = None

        return socketio_webhook

    def _output(self) -> WebOutput:
        assert self.sio is not None
        return WebOutput(self.sio, self.bot_message_evt)
