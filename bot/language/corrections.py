"""Corrections in everyday words: a value put right, a fact moved to the right person.

"sorry typo its 12 units of lantus not 20", "the metformin is 1g not 500mg", "hes 78 not 87",
"it was put up to 10mg": a new value (ValueFix). "no sorry the stroke is mums not dads",
"donepezil is mums", "its harvey who has the asthma not maisie": a fact moved (Move). The record
then supersedes the old fact and keeps it in the history.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Optional

from bot.language.reading import Move, Person, ValueFix

_UNIT = r"(?:mg|mcg|micrograms?|ml|units?|g|grams?|puffs?|tablets?)"
_NUM = r"\d+(?:\.\d+)?"
# "12 units of lantus not 20", "3mg not 5mg", "1g not 500mg", "78 not 87"
_FIX = re.compile(rf"\b(?P<new>{_NUM})\s?(?P<unit>{_UNIT})?\b(?P<mid>[^.?!]{{0,24}}?)\bnot\s+(?:the\s+)?"
                  rf"(?P<old>{_NUM})\s?(?P<old_unit>{_UNIT})?\b", re.IGNORECASE)
# "the clinic changed it to 3mg", "upped nans oramorph to 5ml", "the metformin is 1g now"
_CHANGE = re.compile(rf"\b(?:put up|increased|upped|raised|reduced|lowered|cut|dropped|gone up|gone down|"
                     rf"changed|doubled|halved|isn'?t [\w ]{{1,12}} any ?more|is now|now)\b[^.?!]{{0,30}}?"
                     rf"\b(?:to\s+)?(?P<new>{_NUM})\s?(?P<unit>{_UNIT})\b", re.IGNORECASE)
_SORRY = re.compile(r"\b(?:sorry|typo|my mistake|mistake|wrong|actually|correction|i meant|meant to say|"
                    r"should (?:be|say|read)|not right|oops)\b", re.IGNORECASE)
_PLAIN_DOSE = re.compile(rf"\b(?:is|'s|its|it's)\s+(?P<new>{_NUM})\s?(?P<unit>{_UNIT})\b", re.IGNORECASE)


def value_fixes(low: str, key_near: Callable[[int], Optional[str]]) -> tuple[ValueFix, ...]:
    """Values put right in this message. `key_near(char)` names the medicine said near a position."""
    fixes: list[ValueFix] = []
    for match in _FIX.finditer(low):
        unit = (match.group("unit") or match.group("old_unit") or "").lower() or None
        new = f"{match.group('new')}{' ' if unit and unit.startswith('unit') else ''}{unit or ''}"
        fixes.append(ValueFix(new, match.group("old"), unit, key_near(match.start())))
    if fixes:
        return tuple(fixes)
    for pattern in (_CHANGE,) + ((_PLAIN_DOSE,) if _SORRY.search(low) else ()):
        for match in pattern.finditer(low):
            unit = match.group("unit").lower()
            new = f"{match.group('new')}{' ' if unit.startswith('unit') else ''}{unit}"
            key = key_near(match.start())
            if key is not None or pattern is _CHANGE:
                fixes.append(ValueFix(new, None, unit, key))
        if fixes:
            break
    return tuple(fixes)


# --- moves -------------------------------------------------------------------------------------
_POSS = r"(?:'s|s|’s)?"


def moves(low: str, terms: Sequence[tuple[int, int, str]], people_at: Callable[[int, int], Optional[Person]],
          corrective: bool) -> tuple[Move, ...]:
    """Facts moved between people. `terms` are (start, end, key) of vocabulary hits in `low`;
    `people_at(start, end)` is the person named in that span of the text, if any."""
    found: list[Move] = []
    for start, end, key in terms:
        after, before = low[end:end + 60], low[max(0, start - 70):start]
        # "the stroke is mums not dads", "donepezil is mums"
        m = re.match(rf"\s*(?:is|'s|are|was)\s+(?:actually\s+|really\s+)?(?P<p1>[\w']+(?: in law)?){_POSS}"
                     rf"(?:\s*,?\s*(?:and\s+)?not\s+(?:my\s+|her\s+|his\s+)?(?P<p2>[\w']+(?: in law)?){_POSS})?\b",
                     after)
        if m:
            to = people_at(end + m.start("p1"), end + m.end("p1"))
            away = people_at(end + m.start("p2"), end + m.end("p2")) if m.group("p2") else None
            if to is not None and (away is not None or corrective):
                found.append(Move(key, to, away))
                continue
        # "its harvey who has the asthma not maisie"
        m = re.search(r"\b(?:it'?s|it is|its)\s+(?:my\s+)?(?P<p1>[\w']+(?: in law)?)\s+(?:who|that)\s+"
                      r"(?:has|had|takes|is on|'s got|has got|got|uses)\s+(?:the\s+|got\s+the\s+)?$", before)
        if m:
            to = people_at(start - len(before) + m.start("p1"), start - len(before) + m.end("p1"))
            tail = re.match(r"\s*,?\s*(?:and\s+)?not\s+(?:my\s+)?(?P<p2>[\w']+(?: in law)?)", after)
            away = people_at(end + tail.start("p2"), end + tail.end("p2")) if tail else None
            # "its not my mum its my dad who has the COPD"
            lead = re.search(r"\b(?:it'?s|it is|its)\s+not\s+(?:my\s+)?(?P<p2>[\w']+(?: in law)?)\s*,?\s*$",
                             before[:m.start()])
            if lead and away is None:
                offset = start - len(before)
                away = people_at(offset + lead.start("p2"), offset + lead.end("p2"))
            if to is not None:
                found.append(Move(key, to, away))
    return tuple(found)
