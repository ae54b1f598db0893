"""Access and safety: getting in (doors, key safes, never their codes), pets, falls, wandering,
behaviour, who lives with the person, and whom to contact first."""
from __future__ import annotations

import re

from bot.language import access
from bot.language.facts.reader import Reader, self_subject, tidy
from bot.language.facts.results import ExtractedFact
from bot.language.nlp import once
from bot.language.vocabulary import RELATIONSHIPS

_ACCESS = [
    (re.compile(r"\b(?:can't|cannot|can not|won't|doesn't|does not|unable to|struggles to|never)\s+"
                r"(?:always\s+)?(?:answer|get to|open|hear)\s+the\s+(?:front\s+)?door\b"),
     "access:door", None),
    (re.compile(r"\b(?:lives|living|live|is|'s)\s+(?:on\s+(?:her|his|their)\s+own|alone|by\s+(?:her|him|them)sel(?:f|ves))\b"),
     "access:living arrangement", "lives alone"),
    (re.compile(r"\b(?:lives|living|live|moved in|staying)\s+with\s+(?:me|us|my family|the family|"
                r"(?:my|her|his) (?:son|daughter|sister|brother|husband|wife|partner|family))\b"),
     "access:living arrangement", None),
    (re.compile(r"\b(?:keeps? falling|falls? (?:a lot|often|regularly|frequently|all the time|over a lot)|"
                r"prone to falls|prone to falling|at (?:high )?risk of falls|frequent falls|lots of falls|"
                r"falling a lot|(?:had|having) (?:lots of|several|a lot of|many|loads of|a few|repeated) falls|"
                r"always falling)\b"),
     "access:falls", None),
    (re.compile(r"\b(?:wanders?|wandering|wandered)(?:\s+(?:off|out|about|around|at night|in the night|"
                r"the streets|outside))?\b|\b(?:gets|getting) lost\b|\btries to (?:leave|get out)\b"),
     "access:wandering", None),
    (re.compile(r"\b(?:can be|gets|getting|is|'s|becomes?|often)\s+(?:very\s+|quite\s+|really\s+)?"
                r"(?:aggressive|violent|agitated and aggressive|verbally aggressive|physically aggressive)\b"),
     "access:behaviour", None),
]
_KEYSAFE_RE = re.compile(r"\b(?:key\s*safe|keysafe|key\s*box|lock\s*box|key\s*lock\s*box)\b")
_CODE_RE = re.compile(r"\b(?P<kind>gate|front door|back door|side door|door|entry|entrance|building|block|"
                      r"main door|alarm|porch|garage)\s+(?:entry\s+)?(?:code|pin|combination)\b")
_PET_RE = re.compile(r"\b(?:(?:has|have|got|there's|there is|there are|with)\s+(?:a|an|two|2|three|3|some)?\s*"
                     r"(?:big\s+|large\s+|small\s+|little\s+|friendly\s+|nervous\s+|barky\s+|noisy\s+)?"
                     r"(?P<a>dogs?|cats?|staffie|alsatian|german shepherd)\b"
                     r"|\b(?P<b>dogs?|cats?)\s+in\s+the\s+(?:house|flat|home|property)\b)")
_CONTACT_FIRST_RE = re.compile(r"\b(?P<v>phone|call|ring|contact|text)\s+(?P<who>(?:her|his|their|my)\s+"
                               r"[a-z]+(?:\s+in\s+law)?|[a-z]+)\s+(?:first|before|beforehand|before visiting|"
                               r"before you go|if you can'?t get in)")


