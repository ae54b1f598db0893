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
    known_names: tuple[str, ...] = ()  # names in the family's record, once the record is open

    @property
    def reading(self) -> Reading:
        """The message read once by the language stage (cached): handlers use this, not `text`."""
        return read(self.text, frozenset(self.known_names))
