"""Words that name a need only in its own context: a stroke, a seizure or an ambulance mentioned in a
story is history, not an emergency; "who do I have to tell" is about a death only when there is one."""
from __future__ import annotations

import pytest

from bot.directory.rules import RuleBook
from bot.language.needs import NeedMatcher

BOOK = RuleBook.load()
MATCHER = NeedMatcher((n.code, [n.name, *n.synonyms]) for n in BOOK.needs.values())


def _needs(text: str) -> set[str]:
    return {m.term_id for m in MATCHER.match(text)}


@pytest.mark.parametrize(("text", "not_this"), [
    ("ever since her stroke in march she can't manage the bath, who helps", "need.emergency"),
    ("grandad had a seizure years ago and now he can't drive, who do we inform", "need.emergency"),
    ("he has seizures at night and the nursing home wants more money", "need.emergency"),
    ("how do we book one of those hospital transport ambulances for his clinic", "need.emergency"),
    ("the man from the council is fitting a rail next week", "need.emergency"),
    ("my brother has just been told he has cancer, who else do i tell", "need.tell-us-once"),
    ("the old lady upstairs hasn't answered the door all week, who do i need to tell", "need.tell-us-once"),
])
def test_a_word_in_passing_does_not_name_the_need(text, not_this):
    assert not_this not in _needs(text)


@pytest.mark.parametrize(("text", "need"), [
    ("I think grandad is having a stroke, his arm has gone weak", "need.emergency"),
    ("she is having a seizure right now", "need.emergency"),
    ("we need an ambulance, he's collapsed", "need.emergency"),
    ("who do i tell about the death of my aunt", "need.tell-us-once"),
])
def test_the_need_in_its_own_context_is_still_named(text, need):
    assert need in _needs(text)
