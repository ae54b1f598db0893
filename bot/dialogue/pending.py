"""The question the bot is waiting on: one frozen type per question, each with its own fields.

Each type says which messages answer it (`answers`); the router's `_answer_pending` is the one
place that says what happens next for each. A message that does not answer the pending question
goes by its intent, and the question stays pending until a handler asks something else or settles
it. `NAME` is what the `awaiting` column holds (the strings the code before these types wrote,
so stored conversations keep their meaning).
"""
from __future__ import annotations

from dataclasses import MISSING, dataclass, fields
from typing import Any, ClassVar, Optional, Union

from bot.dialogue.turn import Turn
from bot.directory.rules import Situation
from bot.phone import find_phone

# Questions anyone may ask, consented or not, invited or not: they never answer a pending question.
OPEN_INTENTS = frozenset({"ask_responsible", "report_service_problem", "request_human", "bot_help", "thank",
                          "goodbye", "urgent_risk"})
MORE_INTENTS = frozenset({"more_detail", "affirm"})
# While a "did you mean" list is open these still go by their intent: they are not a pick.
NOT_A_PICK = frozenset({"request_human", "withdraw_consent", "add_family_member", "bot_help"})


def said_yes(turn: Turn) -> bool:
    return turn.intent == "affirm" or turn.reading.answer == "yes"


def said_no(turn: Turn) -> bool:
    return turn.intent == "deny" or turn.reading.answer == "no"


class _Question:
    """What every pending type has: a stored name, its fields as JSON, and which messages answer it."""

    NAME: ClassVar[str]
    ALIASES: ClassVar[dict[str, str]] = {}  # keys the earlier dictionary used for a field

    def answers(self, turn: Turn, member: bool) -> bool:  # pragma: no cover - every type overrides
        raise NotImplementedError

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):  # type: ignore[arg-type]
            value = getattr(self, f.name)
            out[f.name] = value.__dict__.copy() if isinstance(value, Situation) else \
                list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> _Question:
        """Build from stored fields, taking each as its type; a wrong shape raises ValueError."""
        data = {cls.ALIASES.get(key, key): value for key, value in data.items()}
        values: dict[str, Any] = {}
        for f in fields(cls):  # type: ignore[arg-type]
            default = f.default_factory() if f.default_factory is not MISSING else f.default  # type: ignore[misc]
            value = data.get(f.name)
            if value is None:
                values[f.name] = default
            elif isinstance(default, tuple):
                if not isinstance(value, list | tuple):
                    raise ValueError(f"{cls.NAME}.{f.name}: a list expected")
                values[f.name] = tuple(str(item) for item in value)
            elif isinstance(default, Situation):
                if not isinstance(value, dict):
                    raise ValueError(f"{cls.NAME}.{f.name}: an object expected")
                known = {s.name for s in fields(Situation)}
                values[f.name] = Situation(**{k: v for k, v in value.items() if k in known})
            elif isinstance(value, str | int) and not isinstance(value, bool):
                values[f.name] = str(value)
            else:
                raise ValueError(f"{cls.NAME}.{f.name}: {type(value).__name__} not expected")
        return cls(**values)


@dataclass(frozen=True)
class Consent(_Question):
    """May we keep a record? Yes starts the family's record; no is respected; anything else goes on."""

    NAME: ClassVar[str] = "consent"
    # Offered after an answer: what that answer was worked out from (as in MoreServices), so that a
    # reply changing it ("im 13") still gets the answer again.
    needs: tuple[str, ...] = ()
    situation: Situation = Situation()
    postcode: Optional[str] = None
    person_id: Optional[str] = None
    question: Optional[str] = None

    def answers(self, turn: Turn, member: bool) -> bool:
        return not member and turn.intent not in OPEN_INTENTS and (said_yes(turn) or said_no(turn))


@dataclass(frozen=True)
class InvitePhone(_Question):
    """Whose phone to invite: a number in the reply sends the invitation to the one named."""

    NAME: ClassVar[str] = "invite_phone"
    ALIASES: ClassVar[dict[str, str]] = {"invite_name": "name", "invite_relation": "relation"}
    name: Optional[str] = None
    relation: Optional[str] = None

    def answers(self, turn: Turn, member: bool) -> bool:
        return member and bool(find_phone(turn.text))


