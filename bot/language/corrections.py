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

from bot.language.reading import Move, Person, Rename, ValueFix

_UNIT = r"(?:mg|mcg|micrograms?|ml|units?|g|grams?|puffs?|tablets?)"
_NUM = r"\d+(?:\.\d+)?"
# "12 units of lantus not 20", "3mg not 5mg", "1g not 500mg", "78 not 87"
_FIX = re.compile(rf"\b(?P<new>{_NUM})\s?(?P<unit>{_UNIT})?\b(?P<mid>[^.?!]{{0,24}}?)\bnot\s+(?:the\s+)?"
                  rf"(?P<old>{_NUM})\s?(?P<old_unit>{_UNIT})?\b", re.IGNORECASE)
# "the clinic changed it to 3mg", "upped nans oramorph to 5ml", "the metformin is 1g now"
_CHANGE = re.compile(rf"\b(?:put up|increased|upped|uped|raised|reduced|lowered|cut|dropped|gone up|gone down|"
                     # "put his amlodipine up to 10mg", "bumped her dose down to 2mg"
                     rf"(?:put|bumped|brought|moved|knocked|taken|took|turned)(?:\s+[\w']+){{0,3}}?\s+(?:up|down)|"
                     rf"decreased|adjusted|altered|tripled|"
                     rf"changed|doubled|halved|isn'?t [\w ]{{1,12}} any ?more|is now|now)\b[^.?!]{{0,30}}?"
                     rf"\b(?:to\s+)?(?P<new>{_NUM})\s?(?P<unit>{_UNIT})\b", re.IGNORECASE)
_SORRY = re.compile(r"\b(?:sorry|soz|typo|my mistake|my bad|mistake|wrong|actually|correction|i meant|meant to say|"
                    r"should (?:be|say|read)|not right|oops|whoops|scratch that|ignore that)\b"
                    # a reply that starts by contradicting: "no the stroke is dad's", "wait, it's nan's"
                    r"|^\W*(?:no+|nope|nah|wait|hang on|hold on)\b", re.IGNORECASE)
_PLAIN_DOSE = re.compile(rf"\b(?:is|'s|its|it's|it is|should be|meant)\s+(?P<new>{_NUM})\s?(?P<unit>{_UNIT})\b",
                         re.IGNORECASE)
# "the metformin is 1g now", "her bisoprolol is 2.5mg these days": a new value, said as the news
_NOW = re.compile(r"\b(?:now|these days|from now on|from today|from tomorrow|going forward|instead)\b")


def _amount(number: str, unit: Optional[str]) -> str:
    """"5mg", "1g", but "12 units", "2 puffs", "1 tablet": words get a space."""
    if not unit:
        return number
    return f"{number}{' ' if len(unit) > 3 else ''}{unit}"


def value_fixes(low: str, key_near: Callable[[int], Optional[str]]) -> tuple[ValueFix, ...]:
    """Values put right in this message. `key_near(char)` names the medicine said near a position."""
    fixes: list[ValueFix] = []
    for match in _FIX.finditer(low):
        unit = (match.group("unit") or match.group("old_unit") or "").lower() or None
        new = _amount(match.group("new"), unit)
        fixes.append(ValueFix(new, match.group("old"), unit, key_near(match.start())))
    if fixes:
        return tuple(fixes)
    sorry = bool(_SORRY.search(low))
    for pattern in (_CHANGE,) + ((_PLAIN_DOSE,) if sorry or _NOW.search(low) else ()):
        for match in pattern.finditer(low):
            unit = match.group("unit").lower()
            new = _amount(match.group("new"), unit)
            key = key_near(match.start())
            # "sorry my mistake its 2 puffs" names no medicine: the one recorded in puffs is meant
            if key is not None or pattern is _CHANGE or sorry:
                fixes.append(ValueFix(new, None, unit, key))
        if fixes:
            break
    return tuple(fixes)


