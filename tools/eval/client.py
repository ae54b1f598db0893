"""A carer's phone and a web visitor, over HTTP: signed Twilio SMS webhooks and Rasa's REST channel."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Optional

import requests

SMS_PATH = "/webhooks/twilio/webhook"
REST_PATH = "/webhooks/rest/webhook"


def twilio_signature(auth_token: str, url: str, params: dict[str, str]) -> str:
    """Twilio's request signature: base64 HMAC-SHA1 of the full URL followed by every POST
    parameter name and value, sorted by name (https://www.twilio.com/docs/usage/security)."""
    payload = url + "".join(name + params[name] for name in sorted(params))
    digest = hmac.new(auth_token.encode("utf-8"), payload.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode("ascii")


def parse_twiml(raw: str) -> list[str]:
    """The texts of every <Message> in a TwiML answer (an empty <Response/> is silence)."""
    if not raw.strip():
        return []
    try:
        root = ET.fromstring(raw)
    except ET.ParseError:
        return ["<not TwiML> " + raw[:300]]
    texts = []
    for message in root.iter("Message"):
        body = message.find("Body")
        text = (body.text if body is not None else message.text) or ""
        if text.strip():
            texts.append(text.strip())
    return texts


def national(phone_e164: str) -> str:
    """+447700900123 -> 07700900123, as a UK carer would write a number in a message."""
    return "0" + phone_e164[3:] if phone_e164.startswith("+44") else phone_e164


@dataclass
class Reply:
    status: int  # HTTP status; 0 when the bot could not be reached
    texts: list[str]
    seconds: float


@dataclass
class BotClient:
    """Talks to one bot. `base_url` is where requests go; `public_url` is the address Twilio
    would have called (the bot checks signatures against it), by default the same."""

    base_url: str = "http://localhost:5005"
    public_url: Optional[str] = None
    auth_token: str = "test-auth-token"
    bot_number: str = "+447700900000"
    timeout: float = 30.0
    http: requests.Session = field(default_factory=requests.Session, repr=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.public_url = (self.public_url or self.base_url).rstrip("/")

    def sms_params(self, phone: str, text: str) -> dict[str, str]:
        """The form fields Twilio posts for an inbound SMS, with a fresh MessageSid."""
        return {
            "MessageSid": "SM" + uuid.uuid4().hex, "SmsSid": "SM" + uuid.uuid4().hex,
            "AccountSid": "AC" + "0" * 32, "From": phone, "To": self.bot_number, "Body": text,
            "NumMedia": "0", "NumSegments": "1", "SmsStatus": "received", "ApiVersion": "2010-04-01",
        }

    def sms(self, params: dict[str, str], *, bad_signature: bool = False) -> Reply:
        """POST the fields to the SMS webhook, signed with the auth token (or a wrong one)."""
        token = "not-the-auth-token" if bad_signature else self.auth_token
        signature = twilio_signature(token, self.public_url + SMS_PATH, params)
        status, raw, seconds = self._post(SMS_PATH, data=params, headers={"X-Twilio-Signature": signature})
        return Reply(status, parse_twiml(raw) if status == 200 else [raw[:300]], seconds)

    def web(self, sender: str, text: str) -> Reply:
        status, raw, seconds = self._post(REST_PATH, json={"sender": sender, "message": text})
        if status != 200:
            return Reply(status, [raw[:300]], seconds)
        try:
            messages = json.loads(raw or "[]")
        except json.JSONDecodeError:
            return Reply(status, ["<not JSON> " + raw[:300]], seconds)
        return Reply(status, [m["text"] for m in messages if isinstance(m, dict) and m.get("text")], seconds)

    def _post(self, path: str, **kwargs) -> tuple[int, str, float]:
        started = time.perf_counter()
        try:
            response = self.http.post(self.base_url + path, timeout=self.timeout, **kwargs)
            status, raw = response.status_code, response.text
        except requests.RequestException as error:
            status, raw = 0, f"{error.__class__.__name__}: {error}"
        return status, raw, time.perf_counter() - started
