"""People as a professional reads them: "Margaret Hall (carer's mother), 84".

The record stores relationships as terms ("mother"); the carer's own words ("your mum", "my
dad") belong in the conversation with the carer, never in a professional's headings. The terms'
professional wording is data (data/handoff/relations.yml).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Optional

import yaml

from bot.records.service import FactView, PersonView
from bot.settings import ROOT

RELATIONS = ROOT / "data" / "handoff" / "relations.yml"
NO_NAME = "Name not given"
AGE_UNITS = ("years", "months", "weeks", "days")


@lru_cache(maxsize=1)
def _terms() -> dict[str, str]:
    return dict(yaml.safe_load(RELATIONS.read_text(encoding="utf-8"))["terms"])


def relation_word(term: Optional[str]) -> Optional[str]:
    """'mother_in_law' -> 'mother-in-law'; None for no term or the first carer ('self')."""
    if not term or term == "self":
        return None
    return _terms().get(term, term.replace("_", " "))


def age_of(facts: list[FactView]) -> Optional[str]:
    """The person's age as told ('84', '3 weeks old', 'nearly 90'), if the record has it."""
    for fact in facts:  # an age fact's detail holds its unit (bot/language/facts/age.py)
        if fact.category == "personal" and any(unit in fact.detail for unit in AGE_UNITS):
            return fact.value
    return None


def cared_for(person: PersonView, facts: list[FactView] = ()) -> str:
    """'Margaret Hall (carer's mother), 84'."""
    word = relation_word(person.relation)
    label = (person.name or NO_NAME) + (f" (carer's {word})" if word else " (cared for)")
    age = age_of(list(facts))
    return f"{label}, {age}" if age else label


def short(person: PersonView) -> str:
    """'Margaret Hall' or, with no name, "carer's mother": for a fact's 'who'."""
    word = relation_word(person.relation)
    return person.name or (f"carer's {word}" if word else "cared-for person")


def carer(person: PersonView) -> str:
    """'Susan Hall, carer who first got in touch' or 'Tom Hall, family member (first carer's brother)'."""
    name = person.name or NO_NAME
    word = relation_word(person.relation)
    if person.relation == "self":
        return f"{name}, carer who first got in touch"
    return f"{name}, family member (first carer's {word})" if word else f"{name}, family member"
