"""What keeps the web chat from losing a message: as the SMS channel does (sms_keep.py), every
message is kept in the shared spool (bot/channels/shared_spool.py) under its own id while it is
worked on; when no answer could be made (Rasa swallowed a failed or unreachable action: no
HANDLED mark), the carer is told kindly it will be answered, and a replica replays it when the
action server answers again. The answer is then delivered on the chat's socket.io session room
by whichever replica holds the browser's socket, now or when it reconnects (delivered once).

A mixin of SocketIOWebInput (bot/channels/socketio_web.py), which supplies sio, bot_message_evt
and namespace.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import os
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Optional

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage

from bot import crypto
from bot.channels import idempotency, identity, in_order, saved_turns, shared_spool
from bot.channels.models import CHANNEL_WEB
from bot.channels.sms_keep import _answers, health_url
from bot.dialogue.turn import HANDLED

logger = logging.getLogger("bot.channels.socketio_web")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

# What the carer sees when no answer could be made now (the assistant is restarting).
KEPT_NOTICE = ("Sorry, I can't answer just now. I've kept your message and will answer it here as soon as "
               "I can; you don't need to send it again. In an emergency call 999, or NHS 111 for urgent "
               "medical help.")
# Neither an answer nor a place to keep the message (the database is down too): say so plainly.
NOT_KEPT_NOTICE = ("Sorry, I can't answer just now. Please send your message again in a few minutes. In an "
                   "emergency call 999, or NHS 111 for urgent medical help.")
DEFAULT_REPLAY_INTERVAL = 10.0
DEFAULT_DB_TIMEOUT = 3.0

_DB_THREADS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="web-db")


def _env_seconds(name: str, default: float) -> float:
    try:
        return float(os.environ[name])
    except (KeyError, ValueError):
        return default


def session_hash(session_id: str) -> str:
    """The web session, as the spool names it: a keyed hash (the session id is a bearer secret)."""
    return crypto.keyed_hash(session_id, "web-session")[:64]


def _keep(message_id: str, sender: str, body: dict) -> bool:
    idempotency.keep_for_later(message_id, sender, body=body, channel=CHANNEL_WEB)
    return True


def _shown(messages: list[dict]) -> list[dict]:
    return [{k: v for k, v in m.items() if k != "recipient_id"} for m in messages if m.get("custom") != HANDLED]


class KeepsWebMessages:
    """Keeping, replaying and delivering web chat messages; see the module docstring."""

    sio: Any
    bot_message_evt: str
    namespace: Optional[str]
    _web_replayer: Optional[asyncio.Task] = None
    _web_renewer: Optional[asyncio.Task] = None
    _web_replay_stalled: bool = False  # the last replay stopped at a message the bot could not answer
    _app: Any = None  # the Sanic app, once serving: its agent's tracker store (saved_turns)

    def _output(self) -> OutputChannel:
        raise NotImplementedError

    @property
    def _held(self) -> dict[str, str]:
        """{message id: claim} of the messages this process is working on."""
        if "_web_held" not in self.__dict__:
            self.__dict__["_web_held"] = {}
        return self.__dict__["_web_held"]

    @property
    def _ns(self) -> str:
        return self.namespace or "/"

    async def _db(self, function: Callable[..., Any], *args: Any, default: Any, **kwargs: Any) -> Any:
        future = asyncio.get_running_loop().run_in_executor(_DB_THREADS, functools.partial(function, *args, **kwargs))
        try:
            return await asyncio.wait_for(future, timeout=_env_seconds("ONESTORY_SMS_DB_TIMEOUT", DEFAULT_DB_TIMEOUT))
        except asyncio.TimeoutError:
            logger.warning("%s timed out; carrying on without it", getattr(function, "__name__", "call"))
        except Exception as error:
            logger.warning("%s failed (%s)", getattr(function, "__name__", "call"), type(error).__name__)
        return default

    async def _run(self, session_id: str, message_id: str, text: str, on_new_message: OnNewMessage,
                   maybe_seen: bool = False) -> Optional[list[dict]]:
        """The messages Rasa answered with, or None when no answer could be made. `maybe_seen`: a
        replay; a turn of it the conversation already holds as handled is the answer."""
        if maybe_seen:
            saved = await saved_turns.answer_in_conversation(self._app, session_id, message_id)
            if saved is not None:
                logger.info("Web message %s was handled before its answer was recorded: answered from the "
                            "conversation", message_id)
                return _shown(saved)
        collector = CollectingOutputChannel()
        message = UserMessage(text, collector, session_id, input_channel="socketio", message_id=message_id,
                              metadata=identity.metadata(identity.WEB, session_id, message_id))
        try:
            await on_new_message(message)
        except Exception as error:
            logger.error("Bot failed on web message %s (%s)", message_id, type(error).__name__)
            return None
        if not any(m.get("custom") == HANDLED for m in collector.messages):
            return None
        return _shown(collector.messages)

    async def _send(self, session_id: str, messages: list[dict]) -> None:
        output = self._output()
        for message in messages:
            await output.send_response(session_id, dict(message))

    async def answer_web(self, session_id: str, message_id: str, text: str, on_new_message: OnNewMessage) -> None:
        """Answer one web chat message on its session, or keep it and say it will be answered."""
        sender = session_hash(session_id)
        body = {"session_id": session_id, "message_id": message_id, "text": text}
        claim = await self._db(idempotency.claim, message_id, sender, body=body, channel=CHANNEL_WEB, default=None)
        if claim is not None and claim.owner:
            self._held[message_id] = claim.owner
        try:
            # Older messages of this session go first, so answers keep their order; when one is
            # still unanswered, this one is kept behind it.
            in_order = claim is None or await self._after_older_ones(on_new_message, sender, message_id)
            messages = await self._run(session_id, message_id, text, on_new_message) if in_order else None
        finally:
            self._held.pop(message_id, None)
        if messages is None:
            kept = await self._db(_keep, message_id, sender, body, default=False)
            logger.warning("No answer from the bot for web message %s: %s", message_id,
                           "kept, to be answered later" if kept else "could not be kept (database unavailable)")
            await self._send(session_id, [{"text": KEPT_NOTICE if kept else NOT_KEPT_NOTICE}])
            return
        await self._send(session_id, messages)
        await self._db(shared_spool.answered_inline, message_id, default=None)

    async def _after_older_ones(self, on_new_message: OnNewMessage, sender: str, message_id: str) -> bool:
        """Answer the session's older messages first (in_order.after_older_ones)."""
        async def replay_older() -> bool:
            await self._replay_web(on_new_message, sender_hash=sender, before=message_id)
            return not self._web_replay_stalled

        async def older_unanswered() -> bool:
            return await self._db(shared_spool.older_unanswered, CHANNEL_WEB, sender, message_id, default=False)

        return await in_order.after_older_ones(
            replay_older, older_unanswered, wait_up_to=idempotency.default_stale_after().total_seconds() + 1.0,
            poll=0.2, what=f"Web message {message_id}")

    async def _replay_web(self, on_new_message: OnNewMessage, sender_hash: Optional[str] = None,
                          before: Optional[str] = None) -> int:
        """Answer kept web messages, oldest first; stop at the first still without an answer."""
        answered = 0
        self._web_replay_stalled = False
        while True:
            kept = await self._db(shared_spool.take_due, CHANNEL_WEB, exclude=tuple(self._held),
                                  sender_hash=sender_hash, before=before, default=None)
            if kept is None:
                break
            body = kept.body
            self._held[kept.sid] = kept.owner
            try:
                messages = await self._run(body["session_id"], kept.sid, body["text"], on_new_message,
                                           maybe_seen=True)
            finally:
                self._held.pop(kept.sid, None)
            if messages is None:
                await self._db(idempotency.keep_for_later, kept.sid, kept.sender_hash, default=None)
                self._web_replay_stalled = True
                break
            await self._db(shared_spool.store_late_reply, kept.sid, kept.owner, messages, default=None)
            answered += 1
        if answered:
            await self.deliver_kept_answers()
        return answered

    def _local_sessions(self) -> dict[str, str]:
        """{session hash: session id} of the sessions whose browsers are connected to this process."""
        rooms = getattr(self.sio.manager, "rooms", {}).get(self._ns, {})
        return {session_hash(room): room for room, members in rooms.items()
                if room and members and not isinstance(room, tuple)}

    async def deliver_kept_answers(self, session_id: Optional[str] = None) -> int:
        """Send answers made later to the browsers connected here (or to one session): once each."""
        sessions = {session_hash(session_id): session_id} if session_id else self._local_sessions()
        waiting = await self._db(shared_spool.undelivered, CHANNEL_WEB, list(sessions), default=[])
        sent = 0
        for sid, sender, messages in waiting:
            if await self._db(shared_spool.mark_delivered, sid, default=False):
                await self._send(sessions[sender], messages)
                sent += 1
        return sent

    async def replay_web_forever(self, on_new_message: OnNewMessage, action_url: Optional[str]) -> None:
        interval = _env_seconds("ONESTORY_WEB_REPLAY_INTERVAL",
                                _env_seconds("ONESTORY_SMS_REPLAY_INTERVAL", DEFAULT_REPLAY_INTERVAL))
        check = health_url(action_url)
        while True:
            await asyncio.sleep(interval)
            try:
                if await self._db(shared_spool.waiting, CHANNEL_WEB, default=False) and \
                        (not check or await asyncio.to_thread(_answers, check)):
                    await self._replay_web(on_new_message)
                await self.deliver_kept_answers()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the next round tries again
                logger.warning("Replaying kept web messages failed (%s)", type(error).__name__)

    async def renew_web_forever(self) -> None:
        """Keep renewing the claims on the messages this process is working on, so that a slow
        answer (a busy machine) is not taken for a dead process's and answered twice elsewhere.
        A task of its own: a long replay must not hold the renewals up."""
        every = max(idempotency.default_stale_after().total_seconds() / 4, 0.5)
        while True:
            await asyncio.sleep(every)
            if self._held:
                await self._db(shared_spool.renew, dict(self._held), default=None)