@dataclass(frozen=True)
class Clarify(_Question):
    """The one clarifying question a responsibility rule needs (`field`: setting, age, postcode...)."""

    NAME: ClassVar[str] = "clarify"
    field: Optional[str] = None
    needs: tuple[str, ...] = ()
    situation: Situation = Situation()
    person_id: Optional[str] = None  # whom the question is about
    postcode: Optional[str] = None
    question: Optional[str] = None

    def answers(self, turn: Turn, member: bool) -> bool:
        # A new "who is responsible" may be the answer ("she's at home, who does her care?").
        return turn.intent not in OPEN_INTENTS - {"ask_responsible"}


@dataclass(frozen=True)
class ChooseNeed(_Question):
    """ "Did you mean 1), 2) or 3)": a number or words pick one of the need codes offered."""

    NAME: ClassVar[str] = "choose_need"
    options: tuple[str, ...] = ()
    situation: Situation = Situation()
    person_id: Optional[str] = None
    postcode: Optional[str] = None
    question: Optional[str] = None

    def answers(self, turn: Turn, member: bool) -> bool:
        if turn.intent == "add_family_member" and turn.reading.invitation is None and turn.reading.phone is None:
            return True  # "im 14" read as adding someone, with nobody to add: an answer
        return turn.intent not in NOT_A_PICK


@dataclass(frozen=True)
class More(_Question):
    """The record's summary was cut short: MORE gives the whole record."""

    NAME: ClassVar[str] = "more"

    def answers(self, turn: Turn, member: bool) -> bool:
        return turn.intent in MORE_INTENTS


@dataclass(frozen=True)
class MoreServices(_Question):
    """Services were just named: MORE gives what to do if they say it's not theirs, the source and
    other services; a report ("that number is wrong") is about the first of them."""

    NAME: ClassVar[str] = "services"
    service_ids: tuple[str, ...] = ()
    rule_id: Optional[str] = None
    postcode: Optional[str] = None
    # What the answer was worked out from, so that a reply telling something that changes it ("i'm her
    # son, 15" after a carer's assessment) gets the answer again with it.
    needs: tuple[str, ...] = ()
    situation: Situation = Situation()
    person_id: Optional[str] = None
    question: Optional[str] = None

    def answers(self, turn: Turn, member: bool) -> bool:
        return turn.intent in MORE_INTENTS


@dataclass(frozen=True)
class ReportNotify(_Question):
    """A report was filed: yes asks for a text when it is fixed."""

    NAME: ClassVar[str] = "report_notify"
    report_id: Optional[str] = None

    def answers(self, turn: Turn, member: bool) -> bool:
        return said_yes(turn)


@dataclass(frozen=True)
class Withdraw(_Question):
    """Sure you want to withdraw? Any reply settles it: only yes withdraws."""

    NAME: ClassVar[str] = "withdraw"

    def answers(self, turn: Turn, member: bool) -> bool:
        return True


@dataclass(frozen=True)
class WebPhone(_Question):
    """Web chat: the mobile number to text a code to (an unlinked web session only)."""

    NAME: ClassVar[str] = "web_phone"

    def answers(self, turn: Turn, member: bool) -> bool:
        return turn.channel == "web" and not turn.phone_hash


@dataclass(frozen=True)
class WebCode(_Question):
    """Web chat: the 6-digit code texted to the number (an unlinked web session only)."""

    NAME: ClassVar[str] = "web_code"

    def answers(self, turn: Turn, member: bool) -> bool:
        return turn.channel == "web" and not turn.phone_hash


Pending = Union[Consent, InvitePhone, Clarify, ChooseNeed, More, MoreServices, ReportNotify, Withdraw, WebPhone,
                WebCode]
TYPES: tuple[type[_Question], ...] = (Consent, InvitePhone, Clarify, ChooseNeed, More, MoreServices, ReportNotify,
                                      Withdraw, WebPhone, WebCode)
BY_NAME: dict[str, type[_Question]] = {t.NAME: t for t in TYPES}
