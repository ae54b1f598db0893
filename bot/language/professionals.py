"""Named professionals and teams: "the stoma nurse is Kerry", "Dr Rahman her cardiologist"."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.language.nlp import english_words, once
from bot.language.vocabulary import FIRST_NAMES, RELATIONSHIPS, load

if TYPE_CHECKING:
    from bot.language.facts.reader import Reader

_NAME = r"(?P<name>(?:dr|doctor|nurse)\s+[a-z][a-z'-]+|[a-z][a-z'-]+)"


@once
def _patterns() -> tuple[re.Pattern, re.Pattern, set[str]]:
    data = load("professionals")
    roles = "|".join(sorted(map(re.escape, data["role_words"]), key=len, reverse=True))
    role = rf"(?P<role>(?:[a-z-]+\s+){{0,3}}?(?:{roles}))"
    after = re.compile(rf"\b{role}\s*(?:is|'s|=|:|,)?\s*(?:called|named)?\s+{_NAME}\b")
    before = re.compile(rf"\b{_NAME}\s*,?\s*(?:is\s+)?(?:her|his|their|the|our|my)\s+{role}\b")
    return after, before, set(data["not_qualifiers"])


def _clean_role(role: str, stop: set[str]) -> str:
    words = role.split()
    while len(words) > 1 and words[0] in stop:
        words = words[1:]
    return " ".join(words)


def _is_name(r: Reader, start: int, name: str) -> bool:
    word = name.split()[-1]
    if name.startswith(("dr ", "doctor ")):
        return word not in ("is", "said", "says", "and")
    orig = r.p.text[start:start + len(name)]
    return (word in FIRST_NAMES or orig[:1].isupper() or word not in english_words()) and word not in (
        "is", "and", "the", "comes", "came", "visits", "said", "says", "every", "on", "at")


def professional_facts(r: Reader) -> None:
    from bot.language.facts.results import ExtractedFact

    after, before, stop = _patterns()
    low = r.p.low
    for pattern in (after, before):
        for m in pattern.finditer(low):
            role = _clean_role(m.group("role"), stop)
            name = m.group("name")
            if not _is_name(r, m.start("name"), name) or role.split()[0] in stop:
                continue
            i = r.p.tok_at(m.start())
            if r.question_clause(i) or r.hedged(i):
                continue
            # "dads GP is Dr Owens": the GP reader keeps a GP; "mum's nurse is Jo": the nurse is mum's
            owner = None
            first = r.p.tok_at(m.end("role") - len(role))
            if r.low(first) in ("s", "'s") and r.low(first - 1) in RELATIONSHIPS:
                first -= 1  # "dad's nurse"
                role = re.sub(r"^s\s+", "", role)
            elif r.low(first) in RELATIONSHIPS:
                role = re.sub(r"^\S+\s+", "", role)  # "mums social worker"
            else:
                first = -1
            if first >= 0:
                if role.split()[-1] == "gp":
                    continue
                owner = next((mm for mm in r.mentions if mm.start <= first < mm.end and mm.kind == "rel"), None)
            shown = re.sub(r"^(?:dr|doctor)\s+", "Dr ", name)
            shown = " ".join(w.capitalize() if w != "Dr" else w for w in shown.split())
            where = re.match(r"\s*(?:at|from)\s+((?:the\s+)?[a-z][a-z' ]{2,40}?)(?=[,.!?;]|\s+and\s|$)", low[m.end():])
            value = f"{shown} ({role}{', ' + where.group(1) if where else ''})"
            r.add(i, ExtractedFact("professional", f"professional:{role}", value, None,
                                   {"name": shown, "role": role}), mention=owner)
