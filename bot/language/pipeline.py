"""The language stage: one message in, one Reading out."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from bot.language import access, answers, corrections
from bot.language.facts.assembly import understand_cached
from bot.language.facts.phrases import phrase_hits
from bot.language.mentions import find_mentions
from bot.language.nlp import english_words
from bot.language.parse import Parsed
from bot.language.questions import read_question
from bot.language.reading import CURRENT, EMPTY, ENDED, HEDGED, NEGATED, Fact, Invitation, Person, Reading, frozen
from bot.language.text import clean, looks_english
from bot.language.vocabulary import FEMALE, FIRST_NAMES, MALE
from bot.phone import find_phone


def _gender(relationship: Optional[str]) -> Optional[str]:
    return "f" if relationship in FEMALE else "m" if relationship in MALE else None


def _person(mention) -> Optional[Person]:
    if mention is None:
        return None
    return Person(mention.relationship, mention.name, _gender(mention.relationship) or mention.gender)


_RELATIVE = re.compile(r"\bmy\s+(brother|sister|son|daughter|husband|wife|partner|uncle|aunt|auntie|cousin|niece|"
                       r"nephew|mum|mam|mom|dad|nan|gran|grandad|grandson|granddaughter|friend|neighbour)\s+"
                       r"([a-z][a-z'-]{1,20})\b", re.IGNORECASE)
_NOT_NAMES = {"as", "too", "also", "on", "and", "please", "is", "his", "her", "their", "number", "mobile", "phone"}
_RELATIONS = {"auntie": "aunt", "mum": "mother", "mam": "mother", "mom": "mother", "dad": "father",
              "nan": "grandmother", "gran": "grandmother", "grandad": "grandfather"}


def _relative(text: str, phone: Optional[str]) -> Optional[Invitation]:
    """"and my uncle steve as well, 07...": who, when the message isn't phrased as an invitation."""
    match = _RELATIVE.search(text)
    if not match:
        return None
    name = match.group(2)
    relation = _RELATIONS.get(match.group(1).lower(), match.group(1).lower())
    return Invitation(None if name.lower() in _NOT_NAMES or name[0].isdigit() else name.capitalize(), relation, phone)


def _rest(rest, moves, fixes, hits, low: str, renamed: list[str]) -> tuple[tuple[Optional[Person], str], ...]:
    """The unstructured parts, less those a move, a fix or a rename already made structured."""
    done = [low[a:b] for a, b, key in hits if any(m.key == key for m in moves)] + [f.new for f in fixes] + \
        [f.old for f in fixes if f.old] + renamed
    # entry codes are never kept nor said back (data/vocabulary/access.yml)
    return tuple((_person(p), access.mask_codes(words)) for p, words in rest
                 if not any(d and d in words.lower() for d in done))


@lru_cache(maxsize=256)
def read(text: str, known: frozenset[str] = frozenset()) -> Reading:
    """Everything the dialogue needs from one message. Never raises on odd input.

    `known` holds the names already in the family's record (lower case), so "harvey?" and
    "what does len take" are about Harvey and Len however they are typed."""
    if not isinstance(text, str) or not text.strip():
        return EMPTY
    understood = understand_cached(text, known)
    cleaned = clean(text)
    if not cleaned or not looks_english(cleaned):
        return Reading(text=cleaned, english=False, answer=answers.answer(cleaned), phone=find_phone(text))
    parsed = Parsed(cleaned)
    question = read_question(parsed, known)
    facts = [Fact(f.category, f.key, f.value, _person(f.subject), frozen(f.detail), said=cleaned, status=CURRENT)
             for f in understood.facts]
    # suspected, not confirmed: carried with the carer's words (kept as a note), never stored as current
    facts += [Fact(f.category, f.key, f.value, _person(f.subject), frozen(f.detail), said=cleaned, status=HEDGED)
              for f in understood.hedged]
    for key in understood.ended_keys:
        category, _, name = key.partition(":")
        facts.append(Fact(category, key, name.split(":")[-1], _person(understood.subject), said=cleaned,
                          status=NEGATED if key in understood.negated_keys else ENDED))
    hits = [(parsed.toks[h.start].start, parsed.toks[h.end - 1].end, h.term.key) for h in phrase_hits(parsed)]
    mentions = find_mentions(parsed, known)

    def people_at(start: int, end: int) -> Optional[Person]:
        for m in mentions:
            if m.kind in ("rel", "name") and parsed.toks[m.start].start < end and parsed.toks[m.end - 1].end > start:
                return Person(m.rel, m.name, m.gender)
        word = parsed.low[start:end].strip()
        word = re.sub(r"(?:'s|s)$", "", word) if word not in english_words() else word
        if word.isalpha() and len(word) > 2 and (word in FIRST_NAMES or word not in english_words()):
            return Person(None, word.capitalize())  # "its harvey who has the asthma": a name, though lower case
        return None

    def key_near(char: int) -> Optional[str]:
        near = [h for h in hits if h[2].startswith("medicine:")]
        return min(near, key=lambda h: abs(h[0] - char))[2] if near else None

    low = parsed.low
    fixes = corrections.value_fixes(low, key_near)
    moves = corrections.moves(low, hits, people_at, understood.is_correction or bool(corrections._SORRY.search(low)))
    english = english_words()
    renamed = corrections.renames(cleaned, known, lambda w, cap: w.lower() in FIRST_NAMES or (
        cap and w.lower() not in english), people_at)
    renames = tuple(r for r, _ in renamed)
    # the wrong name is not someone new: "Jean not Joan" names one person
    wrong = {r.old.lower() for r in renames if r.old} | {r.new.lower() for r in renames}
    people = tuple(p for p in (_person(m) for m in understood.people)
                   if p is not None and not (p.name and p.name.lower() in wrong and not p.relationship))
    return Reading(
        text=cleaned,
        people=people,
        facts=tuple(facts),
        moves=moves,
        fixes=fixes,
        renames=renames,
        correction=understood.is_correction or bool(moves) or bool(fixes) or bool(renames),
        subject=None if _person(understood.subject) is not None and _person(understood.subject) not in people
        and renames else _person(understood.subject),
        focus=question.focus,
        topic=question.topic,
        question=question.question,
        follow_up=question.follow_up,
        asks_who=question.asks_who,
        asks_for_person=question.asks_for_person,
        reports_problem=question.reports_problem,
        invitation=Invitation(understood.invitation.name, understood.invitation.relationship,
                              understood.invitation.phone) if understood.invitation else None,
        postcode=understood.postcode,
        phone=find_phone(text),
        relative=_relative(cleaned, find_phone(text)),
        answer=answers.answer(cleaned),
        asked=tuple(dict.fromkeys(k for _, _, k in hits)) if question.question else (),
        rest=_rest(understood.rest, moves, fixes, hits, low, [said.lower() for _, said in renamed])
        if not question.question else (),
    )