# --- names put right ---------------------------------------------------------------------------
_NAME = r"(?P<{0}>[A-Za-z][a-z'-]+)"
_RENAMES = [
    # "sorry her name is Jean not Joan", "mums name is actually Jean", "his name's spelt Steven"
    re.compile(r"\b(?P<who>her|his|their|[a-z]+'?s)\s+name(?:'s|\s+is|\s+was)?\s+(?:actually\s+|really\s+)?"
               r"(?:spelt\s+|spelled\s+)?" + _NAME.format("new") +
               r"(?:\s*,?\s*not\s+" + _NAME.format("old") + r")?", re.IGNORECASE),
    # "its spelt Steven", "it's Steven with a v", "I meant Jean not Joan", "should be Jean not Joan"
    re.compile(r"\b(?:it'?s|it is|its)\s+(?:spelt|spelled)\s+" + _NAME.format("new") +
               r"(?:\s*,?\s*not\s+" + _NAME.format("old") + r")?", re.IGNORECASE),
    re.compile(r"\b(?:it'?s|it is|its|i meant|should be|meant to (?:say|type|write))\s+" + _NAME.format("new") +
               r"(?=\s+(?:with an?\s+[a-z]\b|not\s))(?:\s+with an?\s+[a-z]\b)?(?:\s*,?\s*not\s+" +
               _NAME.format("old") + r")?", re.IGNORECASE),
]


def renames(text: str, known: frozenset[str], is_name: Callable[[str, bool], bool],
            person_at: Callable[[int, int], Optional[Person]]) -> tuple[tuple[Rename, str], ...]:
    """Names put right, each with the words that said it. A rename needs a correction said as
    one ("sorry", "actually", "not Joan", "spelt", "with a v") or the old name on the record,
    so "her name is Jean" about someone unnamed is a name told, not changed.
    `is_name(word, capitalised)` says whether a word can be a first name."""
    low = text.lower()
    found: list[tuple[Rename, str]] = []
    for pattern in _RENAMES:
        for match in pattern.finditer(text):
            new, old = match.group("new"), match.groupdict().get("old")
            if not is_name(new, new[:1].isupper()) or (old and not (is_name(old, old[:1].isupper())
                                                                    or old.lower() in known)):
                continue
            if new.lower() == (old or "").lower() or any(new.lower() == r.new.lower() for r, _ in found):
                continue
            said = match.group(0)
            if not (old or _SORRY.search(low) or re.search(r"spel|with an?\s+[a-z]\b", said, re.IGNORECASE)):
                continue
            who = match.groupdict().get("who")
            person = person_at(match.start("who"), match.end("who")) if who and who.lower() not in (
                "her", "his", "their") else None
            found.append((Rename(new.capitalize(), old.capitalize() if old else None, person), said))
    return tuple(found)


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
        m = re.match(rf"\s*(?:is|'s|are|was|should be|belongs)\s+(?:actually\s+|really\s+)?(?:for\s+|to\s+|on\s+)?"
                     rf"(?:my\s+|our\s+)?(?P<p1>[\w']+(?: in law)?){_POSS}"
                     rf"(?:\s*,?\s*(?:and\s+)?not\s+(?:my\s+|her\s+|his\s+)?(?P<p2>[\w']+(?: in law)?){_POSS})?\b",
                     after)
        if m:
            to = people_at(end + m.start("p1"), end + m.end("p1"))
            away = people_at(end + m.start("p2"), end + m.end("p2")) if m.group("p2") else None
            if to is not None and (away is not None or corrective):
                found.append(Move(key, to, away))
                continue
        # "I meant dad had the stroke not mum": who has it, then whom it is not
        m = re.search(r"\b(?:my\s+|our\s+)?(?P<p1>[\w']+(?: in law)?)\s+(?:who\s+)?(?:has|had|takes|took|is on|'s on|"
                      r"has got|'s got|got|uses)\s+(?:the\s+|her\s+|his\s+)?$", before)
        tail = re.match(r"\s*,?\s*(?:and\s+)?not\s+(?:my\s+|our\s+)?(?P<p2>[\w']+(?: in law)?)", after)
        if m and tail and corrective:
            offset = start - len(before)
            to = people_at(offset + m.start("p1"), offset + m.end("p1"))
            away = people_at(end + tail.start("p2"), end + tail.end("p2"))
            if to is not None and away is not None and to != away:
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
