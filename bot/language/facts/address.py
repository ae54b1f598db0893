"""Address and postcode: where a person lives."""
from __future__ import annotations

import re

from bot.language.facts.reader import Reader
from bot.language.facts.results import ExtractedFact
from bot.language.mentions import Mention
from bot.language.vocabulary import POSTCODE_AREAS, STREET_SUFFIXES

_POSTCODE_RE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[ABD-HJLNP-UW-Z]{2})\b")
_DISTRICT_RE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)\b")
_STREET_RE = re.compile(r"\b(?:(?:flat|apartment|apt)\s+\d+[a-z]?,?\s+)?(\d{1,4}[a-z]?),?\s+((?:[a-z][a-z']+\s+){1,3}?)"
                        r"(" + STREET_SUFFIXES + r")\b")
_LIVE_TRIGGER = re.compile(r"\b(?:lives?|living|live|stays?|staying|address|postcode|post code|home is|based|"
                           r"moved to|moving to|house is|flat is|resides?|"
                           r"(?:we|i|she|he|they|you)\s*(?:'re|'m|'s|are|am|is)"
                           r"\s+(?:in|at|from|based)|from|area|district)\b")


def find_postcodes(r: Reader) -> tuple[str | None, list[tuple[int, int, str, str | None]]]:
    """All UK postcodes/districts in the message: (start, end, district, full or None)."""
    up = r.p.text.upper()
    low = r.p.low
    found: list[tuple[int, int, str, str | None]] = []
    taken: list[tuple[int, int]] = []
    for m in _POSTCODE_RE.finditer(up):
        area = re.match(r"[A-Z]+", m.group(1)).group(0)
        if area not in POSTCODE_AREAS:
            continue
        found.append((m.start(), m.end(), m.group(1), f"{m.group(1)} {m.group(2)}"))
        taken.append((m.start(), m.end()))
    for m in _DISTRICT_RE.finditer(up):
        if any(a <= m.start() < b for a, b in taken):
            continue
        area = re.match(r"[A-Z]+", m.group(1)).group(0)
        if area not in POSTCODE_AREAS:
            continue
        before = low[max(0, m.start() - 24):m.start()]
        after = low[m.end():m.end() + 16]
        if re.search(r"\b(?:the|vitamin|ward|room|bed|bay|flat|bus)\s+$", before) or \
                re.search(r"^\s*(?:injection|jab|tablet|shot|vitamin|deficien|level|form|road|motorway|bus|d3|"
                          r"diabetes|bed|ward|bay)", after):
            continue
        if area != "EM" and len(low.split()) > 3 and not re.search(
                r"\b(?:in|at|live|lives|living|postcode|post code|area|near|around|from|based|district|address)"
                r"\s+(?:the\s+)?$", before):
            continue
        if area == "EM" and not (re.search(r"\b(?:in|at|live|lives|living|postcode|post code|area|near|around|"
                                           r"from|based|district|address|is|'s|of|for|to)\s+(?:the\s+)?$", before)
                                 or len(low.split()) <= 3):
            continue
        found.append((m.start(), m.end(), m.group(1), None))
    found.sort()
    chosen = None
    for a, _b, district, full in found:
        before = low[max(0, a - 16):a]
        if re.search(r"\b(?:not|isn't|old|wrong|used to be|previous|was)\s+(?:\w+\s+)?$", before):
            continue
        chosen = full or district
        break
    return chosen, found


def address_facts(r: Reader, found: list[tuple[int, int, str, str | None]]) -> None:
    low, text = r.p.low, r.p.text
    street_hits = []
    for m in _STREET_RE.finditer(low):
        words = m.group(2).split()
        if any(w in _STREET_STOP for w in words):
            continue
        street_hits.append(m)
    for a, _b, district, full in found:
        i = r.p.tok_at(a)
        cs = r.p.clause_start(i)
        ss = r.p.sent_start(i)
        before = low[r.p.char_of(max(ss, cs - 6)):a]
        near_street = any(m.end() <= a and a - m.end() < 6 for m in street_hits)
        if not (_LIVE_TRIGGER.search(before) or near_street):
            continue
        if re.search(r"\b(?:used to|old|previous|not|wrong|isn't)\b[^.]*$", before) and not re.search(
                r"\bnow\b|\bnew\b|moved to", before):
            continue
        if r.question_clause(i) and not re.search(r"\b(?:we|i|she|he)\s*(?:'re|'m|'s|are|am|is|live)", before):
            continue
        detail = {"postcode": full, "district": district}
        r.add(i, ExtractedFact("address", "address:postcode", full or district, None, detail),
              mention=_address_subject(r, i))
    for m in street_hits:
        i = r.p.tok_at(m.start())
        after_pc = any(0 <= a - m.end() < 6 for a, _, _, _ in found)
        before = low[r.p.char_of(r.p.sent_start(i)):m.start()]
        if not (after_pc or _LIVE_TRIGGER.search(before)):
            continue
        if r.question_clause(i):
            continue
        orig = text[m.start():m.end()]
        display = orig if any(c.isupper() for c in orig) else orig.title()
        display = re.sub(r"\s+", " ", display).replace(" ,", ",")
        display = re.sub(r"^(Flat|Apartment|Apt)", lambda x: x.group(1).capitalize(), display)
        display = re.sub(r"(\d)([A-Z])\b", lambda x: x.group(1) + x.group(2).lower(), display)
        r.add(i, ExtractedFact("address", "address:street", display, None, {"street": display}),
              mention=_address_subject(r, i))


_STREET_STOP = {"the", "a", "and", "of", "to", "in", "on", "at", "times", "time", "minutes", "mins", "hours",
                "days", "weeks", "months", "years", "tablets", "mg", "up", "down", "her", "his", "my", "is", "was",
                "for", "with", "from", "or", "puffs", "units", "floor", "storey", "steps", "stairs", "flights",
                "miles", "mile", "yards", "metres", "feet", "foot", "year", "month", "week", "day", "am", "pm",
                "she", "he", "they", "we", "i", "it", "that", "this", "there", "by", "every", "each", "o'clock"}


def _address_subject(r: Reader, i: int) -> Mention | list[Mention] | None:
    return r.subject_for(i)