def access_facts(r: Reader) -> None:
    low = r.p.low
    told_animals = set()
    for found in access.find(low, r.p.text):
        i = r.p.tok_at(found.at)
        if r.question_clause(i) or r.hedged(i) or self_subject(r, i):
            continue
        r.add(i, ExtractedFact("access", found.key, found.value, None, dict(found.detail)))
        told_animals.add(found.key)
    for rx, key, fixed in _ACCESS:
        for m in rx.finditer(low):
            i = r.p.tok_at(m.start())
            if r.hedged(i) or r.question_clause(i):
                continue
            negated = r.negated_before(i) or re.search(r"\b(?:not|n't|no longer|never)\s*$",
                                                       low[max(0, m.start() - 12):m.start()])
            if negated and key in ("access:falls", "access:wandering"):
                continue
            text = m.group(0)
            if key == "access:wandering" and (re.search(r"\bmind\b|\bthoughts?\b", low[m.end():m.end() + 12]) or
                                              self_subject(r, i) or access.animal_before(low, m.start())):
                continue  # "the cat tries to get out" is about the cat
            if key == "access:living arrangement" and self_subject(r, i) and "with" not in text:
                continue
            value = fixed or tidy(text)
            if key == "access:living arrangement" and "with" in text:
                who = text.split("with", 1)[1].strip()
                value = "lives with " + {"me": "the carer", "us": "the carer's family"}.get(who, who)
            if key == "access:door":
                value = "can't answer the door"
            if key == "access:falls":
                value = "falls a lot" if "risk" not in text else "at risk of falls"
            if key == "access:wandering":
                value = "wanders at night" if "night" in low[m.start():m.end() + 14] else "wanders / gets lost"
            if key == "access:behaviour":
                value = "can be aggressive"
            if key == "access:living arrangement":  # where and with whom they live: their situation
                r.add(i, ExtractedFact("situation", "situation:living", value, None, {}))
                continue
            r.add(i, ExtractedFact("access", key, value, None, {}))
    for m in _KEYSAFE_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        ce = r.p.clause_end(r.p.tok_at(m.end()))
        se = r.p.sent_end(r.p.tok_at(m.end()))
        rest = low[m.end():r.p.char_of(se)]
        before = low[r.p.char_of(r.p.clause_start(i)):m.start()]
        if re.search(r"(?:no|not|n't|without)\s+(?:a\s+|have\s+a\s+|got\s+a\s+)?$", before):
            continue
        value = "has a key safe"
        holder = re.search(r"\b(?:with|from|ask|call|phone|ring|knows?|has|holds?|have)\s+((?:her|his|their|my|the)\s+"
                           r"[a-z]+(?:\s+in\s+law)?|[a-z]+)", rest)
        if holder and not holder.group(1).split()[-1].isdigit() and holder.group(1) not in ("it", "a", "the", "code"):
            value = f"has a key safe (code held by {holder.group(1)})"
        # never store the code itself
        r.add(i, ExtractedFact("access", "access:key safe", value, None, {}))
        del ce
    for m in _CODE_RE.finditer(low):
        # "the gate code is 2468": that there is a code is kept, never its digits
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i):
            continue
        kind = re.sub(r"\s+", " ", m.group("kind"))
        r.add(i, ExtractedFact("access", f"access:code:{kind}", f"{kind} code (ask the family for it)", None, {}))
    for m in _PET_RE.finditer(low):
        i = r.p.tok_at(m.start())
        if r.question_clause(i) or r.hedged(i) or self_subject(r, i) and "house" not in m.group(0):
            continue
        animal = (m.group("a") or m.group("b"))
        kind = "dog" if any(x in animal for x in ("dog", "staffie", "alsatian", "shepherd")) else "cat"
        if f"access:{kind}" in told_animals:
            continue  # already kept with what it does and what to do about it
        r.add(i, ExtractedFact("access", f"access:{kind}", f"{kind} in the house", None, {"animal": animal}))
    for m in _CONTACT_FIRST_RE.finditer(low):
        who = m.group("who")
        words = who.split()
        if words[-1] not in RELATIONSHIPS and not (len(words) == 1 and words[0] in _first_names()):
            continue
        i = r.p.tok_at(m.start())
        if r.question_clause(i):
            continue
        r.add(i, ExtractedFact("access", "access:contact first", f"{m.group('v')} {who} first", None,
                               {"contact": who}))


@once
def _first_names() -> frozenset[str]:
    from bot.language.vocabulary import FIRST_NAMES
    return frozenset(FIRST_NAMES)
