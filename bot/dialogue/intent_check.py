"""A second opinion on Rasa's intent: the language stage's decision table, fed with the directory.

The table itself (data/language/acts.yml, applied by bot.language.acts) weighs the classifier's
intent against the reading. This adapter supplies what only the dialogue knows: whether the
directory finds a need in the words (by phrase, or by meaning through the need classifier), and
whether services were just named.
"""
from __future__ import annotations

import re

from sqlalchemy.orm import Session

from bot.db import DatabaseUnavailable, session_scope
from bot.dialogue import pending as q
from bot.dialogue.conversation import Conversation
from bot.dialogue.turn import Turn
from bot.directory import responsibility
from bot.language import acts
from bot.language.questions import is_question  # noqa: F401  (the dialogue's question test lives there)
from bot.language.reading import Reading

# Asking for a person, or reporting a service: only a need named in so many words turns these
# into a services question (the classifier finds some need in almost any request). A request for
# help that names no person at all ("I need help sorting dad's money out") may be read by meaning.
BY_PHRASE_ONLY = frozenset({"request_human", "report_service_problem"})
# Needs whose answer is itself an urgent route: read by meaning alone, they never stand an alarm down.
URGENT_NEEDS = frozenset({"need.emergency", "need.urgent-medical-advice", "need.mental-health-crisis",
                          "need.safeguarding-concern", "need.someone-to-talk-to", "need.mha-assessment"})
PERSON_WORDS = re.compile(r"\b(person|people|human|someone|somebody|anyone|anybody|worker|agent|operator|"
                          r"professional|advis[eo]r|staff|call|ring|phone|speak|talk|visit)\b", re.IGNORECASE)


def finds_need(session: Session, intent: str, reading: Reading) -> bool:
    """A need in the words: a phrase the directory matches, or the need classifier's reading.

    By meaning only when it asks who, or Rasa did not already read a question about the person:
    "does mum have any allergies?" stays a record question; "who deals with mum's allergies?" does not.
    """
    needs = responsibility.read_needs(session, reading.text)
    if needs.matched:
        return True
    if intent in BY_PHRASE_ONLY:
        return intent == "request_human" and bool(needs.codes or needs.close) \
            and not PERSON_WORDS.search(reading.text)
    return bool(needs.codes or needs.close) and (reading.asks_who or intent != "ask_record")


def reconcile(session: Session, intent: str, reading: Reading, services_named: bool = False) -> str:
    """The intent to act on: Rasa's, unless the reading clearly says otherwise."""
    return acts.decide(intent, reading, needs=lambda: finds_need(session, intent, reading),
                       services_named=services_named)


def for_turn(session: Session, turn: Turn, conv: Conversation) -> str:
    """The act for this turn, knowing whether the bot's last answer named services."""
    services_named = isinstance(conv.pending, q.MoreServices)
    return reconcile(session, turn.intent, turn.reading, services_named)


def before_risk(turn: Turn, danger: bool) -> str:
    """The act when Rasa said urgent_risk, decided before the record is opened (no risk words: maybe not)."""
    if turn.intent != "urgent_risk":
        return turn.intent

    def needs() -> bool:
        # A need by phrase, or one the classifier is certain of ("is there some kind of alarm" after a
        # story of falls): with no risk words, a question about it is a question. A need that is itself
        # urgent, read by meaning only, leaves the classifier's alarm standing.
        try:
            with session_scope() as session:
                if responsibility.match_needs(session, turn.reading.text):
                    return True
                codes = responsibility.read_needs(session, turn.reading.text).codes
        except DatabaseUnavailable:
            return False
        return bool(codes) and not URGENT_NEEDS.intersection(codes)

    return acts.decide(turn.intent, turn.reading, needs=needs, danger=danger)
