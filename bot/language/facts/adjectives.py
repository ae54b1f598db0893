"""Conditions said as adjectives: "she's diabetic", "he is profoundly deaf"."""
from __future__ import annotations

import re

from bot.language.facts.phrases import vocab
from bot.language.facts.reader import Reader, negation
from bot.language.facts.results import ExtractedFact


def adjective_facts(r: Reader) -> None:
    v = vocab()
    toks = r.toks
    last_end = -1
    for i in range(len(toks)):
        for size in (3, 2, 1):
            key = tuple(t.low for t in toks[i:i + size])
            if len(key) == size and key in v.adjectives:
                term = v.adjectives[key]
                j = i - 1
                while j >= 0 and r.low(j) in ("very", "quite", "also", "now", "severely", "profoundly",
                                               "completely", "totally", "partially", "registered", "a", "bit",
                                               "type", "1", "2", "still", "doubly", "really", "insulin",
                                               "dependent", "diet", "controlled", "getting", "become", "became",
                                               "not", "n't", "never", "no", "longer", "and", "years", "year",
                                               "old", ",", "nonverbal", "non", "verbal", "mildly", "moderately",
                                               "highly", "high", "low", "functioning", "mostly", "newly",
                                               "recently", "diagnosed", "both") or r.low(j).isdigit():
                    j -= 1
                listed = last_end >= 0 and all(r.low(k) in ("and", ",", "or", "&", "very", "quite", "also", "a", "bit")
                                               for k in range(last_end, i)) and last_end < i
                if not listed and r.lem(j) not in ("be", "'s", "become", "get", "getting") and \
                        r.low(j) not in ("'s", "s"):
                    break
                if listed:
                    j = i - 1
                if r.hedged(i) or r.question_clause(j):
                    break
                said = r.context.at(i, i + size)
                if said.status in ("other", "hypothetical", "hedged"):
                    break
                if negation(said):
                    r.end(term.key, negated=negation(said) == "neg")
                    break
                display = term.display
                detail = dict(term.detail)
                span_low = r.p.low[r.p.char_of(max(0, i - 3)):toks[i + size - 1].end]
                if term.key == "condition:diabetes":
                    t = re.search(r"type\s*(1|2|one|two)", span_low)
                    if t:
                        kind = {"one": "1", "two": "2"}.get(t.group(1), t.group(1))
                        display, detail = f"type {kind} diabetes", {"type": kind}
                r.add(i, ExtractedFact("condition", term.key, display, None, detail), span=(i, i + size))
                last_end = i + size
                break
