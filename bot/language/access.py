"""Access to my home: which door to use, where the key is, and animals with what to do about them.

The phrasings live in data/vocabulary/access.yml. This module finds them in one message and
gives each as (character offset, key, value, detail); the fact reader attaches them to the
person the clause is about. Key-safe codes are never kept (see facts/access_safety.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from bot.language.nlp import once
from bot.language.vocabulary import FIRST_NAMES, load


@dataclass(frozen=True)
class Found:
    at: int  # character offset in the message
    key: str
    value: str
    detail: tuple[tuple[str, str], ...] = ()


def _any(pieces: list[str]) -> str:
    return "(?:" + "|".join(pieces) + ")"


@dataclass(frozen=True)
class _Patterns:
    door: re.Pattern
    trouble: re.Pattern
    key: re.Pattern
    key_stop: frozenset[str]
    animal: re.Pattern
    way: re.Pattern
    step: re.Pattern
    animal_word: re.Pattern
    dogs: frozenset[str]


@once
def _patterns() -> _Patterns:
    data = load("access")
    doors = _any(data["doors"])
    breeds = sorted((b.replace(" ", r"\s+") for b in data["dog_breeds"]), key=len, reverse=True)
    animals = _any(breeds + data["animals"])
    return _Patterns(
        door=re.compile(rf"\b{_any(data['use_door'])}\s*the\s+(?P<door>{doors})\b(?:\s+(?:door|entrance))?"),
        trouble=re.compile(rf"\bthe\s+(?P<door>{doors})(?:\s+(?:door|one))?\s+(?P<how>{_any(data['door_trouble'])})"),
        key=re.compile(rf"\b(?:spare\s+)?keys?\s+(?:is\s+|are\s+|is\s+kept\s+|'s\s+|kept\s+|lives\s+|left\s+)?"
                       rf"(?P<prep>{_any(data['key_places'])})\s+(?P<place>(?:the|a|her|his|their|my|next door'?s?)"
                       rf"(?:\s+[a-z']+){{1,3}})"),
        key_stop=frozenset(data["key_stop"]),
        animal=re.compile(rf"\b(?P<kind>{animals})\b(?:\s*(?:is\s+|called\s+|named\s+|,\s*)?(?P<name>[a-z]+))?"),
        way=re.compile(rf"\b{_any(data['animal_ways'])}"),
        step=re.compile(rf"\b{_any(data['animal_steps'])}"),
        animal_word=re.compile(rf"\b{animals}\b"),
        dogs=frozenset(["dog", "dogs", "puppy", "staffie"] + [b.lower() for b in data["dog_breeds"]]),
    )


def _sentence(low: str, at: int) -> tuple[int, int]:
    start = max(low.rfind(".", 0, at), low.rfind("\n", 0, at), low.rfind("!", 0, at)) + 1
    ends = [e for e in (low.find(".", at), low.find("\n", at), low.find("!", at)) if e != -1]
    return start, min(ends) if ends else len(low)


def find(low: str, text: str) -> list[Found]:
    """Access details in one message (`low` is `text` lower-cased, same length)."""
    p = _patterns()
    found: list[Found] = []
    for m in p.door.finditer(low):
        start, end = _sentence(low, m.start())
        value = f"use the {m.group('door')} door"
        trouble = p.trouble.search(low, start, end)
        if trouble and trouble.group("door") != m.group("door"):
            value += f" ({trouble.group('door')} door {trouble.group('how')})"
        found.append(Found(m.start(), f"access:door:{m.group('door')}", value))
    for m in p.key.finditer(low):
        words = m.group("place").split()
        for n, word in enumerate(words[1:], 1):
            if word in p.key_stop:
                words = words[:n]
                break
        if len(words) < 2 or re.search(r"\bkey\s*safe|\bkeysafe|\block\s*box|\bkey\s*box", " ".join(words)):
            continue  # "the key is in a key safe": the key safe is its own fact
        found.append(Found(m.start(), "access:key", f"key {m.group('prep')} {' '.join(words)}"))
    for m in p.animal.finditer(low):
        start, end = _sentence(low, m.start())
        ways = [w.group(0) for w in p.way.finditer(low, m.end("kind"), end)]
        steps = [s.group(0) for s in p.step.finditer(low, m.end("kind"), end)]
        kind_said = re.sub(r"\s+", " ", m.group("kind"))
        kind = "dog" if kind_said in p.dogs else kind_said.rstrip("s")
        name = m.group("name")
        called = bool(re.match(r"\s*(?:called|named)\s", low[m.end("kind"):]))
        named = name if name and (name in FIRST_NAMES or text[m.start("name")].isupper() or called) else None
        if not ways and not steps and not (named and called):
            continue  # "a dog called Rocky" is worth keeping for a visitor; "the cat" alone is not
        value = " ".join([kind] + ([named.capitalize()] if named else []) + ([", ".join(ways[:2])] if ways else []))
        if steps:
            value += ", " + steps[0]
        found.append(Found(m.start(), f"access:{kind}", value, (("animal", m.group("kind")),)))
    return found


@once
def _code_patterns() -> tuple[re.Pattern, re.Pattern, re.Pattern, str]:
    data = load("access")
    words = _any(sorted((w.replace(" ", r"\s+") for w in data["code_words"]), key=len, reverse=True))
    kinds = _any(sorted((k.replace(" ", r"\s*") for k in data["code_kinds"]), key=len, reverse=True))
    digits = r"[#*]?\d(?:[\d -]{1,10}\d)?[#*]?"
    # "code is 1357", "the code for the key safe is 4921", "pin: 0000"
    after = re.compile(rf"\b{words}\b(?P<gap>[^.\d\n?!]{{0,32}}?)(?P<d>{digits})(?!\s?(?:mg|ml|am|pm|units?|years?))",
                       re.IGNORECASE)
    # "4921 is the key safe code", "key safe 4921"
    before = re.compile(rf"(?P<d>\b{digits})\s+(?:is|'s)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:[a-z]+\s+){{0,3}}"
                        rf"{words}\b", re.IGNORECASE)
    kind = re.compile(rf"\b{kinds}\s*(?:is\s+|:\s*|-\s*)?(?P<d>\d{{3,8}})\b", re.IGNORECASE)
    return after, before, kind, str(data["code_mask"])


def mask_codes(text: str) -> str:
    """The carer's words with any entry code's digits masked (data/vocabulary/access.yml: never
    kept, never sent by SMS). "key safe code is 4721" -> "key safe code is [code not kept]"."""
    if not any(c.isdigit() for c in text):
        return text
    after, before, kind, mask = _code_patterns()
    for pattern in (after, before, kind):
        text = pattern.sub(lambda m: m.group(0)[:m.start("d") - m.start()] + mask +
                           m.group(0)[m.end("d") - m.start():], text)
    return text


def animal_before(low: str, at: int, reach: int = 30) -> bool:
    """An animal named just before this point: "the cat she tries to get out" is about the cat."""
    return bool(_patterns().animal_word.search(low, max(0, at - reach), at))
