"""The Twilio SMS input channel: signed, idempotent, answering in TwiML.

Configured in credentials.yml as `bot.channels.twilio_sms.TwilioSmsInput:` (every key optional,
falling back to bot.settings.twilio_settings()); Rasa mounts it at /webhooks/twilio/:

  POST /webhooks/twilio/webhook  inbound SMS (Twilio's form fields), answered with TwiML
  POST /webhooks/twilio/status   delivery status callbacks for messages the outbox sent
  GET  /webhooks/twilio/         health

Rasa's own TwilioInput is deliberately not used: it checks no signature, processes a retried
webhook twice and fails on a message without a Body.

No message is lost. Every dialogue action marks the turns it handled (bot.dialogue.turn.HANDLED);
when Rasa produced no mark (the action server down, restarting or crashed: Rasa swallows the
failed action), the message is kept (bot/records/spool.py, under its MessageSid), the carer is
told it will be answered, and the channel replays it through Rasa until it is, answering through
the outbox. Database calls are bounded in time, and the work on a message runs apart from the
request, so Twilio hanging up (at 15 s) never cancels it; a message held by a process that died
is taken over by the next copy or by the replay once its claim is stale.

Privacy: Rasa never sees the phone number (the sender id is a keyed-hash pseudonym), and
nothing here logs a message body or a number; at most a short prefix of the number's hash.
"""
from __future__ import annotations

import asyncio
import importlib
import logging
import os
import re
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from types import ModuleType
from typing import Any, Optional
from urllib.parse import parse_qsl

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from bot.channels import idempotency, identity, rasa_fast_paths, saved_turns
from bot.channels import sms_keywords as kw
from bot.channels.sms_keep import Inbound, Job, KeepsMessages, OnNewMessage, Result, health_url
from bot.channels.sms_text import segment_info, sms_messages, split_message
from bot.dialogue.turn import HANDLED
from bot.phone import normalise, phone_hash, sender_id_for_phone
from bot.records import spool
from bot.settings import twilio_settings

rasa_fast_paths.install()  # Rasa loads this module: see bot/channels/rasa_fast_paths.py

logger = logging.getLogger(__name__)

DEFAULT_REPLY_TIMEOUT = 11.0  # Twilio gives up on a webhook after 15 s
DEFAULT_DUPLICATE_WAIT = 12.0  # how long a retried copy waits for the first copy's answer (within the above)
DEFAULT_POLL_INTERVAL = 0.2
DEFAULT_DB_TIMEOUT = 3.0  # one database call from the webhook; a database that hangs must not hang us
DEFAULT_REPLAY_INTERVAL = 10.0  # how often kept messages are tried again
# Twilio delivers at most 1,600 characters; anything longer did not come from a phone.
MAX_INBOUND_CHARS = 1600
MAX_FORM_FIELDS = 200

_SID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_FAILED = object()


class _Params(dict):
    """Form fields as lists of values; getall() is what twilio's RequestValidator looks for."""

    def getall(self, name: str) -> list[str]:
        return self[name]

    def first(self, name: str) -> Optional[str]:
        values = self.get(name)
        return values[0] if values else None


def _env_seconds(name: str, default: float) -> float:
    try:
        return float(os.environ[name])
    except (KeyError, ValueError):
        return default


def _clean_text(raw: Optional[str]) -> str:
    text = _CONTROL.sub("", raw or "").replace("\r\n", "\n")
    # Some carriers turn GSM's "@" into "¡" on the way through.
    text = text.replace("¡", "@")
    if len(text) > MAX_INBOUND_CHARS:
        text = split_message(text, MAX_INBOUND_CHARS)[0]  # up to a sentence end where there is one
    return text.strip()


def _int(raw: Optional[str]) -> int:
    try:
        return max(0, min(int((raw or "0").strip()), 100))
    except ValueError:
        return 0


def _render(message: dict) -> str:
    """One collected bot message as SMS text (buttons become a list the carer can type from)."""
    lines = [str(message.get("text") or "")]
    for button in message.get("buttons") or []:
        title = button.get("title") if isinstance(button, dict) else None
        if title:
            lines.append(f"- {title}")
    for key in ("image", "attachment"):
        if isinstance(message.get(key), str):
            lines.append(message[key])
    return "\n".join(line for line in lines if line.strip())


