"""What reading a message produces: the facts it states, an invitation, and the whole Understanding."""
from __future__ import annotations

from dataclasses import dataclass, field

from bot.language.mentions import PersonMention

CATEGORIES = ("condition", "medicine", "allergy", "equipment", "need", "access", "preference", "communication",
              "gp", "address", "service", "professional", "appointment", "event", "personal", "situation",
              "care_plan")


@dataclass(frozen=True)
class ExtractedFact:
    category: str              # one of CATEGORIES
    key: str                   # identity used to supersede/correct, e.g. "medicine:donepezil"
    value: str                 # short carer-facing text, e.g. "donepezil 10mg at night"
    subject: PersonMention | None   # whom it is about; None = the cared-for person already in context
    detail: dict = field(default_factory=dict, hash=False, compare=False)


@dataclass(frozen=True)
class Invitation:
    name: str | None
    relationship: str | None
    phone: str | None          # E.164 (bot.phone.normalise)


@dataclass
class Understanding:
    people: list[PersonMention] = field(default_factory=list)
    facts: list[ExtractedFact] = field(default_factory=list)
    ended_keys: list[str] = field(default_factory=list)
    hedged: list[ExtractedFact] = field(default_factory=list)  # suspected conditions, kept in the carer's words
    negated_keys: list[str] = field(default_factory=list)  # those of ended_keys said never to have been so
    is_correction: bool = False
    invitation: Invitation | None = None
    subject: PersonMention | None = None
    postcode: str | None = None
    rest: list[tuple[PersonMention | None, str]] = field(default_factory=list)  # told, but not structured
