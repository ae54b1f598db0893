"""Medicines outside the vocabulary, known by the dose after them: "takes zopiclone 7.5mg"."""
from __future__ import annotations

import re

from bot.language.facts.doses import DOSE, WHEN_RE, norm_dose
from bot.language.facts.reader import Reader
from bot.language.facts.results import ExtractedFact
from bot.language.nlp import english_words
from bot.language.vocabulary import MEDICINES, RELATIONSHIPS

_UNKNOWN_MED_RE = re.compile(r"\b(?:takes?|taking|took|on|prescribed|started on|started|given)\s+"
                             r"(?:the\s+|her\s+|his\s+|"
                             r"some\s+)?(?P<w>[a-z][a-z]{3,})\s+(?P<d>" + DOSE + r")")
_NOT_MED_WORDS = {"tablet", "tablets", "medication", "medicine", "meds", "pills", "pill", "something", "liquid",
                  "injection", "injections", "dose", "dosage", "extra", "daily", "each", "every", "about", "around",
                  "nearly", "only", "just", "another", "same", "new", "usual", "morning", "night", "evening",
                  "capsules", "drops", "sachets", "puffs", "units", "patch", "patches", "spray", "cream", "between",
                  "over", "under", "least", "most", "than", "from", "with", "plus", "half", "quarter",
                  "double", "mg", "syrup", "vitamins", "supplements", "twice", "once", "three", "four",
                  "five", "two", "one", "ten", "steroid", "steroids", "insulin", "less", "more", "still", "also",
                  "them", "these", "those", "then", "dropped", "reduced", "increased", "upped", "lowered", "went"}


def unknown_medicine_facts(r: Reader) -> None:
    known = {p for t in MEDICINES for p in t.phrases}
    english = english_words()
    for m in _UNKNOWN_MED_RE.finditer(r.p.low):
        w = m.group("w")
        if w in known or w in english or w in _NOT_MED_WORDS or w in RELATIONSHIPS:
            continue
        i = r.p.tok_at(m.start("w"))
        if i in r.used or r.question_clause(i) or r.hedged(i):
            continue
        if r.negated_before(r.p.tok_at(m.start())):
            r.end(f"medicine:{w}")
            continue
        dose = norm_dose(m.group("d"))
        after = r.p.low[m.end():m.end() + 40]
        wm = WHEN_RE.search(after)
        when = wm.group(0) if wm else None
        value = " ".join(x for x in (w, dose, when) if x)
        r.add(i, ExtractedFact("medicine", f"medicine:{w}", value, None, {"name": w, "dose": dose, "when": when}),
              span=(i, i + 1))
