"""What keeps the SMS channel from losing a message: held on disk while it is worked on, kept
when no answer could be made, replayed through Rasa until it is answered (through the outbox),
and database calls bounded in time.

A mixin of TwilioSmsInput (bot/channels/twilio_sms.py), which supplies _run_bot, _outbox and
_log_reply. The row in inbound_messages (bot/channels/idempotency.py) decides who answers a
message; the file in the spool (bot/records/spool.py) holds its words until then.
"""
from __future__ import annotations

import asyncio
import functools
import logging
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from datetime import timedelta
from typing import Any, Optional

from rasa.core.channels.channel import UserMessage

from bot.channels import idempotency, in_order, shared_spool
from bot.channels.models import CHANNEL_SMS
from bot.records import spool

logger = logging.getLogger("bot.channels.twilio_sms")

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]

def health_url(action_endpoint_url: Optional[str]) -> Optional[str]:
    """The action server's health check, from the URL Rasa calls it on (".../webhook")."""
    if not action_endpoint_url:
        return None
    parts = urllib.parse.urlsplit(action_endpoint_url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, "/health", "", ""))


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (OSError, ValueError):
        return False


# Database calls run here, not in the event loop's default pool: calls stuck on a hanging
# database must not starve everything else that uses threads.
_DB_THREADS = ThreadPoolExecutor(max_workers=16, thread_name_prefix="sms-db")


@dataclass
class Inbound:
    sid: Optional[str]  # None: untracked (no usable MessageSid, or the database is down)
    e164: str
    phone_hash: str
    text: str
    num_media: int
    key: str = ""  # the message's own id: its MessageSid, or one given on arrival

    def __post_init__(self) -> None:
        self.key = self.key or self.sid or f"untracked-{uuid.uuid4().hex}"

    @property
    def who(self) -> str:
        return self.phone_hash[:8]


@dataclass
class Job:
    inbound: Inbound
    owner: Optional[str] = None  # the claim on the message's row, when there is one
    late: bool = False  # the webhook answered without this job's replies (holding reply, or hung up)
    taken_over: bool = False  # its claim was taken over from a process that died: it may have been handled
    untracked: Optional[str] = None  # the MessageSid, when its claim could not be made in time


@dataclass
class Result:
    replies: list[str]
    handled: bool  # False: no answer could be made; the message is kept for later


