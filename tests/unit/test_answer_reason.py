"""The reason in a "who is responsible" answer carries the rule's point, even shortened for SMS.

Over SMS the reason is cut until the answer, with its source, fits three segments. A rule whose
opening sentence kept its point for the end ("If you get certain benefits ... you can claim a
Funeral Expenses Payment") lost that point to the cut, so the rule book puts the point first.
"""
from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.directory_talk import compose
from bot.directory.responsibility import Answer
from bot.directory.rules import RuleBook
from bot.directory.search import ServiceInfo

BOOK = RuleBook.load()
# A typical local answer: a team of a named council (the demo directory's median length), a number, hours.
SERVICE = ServiceInfo(id="s1", name="Adult Social Care Contact Centre", organization="Eastmere Borough Council",
                      description=None, phones=[("01632 960000", None)],
                      schedules=[{"freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR",
                                  "opens_at": "09:00", "closes_at": "17:00"}],
                      assured_date=date.today(), coverage="postcode_district:EM2")


# What carers ask about each of these: the short reason must say it, not leave it to a later sentence.
MAIN_POINT = [
    ("care-home-fees", ("ignored", "partner")),
    ("motability", ("higher rate mobility", "enhanced rate mobility")),
    ("funeral-costs", ("Funeral Expenses Payment",)),
    ("end-of-life-fast-track", ("fast track", "without delay")),
    ("council-tax-carer", ("carer", "council tax")),
    ("section-117-aftercare", ("free",)),
]


@pytest.mark.parametrize(("rule_id", "words"), MAIN_POINT, ids=[r for r, _ in MAIN_POINT])
def test_the_short_reason_carries_the_main_point(rule_id, words):
    from bot.dialogue.directory_talk import _why

    rule = BOOK.rule(rule_id)
    answer = Answer(kind="rule", need_codes=list(rule.needs), rule=rule, role_name="x", services=[SERVICE])
    for text in (compose(answer)[0], _why(answer)):
        assert "(Source: " in text
        for word in words:
            assert word in text, (word, text)
