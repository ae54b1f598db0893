"""Care and support plans: DNACPR, ReSPECT, advance decisions, and end-of-life wishes.

These are said first whenever a professional or an ambulance crew asks, so they are read
carefully: where the document is kept ("in the red folder by the phone") is kept with it, a
cancelled DNACPR ends the fact, and a question or a hedge ("should we get a DNACPR?") keeps nothing.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.language.nlp import once
from bot.language.vocabulary import load

if TYPE_CHECKING:
    from bot.language.facts.reader import Reader

_WHERE = re.compile(r"\b(?:is |are |both |kept |it'?s |they'?re )*(?:in|on|by|under|behind|inside)\s+"
                    r"(?:the|her|his|a|their)\s+[a-z ]{2,40}?(?=[,.!?;]|\s+and\s|\s+but\s|$)")


@once
def _rules() -> tuple[list[tuple[str, str, list[re.Pattern]]], list[tuple[str, str, list[re.Pattern]]], re.Pattern]:
    data = load("care_plans")

    def compile_all(entries):
        return [(e["key"], e["name"], [re.compile(p) for p in e["patterns"]]) for e in entries]

    return compile_all(data["documents"]), compile_all(data["wishes"]), re.compile("|".join(data["ended"]))


def care_plan_facts(r: Reader) -> None:
    from bot.language.facts.results import ExtractedFact

    documents, wishes, ended = _rules()
    low = r.p.low
    for kind, entries in (("document", documents), ("wish", wishes)):
        for key, name, patterns in entries:
            for pattern in patterns:
                match = pattern.search(low)
                if not match:
                    continue
                i = r.p.tok_at(match.start())
                if r.question_clause(i) or (kind == "document" and r.hedged(i)):
                    break
                clause = low[r.p.char_of(r.p.clause_start(i)):r.p.char_of(r.p.sent_end(i))]
                if kind == "document" and ended.search(clause):
                    r.end(f"care_plan:{key}")
                    break
                value = name
                if key == "funeral":
                    value = re.sub(r"^\w+ to be", "wishes to be", match.group(0)).strip()
                detail = {"kind": kind}
                if kind == "document":
                    where = _WHERE.search(low, match.end(), r.p.char_of(r.p.sent_end(i)))
                    if where:
                        place = re.sub(r"^(?:is |are |both |kept |it'?s |they'?re )+", "", where.group(0)).strip()
                        detail["where"] = place
                        value = f"{name} ({place})"
                    says = re.search(r"\bthat says\s+([^,.!?;]{3,60})", low[match.end():match.end() + 80])
                    if says:
                        detail["says"] = says.group(1)
                r.add(i, ExtractedFact("care_plan", f"care_plan:{key}", value, None, detail))
                break
