"""One incoming message, as the dialogue code sees it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Optional

from bot.language.reading import Reading, read


@dataclass
class Turn:
    sender_key: str  # the pseudonymous Rasa sender id
    channel: str  # sms | web
    text: str
    intent: str
    confidence: float = 1.0
    phone_hash: Optional[str] = None  # SMS senders: keyed hash of their number
    phone_e164: Optional[str] = None  # SMS senders: the number (from encrypted channel metadata)
    previous_texts: list[str] = field(default_factory=list)  # this session's earlier messages, oldest first
    message_id: Optional[str] = None  # the message's own id (Twilio's MessageSid, or Rasa's): answered once
    reply_by_outbox: bool = False  # replayed after an outage: the replies go out through the outbox
    # This session's earlier exchange, both sides, oldest first: ("carer" | "assistant", text).
    previous_exchange: list[tuple[str, str]] = field(default_factory=list)
    known_names: tuple[str, ...] = ()  # names in the family's record, once the record is open

    @property
    def reading(self) -> Reading:
        """The message read once by the language stage (cached): handlers use this, not `text`."""
        return read(self.text, frozenset(self.known_names))


# What every dialogue action sends (as a custom payload, after its replies) once it has handled a
# turn, even a deliberately silent one. A channel that does not see it knows that Rasa swallowed
# a failed or unreachable action, and keeps the message to answer it later.
HANDLED = {"onestory": "handled"}
