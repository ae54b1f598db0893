"""The second opinion on Rasa's intent: the words win when they clearly disagree."""
from __future__ import annotations

import pytest

from bot.db import session_scope
from bot.dialogue.intent_check import reconcile
from bot.directory import responsibility
from bot.language.reading import read

CASES = [
    ("ask_record", "my husband John takes warfarin 3mg every evening", "tell_fact"),
    ("tell_fact", "my son was discharged from a section 3 last month, who pays for his aftercare", "ask_responsible"),
    ("urgent_risk", "my dad has dementia", "urgent_risk"),  # not a neighbour: left alone
    ("ask_responsible", "i care for my hubby Ray who has copd, em5 4rt", "tell_fact"),
    ("ask_responsible", "where does vera live", "ask_record"),
    ("bot_help", "is there an actual person i can speak to", "request_human"),
    ("request_human", "he keeps nearly falling getting off the loo, can someone put a rail in", "ask_responsible"),
    ("tell_fact", "actually she stopped the donepezil", "correct_fact"),
    ("nlu_fallback", "how do i get a carers assesment", "ask_responsible"),
    ("ask_record", "what do you know about mum", "ask_record"),
    ("ask_responsible", "who is responsible for fixing potholes", "ask_responsible"),
]


@pytest.mark.parametrize(("intent", "text", "expected"), CASES)
def test_reconcile(db, intent, text, expected):
    responsibility.NEED_INDEX.reset()  # empty directory: the rule book's own words are used
    with session_scope() as session:
        assert reconcile(session, intent, read(text)) == expected
