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


@once
def _patterns() -> _Patterns:
    data = load("access")
    doors = _any(data["doors"])
    return _Patterns(
        door=re.compile(rf"\b{_any(data['use_door'])}\s*the\s+(?P<door>{doors})\b(?:\s+(?:door|entrance))?"),
        trouble=re.compile(rf"\bthe\s+(?P<door>{doors})(?:\s+(?:door|one))?\s+(?P<how>{_any(data['door_trouble'])})"),
        key=re.compile(rf"\b(?:spare\s+)?keys?\s+(?:is\s+|are\s+|is\s+kept\s+|'s\s+|kept\s+|lives\s+|left\s+)?"
                       rf"(?P<prep>{_any(data['key_places'])})\s+(?P<place>(?:the|a|her|his|their|my|next door'?s?)"
                       rf"(?:\s+[a-z']+){{1,3}})"),
        key_stop=frozenset(data["key_stop"]),
        animal=re.compile(rf"\b(?P<kind>{_any(data['animals'])})\b(?:\s*(?:is\s+|called\s+|named\s+|,\s*)?(?P<name>[a-z]+))?"),
        way=re.compile(rf"\b{_any(data['animal_ways'])}"),
        step=re.compile(rf"\b{_any(data['animal_steps'])}"),
        animal_word=re.compile(rf"\b{_any(data['animals'])}\b"),
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
        if len(words) < 2:
            continue
        found.append(Found(m.start(), "access:key", f"key {m.group('prep')} {' '.join(words)}"))
    for m in p.animal.finditer(low):
        start, end = _sentence(low, m.start())
        ways = [w.group(0) for w in p.way.finditer(low, m.end("kind"), end)]
        steps = [s.group(0) for s in p.step.finditer(low, m.end("kind"), end)]
        if not ways and not steps:
            continue
        kind = "dog" if m.group("kind") in ("dog", "dogs", "puppy", "staffie") else m.group("kind").rstrip("s")
        name = m.group("name")
        named = name if name and (name in FIRST_NAMES or text[m.start("name")].isupper()) else None
        value = " ".join([kind] + ([named.capitalize()] if named else []) + ways[:2])
        if steps:
            value += ", " + steps[0]
        found.append(Found(m.start(), f"access:{kind}", value, (("animal", m.group("kind")),)))
    return found


def animal_before(low: str, at: int, reach: int = 30) -> bool:
    """An animal named just before this point: "the cat she tries to get out" is about the cat."""
    return bool(_patterns().animal_word.search(low, max(0, at - reach), at))
