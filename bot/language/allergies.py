"""Allergies: "allergic to penicillin and plasters", "a peanut allergy", "no allergies that I know of"."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.language.facts.reader import Reader

# what follows "allergic to", up to the end of the thing named
_ALLERGIC_TO = re.compile(r"\ballergic\s+to\s+(?P<what>(?:all\s+|any\s+|the\s+)?[a-z][a-z' -]{1,60}?)"
                          r"(?=\s*(?:[,.!?;(]|\s(?:so|because|cos|which|who|that|she|he|they|it|but|since|"
                          r"whatever|if|when|as|and\s+(?:she|he|they|has|is|takes|uses|her|his))\b|$))")
_FRONTED = re.compile(r"\b(?P<what>[a-z]+)\s+(?:she'?s|he'?s|they'?re|is|are)\s+allergic\s+to\b(?!\s+[a-z])")
_NOT_THIS = re.compile(r"\b(?:it'?s|its|it is)\s+not\s+(?:the\s+)?(?P<what>[a-z]+)\b")
_NOUN_ALLERGY = re.compile(r"\b(?P<what>[a-z]+(?: [a-z]+)?)\s+allerg(?:y|ies)\b")
_NOT_ALLERGENS = {"the", "it", "that", "no", "any", "food", "an", "a", "hay", "severe", "bad", "serious", "nut free",
                  "known", "her", "his", "their", "my", "some", "drug", "skin", "mild", "life threatening"}
_NOT_NAMING = {"has", "have", "had", "got", "with", "not", "nor", "or", "and", "severe", "bad", "any"}
_NAMES = {"plasters": "sticking plasters", "plaster": "sticking plasters", "nuts": "nuts", "peanuts": "peanuts",
          "peanut": "peanuts", "eggs": "eggs", "egg": "eggs"}


def _items(what: str) -> list[str]:
    what = re.sub(r"^(?:all|any|the)\s+", "", what.strip())
    what = re.sub(r",?\s*(?:not just|but not|especially)\b.*$", "", what)
    parts = re.split(r"\s*(?:,|\band\b|\bor\b|&)\s*", what)
    return [p.strip() for p in parts if p.strip() and p.strip() not in _NOT_ALLERGENS and len(p.split()) <= 3]


def allergy_facts(r: Reader) -> None:
    from bot.language.facts.results import ExtractedFact

    low = r.p.low
    found: list[tuple[int, str]] = []
    for m in _ALLERGIC_TO.finditer(low):
        found += [(m.start(), item) for item in _items(m.group("what"))]
    for m in _FRONTED.finditer(low):
        if m.group("what") not in _NOT_ALLERGENS:  # attributed where "allergic" is, after "she's"
            found.append((low.index("allergic", m.start()), m.group("what")))
    if "allerg" in low:  # "it's not penicillin, it's erythromycin she's allergic to"
        for m in _NOT_THIS.finditer(low):
            r.end(f"allergy:{_NAMES.get(m.group('what'), m.group('what'))}")
    for m in _NOUN_ALLERGY.finditer(low):
        words = m.group("what").split()
        # "has no allergies", "dad has allergies": only the words after a verb or determiner name it
        cut = max((k + 1 for k, w in enumerate(words) if w in _NOT_ALLERGENS or w in _NOT_NAMING), default=0)
        words = words[cut:]
        what = " ".join(words)
        if what and what not in _NOT_ALLERGENS and not what.endswith("ing"):
            found.append((m.start(), what))
    for start, item in found:
        i = r.p.tok_at(start)
        if r.question_clause(i) or r.hedged(i):
            continue
        name = _NAMES.get(item, item)
        negation = r.negated_before(i, r.p.tok_at(start + len(item) - 1) + 1)  # ConText on the allergen
        if negation:
            r.end(f"allergy:{name}", negated=negation == "neg")
            continue
        r.add(i, ExtractedFact("allergy", f"allergy:{name}", f"allergic to {name}", None,
                               {"allergen": name, "said": item}))
        # "a peanut allergy": the word "allergy" is explained, not a second, vaguer condition
        r.used.update(k for k in range(r.p.clause_start(i), r.p.clause_end(i)) if r.low(k).startswith("allerg"))
