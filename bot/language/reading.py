"""One reading of one message: everything the dialogue needs, read once, never read again.

`read(text)` returns an immutable `Reading`: the people the message names, the facts it tells
about each of them (with the carer's own words and a status: current, ended, hedged or negated),
facts moved from one person to another ("the stroke is dad's, not mum's"), values put right
("12 units not 20"), whom and what a question asks about ("and mum?", "who is her GP?"), an
invitation and a postcode. Handlers act on this; none of them looks at the raw text again.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Optional

CURRENT = "current"
ENDED = "ended"  # no longer true: "she stopped the donepezil"
HEDGED = "hedged"  # suspected, not confirmed: "they think it might be dementia"
NEGATED = "negated"  # said not to be so: "she doesn't have diabetes"
STATUSES = (CURRENT, ENDED, HEDGED, NEGATED)


@dataclass(frozen=True)
class Person:
    """Someone a message names: by relationship to the carer, by name, or both."""

    relationship: Optional[str]  # canonical, relative to the person texting: "mother", "son", "self"
    name: Optional[str]  # capitalised as the carer wrote it
    gender: Optional[str] = field(default=None, compare=False)  # "f" | "m" | None, from words used

    @property
    def is_self(self) -> bool:
        return self.relationship == "self"


SELF = Person("self", None)


def frozen(detail: Optional[Mapping] = None) -> Mapping:
    return MappingProxyType(dict(detail or {}))


@dataclass(frozen=True)
class Fact:
    """One thing told about one person."""

    category: str  # condition, medicine, allergy, equipment, need, care_plan, ... (see categories.yml)
    key: str  # identity for superseding and correcting, e.g. "medicine:donepezil"
    value: str  # short carer-facing text, e.g. "donepezil 10mg at night"
    person: Optional[Person]  # whom it is about; None = the person the conversation is about
    detail: Mapping = field(default_factory=frozen, compare=False, hash=False)
    said: str = field(default="", compare=False)  # the carer's own words for it
    status: str = CURRENT

    def as_dict(self) -> dict:
        return dict(self.detail)


@dataclass(frozen=True)
class Move:
    """A fact told about the wrong person: "no, the stroke is dad's, not mum's"."""

    key: str  # the fact's key ("condition:stroke")
    to: Person
    away_from: Optional[Person] = None  # None: whoever has it now


@dataclass(frozen=True)
class ValueFix:
    """A value put right without naming the fact: "sorry typo its 12 units not 20", "he's 78 not 87"."""

    new: str  # "12 units"
    old: Optional[str]  # "20" (unit may be missing), or None: "it was put up to 10mg"
    unit: Optional[str]  # "units", "mg", or None for a bare number (an age)
    key: Optional[str] = None  # the fact named alongside it ("medicine:insulin glargine"), if any


@dataclass(frozen=True)
class Rename:
    """A name put right: "sorry her name is Jean not Joan", "its Steven with a v"."""

    new: str  # "Jean", capitalised
    old: Optional[str] = None  # "Joan", when the carer says which name was wrong
    person: Optional[Person] = None  # whom ("her", "mum"), when said; None: the person talked about


@dataclass(frozen=True)
class Invitation:
    name: Optional[str]
    relationship: Optional[str]
    phone: Optional[str]  # E.164 (bot.phone.normalise)


@dataclass(frozen=True)
class Reading:
    """What one message says, read once."""

    text: str = ""  # the cleaned message
    people: tuple[Person, ...] = ()  # cared-for people it is about (never the carer, never an invitee)
    facts: tuple[Fact, ...] = ()  # every fact told, with its status
    moves: tuple[Move, ...] = ()
    fixes: tuple[ValueFix, ...] = ()
    renames: tuple[Rename, ...] = ()
    correction: bool = False  # the carer says something recorded is wrong or has changed
    subject: Optional[Person] = None  # the person the message is mainly about
    focus: Optional[Person] = None  # whom a question asks about ("and mum?", "who is her GP?")
    topic: Optional[str] = None  # which part of the record a question asks about
    question: bool = False
    follow_up: bool = False  # a short question that leans on what was just said: "and mum?", "harvey?"
    asks_who: bool = False  # "who is responsible / who do I call" (the directory's ground)
    asks_for_person: bool = False  # "I want to speak to a real person"
    reports_problem: bool = False  # "that number doesn't work", "they've closed"
    invitation: Optional[Invitation] = None
    relative: Optional[Invitation] = None  # "my uncle steve": a relative named, if this turns out to be an invite
    postcode: Optional[str] = None
    phone: Optional[str] = None  # a phone number in the message (E.164), for an invitation
    answer: Optional[str] = None  # "yes" / "no" to what the bot just asked
    asked: tuple[str, ...] = ()  # keys of things a question names: "how much lantus" -> the insulin
    rest: tuple[tuple[Optional[Person], str], ...] = ()  # told in words no structured fact came from
    english: bool = True

    @property
    def current(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.status == CURRENT)

    @property
    def ended(self) -> tuple[Fact, ...]:
        """Facts the message says are no longer (or never were) true: both end a recorded fact."""
        return tuple(f for f in self.facts if f.status in (ENDED, NEGATED))

    @property
    def hedged(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if f.status == HEDGED)

    @property
    def ended_keys(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.key for f in self.ended))

    @property
    def about_others(self) -> bool:
        """It tells something about someone other than the carer: worth offering to keep."""
        return any(f.person is None or not f.person.is_self for f in self.current) or bool(self.people)

    @property
    def tells(self) -> bool:
        """It says something the record could keep or change."""
        return bool(self.current or self.ended or self.moves or self.fixes or self.hedged or self.renames)


EMPTY = Reading()


def read(text: str, known: frozenset[str] = frozenset()) -> Reading:
    """Read one message (the language stage: bot.language.pipeline). `known`: the family's names."""
    from bot.language.pipeline import read as read_text

    return read_text(text, frozenset(n.lower() for n in known))
