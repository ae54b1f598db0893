"""Spotting risk in a carer's words, whatever intent the classifier chose.

Deliberately sensitive: a false alarm costs a kind message with emergency numbers; a miss can
cost a life. Each pattern belongs to a kind, which decides the emergency route offered.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional

LIFE = "danger_to_life"
SELF_HARM = "self_harm"
ABUSE = "abuse_or_neglect"
NOT_EATING = "not_eating"
MISSED_CARE = "missed_care"

_N = r"(?:n't|nt|not|never)"
PATTERNS: list[tuple[str, str]] = [
    (SELF_HARM, r"\b(suicid\w*|kill (?:my|him|her)sel(?:f|ves)|end (?:it all|my life|his life|her life)|"
                r"want(?:s)? to die|better off dead|take (?:my|his|her) own life|self[- ]?harm\w*|"
                r"harm(?:ing)? (?:my|him|her)self|hurt(?:ing)? (?:my|him|her)self|overdose\w*|"
                r"can'?t (?:go on|cope any ?more|take (?:it|this) any ?more)|no reason to live|"
                r"(?:don'?t|do not) want to (?:be here|live|wake up)(?: any ?more)?)\b"),
    (LIFE, r"\b(not breathing|isn'?t breathing|stopped breathing|can'?t breathe|chest pains?|unconscious|"
           r"won'?t wake|collapsed|having a (?:stroke|heart attack|fit|seizure)|fell and can'?t get up|"
           r"(?:fallen|fell|on the floor)\b.{0,40}\bcan'?t (?:get|lift) (?:him|her|them) up|"
           r"can'?t (?:get|lift) (?:him|her|them) (?:up|off the floor)|"
           r"on the floor and can'?t|bleeding (?:heavily|a lot)|choking|blue lips|unresponsive|"
           r"gas leak|fire in|house is on fire|in danger|emergency)\b"),
    (ABUSE, r"\b(hit(?:s|ting)? (?:my )?(?:her|him|me|them|mum|mam|mom|dad|wife|husband|nan|gran)|"
            r"hurting (?:my )?(?:her|him|me|mum|dad)|abus\w+|neglect\w*|"
            r"beat(?:s|ing)? (?:her|him|me)|scared of (?:him|her|them)|afraid of (?:him|her|them)|"
            r"threaten\w*|locked (?:her|him) in|taking (?:her|his) money|stealing (?:from )?(?:her|his)|"
            r"tak(?:ing|en|es) (?:money|cash) (?:out of|from) (?:\w+'?s? )?(?:account|bank|purse|pension)|"
            r"(?:emptied|emptying|draining) (?:her|his|mum'?s|dad'?s|nan'?s) (?:account|bank|savings)|"
            r"bruises?)\b"),
    (NOT_EATING, rf"\b(has{_N} eaten|ha(?:s|ve){_N} (?:had|eaten) (?:anything|any food|a meal)|"
                 rf"not eat(?:ing|en)|stopped eating|won'?t eat|refus\w+ (?:to eat|food|meals)|"
                 rf"not (?:ate|eaten|had) (?:or drunk )?anything|(?:hasn'?t|has not|not) (?:ate|eaten) or drunk|"
                 rf"hasn'?t (?:had a drink|drunk|been drinking)|not drinking|no food in|nothing to eat|"
                 rf"is{_N} eating|starving)\b"),
    (MISSED_CARE, rf"\b(carers? (?:have|has|had|did|do){_N} (?:turned up|come|shown up|arrived|been)|"
                  rf"carers? (?:never|didn'?t|did not|haven'?t|have not) (?:turn(?:ed)? up|c[ao]me|show(?:ed)? up)|"
                  r"no(?:body|one) (?:has )?(?:turned up|come|came|shown up|visited)|"
                  r"(?:care )?visits? (?:not|haven'?t been|aren'?t) happening|missed (?:care )?visits?|"
                  r"left (?:on (?:her|his) own|alone) (?:for|all) (?:days|the day|night)|"
                  r"no(?:body|one) to look after (?:her|him|them))\b"),
]
_COMPILED = [(kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in PATTERNS]
# "in danger of losing the bus pass", "emergency contact number" are not emergencies.
_DEFUSE = re.compile(r"\b(emergency contact|emergency (?:dentist|appointment|prescription)|"
                     r"in danger of (?:losing|missing)|emergency respite plan)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Risk:
    kind: str
    child: bool  # a child is involved: children's safeguarding rather than adults'


_CHILD = re.compile(r"\b(baby|babies|child|children|kid|kids|son|daughter|toddler|newborn|girl|boy)\b",
                    re.IGNORECASE)


def detect(text: str) -> Optional[Risk]:
    """The most serious risk the message shows, or None."""
    if not text:
        return None
    cleaned = _DEFUSE.sub(" ", text.replace("’", "'"))
    for kind, pattern in _COMPILED:
        if pattern.search(cleaned):
            return Risk(kind, bool(_CHILD.search(cleaned)))
    return None