class KeepsMessages:
    """Holding, keeping and replaying inbound SMS; bounded database calls."""

    db_timeout: float
    replay_interval: float
    stale_after: timedelta
    _in_hand: dict[str, Optional[str]]  # key -> the claim (owner) this process works on it under
    _replay_stalled: bool = False

    async def _run_bot(self, inbound: Inbound, on_new_message: OnNewMessage, maybe_seen: bool = False) -> Result:
        raise NotImplementedError

    def _outbox(self, function: str) -> Callable[..., Any]:
        raise NotImplementedError

    def _log_reply(self, inbound: Inbound, replies: list[str], late: bool = False) -> None:
        raise NotImplementedError

    async def _finish_late(self, job: Job, result: Result) -> None:
        """The webhook has gone: text the answer (outbox), or keep the message if there is none."""
        inbound = job.inbound
        if not result.handled:
            logger.warning("No answer from the bot for %s: kept, to be answered later", inbound.key)
            await self._keep_for_later(job, None)
            return
        replies = result.replies
        if await self._db(self._outbox("is_opted_out"), inbound.phone_hash, default=False):
            replies = []  # they texted STOP while the bot was thinking
        finished = await self._db(idempotency.finish, inbound.key, job.owner, inbound.phone_hash, inbound.e164,
                                  replies, default=None)
        if not finished:
            # The database is unavailable, or another claim holds the message (maybe one made
            # by a call that timed out): keep it. The replay answers it, once, from the record.
            self._hold(inbound, owner=job.owner, queued=True)
            return
        spool.release(inbound.key)
        self._log_reply(inbound, replies, late=True)

    async def _keep_for_later(self, job: Job, notice: Optional[list[str]]) -> None:
        self._hold(job.inbound, owner=job.owner, queued=True)
        body = asdict(job.inbound) if job.inbound.sid else None
        await self._db(idempotency.keep_for_later, job.inbound.key, job.inbound.phone_hash, notice, body=body,
                       default=None)

    def _hold(self, inbound: Inbound, owner: Optional[str] = None, queued: bool = False) -> None:
        """Keep the message on disk (encrypted) under its own id until it is answered.

        `queued`: no answer is being worked on; the replay may take it at once.
        """
        data = {**asdict(inbound), "owner": owner, "queued": queued}
        try:
            spool.hold(inbound.key, data, replace=queued)
        except OSError as error:
            logger.error("Could not keep SMS %s (%s)", inbound.key, type(error).__name__)

    async def replay_kept(self, on_new_message: OnNewMessage) -> int:
        """Answer kept messages through the outbox, oldest first; stop at the first the bot still
        cannot answer. Returns how many were answered."""
        answered = 0
        self._replay_stalled = False
        kept = await asyncio.to_thread(spool.held)  # files, not the database: not in the database's pool
        for data, written in kept:
            inbound = Inbound(**{name: data.get(name) for name in ("sid", "e164", "phone_hash", "text",
                                                                      "num_media", "key")})
            if inbound.key in self._in_hand:
                continue
            if not data.get("queued") and time.time() - written < self.stale_after.total_seconds():
                continue  # written ahead by a process that may still be working on it
            if inbound.sid and await self._db(shared_spool.older_unanswered, CHANNEL_SMS, inbound.phone_hash,
                                              inbound.key, default=False):
                continue  # behind an older message of its conversation: the shared replay takes both in order
            claim = await self._db(idempotency.take_for_replay, inbound.key, inbound.phone_hash, self.stale_after,
                                   data.get("owner"), default=None)
            if claim is None:
                break  # the database is unavailable: later
            if claim.state in (idempotency.ANSWERED, idempotency.CONFLICT):
                spool.release(inbound.key)
                continue
            if claim.state == idempotency.PENDING:
                continue
            job = Job(inbound, owner=claim.owner, late=True)
            self._in_hand[inbound.key] = claim.owner
            try:
                result = await self._run_bot(inbound, on_new_message, maybe_seen=True)
                await self._finish_late(job, result)
            finally:
                self._in_hand.pop(inbound.key, None)
            if not result.handled:
                self._replay_stalled = True
                break  # the bot is still down: keep the order, try again later
            answered += 1
        if not self._replay_stalled:
            answered += await self._replay_shared(on_new_message)
        if answered:
            logger.info("Answered %d kept SMS message(s)", answered)
        return answered

    async def _replay_shared(self, on_new_message: OnNewMessage, sender_hash: Optional[str] = None,
                             before: Optional[str] = None) -> int:
        """Answer messages waiting in the shared spool (the database), whichever replica took
        them in, oldest first; stop at the first the bot still cannot answer. `sender_hash` and
        `before`: only that conversation's messages older than the one being answered."""
        answered = 0
        while True:
            kept = await self._db(shared_spool.take_due, CHANNEL_SMS, self.stale_after, tuple(self._in_hand),
                                  sender_hash=sender_hash, before=before, default=None)
            if kept is None:
                return answered
            fields = {name: kept.body.get(name) for name in ("sid", "e164", "phone_hash", "text", "num_media", "key")}
            inbound = Inbound(**fields)
            job = Job(inbound, owner=kept.owner, late=True)
            self._in_hand[inbound.key] = kept.owner
            try:
                result = await self._run_bot(inbound, on_new_message, maybe_seen=True)
                if result.handled:
                    await self._finish_late(job, result)
                else:  # back to waiting, in its place: no rewrite of a kept file (its age is its order)
                    await self._db(idempotency.keep_for_later, inbound.key, inbound.phone_hash, default=None)
            finally:
                self._in_hand.pop(inbound.key, None)
            if not result.handled:
                self._replay_stalled = True
                return answered
            answered += 1

    async def _after_older_ones(self, inbound: Inbound, on_new_message: OnNewMessage) -> bool:
        """Answer this conversation's older messages first (in_order.after_older_ones)."""
        async def replay_older() -> bool:
            await self._replay_shared(on_new_message, sender_hash=inbound.phone_hash, before=inbound.sid)
            return not self._replay_stalled

        async def older_unanswered() -> bool:
            return await self._db(shared_spool.older_unanswered, CHANNEL_SMS, inbound.phone_hash, inbound.sid,
                                  default=False)

        wait_up_to = self.stale_after.total_seconds() + max(self.replay_interval, 1.0)
        return await in_order.after_older_ones(replay_older, older_unanswered, wait_up_to=wait_up_to,
                                               poll=max(self.poll_interval, 0.2), what=f"SMS {inbound.key}")

    async def _replay_forever(self, on_new_message: OnNewMessage, health_url: Optional[str]) -> None:
        """Replay every replay_interval while messages are kept and the action server answers
        its health check. Each try is a turn in the conversation's history, so one that still
        gets no answer makes the next wait longer (up to five minutes)."""
        stalled = 0
        while True:
            await asyncio.sleep(min(self.replay_interval * 2 ** stalled, max(self.replay_interval, 300.0)))
            try:
                if not await asyncio.to_thread(spool.holding) and \
                        not await self._db(shared_spool.waiting, CHANNEL_SMS, default=False):
                    continue
                if health_url and not await asyncio.to_thread(_answers, health_url):
                    continue
                await self.replay_kept(on_new_message)
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the next round tries again
                logger.warning("Replaying kept SMS failed (%s)", type(error).__name__)
            stalled = min(stalled + 1, 5) if self._replay_stalled else 0

    async def _renew_forever(self) -> None:
        """Keep renewing the claims on the messages this process is working on, so that a slow
        answer (a busy machine) is not taken for a dead process's and answered twice elsewhere."""
        every = max(self.stale_after.total_seconds() / 4, 0.5)
        while True:
            await asyncio.sleep(every)
            held = {key: owner for key, owner in self._in_hand.items() if owner}
            if held:
                await self._db(shared_spool.renew, held, default=None)

    async def _db(self, function: Callable[..., Any], *args: Any, default: Any, **kwargs: Any) -> Any:
        """Run a blocking database call off the event loop, for at most db_timeout seconds;
        on any failure (or a database that hangs) log and return default."""
        name = getattr(function, "__name__", "call")
        future = asyncio.get_running_loop().run_in_executor(_DB_THREADS, functools.partial(function, *args, **kwargs))
        try:
            return await asyncio.wait_for(future, timeout=self.db_timeout)
        except asyncio.TimeoutError:
            logger.warning("%s took longer than %.1f s; carrying on without it", name, self.db_timeout)
        except Exception as error:
            logger.warning("%s failed (%s)", name, type(error).__name__)
        return default
