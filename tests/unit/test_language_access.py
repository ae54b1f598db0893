"""Access to my home: which door, where the key is, animals and what to do about them."""
from __future__ import annotations

import pytest

from bot.language.reading import read

CASES = [
    ("at mums please use the side door, the front is bolted", "use the side door (front door is bolted)"),
    ("for dad, come round the back door, the front one sticks", "use the back door (front door sticks)"),
    ("nans spare key is with next door at number 4", "key with next door"),
    ("mums dog is Bella, she jumps up, pop her in the kitchen", "dog Bella jumps up, pop her in the kitchen"),
    ("dad has a staffie who barks a lot, keep him in the garden", "dog barks a lot, keep him in the garden"),
    # a dog named by its breed, and a named dog with nothing to do about it
    ("she has a yappy jack russell called bonnie who will try to run out", "dog Bonnie will try to run out"),
    ("dad lives on his own, he has a dog called Rocky, he barks but is friendly", "dog Rocky barks, is friendly"),
    ("at mums the gate code is 2468", "gate code (ask the family for it)"),
]


@pytest.mark.parametrize(("text", "value"), CASES)
def test_getting_in_is_kept_on_the_person(text, value):
    reading = read(text)
    found = [f for f in reading.current if f.category == "access"]
    assert value in [f.value for f in found], found
    assert all(f.person is not None and not f.person.is_self for f in found)


def test_an_animal_getting_out_is_not_the_person_wandering():
    values = [f.value for f in read("watch mums cat, she tries to get out").current if f.category == "access"]
    assert not any("wander" in v for v in values) and "cat tries to get out" in values


@pytest.mark.parametrize("text", ["what do the carers need to know about getting in?", "my key is in the car",
                                  "could you use the side door?"])
def test_questions_and_the_carers_own_things_are_not_access_facts(text):
    assert [f for f in read(text).current if f.category == "access"] == []


@pytest.mark.parametrize(("text", "kept"), [
    ("mum has a key safe by the front door, code is 1357. the gate code is 2468",
     "mum has a key safe by the front door, code is [code not kept]. the gate code is [code not kept]"),
    ("4921 is the key safe code", "[code not kept] is the key safe code"),
    ("she takes 500mg twice a day", "she takes 500mg twice a day"),
])
def test_entry_codes_are_never_kept_in_the_carers_words(text, kept):
    from bot.language.access import mask_codes
    assert mask_codes(text) == kept


def test_the_words_quoted_back_never_hold_a_code():
    reading = read("mum has dementia. the gate code is 2468, the side gate sticks a bit")
    assert reading.rest and not any("2468" in words for _, words in reading.rest)

