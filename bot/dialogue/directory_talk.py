"""Who is responsible: answers from the rules and the service directory."""
from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Session

from bot.dialogue import texts
from bot.dialogue.state import State
from bot.dialogue.turn import Turn
from bot.records import models as m


def answer(session: Session, turn: Turn, me: Optional[m.Person]) -> list[str]:
    return [texts.FALLBACK]


def report(session: Session, turn: Turn, me: Optional[m.Person]) -> list[str]:
    return ["Thank you for telling me. I'll pass that on so the details can be checked."]


def clarified(session: Session, turn: Turn, me: Optional[m.Person], state: State) -> Optional[list[str]]:
    return None