def _twiml(messages: list[str]) -> HTTPResponse:
    twiml = MessagingResponse()
    for message in messages:
        twiml.message(message)
    return response.text(str(twiml), content_type="text/xml; charset=utf-8")


class TwilioSmsInput(KeepsMessages, InputChannel):
    """Rasa input channel for SMS through Twilio."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Optional[dict[str, Any]]) -> TwilioSmsInput:
        credentials = credentials or {}
        # Timings from credentials.yml, else from the environment (tests shorten them), else defaults.
        return cls(
            auth_token=credentials.get("auth_token") or None,
            public_base_url=credentials.get("public_base_url") or None,
            reply_timeout=float(credentials.get("reply_timeout")
                                or _env_seconds("ONESTORY_SMS_REPLY_TIMEOUT", DEFAULT_REPLY_TIMEOUT)),
            duplicate_wait=float(credentials.get("duplicate_wait") or DEFAULT_DUPLICATE_WAIT),
            db_timeout=float(credentials.get("db_timeout")
                             or _env_seconds("ONESTORY_SMS_DB_TIMEOUT", DEFAULT_DB_TIMEOUT)),
            replay_interval=float(credentials.get("replay_interval")
                                  or _env_seconds("ONESTORY_SMS_REPLAY_INTERVAL", DEFAULT_REPLAY_INTERVAL)),
        )

    def __init__(
        self,
        auth_token: Optional[str] = None,
        public_base_url: Optional[str] = None,
        reply_timeout: float = DEFAULT_REPLY_TIMEOUT,
        duplicate_wait: float = DEFAULT_DUPLICATE_WAIT,
        poll_interval: float = DEFAULT_POLL_INTERVAL,
        outbox: Optional[ModuleType] = None,
        db_timeout: float = DEFAULT_DB_TIMEOUT,
        replay_interval: float = DEFAULT_REPLAY_INTERVAL,  # 0: no background replay (tests call replay_kept)
        stale_after: Optional[timedelta] = None,
    ) -> None:
        settings = twilio_settings()
        self.auth_token = auth_token or settings.auth_token
        # The URL Twilio was given, never one rebuilt from Host or X-Forwarded-* headers,
        # which whoever sends the request controls.
        self.public_base_url = (public_base_url or settings.public_base_url).rstrip("/")
        self.reply_timeout = reply_timeout
        self.duplicate_wait = duplicate_wait
        self.poll_interval = poll_interval
        self.db_timeout = db_timeout
        self.replay_interval = replay_interval
        self.stale_after = stale_after if stale_after is not None else idempotency.default_stale_after()
        self._outbox_module = outbox
        self._background: set[asyncio.Task] = set()
        self._in_hand: dict[str, Optional[str]] = {}  # messages this process is working on, and their claims
        self._renewer: Optional[asyncio.Task] = None
        self._replayer: Optional[asyncio.Task] = None
        self._app: Any = None  # the Sanic app, once serving

    # ------------------------------------------------------------------ routes

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        twilio_sms = Blueprint("twilio_sms", __name__)

        @twilio_sms.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @twilio_sms.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            try:
                return await self._webhook(request, on_new_message)
            except Exception as error:  # never a 500: Twilio would show the carer nothing useful
                logger.error("SMS webhook failed (%s)", type(error).__name__)
                return _twiml(sms_messages([kw.ERROR_REPLY]))

        @twilio_sms.route("/status", methods=["POST"])
        async def status(request: Request) -> HTTPResponse:
            try:
                return await self._status(request)
            except Exception as error:
                logger.error("SMS status callback failed (%s)", type(error).__name__)
                return response.empty(status=503)

        @twilio_sms.listener("after_server_start")
        async def start_replaying(app: Any, *_: Any) -> None:
            self._app = app  # its agent's tracker store: what a replay reads first (saved_turns)
            if self._renewer is None:
                self._renewer = asyncio.ensure_future(self._renew_forever())
            if self.replay_interval > 0 and self._replayer is None:
                endpoint = getattr(getattr(app.ctx, "agent", None), "action_endpoint", None)
                self._replayer = asyncio.ensure_future(
                    self._replay_forever(on_new_message, health_url(getattr(endpoint, "url", None))))

        @twilio_sms.listener("before_server_stop")
        async def stop_replaying(*_: Any) -> None:
            if self._renewer is not None:
                self._renewer.cancel()
                self._renewer = None
            if self._replayer is not None:
                self._replayer.cancel()
                await asyncio.gather(self._replayer, return_exceptions=True)
                self._replayer = None

        return twilio_sms

    async def drain(self) -> None:
        """Wait for replies still being worked on after a holding answer (tests, shutdown)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    # ------------------------------------------------------------------ request checks

    @staticmethod
    def _form(request: Request) -> Optional[_Params]:
        """The form fields, blank values kept (Twilio signs them); None when unparseable."""
        content_type = (request.headers.get("content-type") or "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            return _Params()
        try:
            pairs = parse_qsl((request.body or b"").decode("utf-8", "replace"), keep_blank_values=True,
                              errors="replace", max_num_fields=MAX_FORM_FIELDS)
        except ValueError:
            return None
        params = _Params()
        for key, value in pairs:
            params.setdefault(key, []).append(value)
        return params

    def signed_url(self, request: Request) -> str:
        url = self.public_base_url + request.path
        return url + "?" + request.query_string if request.query_string else url

    def _signature_ok(self, request: Request, params: _Params) -> bool:
        signature = request.headers.get("x-twilio-signature")
        if not signature or not self.auth_token:
            return False
        try:
            return RequestValidator(self.auth_token).validate(self.signed_url(request), params, signature)
        except Exception:
            return False

    @staticmethod
    def _forbidden(route: str) -> HTTPResponse:
        logger.warning("Rejected Twilio %s request: missing or invalid X-Twilio-Signature", route)
        return response.text("Forbidden: invalid signature", status=403)

    # ------------------------------------------------------------------ inbound SMS

    async def _webhook(self, request: Request, on_new_message: OnNewMessage) -> HTTPResponse:
        deadline = time.monotonic() + self.reply_timeout
        params = self._form(request)
        if params is None:
            return response.text("Bad request", status=400)
        if not self._signature_ok(request, params):
            return self._forbidden("webhook")
        e164 = normalise(params.first("From") or "")
        if not e164:
            logger.warning("SMS webhook without a usable From number")
            return response.text("Bad request: missing From", status=400)

        sid = params.first("MessageSid") or params.first("SmsSid")
        if sid is not None and not _SID.match(sid):
            sid = None
        inbound = Inbound(sid=sid, e164=e164, phone_hash=phone_hash(e164),
                          text=_clean_text(params.first("Body")), num_media=_int(params.first("NumMedia")))
        job = Job(inbound)
        if inbound.sid is None:
            logger.warning("SMS from %s without a usable MessageSid: not deduplicated", inbound.who)
        else:
            try:
                claim = await self._db(idempotency.claim, inbound.sid, inbound.phone_hash, self.stale_after,
                                       body=asdict(inbound), default=None)
            except asyncio.CancelledError:  # Twilio hung up while the database hung: keep it
                self._hold(inbound, queued=True)
                raise
            if claim is None:
                logger.warning("Inbound message store unavailable; %s processed without dedupe", inbound.sid)
                job.untracked, inbound.sid = inbound.sid, None  # answer anyway; recorded once it can be
            elif claim.state == idempotency.ANSWERED:
                logger.info("Duplicate %s answered from the store", inbound.sid)
                return _twiml(claim.replies or [])
            elif claim.state == idempotency.CONFLICT:
                logger.warning("MessageSid %s seen before from another sender; not answered", inbound.sid)
                return _twiml([])
            elif claim.state == idempotency.PENDING:
                replies = await self._await_reply(inbound.sid, deadline)
                if replies is None:
                    logger.warning("Duplicate %s: first copy still has no answer", inbound.sid)
                    replies = sms_messages([kw.HOLDING_REPLY])
                return _twiml(replies)
            else:
                job.owner, job.taken_over = claim.owner, claim.taken_over

        # The work runs apart from this request: Twilio hanging up cancels the request, not it.
        task = asyncio.ensure_future(self._work(job, on_new_message))
        self._keep(task)
        try:
            done, _ = await asyncio.wait({task}, timeout=max(deadline - time.monotonic(), 0.1))
        except asyncio.CancelledError:
            if task.done():  # answered, but nobody is listening any more: text it instead
                self._keep(asyncio.ensure_future(self._finish_late(job, task.result())))
            else:
                job.late = True
            logger.warning("Twilio hung up before %s was answered; the answer goes by text", inbound.key)
            raise
        if task not in done:
            job.late = True
            logger.info("Bot slower than %.1f s for %s: holding reply sent", self.reply_timeout, inbound.key)
            replies = sms_messages([kw.HOLDING_REPLY])
            if inbound.sid:  # a copy arriving meanwhile gets the same holding reply
                self._keep(asyncio.ensure_future(self._db(idempotency.save_reply, inbound.sid, replies, False,
                                                          default=None)))
            return _twiml(replies)
        replies = await self._settle(job, task.result())
        self._log_reply(inbound, replies)
        return _twiml(replies)

    async def _work(self, job: Job, on_new_message: OnNewMessage) -> Result:
        """Answer the message; when the webhook could not wait, deliver the answer by text."""
        self._in_hand[job.inbound.key] = job.owner
        try:
            result = await self._answer(job, on_new_message)
            if job.late:  # checked with no await since the answer was made: the webhook cannot also use it
                await self._finish_late(job, result)
            return result
        finally:
            self._in_hand.pop(job.inbound.key, None)

    async def _answer(self, job: Job, on_new_message: OnNewMessage) -> Result:
        inbound = job.inbound
        keyword = kw.keyword(inbound.text)
        opted_out = await self._db(self._outbox("is_opted_out"), inbound.phone_hash, default=False)
        if keyword == kw.STOP:
            # Confirm once; a repeated STOP from a number already out gets silence.
            replies = [] if opted_out else await self._set_opt_out(inbound, True)
        elif keyword == kw.START or (keyword == kw.YES and opted_out):
            replies = await self._set_opt_out(inbound, False)
        elif keyword == kw.HELP:
            replies = [kw.HELP_REPLY]  # HELP is answered even after STOP, as carriers require
        elif opted_out:
            logger.info("SMS from %s (opted out) not answered", inbound.who)
            replies = []
        elif inbound.num_media and not inbound.text:
            replies = [kw.MEDIA_ONLY_REPLY]
        else:
            self._hold(inbound, owner=job.owner)  # written ahead: a crash from here on loses nothing
            # Older messages of this conversation go first, so answers keep their order.
            if inbound.sid and job.owner and not self._replay_stalled and \
                    not await self._after_older_ones(inbound, on_new_message):
                return Result([], handled=False)  # kept behind them
            return await self._run_bot(inbound, on_new_message, maybe_seen=job.taken_over)
        return Result(sms_messages(replies), handled=True)

    async def _settle(self, job: Job, result: Result) -> list[str]:
        """Record the answer the webhook is about to give (the job finished in time)."""
        inbound = job.inbound
        if not result.handled:
            logger.warning("No answer from the bot for %s: kept, to be answered later", inbound.key)
            notice = sms_messages([kw.KEPT_REPLY])
            await self._keep_for_later(job, notice)
            return notice
        if inbound.sid:
            await self._db(idempotency.save_reply, inbound.sid, result.replies, True, default=None)
        elif job.untracked:
            self._keep(asyncio.ensure_future(self._record_untracked(job.untracked, inbound.phone_hash,
                                                                    result.replies)))
        spool.release(inbound.key)
        return result.replies

    async def _record_untracked(self, sid: str, phone_hash: str, replies: list[str]) -> None:
        """Record a message answered without its claim as done, once the database answers again,
        so that a claim landing late from a hung database never leaves it to be answered twice."""
        for attempt in range(8):
            if await self._db(idempotency.answered_untracked, sid, phone_hash, replies, default=False):
                return
            await asyncio.sleep(min(2.0 ** attempt, 60.0))
        logger.warning("Could not record %s as answered; a late claim may replay it", sid)

    async def _set_opt_out(self, inbound: Inbound, opted_out: bool) -> list[str]:
        result = await self._db(self._outbox("set_opt_out"), inbound.phone_hash, opted_out, default=_FAILED)
        word = "STOP" if opted_out else "START"
        if result is _FAILED:
            return [kw.OPT_CHANGE_FAILED.format(keyword=word)]
        logger.info("SMS %s from %s: opted %s", word, inbound.who, "out" if opted_out else "in")
        return [kw.STOP_REPLY if opted_out else kw.START_REPLY]

    async def _run_bot(self, inbound: Inbound, on_new_message: OnNewMessage, maybe_seen: bool = False) -> Result:
        """Run the message through Rasa. `maybe_seen`: a replay, or a retry that took over a dead
        process's claim; a turn of it the conversation already holds as handled is the answer."""
        sender_id, message_id = sender_id_for_phone(inbound.e164), inbound.key
        if maybe_seen:
            saved = await saved_turns.answer_in_conversation(self._app, sender_id, message_id)
            if saved is not None:
                logger.info("SMS %s was handled before its answer was recorded: answered from the conversation",
                            inbound.key)
                return self._result(inbound, saved)
        collector = CollectingOutputChannel()
        message = UserMessage(
            inbound.text,
            collector,
            sender_id,
            input_channel=self.name(),
            message_id=message_id,
            # The Twilio signature was checked: sign "this is that phone" for the action server
            # (bot/channels/identity.py), bound to this conversation and message. The number
            # travels only encrypted inside it.
            metadata={**identity.metadata(identity.SMS, sender_id, message_id, inbound.e164),
                      "num_media": inbound.num_media},
        )
        try:
            await on_new_message(message)
        except Exception as error:
            logger.error("Bot failed on SMS %s (%s)", inbound.key, type(error).__name__)
            return Result([], handled=False)
        return self._result(inbound, collector.messages)

    @staticmethod
    def _result(inbound: Inbound, messages: list[dict]) -> Result:
        """The SMS answer to what Rasa said: handled only when the dialogue marked the turn."""
        handled = any(m.get("custom") == HANDLED for m in messages)
        if not handled:
            return Result([], handled=False)
        shown = [m for m in messages if m.get("custom") != HANDLED]
        utterances = [text for text in (_render(m) for m in shown) if text.strip()]
        if inbound.num_media and utterances:
            utterances.append(kw.MEDIA_NOTE)
        if not utterances and not inbound.text:
            utterances = [kw.EMPTY_MESSAGE_REPLY]
        return Result(sms_messages(utterances), handled=True)

    async def _await_reply(self, sid: str, deadline: float) -> Optional[list[str]]:
        deadline = min(deadline, time.monotonic() + self.duplicate_wait)
        while True:
            replies = await self._db(idempotency.stored_reply, sid, default=None)
            if replies is not None or time.monotonic() >= deadline:
                return replies
            await asyncio.sleep(self.poll_interval)

    # ------------------------------------------------------------------ status callbacks

    async def _status(self, request: Request) -> HTTPResponse:
        params = self._form(request)
        if params is None:
            return response.text("Bad request", status=400)
        if not self._signature_ok(request, params):
            return self._forbidden("status")
        sid = params.first("MessageSid") or params.first("SmsSid")
        status = params.first("MessageStatus") or params.first("SmsStatus")
        if not sid or not status:
            return response.text("Bad request: missing MessageSid or MessageStatus", status=400)
        error_code = params.first("ErrorCode") or None
        known = await self._db(self._outbox("record_status"), sid, status, error_code, default=_FAILED)
        if known is _FAILED:
            return response.empty(status=503)
        if not known:
            logger.info("Status %s for unknown outbound message %s", status, sid)
        return response.empty(status=204)

    # ------------------------------------------------------------------ helpers

    def _outbox(self, function: str) -> Callable[..., Any]:
        """A function of bot.handoff.outbox, looked up when called (tests pass a stand-in)."""
        def call(*args: Any, **kwargs: Any) -> Any:
            module = self._outbox_module or importlib.import_module("bot.handoff.outbox")
            return getattr(module, function)(*args, **kwargs)
        call.__name__ = function
        return call

    def _keep(self, task: asyncio.Task) -> None:
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    @staticmethod
    def _log_reply(inbound: Inbound, replies: list[str], late: bool = False) -> None:
        infos = [segment_info(text) for text in replies]
        logger.info("SMS %s reply to %s: %d message(s), %d segment(s)%s%s", "late" if late else "webhook",
                    inbound.who, len(replies), sum(i.segments for i in infos),
                    ", UCS-2" if any(i.encoding == "UCS-2" for i in infos) else "",
                    f" [{inbound.sid}]" if inbound.sid else "")
