"""Answers told after the bot has answered or asked: the answer again with what they tell.

"i'm her son, 15" after a carer's assessment is a young carer's assessment; "a child, she's 11" while
the bot waits for a postcode keeps the answer instead of asking consent. Used by the router (after an
answer that named services, or offered to keep a record) and by directory_talk (a postcode or other
clarifying question that the reply does not answer).
"""
from __future__ import annotations

from typing import Optional

from sqlalchemy.orm import Session

from bot.dialogue import pending as q
from bot.dialogue.conversation import Conversation
from bot.dialogue.turn import Turn
from bot.directory import places, responsibility
from bot.directory.places import Place
from bot.directory.rules import Situation, situation_from_text
from bot.records import models as m


def revised(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation, needs: list[str],
            situation: Situation, place: Optional[Place], person_id: Optional[str], question: str,
            only_if_changed: bool = False) -> Optional[list[str]]:
    """The answer again, with what this reply tells about the person or the carer ("i'm her son, 15"
    after a carer's assessment is a young carer's assessment; "a child, she's 11" while we wait for
    a postcode keeps the answer). None when it tells nothing the rules use, or asks about a need of
    its own: then it goes by its intent. `only_if_changed`: None too when the answer stays the same
    (after a full answer, "she's 81" that changes nothing is news for the record, not a question)."""
    if not needs or turn.reading.invitation is not None or turn.reading.phone:
        return None  # adding someone to the family, not telling about the question
    after = situation_from_text(turn.text, situation)
    if after == situation or responsibility.match_needs(session, turn.text):
        return None
    book = responsibility.rulebook()
    before, now = book.resolve(needs, situation), book.resolve(needs, after)
    if only_if_changed and before.is_rule and now.is_rule and before.rule == now.rule:
        return None
    if now.is_no_rule or (before.needs_clarification and now.needs_clarification
                          and before.clarification == now.clarification):
        return None
    from bot.dialogue import directory_talk  # (it calls back here: imported when used)

    return directory_talk.answer_with(session, turn, me, conv, needs, after, place, person_id, question)


def revised_answer(session: Session, turn: Turn, me: Optional[m.Person], conv: Conversation,
                   named: q.MoreServices | q.Consent) -> Optional[list[str]]:
    """After an answer that named services (and perhaps offered to keep a record): a reply that
    changes it gets the answer again."""
    return revised(session, turn, me, conv, list(named.needs), named.situation,
                   places.parse(named.postcode, expecting=True), named.person_id, named.question or turn.text,
                   only_if_changed=True)
