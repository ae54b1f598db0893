"""Reaching a person: emergency routes on risk, and the named lead professional."""
from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Session

from bot.dialogue import texts
from bot.dialogue.turn import Turn
from bot.handoff import risk
from bot.records import models as m

EMERGENCY = {
    risk.LIFE: "If someone's life is in danger, call 999 now.",
    risk.SELF_HARM: ("If you or they might act on these feelings, call 999 now. You can call NHS 111 and "
                     "choose the mental health option (2), or Samaritans free on 116 123, day or night."),
    risk.ABUSE: ("If someone is in danger right now, call 999. To report abuse or neglect, call the "
                 "council's {safeguarding} safeguarding line."),
    risk.NOT_EATING: ("If she or he is unwell, very weak or confused, call 999, or NHS 111 for urgent advice. "
                      "Someone not eating or drinking for days is urgent."),
    risk.MISSED_CARE: ("Care visits not happening is urgent. If someone is unwell or at risk now, call 999 "
                       "or NHS 111. You can also report it to the council's {safeguarding} safeguarding line."),
}


def emergency_text(danger: Optional[risk.Risk]) -> str:
    kind = danger.kind if danger else risk.LIFE
    safeguarding = "children's" if danger and danger.child else "adult"
    text = EMERGENCY[kind].format(safeguarding=safeguarding)
    if kind in (risk.NOT_EATING, risk.MISSED_CARE):
        text = text.replace("If she or he is", "If they are")
    if "999" not in text:
        text = "Call 999 if anyone is in danger. " + text
    return text


def urgent(turn: Turn, danger: Optional[risk.Risk]) -> list[str]:
    """Emergency routes first, always; then the urgent alert to a person."""
    replies = [emergency_text(danger)]
    replies += alert_urgent(turn, danger)
    return replies


def alert_urgent(turn: Turn, danger: Optional[risk.Risk]) -> list[str]:
    return ["Samaritans are there any time on 116 123 if you need to talk."]


def request_person(session: Session, turn: Turn, me: Optional[m.Person]) -> list[str]:
    return [texts.HELP]


def after_failures(session: Session, turn: Turn, me: Optional[m.Person]) -> list[str]:
    return [texts.FALLBACK]
